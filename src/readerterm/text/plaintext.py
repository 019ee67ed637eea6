"""Plain text in and out: a plain-text story as a markdown body with its key points, and a
markdown body back to plain text for output meant to be read as it is.

A plain-text story is one paragraph a line, or paragraphs separated by blank lines. When
it opens with two to six bullets ("- ", "• " or "* "), as a publisher writes a story's
key points above it, perhaps under a label of their own ("Key points:", "Highlights",
"Key points (picked from the text):" as `readerterm extract` prints them), those are its
key points (origin "page"), without their marks or label.
"""

from __future__ import annotations

import re

from ..models import Extracted
from . import keypoints
from .bounds import key_point_text
from .pagepoints import KEY_POINTS_HEADING, valid_items
from .safe import clean_line, clean_text

_BULLET = re.compile(r"^\s{0,3}[-•*]\s+(?=\S)")
# "(picked from the text)" after a label: what `readerterm extract` adds to say where its
# key points came from.
_LABEL_NOTE = re.compile(r"\s*\([^()]{1,40}\)\s*:?\s*$")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+\-*=]|\d{1,9}[.)]|`{3,}|~{3,}|\|)")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")


def _escape_plain(paragraph: str) -> str:
    """Plain text as a literal markdown paragraph (nothing in it becomes markup or HTML)."""
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", paragraph)
    return _MARKDOWN_LINE_START.sub(r"\1\\\2", escaped)


# A title line the key points may follow ("Bridge approved\n\nKey points:\n- ..."): it
# stays at the head of the body.
MAX_TITLE_WORDS = 25


def opening_bullets(lines: list[str]) -> tuple[list[str], list[str]]:
    """The bullets a text opens with, perhaps after a title line and under a label (marks
    removed; a wrapped bullet's indented lines joined to it) and the lines around them; no
    bullets when they do not look like key points (2 to 6 of them, each of 3 to 80 words)."""
    first = _first_text_line(lines, 0)
    items, rest = _bullets_at(lines, first)
    if items or first >= len(lines):
        return items, rest
    title = lines[first]
    if _BULLET.match(title) or title.rstrip().endswith(":") or len(title.split()) > MAX_TITLE_WORDS:
        return [], lines
    items, rest = _bullets_at(lines, first + 1)
    return (items, [title, "", *rest]) if items else ([], lines)


def _bullets_at(lines: list[str], start: int) -> tuple[list[str], list[str]]:
    """The bullets from the first text line at or after `start`, under a label if any, and
    the lines after them; ([], lines) when there are none that look like key points."""
    start = _first_text_line(lines, start)
    if start < len(lines) and _is_label(lines[start]):
        start = _first_text_line(lines, start + 1)
    items: list[str] = []
    position = start
    while position < len(lines):
        line = lines[position]
        if _BULLET.match(line):
            items.append(_BULLET.sub("", line, count=1).strip())
        elif not line.strip():
            following = next((n for n in lines[position + 1 :] if n.strip()), "")
            if not _BULLET.match(following):
                break
        elif items and line[:1].isspace():
            items[-1] += " " + line.strip()
        else:
            break
        position += 1
    items = [" ".join(item.split()) for item in items]
    if not valid_items(items, [""] * len(items)):
        return [], lines
    return items, lines[position:]


def _first_text_line(lines: list[str], start: int) -> int:
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def _is_label(line: str) -> bool:
    """A line that names the key points below it ("Key points:", "Highlights")."""
    label = _LABEL_NOTE.sub(":", line.strip())
    return len(label) <= 60 and bool(KEY_POINTS_HEADING.match(label))


def _markdown_block(block: str) -> str:
    """A blank-line separated block as markdown: a list when every line of it is a bullet
    (one item a line, not run together), else one literal paragraph."""
    lines = [line for line in block.split("\n") if line.strip()]
    if len(lines) > 1 and all(_BULLET.match(line) for line in lines):
        items = (" ".join(_BULLET.sub("", line, count=1).split()) for line in lines)
        return "\n".join(f"- {_escape_plain(item)}" for item in items)
    return _escape_plain(" ".join(block.split()))


def from_plain_text(text: str) -> Extracted:
    """Plain text (a paragraph a line, or blank-line separated) -> markdown body, key points
    (the opening bullets, else generated from the body)."""
    text = clean_text(text)
    if not text:
        return Extracted(body="", key_points=(), key_points_origin="")
    bullets, rest = opening_bullets(text.split("\n"))
    text = "\n".join(rest).strip("\n")
    if "\n\n" in text:
        blocks = [_markdown_block(block) for block in text.split("\n\n")]
    else:
        blocks = [_escape_plain(" ".join(line.split())) for line in text.split("\n")]
    body = clean_text("\n\n".join(block for block in blocks if block))
    points = tuple(point for point in (clean_line(item) for item in bullets) if point)
    if points:
        return Extracted(body=body, key_points=points, key_points_origin="page")
    generated = keypoints.key_points(key_point_text(body)) if body else ()
    return Extracted(
        body=body, key_points=generated, key_points_origin="generated" if generated else ""
    )


# --- markdown back to plain text -----------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_LIST_ITEM = re.compile(r"^(\s*)(?:[-*+]|(\d{1,9}[.)]))\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_HARD_BREAK = re.compile(r"\\$")


def markdown_to_plain(markdown: str) -> str:
    """A markdown body as plain text: no escapes, heading marks, emphasis or link targets;
    list items keep a "- " (or their number), code blocks their text."""
    out: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            out.append(line)
            continue
        quoted = ""
        if _QUOTE.match(line):
            line, quoted = _QUOTE.sub("", line, count=1), "  "
        line = _HARD_BREAK.sub("", line)
        if _HEADING.match(line):
            out.append(quoted + keypoints.markdown_to_text(_HEADING.sub("", line, count=1)))
        elif item := _LIST_ITEM.match(line):
            mark = item.group(2) or "-"
            rest = keypoints.markdown_to_text(line[item.end() :])
            out.append(f"{quoted}{item.group(1)}{mark} {rest}")
        else:
            out.append(quoted + keypoints.markdown_to_text(line) if line.strip() else "")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip("\n")
