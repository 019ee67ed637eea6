"""Feed bytes + response headers -> ParsedFeed. The only module that imports feedparser.

feedparser always gets bytes (never a URL or a string it could open as a path), its HTML
sanitizer is off (readerterm never renders HTML, it converts it to text itself, and the
sanitizer costs about four times the parse), and a DTD internal subset is removed first
(prepare.py) because feedparser's loose parser expands entity definitions without limit.

Plain RSS 2.0 and Atom documents (most real feeds) are first offered to fastparse, which
builds the same values feedparser would about four times faster and gives up on anything
it does not reproduce exactly; tests/unit/test_fastparse.py proves the two equal over
feedparser's own test corpus.
"""

from __future__ import annotations

import calendar
import dataclasses
import hashlib
import html
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import ParseError
from ..models import ParsedArticle, ParsedFeed
from ..text.safe import clean_line
from .categories import categories
from .fastparse import TooManyEntries, read_simple_feed
from .jsonfeed import looks_like_json_feed, parse_json_feed
from .prepare import (
    MAX_ARTICLES_PER_DOCUMENT,
    as_utf8,
    declares,
    first_entries,
    valid_character_references,
    without_doctype,
)
from .urls import is_plain_absolute
from .xmlerrors import xml_problem

_TAG = re.compile(r"<[^>]{0,2000}>")
# feedparser warns about its own date-field fallbacks on every such feed; not for users.
warnings.filterwarnings(
    "ignore", message="To avoid breaking existing software", category=DeprecationWarning
)


def _feedparser() -> Any:
    """feedparser, imported when a document first needs it: the fast path reads most feeds,
    and feedparser adds ~13 MB to each process that loads it (measured)."""
    import feedparser

    return feedparser


def parse_feed(content: bytes, *, url: str, headers: Mapping[str, str] | None = None) -> ParsedFeed:
    """Parse a feed document; raise ParseError when it is not a feed we can read.

    Plain RSS 2.0 and Atom documents are read by fastparse, which gives up (and leaves
    them to feedparser) on anything it does not reproduce exactly."""
    return _parse_feed(content, url=url, headers=headers, fast=True)


def _parse_feed(
    content: bytes, *, url: str, headers: Mapping[str, str] | None, fast: bool
) -> ParsedFeed:
    if not content or content.isspace():  # (strip() would copy the whole document)
        raise ParseError("the server sent an empty document, not a feed")
    if looks_like_json_feed(content):
        return parse_json_feed(content, url=url)
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    sent_as = response_headers.get("content-type", "")  # (before the default below)
    response_headers.setdefault("content-location", url)
    # No Content-Type (a server that sends none, a document ingested from a file): XML's own
    # rules, UTF-8 unless declared, where an HTTP answer without one reads as ISO-8859-1
    # (a Japanese title in UTF-8 came out as mojibake).
    response_headers.setdefault("content-type", "application/xml")
    try:
        document = as_utf8(content)
        has_declarations = declares(document)
        if has_declarations:
            document = without_doctype(document)
        document = valid_character_references(document)
        simple = None
        too_many = False
        if fast:
            # Read whole when it holds few enough entries: the search for where to cut a
            # long one reads every "</" in it (~0.25 ms for a 300 KB feed of HTML).
            try:
                simple = read_simple_feed(
                    document,
                    headers=response_headers,
                    may_declare=has_declarations,
                    most_entries=MAX_ARTICLES_PER_DOCUMENT,
                )
            except TooManyEntries:
                too_many = True
        if simple is None:
            document = first_entries(document)
            if too_many:  # read again, cut as feedparser's copy is
                simple = read_simple_feed(
                    document, headers=response_headers, may_declare=has_declarations
                )
        if simple is not None:
            return _parsed_feed(simple.feed, simple.entries, url, warning=None)
        feedparser = _feedparser()
        parsed = feedparser.parse(
            io.BytesIO(document),
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as error:  # feedparser raises many kinds on hostile input
        raise ParseError(f"could not parse the feed: {_describe(error)}") from error

    entries = list(parsed.get("entries", []))
    if not parsed.get("version") and not entries:
        raise ParseError(_not_a_feed_reason(content, document, parsed, sent_as))
    warning = None
    # feedparser flags these, but the document reads as well as any other.
    harmless = (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), harmless):
        problem = _describe(parsed.get("bozo_exception"), document)
        cut_off = not _ends_its_root(document)
        if cut_off and entries and not _has_anything(entries[-1]):
            entries.pop()  # (cut off just inside its last item: not an "(untitled)" story)
        if cut_off and not entries:  # (nothing to keep: a failure)
            raise ParseError(f"the feed is cut off before its first story ({problem})")
        warning = f"feed is not well-formed: {problem}"
    return _parsed_feed(parsed.get("feed", {}), entries, url, warning=warning)


def _has_anything(entry: Mapping[str, Any]) -> bool:
    """Whether a parsed entry holds a title, a link or some text."""
    return any(entry.get(key) for key in ("title", "link", "summary", "content"))


def _ends_its_root(document: bytes) -> bool:
    """Whether the document ends on its root's closing tag: one that does not, and that
    the parser found broken, was cut off (a full disk, a dropped connection)."""
    return document.rstrip()[-12:].lower().endswith((b"</rss>", b"</feed>", b"</rdf:rdf>"))


def _parsed_feed(
    feed_info: Mapping[str, Any],
    entries: Sequence[Mapping[str, Any]],
    url: str,
    *,
    warning: str | None,
) -> ParsedFeed:
    """The ParsedFeed made of feed and entry values (feedparser's or fastparse's)."""
    articles = []
    seen_guids: set[str] = set()
    for entry in entries[:MAX_ARTICLES_PER_DOCUMENT]:
        try:
            article = _article(entry, url)
        except Exception:  # one broken entry never loses the others
            continue
        if article.guid in seen_guids:
            article = _with_unique_guid(article, seen_guids)
        seen_guids.add(article.guid)
        articles.append(article)

    return ParsedFeed(
        title=_text_of(feed_info.get("title")) or urlsplit(url).netloc or url,
        site_url=_absolute(url, feed_info.get("link")),
        articles=tuple(articles),
        warning=warning,
    )


def _article(entry: Mapping[str, Any], feed_url: str) -> ParsedArticle:
    link = _absolute(feed_url, entry.get("link"))
    title = _text_of(entry.get("title"))
    published = _date(entry.get("published_parsed") or entry.get("updated_parsed"))
    summary = str(entry.get("summary") or "")
    content = _fullest_content(entry)
    if summary and content and summary.strip() == content.strip():
        summary = ""
    guid = clean_line(str(entry.get("id") or "")) or link
    if not guid:
        fingerprint = f"{title}\n{published}\n{summary[:500]}\n{content[:500]}"
        guid = "sha1:" + hashlib.sha1(fingerprint.encode("utf-8", "replace")).hexdigest()
    return ParsedArticle(
        guid=guid,
        url=link,
        title=title or _untitled(summary or content),
        author=_text_of(entry.get("author")) or None,
        published=published,
        summary_html=summary,
        content_html=content,
        image_url=_image(entry, feed_url),
        enclosures=_enclosures(entry, feed_url),
        categories=categories(entry.get("tags")),
    )


def _fullest_content(entry: Mapping[str, Any]) -> str:
    best = ""
    for item in entry.get("content") or []:
        value = str(item.get("value") or "")
        if len(value) > len(best):
            best = value
    return best


def _image(entry: Mapping[str, Any], feed_url: str) -> str | None:
    candidates: list[str] = []
    for thumb in entry.get("media_thumbnail") or []:
        candidates.append(str(thumb.get("url") or ""))
    for media in entry.get("media_content") or []:
        if str(media.get("medium", "")) == "image" or str(media.get("type", "")).startswith(
            "image/"
        ):
            candidates.append(str(media.get("url") or ""))
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            candidates.append(str(link.get("href") or ""))
    for candidate in candidates:
        absolute = _absolute(feed_url, candidate)
        if absolute:
            return absolute
    return None


def _enclosures(entry: Mapping[str, Any], feed_url: str) -> tuple[str, ...]:
    """Links to attached media (RSS enclosures, Atom rel=enclosure, Media RSS content)."""
    found: list[str] = []
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure":
            found.append(str(link.get("href") or ""))
    for media in entry.get("media_content") or []:
        found.append(str(media.get("url") or ""))
    links = (_absolute(feed_url, candidate) for candidate in found)
    return tuple(dict.fromkeys(link for link in links if link))[:20]


def _with_unique_guid(article: ParsedArticle, seen: set[str]) -> ParsedArticle:
    """Two entries sharing a guid are both kept; the second gets a stable suffix."""
    fingerprint = f"{article.title}\n{article.url}\n{article.published}"
    suffix = hashlib.sha1(fingerprint.encode("utf-8", "replace")).hexdigest()[:12]
    guid = f"{article.guid}#{suffix}"
    counter = 2
    while guid in seen:
        guid = f"{article.guid}#{suffix}-{counter}"
        counter += 1
    return dataclasses.replace(article, guid=guid)


def _text_of(value: object) -> str:
    """Plain one-line text from a feed field that may hold HTML tags or entities."""
    if not value:
        return ""
    text = str(value)
    if "<" in text:
        text = _TAG.sub(" ", text)
    return clean_line(html.unescape(text))


def _untitled(body_html: str) -> str:
    words = _text_of(body_html).split()
    return " ".join(words[:12]) + (" …" if len(words) > 12 else "") if words else "(untitled)"


def _absolute(base: str, link: object) -> str | None:
    if not link:
        return None
    text = clean_line(str(link))
    if is_plain_absolute(text):
        return text
    try:
        absolute = urljoin(base, text)
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in {"http", "https"} else None


def _date(parsed: object) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _not_a_feed_reason(
    content: bytes, document: bytes, parsed: Mapping[str, Any], sent_as: str
) -> str:
    """Why a document is no feed, in the words of what it is: a web page, JSON, a
    document of the type the server named (text/markdown), plain text or binary data,
    XML too broken to read (what and where), or XML of another kind. Never the XML
    parser's own message about a document that was never XML. (Those that are no feed
    at all start "not a feed:", which a refresh's summary counts them under.)"""
    start = content.lstrip()[:512].lower()
    if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start:
        return "the server sent an HTML page, not a feed (a login page or captive portal?)"
    if start.startswith((b"{", b"[")):
        return "the server sent JSON, not an RSS or Atom feed"
    media = _named_media_type(sent_as)
    if media is not None:
        return f"not a feed: the server sent {media}"
    if not document.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        kind = "binary data" if _is_binary(content) else "plain text"
        return f"not a feed: the server sent {kind}"
    problem = parsed.get("bozo_exception")
    if problem:
        return f"not a feed: the XML is broken ({_describe(problem, document)})"
    return "not an RSS or Atom feed"


_UNNAMED_TYPES = frozenset(
    {
        "text/plain",
        "application/octet-stream",
        "binary/octet-stream",
        "application/xml",
        "text/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
    }
)
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]{0,40}/[a-z0-9][a-z0-9.+-]{0,60}")


def _named_media_type(content_type: str) -> str | None:
    """The media type a server named for a document that is not a feed ("text/markdown",
    "image/png"), when it says more than the bytes do; None for none, a feed's or XML's
    own type (wrongly given), a generic one or one that is no media type."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _UNNAMED_TYPES or media.endswith("+xml") or not _MEDIA_TYPE.fullmatch(media):
        return None
    return media


def _is_binary(content: bytes) -> bool:
    """No text: NUL bytes, or more than a tenth of its start not UTF-8 (an image, an
    archive)."""
    start = content[:4096]
    decoded = start.decode("utf-8", errors="replace")
    return b"\x00" in start or decoded.count("\ufffd") > len(decoded) / 10


def _describe(error: object, document: bytes | None = None) -> str:
    """An error found in a feed, for the user: an XML parser's as what and where
    (xmlerrors.xml_problem; `document`, as feedparser was given it, to count its lines as
    the document's own), any other as its own message."""
    added = 1 if document is not None and not _XML_DECLARATION.match(document) else 0
    if (problem := xml_problem(error, lines_added=added)) is not None:
        return problem
    text = clean_line(str(error)) if error is not None else ""
    return text[:200] or type(error).__name__


_XML_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml")
"""How feedparser finds a document's XML declaration, which it rewrites in place; before
a document without one, it puts one on a line of its own."""
