"""Plain text in and out: a plain-text story as a markdown body with its key points, and a
markdown body back to plain text for output meant to be read as it is.

A plain-text story is one paragraph a line, or paragraphs separated by blank lines. When
it opens with two to six bullets ("- ", "• " or "* "), as a publisher writes a story's
key points above it, or with a label of their own ("Key points:", "Highlights", "Key points
(picked from the text):" as `readerterm extract` prints them) and one bullet or more
(numbered too), those are its key points (origin "page"), without their marks or label.
Bullets that are no key points (under three words) stay a list in the body, below their
label if they have one, one item a line.
A text file's first line may be its title (a short line on its own, ending on no stop);
`readerterm extract` reads its own plain output back so.
"""

from __future__ import annotations

import re

from ..models import Extracted, KeyPointsOrigin
from . import keypoints
from .bounds import key_point_text
from .pagepoints import (
    KEY_POINTS_HEADING,
    MAX_ITEM_WORDS,
    MAX_LIST_ITEMS,
    MIN_ITEM_WORDS,
    valid_items,
)
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


# A text's first line is its title (with `find_title`) when it is short and a blank line
# follows it: "Bridge approved\n\nKey points:\n- ...\n\nThe council ...". Not a line that
# ends like a sentence or a clause (a question or an exclamation may be a headline), nor a
# link, a byline or a salutation; but any short line above a labelled list of key points.
MAX_TITLE_WORDS = 25
_ENDS_LIKE_A_SENTENCE = re.compile(r"""[.:;,…]["'”’)]*$""")
_NO_TITLE = re.compile(r"://|@|^(?:by|dear|from|to|re|subject)\b", re.IGNORECASE)
_HEADING_MARKS = re.compile(r"^#{1,6}\s+")
# Numbered items ("1. ...", "2) ...") are key points only under a label.
_NUMBERED = re.compile(r"^\s{0,3}\d{1,2}[.)]\s+(?=\S)")
_BULLET_OR_NUMBER = re.compile(f"{_BULLET.pattern}|{_NUMBERED.pattern}")


def opening_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """The title a text opens with, and the lines after it; (None, lines) when it has none."""
    first = _first_text_line(lines, 0)
    if first + 2 >= len(lines) or lines[first + 1].strip():
        return None, lines
    title = _HEADING_MARKS.sub("", " ".join(lines[first].split()))
    rest = lines[first + 1 :]
    if (
        _BULLET_OR_NUMBER.match(lines[first])
        or len(title.split()) > MAX_TITLE_WORDS
        or not any(ch.isalpha() for ch in title)
        or _is_label(title)
        or _first_text_line(rest, 0) >= len(rest)
    ):
        return None, lines
    if (_ENDS_LIKE_A_SENTENCE.search(title) or _NO_TITLE.search(title)) and not _labelled(rest):
        return None, lines
    return title, rest


def _labelled(lines: list[str]) -> bool:
    """Whether the lines open with a key-points label and a list under it."""
    start = _first_text_line(lines, 0)
    return start < len(lines) and _is_label(lines[start]) and bool(opening_bullets(lines)[0])


def opening_bullets(lines: list[str]) -> tuple[list[str], list[str]]:
    """The bullets a text opens with, perhaps under a label (marks removed; a wrapped
    bullet's indented lines joined to it) and the lines after them; no bullets when they
    do not look like key points: 2 to 6 of them, each of 3 to 80 words (under a label, one
    will do, and numbered items count)."""
    start = _first_text_line(lines, 0)
    labelled = start < len(lines) and _is_label(lines[start])
    if labelled:
        start = _first_text_line(lines, start + 1)
    mark = _BULLET_OR_NUMBER if labelled else _BULLET
    items: list[list[str]] = []  # (each item's lines: joined once, at the end)
    position = start
    while position < len(lines) and len(items) <= MAX_LIST_ITEMS:
        line = lines[position]
        if mark.match(line):
            items.append([mark.sub("", line, count=1)])
        elif not line.strip():
            following = _first_text_line(lines, position + 1)  # (past every blank line)
            if following >= len(lines) or not mark.match(lines[following]):
                break
            position = following
            continue
        elif items and line[:1].isspace():
            items[-1].append(line)
        else:
            break
        position += 1
    texts = [" ".join(" ".join(parts).split()) for parts in items]
    if labelled and len(texts) == 1:  # (the label vouches for a list of one)
        fits = MIN_ITEM_WORDS <= len(texts[0].split()) <= MAX_ITEM_WORDS
    else:
        fits = valid_items(texts, [""] * len(texts))
    return (texts, lines[position:]) if fits else ([], lines)


def _first_text_line(lines: list[str], start: int) -> int:
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def _is_label(line: str) -> bool:
    """A line that names the key points below it ("Key points:", "Highlights")."""
    label = _LABEL_NOTE.sub(":", line.strip())
    return len(label) <= 60 and bool(KEY_POINTS_HEADING.match(label))


def _runs(lines: list[str]) -> list[tuple[bool, list[str]]]:
    """The lines as runs of a list (two bullets or more; an indented line continues the
    bullet above it) and of other text: "Key points:\n- a b\n- c d" is a line, then a
    list. One bullet alone stays text ("- " may open a wrapped line)."""
    runs: list[tuple[bool, list[str]]] = []
    for line in lines:
        listed = bool(_BULLET.match(line)) or bool(runs and runs[-1][0] and line[:1].isspace())
        if runs and runs[-1][0] == listed:
            runs[-1][1].append(line)
        else:
            runs.append((listed, [line]))
    merged: list[tuple[bool, list[str]]] = []
    for listed, run in runs:
        listed = listed and sum(1 for line in run if _BULLET.match(line)) > 1
        if merged and not listed and not merged[-1][0]:
            merged[-1][1].extend(run)
        else:
            merged.append((listed, run))
    return merged


def _markdown_list(run: list[str]) -> str:
    items: list[str] = []
    for line in run:
        if _BULLET.match(line):
            items.append(_BULLET.sub("", line, count=1))
        else:
            items[-1] += " " + line
    return "\n".join(f"- {_escape_plain(' '.join(item.split()))}" for item in items)


def _markdown_blocks(block: str, *, line_a_paragraph: bool = False) -> list[str]:
    """A blank-line separated block (or, `line_a_paragraph`, a text with no blank line)
    as markdown: its runs of bullets as lists, one item a line, not run together; the rest
    one literal paragraph (or a paragraph a line)."""
    lines = [line for line in block.split("\n") if line.strip()]
    blocks: list[str] = []
    for listed, run in _runs(lines):
        if listed:
            blocks.append(_markdown_list(run))
        elif line_a_paragraph:
            blocks.extend(_escape_plain(" ".join(line.split())) for line in run)
        else:
            blocks.append(_escape_plain(" ".join(" ".join(run).split())))
    return blocks


def from_plain_text(text: str, *, find_title: bool = False) -> Extracted:
    """Plain text (a paragraph a line, or blank-line separated) -> markdown body, key points
    (the opening bullets, else generated from the body), and with `find_title` the title
    its first line may be (a text file's; not text that was a page or a feed's)."""
    text = clean_text(text)
    if not text:
        return Extracted(body="", key_points=(), key_points_origin="")
    title, lines = opening_title(text.split("\n")) if find_title else (None, text.split("\n"))
    bullets, rest = opening_bullets(lines)
    text = "\n".join(rest).strip("\n")
    if "\n\n" in text:
        blocks = [part for block in text.split("\n\n") for part in _markdown_blocks(block)]
    else:
        blocks = _markdown_blocks(text, line_a_paragraph=True)
    body = clean_text("\n\n".join(block for block in blocks if block))
    points = tuple(point for point in (clean_line(item) for item in bullets) if point)
    if points:
        return Extracted(body=body, key_points=points, key_points_origin="page", title=title)
    generated = keypoints.key_points(key_point_text(body)) if body else ()
    origin: KeyPointsOrigin = "generated" if generated else ""
    return Extracted(body=body, key_points=generated, key_points_origin=origin, title=title)


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
