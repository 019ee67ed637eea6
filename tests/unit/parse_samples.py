"""Sample feed documents for the parse.py tests (test_parse.py, test_parse_formats.py):
the files under data/ read through parse_feed, and small RSS documents built around the
items given."""

from __future__ import annotations

from pathlib import Path

from readerterm.feeds.parse import parse_feed
from readerterm.models import ParsedFeed

DATA = Path(__file__).parent / "data"
FEED_URL = "https://feeds.example.org/feed.xml"
RSS_HEADERS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def parse(name: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    return parse_feed((DATA / name).read_bytes(), url=FEED_URL, headers=headers)


def rss(items: str, *, channel: str = "<title>T</title><link>https://e.org/</link>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}'
        f"{items}</channel></rss>"
    ).encode()
