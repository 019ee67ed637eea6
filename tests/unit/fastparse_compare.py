"""Reading one feed document both ways for the fast-path tests: through feedparser and
through fastparse, after the same preprocessing parse.py applies, and comparing the two
ParsedFeeds. Used by test_fastparse.py and test_fastparse_values.py (test_fastparse_cdata.py
imports `both` and `assert_fast_equals_feedparser` through test_fastparse)."""

from __future__ import annotations

from collections.abc import Mapping

from readerterm.errors import ParseError
from readerterm.feeds import fastparse, parse, prepare
from readerterm.models import ParsedFeed

URL = "https://example.com/blog/feed.xml"


def accepted(content: bytes, url: str = URL, headers: Mapping[str, str] | None = None) -> bool:
    """Whether the fast path reads this document (it sees what feedparser would see)."""
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers.setdefault("content-location", url)
    try:
        document = prepare.first_entries(
            prepare.valid_character_references(prepare.without_doctype(content))
        )
    except ParseError:
        return False
    return fastparse.read_simple_feed(document, headers=response_headers) is not None


def both(
    content: bytes, url: str = URL, headers: Mapping[str, str] | None = None
) -> tuple[ParsedFeed | str, ParsedFeed | str]:
    """parse_feed through feedparser, and through the fast path (errors as text)."""
    results: list[ParsedFeed | str] = []
    for fast in (False, True):
        try:
            results.append(parse._parse_feed(content, url=url, headers=headers, fast=fast))
        except ParseError as error:
            results.append(f"ParseError: {error}")
    return results[0], results[1]


def assert_fast_equals_feedparser(
    content: bytes, url: str = URL, headers: Mapping[str, str] | None = None
) -> ParsedFeed:
    assert accepted(content, url, headers), "the fast path gave up on this document"
    reference, fast = both(content, url, headers)
    assert isinstance(reference, ParsedFeed), reference
    assert fast == reference
    return reference


def rss_with(item: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    """An RSS 2.0 document whose channel holds `item` wrapped in one <item> element."""
    return (
        f'{declaration}{chr(10) if declaration else ""}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
        f'content/"><channel><title>T</title><link>https://example.com/</link>'
        f"<item>{item}</item></channel></rss>"
    ).encode()
