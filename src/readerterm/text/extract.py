"""Turn feed HTML, article pages and plain text into a markdown body and key points.

Pure functions, no I/O. HTML goes through one path: parsed with BeautifulSoup (lxml),
stripped of active and hidden content, its links made absolute and safe, the publisher's
key-point list (if any) taken out, then written as markdown by markdownify. Article pages
first go through trafilatura, whose main-text output (as HTML) joins the same path.
Every string returned has been through readerterm.text.safe. The work one document can
cause is bounded (bounds.py): past a limit, a page is cut or read as plain text, and says so.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import Comment, Tag
from markdownify import ATX, BACKSLASH, MarkdownConverter

from ..models import Extracted, KeyPointsOrigin
from . import bounds, htmltext, keypoints
from .opening import drop_title_heading, gone, take_key_points
from .pagepoints import drop_lines, key_points_in_page
from .plaintext import from_plain_text
from .promos import drop_promos
from .safe import clean_line, clean_text, without_surrogates

__all__ = ["from_feed_html", "from_page_html", "from_plain_text", "needs_page"]


# Elements whose content is never text for a reader.
_DROP_TAGS = (
    "script", "style", "iframe", "noscript", "form", "button", "input", "select", "option",
    "textarea", "svg", "math", "canvas", "template", "object", "embed", "applet", "audio",
    "video", "source", "track", "map", "head", "title", "meta", "link", "base", "nav",
    "frame", "frameset", "dialog", "picture", "img",
)  # fmt: skip
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_UNSAFE_IN_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\u2028\u2029]"
)


# --- HTML -> markdown ---------------------------------------------------------------------


class _Markdown(MarkdownConverter):
    """markdownify with readerterm's choices: ATX headings, "-" bullets, every markdown
    and HTML character in text escaped (so text can never become raw HTML), no images."""

    def __init__(self) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            escape_misc=True,
            autolinks=False,
            strong_em_symbol="*",
            newline_style=BACKSLASH,
        )

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        return ""


_CONVERTER = _Markdown()


def _parse(html: str) -> BeautifulSoup:
    # lxml cannot encode lone surrogates (a JSON Feed can carry them as \ud800 escapes).
    return BeautifulSoup(without_surrogates(html), "lxml")


def _safe_href(href: str, base_url: str | None) -> str | None:
    href = clean_line(href)
    if not href:
        return None
    if base_url:
        try:
            href = urljoin(base_url, href)
        except ValueError:
            return None
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    if scheme not in _SAFE_SCHEMES:
        return None  # relative with no base, javascript:, data:, ...
    # Characters that would end a markdown link target early.
    return href.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _sanitize(soup: BeautifulSoup, base_url: str | None) -> None:
    """Drop active, hidden and decorative content; clean text; make links absolute."""
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if gone(tag):
            continue
        attrs = tag.attrs or {}
        if "hidden" in attrs or _HIDDEN_STYLE.search(str(attrs.get("style", ""))):
            tag.decompose()
            continue
        if attrs.get("aria-hidden") == "true" and not tag.get_text(strip=True):
            tag.decompose()
            continue
        if tag.name == "a":
            href = _safe_href(str(attrs.get("href", "")), base_url)
            tag.attrs = {"href": href} if href else {}
        else:
            tag.attrs = {}
    for node in soup.find_all(string=True):
        text = str(node)
        if _UNSAFE_IN_TEXT.search(text):
            node.replace_with(_clean_fragment(text))


def _clean_fragment(text: str) -> str:
    """clean_text for a text node: keep the node's outer whitespace (it separates words)."""
    stripped = text.strip()
    if not stripped:
        return text[:1] if text else ""
    lead = text[: len(text) - len(text.lstrip())]
    tail = text[len(text.rstrip()) :]
    return f"{lead}{clean_text(stripped)}{tail}"


_INNER_SPACES = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)")
_FENCE_LINE = re.compile(r"^\s*(```|~~~)")


def _to_markdown(soup: BeautifulSoup | Tag) -> str:
    markdown = clean_text(str(_CONVERTER.convert_soup(soup)))
    lines = markdown.split("\n")
    in_fence = False
    for number, line in enumerate(lines):
        if _FENCE_LINE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            lines[number] = _INNER_SPACES.sub(" ", line)  # left where images or tags went
    return "\n".join(lines)


# --- public API ---------------------------------------------------------------------------


def _result(
    body: str,
    listed: list[str],
    origin: KeyPointsOrigin,
    **meta: Any,
) -> Extracted:
    points = tuple(point for point in (clean_line(item) for item in listed) if point)
    if points:
        return Extracted(body=body, key_points=points, key_points_origin=origin, **meta)
    generated = keypoints.key_points(bounds.key_point_text(body)) if body else ()
    return Extracted(
        body=body,
        key_points=generated,
        key_points_origin="generated" if generated else "",
        **meta,
    )


def _as_plain_text(html: str, note: str, **meta: Any) -> Extracted:
    """What a document too large or too complex to convert gives: its plain text (a
    linear pass), with `note` above it."""
    plain = from_plain_text(htmltext.plain_text(html))
    return Extracted(
        body=f"{note}\n\n{plain.body}".rstrip(),
        key_points=plain.key_points,
        key_points_origin=plain.key_points_origin,
        **meta,
    )


def from_feed_html(
    html: str,
    *,
    base_url: str | None = None,
    title: str | None = None,
    cpu_seconds: float = bounds.CPU_SECONDS,
) -> Extracted:
    """Feed content or summary HTML -> markdown body and key points ("feed" or generated).
    A heading that opens the content and repeats the story's `title` is left out. HTML
    with too many elements, nested too deep, or that takes more than `cpu_seconds` is
    read as plain text (with a note saying so)."""
    if not html or not html.strip():
        return Extracted(body="", key_points=(), key_points_origin="")
    budget = bounds.Budget(cpu_seconds)
    if bounds.element_count_above(html) is not None:
        return _as_plain_text(html, bounds.PLAIN_TEXT_NOTE)
    soup = _parse(html)
    if bounds.deeper_than(soup) or budget.spent():
        return _as_plain_text(html, bounds.PLAIN_TEXT_NOTE)
    _sanitize(soup, base_url)
    drop_title_heading(soup, title)
    drop_promos(soup)
    listed = take_key_points(soup)
    if budget.spent():
        return _as_plain_text(html, bounds.PLAIN_TEXT_NOTE)
    return _result(_to_markdown(soup), listed, "feed")


def from_page_html(
    html: str,
    *,
    url: str | None = None,
    title: str | None = None,
    cpu_seconds: float = bounds.CPU_SECONDS,
) -> Extracted:
    """A whole article page -> main text (trafilatura) as markdown, page key points, metadata.
    The body does not open with a heading that repeats the page's title (or `title`).
    A page too large is cut, and one too complex (or taking more than `cpu_seconds`) is
    read as plain text; a note at the top of the body says so."""
    if not html or not html.strip():
        return Extracted(body="", key_points=(), key_points_origin="")
    budget = bounds.Budget(cpu_seconds)
    html, cut = bounds.bounded_page(html)
    html = bounds.without_controls(without_surrogates(html))
    page = _main_content(html, url)
    if page is None:
        if bounds.nests_past_the_parser(html):  # the parser dropped all of it
            return _as_plain_text(html, bounds.PLAIN_TEXT_NOTE)
        return Extracted(body="", key_points=(), key_points_origin="")
    meta: dict[str, Any] = {
        "title": clean_line(page.title) or None,
        "author": clean_line(page.author) or None,
        "published": _parse_date(page.date),
        "image_url": _safe_href(page.image or "", url),
    }
    if budget.spent() or bounds.element_count_above(page.html) is not None:
        return _as_plain_text(page.html, bounds.PLAIN_TEXT_NOTE, **meta)
    soup = _parse(page.html)
    if bounds.deeper_than(soup):
        return _as_plain_text(page.html, bounds.PLAIN_TEXT_NOTE, **meta)
    _sanitize(soup, url)
    drop_title_heading(soup, page.title, title)
    drop_promos(soup)
    listed = take_key_points(soup)
    if budget.spent():
        return _as_plain_text(page.html, bounds.PLAIN_TEXT_NOTE, **meta)
    body = _to_markdown(soup)
    if not listed and _only_labels(body):
        body = ""  # a page of menus and links: the main-text search found no article
    if not listed:
        listed = key_points_in_page(html)
        if listed:
            body = drop_lines(body, listed)
    extracted = _result(body, listed, "page", **meta)
    if cut and extracted.body:
        return dataclasses.replace(extracted, body=f"{bounds.CUT_NOTE}\n\n{extracted.body}")
    return extracted


# Fewer words than this, none of them in a sentence: labels ("Home News About us"), not text.
LABEL_WORDS = 12
_SENTENCE_END = re.compile(r"""[.!?…。！？]["'”’)\]]*(?:\s|$)""")


def _only_labels(body: str) -> bool:
    """A body of a few words that ends no sentence: what the main-text search returns for
    a page of navigation, a menu or a cookie banner's buttons."""
    return len(re.findall(r"\w+", body)) < LABEL_WORDS and not _SENTENCE_END.search(body)


@dataclass(frozen=True, slots=True)
class _Page:
    html: str
    title: str | None
    author: str | None
    date: str | None
    image: str | None


def _main_content(html: str, url: str | None) -> _Page | None:
    """trafilatura's main text of a page, as simple HTML, with its metadata."""
    import trafilatura  # slow to import: only pages need it
    from trafilatura.htmlprocessing import build_html_output

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=True,
        include_links=True,
        include_images=False,
        # The time of day too, where the page gives one (htmldate's default is a date).
        # No search of the visible text: it takes any year it finds ("since 2021") for
        # the date of publication; the page's markup and metadata say when it was.
        date_extraction_params={
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
            "original_date": True,
            "extensive_search": False,
        },
    )
    if document is None or isinstance(document, dict) or document.body is None:
        return None
    return _Page(
        html=build_html_output(document),
        title=document.title,
        author=document.author,
        date=document.date,
        image=document.image,
    )


# --- does the feed carry the whole story? -------------------------------------------------


def needs_page(summary_html: str, content_html: str) -> bool:
    """True when the feed does not carry the full story: no content, a short one, or a stub
    that ends in "Continue reading", "Read more", "[...]"."""
    html = content_html if content_html and content_html.strip() else summary_html
    return htmltext.needs_page(htmltext.plain_text(html))


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
