"""`readerterm extract`: turn URLs, HTML files, text files or stdin into body + key points.

A source is read (or fetched), then handed to the pure extractors off the event loop.
Each source gives an `Extracted` or an error message; one bad source never stops the rest.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ParseError, ReaderTermError
from ..feeds.jsonfeed import looks_like_json_feed
from ..feeds.parse import parse_feed
from ..models import Extracted
from ..text import extract
from .localfile import MAX_FILE_BYTES, UnreadableFile, read_local_file

if TYPE_CHECKING:
    from ..net.fetch import Fetcher

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
NO_TEXT = "no article text found"


@dataclass(frozen=True, slots=True)
class SourceResult:
    source: str
    url: str | None
    extracted: Extracted | None
    error: str | None = None


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


Cached = Callable[[str], "tuple[str | None, Extracted] | None"]
"""The stored story with a link, as (its link, its text), for URLs read offline."""


async def extract_sources(
    sources: Sequence[str],
    *,
    fetcher: Fetcher | None,
    cached: Cached | None = None,
    concurrency: int = 8,
) -> AsyncIterator[SourceResult]:
    """Results in the order of `sources`; URLs are fetched concurrently. Without a fetcher
    (offline), a URL is answered from the stories stored (`cached`), when one has it."""
    limit = asyncio.Semaphore(concurrency)

    async def one(source: str) -> SourceResult:
        async with limit:
            try:
                return await _extract_one(source, fetcher, cached)
            except UnreadableFile as error:  # (its line names the source already)
                return SourceResult(source, None, None, error.reason)
            except ReaderTermError as error:
                return SourceResult(source, None, None, str(error))
            except OSError as error:
                return SourceResult(source, None, None, error.strerror or str(error))

    tasks = [asyncio.create_task(one(source)) for source in sources]
    try:
        for task in tasks:
            yield await task
    finally:
        for task in tasks:
            task.cancel()


async def _extract_one(source: str, fetcher: Fetcher | None, cached: Cached | None) -> SourceResult:
    if is_url(source):
        if fetcher is None:
            stored = cached(source) if cached is not None else None
            if stored is not None:
                return SourceResult(source, stored[0] or source, stored[1])
            return SourceResult(
                source, source, None, "offline, and no stored story links to this URL"
            )
        from ..net.fetch import PAGE_ACCEPT, NotModified  # httpx is imported only when needed

        response = await fetcher.fetch(source, accept=PAGE_ACCEPT)
        assert not isinstance(response, NotModified)
        if is_feed(response.content):
            return SourceResult(source, response.url, None, _a_feed(source))
        html = response.text()
        extracted = await asyncio.to_thread(extract.from_page_html, html, url=response.url)
        if _is_empty(extracted):
            return SourceResult(source, response.url, None, NO_TEXT + " (built by JavaScript?)")
        return SourceResult(source, response.url, extracted)
    # (a failure's line names the source: "readerterm: SOURCE: it is ...")
    if source == "-":
        text = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        name = "stdin"
    else:
        text = read_local_file(source, limit=MAX_FILE_BYTES)  # or UnreadableFile
        name = Path(source).name
    if len(text) > MAX_FILE_BYTES:
        return SourceResult(source, None, None, "it is larger than 10 MiB")
    decoded = text.decode("utf-8", errors="replace")
    if _is_binary(text, decoded):
        return SourceResult(source, None, None, "it is not text or HTML (binary data)")
    if is_feed(text):
        return SourceResult(source, None, None, _a_feed(source))
    if Path(name).suffix.lower() in _HTML_SUFFIXES or _looks_like_html(decoded):
        extracted = await asyncio.to_thread(extract.from_page_html, decoded, url=None)
    else:
        extracted = await asyncio.to_thread(extract.from_plain_text, decoded, find_title=True)
    if _is_empty(extracted):
        return SourceResult(source, None, None, NO_TEXT)
    return SourceResult(source, None, extracted)


def _is_empty(extracted: Extracted) -> bool:
    """Nothing to show: no body, no key points, no title (a list page has points only)."""
    return not (extracted.body.strip() or extracted.key_points or extracted.title)


def _is_binary(raw: bytes, decoded: str) -> bool:
    """A file that is no text (an image, an archive): NUL bytes, or more than a tenth of
    its start not UTF-8. Its "body" would be a screen of replacement characters."""
    start = decoded[:4096]
    return b"\x00" in raw[:4096] or start.count("\ufffd") > len(start) / 10


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


_FEED_ROOT = re.compile(
    rb"""(?:\xef\xbb\xbf)?\s*(?:(?:<\?[^>]*>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*
        <(?:rss|feed|rdf:RDF)[\s>]""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)


def is_feed(document: bytes) -> bool:
    """A JSON Feed, or a document whose root is <rss>, <feed> or <rdf:RDF> and that the feed
    parser reads as a feed: stories, or no complaint ("<rss> is the root of..." in a text
    file is no feed)."""
    if looks_like_json_feed(document):
        return True
    if _FEED_ROOT.match(document[:4096]) is None:
        return False
    try:
        parsed = parse_feed(document, url="https://feed.invalid/")
    except ParseError:
        return False
    return bool(parsed.articles) or parsed.warning is None


def _a_feed(source: str) -> str:
    """What extract says of a feed: a URL can be added, a file only read as a page."""
    if is_url(source):
        return f"a feed, not one story: `readerterm add {source}` subscribes to it"
    return "a feed, not one story (extract reads article pages, HTML files and text)"
