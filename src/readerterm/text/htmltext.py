"""Cheap plain text out of feed HTML, for what a refresh needs: a summary, a word count,
text to search, and whether the feed carries the whole story.

A refresh stores thousands of articles; the full conversion to markdown and key points
(extract.py, BeautifulSoup) costs ~10 ms an article, so it waits until an article is first
opened.
"""

from __future__ import annotations

import re
from html import unescape

from .safe import SPACES, clean_line, clean_text, without_surrogates

FULL_CONTENT_WORDS = 150
"""Content shorter than this is a teaser: the article page has the story."""
SUMMARY_CHARACTERS = 600

_STUB_ENDING = re.compile(
    r"""(?:continue\s+reading|read\s+(?:more|the\s+(?:full|rest)|full\s+(?:story|article))
        |full\s+(?:story|article)|\[\s*(?:\.\.\.|…)\s*\]|\[\s*more\s*\]|(?:\.\.\.|…))
        [\W]*(?:\w+\W*){0,3}$""",
    re.IGNORECASE | re.VERBOSE,
)
_APPEARED_FIRST = re.compile(r"\s*The post .{1,300} appeared first on .{1,200}$", re.DOTALL)
_BLOCK_END = re.compile(
    r"</(?:p|div|li|h[1-6]|blockquote|tr|section|article)\s*>|<br\s*/?>", re.I | re.A
)
# Elements whose content is never text to read, and comments (an unclosed one runs to the end).
# The opening tag's attribute values may hold "<" (`<script data-x="a<b">`): none of the
# first form's parts crosses a ">", so a try stops at the next one; the second form, with
# no "<" in the tag, takes `<script data-x="a>b">` (its tag then ends at the first ">",
# and the rest of it is hidden with the script).
_HIDDEN_ELEMENT = re.compile(
    r"""<(?P<quoted>script|style|noscript|template|iframe|svg)\b
        (?:[^<>"']|"[^">]{0,2000}"|'[^'>]{0,2000}'){0,2000}>.*?(?:</(?P=quoted)\s*>|\Z)
      | <(?P<plain>script|style|noscript|template|iframe|svg)\b[^<>]{0,2000}>
        .*?(?:</(?P=plain)\s*>|\Z)
      | <!--.*?(?:-->|\Z)""",
    re.IGNORECASE | re.ASCII | re.DOTALL | re.VERBOSE,
)
# A tag, a declaration or a processing instruction, of bounded length and holding no "<"
# (so that a try from each "<" stops at the next one: "<a <a <a ..." is scanned once, not
# 2,000 characters a "<"). "<" not followed by a letter, "/", "!" or "?" is text.
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,2000}>|<[!?][^<>]{0,2000}>")


def plain_text(html: str) -> str:
    """The readable text of an HTML fragment, a paragraph a line, cleaned for the terminal.

    Regular expressions, not a parser: this text only has to be good enough to search, count
    and summarise until the article is opened and converted properly, and a refresh makes
    it for thousands of fragments (~0.04 ms each, against ~0.12 ms with lxml).
    """
    return text_and_words(html)[0]


def text_and_words(html: str) -> tuple[str, int]:
    """`plain_text(html)` and how many words it has (`len(text.split())`, counted without
    making the list where the text is known to be single-spaced: ~4x faster)."""
    if not html or not html.strip():
        return "", 0
    if "<" not in html and "&" not in html:
        text = clean_text(html)
        return text, len(text.split())
    return _visible_text_and_words(_HIDDEN_ELEMENT.sub("", html))


def _visible_text_and_words(html: str) -> tuple[str, int]:
    """`text_and_words` of HTML that holds no comment and no hidden element."""
    text = _BLOCK_END.sub("\n", html)
    text = _TAG.sub("", text)
    text = unescape(without_surrogates(text))
    lines = text.split("\n")
    if all(map(str.isprintable, lines)):
        # What clean_line's own fast path does, line by line: squeeze spaces (never across
        # a line break), strip, drop blank lines. Printable text holds no whitespace but
        # " " and "\n", so the words are what lies between single spaces and line breaks.
        if "  " in text:
            lines = SPACES.sub(" ", text).split("\n")
        kept = [line for line in map(str.strip, lines) if line]
        text = "\n".join(kept)
        return text, text.count(" ") + len(kept)
    # Each line cleaned, blank ones dropped: already what clean_text would return.
    cleaned = (clean_line(line) for line in lines)
    text = "\n".join(line for line in cleaned if line)
    return text, len(text.split())


def summary_of(text: str) -> str:
    """The start of a text, cut at a word boundary, for lists and `articles --json`."""
    if len(text) <= SUMMARY_CHARACTERS:
        return text
    cut = text[:SUMMARY_CHARACTERS].rsplit(None, 1)[0]
    return cut.rstrip(",;:") + " …"


def needs_page(text: str, words: int | None = None) -> bool:
    """Whether the text a feed carries is only a teaser of the story (short, or a stub that
    ends in "Continue reading", "Read more", "[...]"). `words`: its word count, if known."""
    if "appeared first on" in text:
        text = _APPEARED_FIRST.sub("", text)
        words = None
    if (len(text.split()) if words is None else words) < FULL_CONTENT_WORDS:
        return True
    return _ends_as_stub(text)


_STUB_WINDOW = 120
"""A stub's marker is looked for in this many last characters of the text."""


def _ends_as_stub(text: str) -> bool:
    window = text[-_STUB_WINDOW:]
    if window.isascii():
        # Every marker holds one of these (searching for it at each place costs ~5 us);
        # outside ASCII, case-insensitive matching has more ways to spell them.
        lowered = window.lower()
        if not ("read" in lowered or "full" in lowered or "[" in window or "..." in window):
            return False
    return bool(_STUB_ENDING.search(window))


GLANCE_HEAD = 1500
"""Characters of HTML read from the start of a long fragment: ~200 words, more than a
summary and the teaser test need."""
GLANCE_TAIL = 600
"""Characters of HTML read from its end: its last sentences, for the stub test."""


def glance(html: str) -> tuple[str, bool]:
    """The start of the plain text of an HTML fragment (all of it, or enough for
    `summary_of` to give the same summary) and whether it is a teaser (`needs_page`),
    reading only the head and the tail of a long fragment.

    A refresh stores a story's full HTML and makes its whole plain text later (the search
    indexing does, see Store.index_pending): converting 5 KB costs ~55 us, and a refresh
    of 300 feeds converts 15,000 stories. The answers are those of the whole text, and a
    test holds them to it. Only a fragment without comments, scripts, styles or embeds is
    read in part (those hide text across any cut); then
    - the head ends just after the first ">" from GLANCE_HEAD on, where every tag begun
      before ends at the latest, so its text is the start of the whole text, and "150
      words or more" read there holds for the whole;
    - the tail starts at a tag, outside any other, so its text is the end of the whole
      text; it must be long enough to hold any WordPress "The post ... appeared first on
      ..." line, and not hold one (the teaser test removes it: read whole then).
    """
    if len(html) > GLANCE_HEAD + GLANCE_TAIL and _HIDDEN_OPENING.search(html) is None:
        head, head_words = _visible_text_and_words(html[: _head_end(html)])
        if head_words >= FULL_CONTENT_WORDS and len(head) > SUMMARY_CHARACTERS:
            # A tail of markup (a figure, an embed) may hold too little text: read twice
            # as much before reading it all.
            for size in (GLANCE_TAIL, 2 * GLANCE_TAIL):
                start = _tag_start(html, len(html) - size)
                if _inside_tag(html, start):
                    break
                tail = _visible_text_and_words(html[start:])[0]
                if len(tail) >= _TAIL_TEXT:
                    if "appeared first on" in tail:
                        break
                    return head, _ends_as_stub(tail)
    text, words = text_and_words(html)
    return text, needs_page(text, words)


def summary_of_html(html: str) -> str:
    """`summary_of(plain_text(html))`, converting only the head of a long fragment (one
    without comments, scripts, styles or embeds: see `glance`)."""
    if len(html) > GLANCE_HEAD and _HIDDEN_OPENING.search(html) is None:
        head = _visible_text_and_words(html[: _head_end(html)])[0]
        if len(head) > SUMMARY_CHARACTERS:
            return summary_of(head)
    return summary_of(plain_text(html))


_HIDDEN_OPENING = re.compile(
    r"<!--|<(?:script|style|noscript|template|iframe|svg)\b", re.IGNORECASE | re.ASCII
)
"""Where `_HIDDEN_ELEMENT` could start."""
_TAIL_TEXT = 220
"""Text enough for the stub test's last 120 characters, and for the "appeared first on"
line the teaser test removes (it ends within 200 characters of the end)."""


def _head_end(html: str) -> int:
    end = html.find(">", GLANCE_HEAD)
    return len(html) if end < 0 else end + 1


def _inside_tag(html: str, position: int) -> bool:
    return html.rfind("<", 0, position) > html.rfind(">", 0, position)


def _tag_start(html: str, position: int) -> int:
    """Where the first tag at or after `position` starts (`position` itself if none)."""
    start = html.find("<", position)
    return position if start < 0 else start
