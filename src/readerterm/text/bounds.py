"""Bounds on the work one document can cause, whoever wrote it.

A refresh fetches article pages on its own for summary-only feeds, so one hostile feed
can hand the extractor anything up to the fetcher's 10 MiB: 8.8 MB of "A. A. A. ...",
300,000 empty paragraphs, 10,000 nested <div>s. Each stage's cost grows with the size, the
number of elements, the nesting depth or the text handed to the sentence splitter, and
some grow with their product (BeautifulSoup and markdownify walk a tag's ancestors or its
subtree for each tag). So a document is measured before each costly stage and held to:

- MAX_PAGE_CHARACTERS of page HTML (scripts and styles dropped first; then cut),
- MAX_ELEMENTS elements (a page is cut there; feed HTML with more is read as plain text),
- MAX_DEPTH levels of nesting (deeper HTML is read as plain text),
- MAX_KEY_POINT_CHARACTERS of text for the key points (the sentence splitter's input),
- CPU_SECONDS of the thread's CPU time, checked between stages: past it, what is left is
  the cheap path, plain text. The stages' own costs are bounded by the limits above.

The figures: `uv run python benchmarks/hostile_pages.py`.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bs4.element import Tag

MAX_PAGE_CHARACTERS = 1_000_000
"""The largest article page (characters of HTML, after scripts and styles) read whole.
Real news pages are 0.1-1.5 MB with their scripts (the Article Extraction Benchmark's
181 pages: median 115 KB, largest 1.5 MB)."""
MAX_ELEMENTS = 8_000
"""Elements read in one document (the AEB's pages have at most 1,737)."""
MAX_DEPTH = 64
"""Levels of nesting converted as HTML (a story rarely nests 20)."""
MAX_KEY_POINT_CHARACTERS = 50_000
"""Text (about 8,000 words) read for generated key points: they come from the lead."""
CPU_SECONDS = 1.0
"""CPU time of one document's conversion after which the rest is done as plain text."""

PLAIN_TEXT_NOTE = "*(Shown as plain text: this story is too large or too complex to lay out.)*"
CUT_NOTE = "*(Only the start of this page was read: the page is too large.)*"


class Budget:
    """The CPU time the calling thread may still spend on one document."""

    def __init__(self, seconds: float = CPU_SECONDS) -> None:
        self._end = time.thread_time() + seconds

    def spent(self) -> bool:
        return time.thread_time() > self._end


# A numeric reference to a C0 control or DEL (not tab, line feed or carriage return).
_CONTROL_REFERENCE = re.compile(
    r"&\#(?:[xX]0*(?:1[0-9A-Fa-f]|[0-8BbCcEeFf]|7[Ff])(?![0-9A-Fa-f])"
    r"|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]|127)(?![0-9]));?"
)
_RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(html: str) -> str:
    """HTML without C0 control characters, written or escaped (`&#x1b;`, `&#7;`): one of
    them makes the page extractor discard the whole page. The character goes, the text
    around it stays."""
    if "&#" in html:
        html = _CONTROL_REFERENCE.sub("", html)
    return _RAW_CONTROL.sub("", html)


_OPENING_TAG = re.compile(r"<[A-Za-z]")
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^<>]{0,2000}>", re.IGNORECASE)
_SCRIPT_END = re.compile(r"</script\s*>", re.IGNORECASE)
_STYLE_END = re.compile(r"</style\s*>", re.IGNORECASE)


def element_count_above(html: str, limit: int = MAX_ELEMENTS) -> int | None:
    """Where the element after the first `limit` starts in `html`; None if there are fewer."""
    for number, match in enumerate(_OPENING_TAG.finditer(html)):
        if number == limit:
            return match.start()
    return None


def bounded_page(html: str) -> tuple[str, bool]:
    """A page's HTML held to MAX_PAGE_CHARACTERS and MAX_ELEMENTS, and whether it was cut.
    A long page loses its scripts and styles first (the extractor ignores them, but for
    JSON-LD, which says who wrote the page and when)."""
    cut = False
    if len(html) > MAX_PAGE_CHARACTERS:
        html = _without_scripts(html)
    if len(html) > MAX_PAGE_CHARACTERS:
        end = html.rfind("<", MAX_PAGE_CHARACTERS // 2, MAX_PAGE_CHARACTERS)
        html, cut = html[: end if end > 0 else MAX_PAGE_CHARACTERS], True
    tag_limit = element_count_above(html)
    if tag_limit is not None:
        html, cut = html[:tag_limit], True
    return html, cut


def _without_scripts(html: str) -> str:
    """`html` without its scripts (but JSON-LD) and styles: one linear scan."""
    kept: list[str] = []
    position = 0
    while (opening := _SCRIPT_OR_STYLE.search(html, position)) is not None:
        ending = _SCRIPT_END if opening.group(1).lower() == "script" else _STYLE_END
        closing = ending.search(html, opening.end())
        end = len(html) if closing is None else closing.end()
        if "ld+json" in opening.group().lower():
            kept.append(html[position:end])
        else:
            kept.append(html[position : opening.start()])
        position = end
    kept.append(html[position:])
    return "".join(kept)


PARSER_DEPTH = 255
"""How deep libxml2's HTML parser (under the page extractor) nests: past it the parser
drops the rest of the document, text after the nest included."""
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)")
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip


def nests_past_the_parser(html: str) -> bool:
    """Whether `html` seems to open more than PARSER_DEPTH elements at once (a count of
    opening and closing tags: unclosed paragraphs count too, so only ask this of a page
    the extractor found nothing in)."""
    depth = 0
    for match in _TAG_NAME.finditer(html):
        if match.group(1):
            depth = max(depth - 1, 0)
        elif match.group(2).lower() not in _VOID:
            depth += 1
            if depth > PARSER_DEPTH:
                return True
    return False


def deeper_than(root: Tag, limit: int = MAX_DEPTH) -> bool:
    """Whether a BeautifulSoup tree nests elements more than `limit` deep (one pass)."""
    depth = {id(root): 0}
    for tag in root.find_all(True):  # (in document order: parents come first)
        level = depth[id(tag.parent)] + 1
        if level > limit:
            return True
        depth[id(tag)] = level
    return False


def key_point_text(body: str) -> str:
    """The start of a body, up to MAX_KEY_POINT_CHARACTERS, for the sentence splitter:
    cut at a paragraph break, else at a space."""
    if len(body) <= MAX_KEY_POINT_CHARACTERS:
        return body
    start = body[:MAX_KEY_POINT_CHARACTERS]
    for mark in ("\n\n", "\n", " "):
        end = start.rfind(mark, MAX_KEY_POINT_CHARACTERS // 2)
        if end > 0:
            return start[:end]
    return start
