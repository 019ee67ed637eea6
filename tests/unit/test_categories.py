"""The publisher's categories: read by both feed parsers alike (RSS and Atom category,
dc:subject, media and iTunes keywords) and from JSON Feed tags, stored with the story,
found with `tag:`, and listed by `articles --json` with the reader's own tags."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

import readerterm.net.fetch
from readerterm.__main__ import main
from readerterm.feeds import fastparse, parse
from readerterm.library import Library
from readerterm.models import ParsedFeed
from readerterm.paths import default_paths

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
URL = "https://news.example.org/feed.xml"
NAMESPACES = (
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"'
    ' xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
)


def rss(*items: str) -> bytes:
    body = "".join(
        f"<item><guid>g{n}</guid><title>Story {n}</title>{item}</item>"
        for n, item in enumerate(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" {NAMESPACES}><channel>'
        f"<title>News</title><link>https://news.example.org/</link>{body}</channel></rss>"
    ).encode()


def both_parsers(document: bytes) -> ParsedFeed:
    """The document read through feedparser and through the fast path: both the same."""
    headers = {"content-location": URL}
    assert fastparse.read_simple_feed(document, headers=headers) is not None, "fast path gave up"
    reference = parse._parse_feed(document, url=URL, headers=None, fast=False)
    fast = parse._parse_feed(document, url=URL, headers=None, fast=True)
    assert fast == reference
    return fast


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("<category>World</category><category>Europe</category>", ("World", "Europe")),
        ('<category domain="https://news.example.org/t">Climate</category>', ("Climate",)),
        ("<category>World</category><category>world</category>", ("World",)),
        ('<category domain="d"/><category>Later text</category>', ("Later text",)),
        ("<category>  Spaced  out </category>", ("Spaced out",)),
        ("<category></category>", ()),
        ("<dc:subject>Politics</dc:subject><category>Politics</category>", ("Politics",)),
        ('<media:category scheme="urn:x">Science/Space</media:category>', ("Science/Space",)),
        (
            "<media:group><media:category>Grouped</media:category>"
            "<media:keywords>a, b ,, c</media:keywords></media:group>",
            ("Grouped", "a", "b", "c"),
        ),
        ("<media:keywords>rust, python</media:keywords>", ("rust", "python")),
        ("<itunes:keywords>tech,news</itunes:keywords>", ("tech", "news")),
    ],
)
def test_rss_categories_are_read_alike_by_both_parsers(item: str, expected: tuple[str]) -> None:
    (article,) = both_parsers(rss(item)).articles
    assert article.categories == expected


def test_atom_categories_terms_and_text() -> None:
    document = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>News</title><id>urn:feed</id><updated>2024-06-01T10:00:00Z</updated>"
        b"<entry><id>urn:1</id><title>One</title><updated>2024-06-01T10:00:00Z</updated>"
        b'<category term="Science" scheme="https://news.example.org/s" label="The sciences"/>'
        b'<category term="Space"/><category scheme="https://x.example"/>'
        b'<category term="Science"/></entry></feed>'
    )
    (article,) = both_parsers(document).articles
    assert article.categories == ("Science", "Space")


def test_keywords_with_attributes_are_left_to_feedparser() -> None:
    document = rss('<media:keywords lang="en">a, b</media:keywords>')
    assert fastparse.read_simple_feed(document, headers={"content-location": URL}) is None


def test_many_long_or_hostile_categories_are_bounded_and_clean() -> None:
    items = "".join(f"<category>c{n}</category>" for n in range(40))
    items += "<category>" + "x" * 500 + "</category><category>bad\x1b[31m</category>"
    (article,) = parse.parse_feed(rss(items), url=URL).articles
    assert len(article.categories) == 20
    assert all(len(c) <= 100 and "\x1b" not in c for c in article.categories)


def test_json_feed_tags() -> None:
    document = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "J",
            "items": [
                {
                    "id": "1",
                    "title": "One",
                    "content_text": "x",
                    "tags": ["Rust", 3, "rust", "CLI"],
                },
                {"id": "2", "title": "Two", "content_text": "y", "tags": "not a list"},
            ],
        }
    ).encode()
    one, two = parse.parse_feed(document, url=URL).articles
    assert one.categories == ("Rust", "CLI")
    assert two.categories == ()


# --- stored and searched --------------------------------------------------------------------


@pytest.fixture
def library(open_library: Callable[[datetime], Library]) -> Library:
    return open_library(NOW)


def test_categories_are_stored_and_found_with_tag(library: Library) -> None:
    feed = library.subscriptions.subscribe(URL)
    library.refresher.ingest_document(
        feed.id,
        rss(
            "<category>Science</category><category>Space</category>",
            "<category>Politics</category>",
            "",
        ),
    )
    by_title = {library.reading.article(i).title: i for i in library.reading.article_ids()}
    assert library.reading.article(by_title["Story 0"]).categories == ("Science", "Space")
    assert library.reading.article(by_title["Story 2"]).categories == ()
    assert library.reading.article_ids(search="tag:science") == [by_title["Story 0"]]
    assert library.reading.article_ids(search="tag:Politics") == [by_title["Story 1"]]
    assert library.reading.article_ids(search="tag:Spa") == []  # a whole category, not a part
    assert library.reading.article_ids(search="tag:sci") == []


def test_a_story_stored_before_its_categories_gets_them_at_the_next_refresh(
    library: Library,
) -> None:
    feed = library.subscriptions.subscribe(URL)
    library.refresher.ingest_document(feed.id, rss(""))
    (article_id,) = library.reading.article_ids()
    library.reading.set_read(article_id, True)
    library.refresher.ingest_document(feed.id, rss("<category>Science</category>"))
    article = library.reading.article(article_id)
    assert article.categories == ("Science",)
    assert article.read  # the same story, its state kept
    assert library.reading.article_ids(search="tag:science") == [article_id]
    library.refresher.ingest_document(feed.id, rss("<category>Space</category>"))
    assert library.reading.article_ids(search="tag:science") == []
    assert library.reading.article_ids(search="tag:SPACE") == [article_id]


def test_a_story_deleted_leaves_no_category_behind(library: Library) -> None:
    feed = library.subscriptions.subscribe(URL)
    library.refresher.ingest_document(feed.id, rss("<category>Science</category>"))
    library.store.subscriptions.remove_feed(feed.id)
    rows = library.store.db.execute("SELECT count(*) FROM article_categories").fetchone()
    assert rows[0] == 0


def test_articles_json_has_tags_and_later(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for kind in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"READERTERM_{kind}_DIR", f"{tmp_path}/{kind.lower()}")
    monkeypatch.delenv("READERTERM_OFFLINE", raising=False)
    monkeypatch.setattr(readerterm.net.fetch, "Fetcher", None)
    library = Library.open(default_paths(), offline=True)
    try:
        feed = library.subscriptions.subscribe(URL)
        library.refresher.ingest_document(
            feed.id, rss("<category>Science</category><category>Space</category>", "")
        )
        first, second = library.reading.article_ids()  # document order
        library.reading.set_article_tags(first, ["mine", "science"])
        library.reading.set_flag([second], "later", True)
    finally:
        library.close()
    assert main(["articles", "--json"]) == 0
    listed = {item["id"]: item for item in json.loads(capsys.readouterr().out)}
    assert listed[first]["tags"] == ["Science", "Space", "mine"]
    assert listed[second]["tags"] == []
    assert listed[first]["later"] is False and listed[second]["later"] is True
    assert main(["articles", "--json", "--search", "tag:space"]) == 0
    assert [item["id"] for item in json.loads(capsys.readouterr().out)] == [first]
