"""JSON Feed 1.0 and 1.1 (issue 7): the adapter to ParsedFeed, through parse_feed and through
Library.refresher.ingest_document into a real (in-memory) store."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from readerterm.errors import ParseError
from readerterm.feeds.jsonfeed import MAX_ITEMS, parse_json_feed
from readerterm.feeds.parse import parse_feed
from readerterm.library import Library
from readerterm.models import ParsedFeed, RefreshStatus

DATA = Path(__file__).parent / "data" / "jsonfeed"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
V1_URL = "https://harbour.test/feed.json"
V11_URL = "https://orchard.test/feeds/main.json"
V11 = "https://jsonfeed.org/version/1.1"


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


def feed_bytes(items: object, **fields: object) -> bytes:
    document: dict[str, object] = {"version": V11, "title": "Made up", **fields, "items": items}
    return json.dumps(document).encode()


def parse(items: object, url: str = V11_URL, **fields: object) -> ParsedFeed:
    return parse_feed(feed_bytes(items, **fields), url=url)


# -- the two versions -------------------------------------------------------------------


def test_version_1_feed_author_object_and_content_text() -> None:
    feed = parse_feed(fixture("v1.json"), url=V1_URL)

    assert feed.title == "Harbour Notes"
    assert feed.site_url == "https://harbour.test/"
    first, second = feed.articles
    assert first.guid == "harbour-1"
    assert first.url == "https://harbour.test/2024/05/tides"
    assert first.title == "Spring tides reach the old quay"
    assert first.author == "Mara Quill"
    assert first.published == datetime(2024, 5, 2, 8, 30, tzinfo=UTC)
    # content_text becomes escaped paragraphs, one per blank-line-separated block
    assert first.content_html == (
        "<p>The water rose to the second step.</p><p>Fishermen moved their boats inland.</p>"
    )
    # an item without its own author takes the feed's
    assert second.author == "The Harbour Desk"
    assert "&amp;" in second.content_html and "&lt;b&gt;only&lt;/b&gt;" in second.content_html
    assert "<b>" not in second.content_html
    assert second.published == datetime(2024, 5, 3, 7, 0, tzinfo=UTC)


def test_version_1_1_authors_html_summary_images_and_external_url() -> None:
    feed = parse_feed(fixture("v11.json"), url=V11_URL)

    assert feed.title == "Orchard Weekly"
    assert feed.site_url == "https://orchard.test/"
    pruning, link_post = feed.articles
    assert pruning.url == "https://orchard.test/feeds/posts/pruning"  # relative to the feed
    assert pruning.author == "Ines Root, Tomas Bark"  # nameless authors are skipped
    assert pruning.content_html == "<p>Cut <em>above</em> an outward bud.</p>"
    assert pruning.summary_html == "A short guide to pruning."
    assert pruning.image_url == "https://orchard.test/img/pruning.jpg"  # image beats banner
    assert pruning.published == datetime(2024, 2, 10, 7, 0, tzinfo=timezone(timedelta(hours=-5)))

    assert link_post.url == "https://elsewhere.test/cider"  # external_url when no url
    assert link_post.author == "Orchard Staff"  # 1.1 feed-level authors
    assert link_post.image_url == "https://orchard.test/img/cider-banner.jpg"
    assert link_post.published == datetime(2024, 2, 12, 12, 0, tzinfo=UTC)  # date_modified


def test_json_feed_is_detected_by_content_whatever_the_url() -> None:
    feed = parse_feed(fixture("v1.json"), url="https://harbour.test/feed", headers={})
    assert [a.guid for a in feed.articles] == ["harbour-1", "harbour-2"]


def test_byte_order_mark_and_leading_whitespace_are_accepted() -> None:
    feed = parse_feed(b"\xef\xbb\xbf \n" + fixture("v1.json"), url=V1_URL)
    assert len(feed.articles) == 2


# -- ids ----------------------------------------------------------------------------------


def test_item_without_id_uses_its_url() -> None:
    feed = parse([{"url": "/a", "title": "A"}])
    assert feed.articles[0].guid == "https://orchard.test/a"


def test_item_without_id_or_url_gets_a_stable_hash() -> None:
    items = [
        {"title": "First", "content_text": "one"},
        {"title": "Second", "content_text": "two"},
    ]
    once = parse(items)
    again = parse(items)
    guids = [a.guid for a in once.articles]
    assert guids == [a.guid for a in again.articles]
    assert all(g.startswith("sha1:") for g in guids)
    assert len(set(guids)) == 2


def test_numeric_id_is_used_as_text() -> None:
    feed = parse([{"id": 42, "url": "/x", "title": "Numbered"}])
    assert feed.articles[0].guid == "42"


def test_duplicate_ids_leave_unique_guids() -> None:
    items = [
        {"id": "same", "url": "/one", "title": "One"},
        {"id": "same", "url": "/two", "title": "Two"},
        {"id": "other", "url": "/three", "title": "Three"},
    ]
    feed = parse(items)
    guids = [a.guid for a in feed.articles]
    assert len(guids) == len(set(guids))
    assert feed.articles[0].title == "One"  # the first of the duplicates is kept
    assert "Three" in {a.title for a in feed.articles}


# -- hostile and malformed documents -----------------------------------------------------


def test_items_that_are_not_objects_are_skipped() -> None:
    feed = parse([None, 3, "text", ["list"], {"id": "ok", "title": "Kept"}, True])
    assert [a.title for a in feed.articles] == ["Kept"]


def test_wrong_types_everywhere_are_ignored_not_fatal() -> None:
    item: dict[str, Any] = {
        "id": "typed-badly",
        "url": 17,
        "external_url": ["https://x.test/"],
        "title": 3.5,
        "content_html": {"html": "<p>x</p>"},
        "content_text": 99,
        "summary": False,
        "image": 1,
        "banner_image": {"src": "/b.jpg"},
        "date_published": 1714636800,
        "date_modified": None,
        "authors": "Someone",
        "author": ["Someone"],
    }
    feed = parse([item], title=12, home_page_url=5, authors=[{"name": 7}, "x"])

    assert feed.title == "orchard.test"  # no usable title: the host
    assert feed.site_url is None
    (article,) = feed.articles
    assert article.guid == "typed-badly"
    assert article.url is None
    assert article.title == "(untitled)"
    assert article.content_html == ""
    assert article.summary_html == ""
    assert article.image_url is None
    assert article.published is None
    assert article.author is None


def test_unsafe_links_are_dropped() -> None:
    feed = parse(
        [{"id": "1", "url": "javascript:alert(1)", "image": "data:image/png;base64,AA"}],
        home_page_url="file:///etc/passwd",
    )
    assert feed.site_url is None
    assert feed.articles[0].url is None
    assert feed.articles[0].image_url is None


def test_bad_dates_are_unknown() -> None:
    feed = parse(
        [
            {"id": "1", "date_published": "yesterday"},
            {"id": "2", "date_published": "2024-13-45T00:00:00Z"},
            {"id": "3", "date_published": "2024-03-01T10:00:00"},  # no zone: UTC
        ]
    )
    dates = [a.published for a in feed.articles]
    assert dates == [None, None, datetime(2024, 3, 1, 10, 0, tzinfo=UTC)]


def test_control_characters_are_removed_from_titles_and_authors() -> None:
    feed = parse(
        [
            {
                "id": "ctl\x1b[31m",
                "title": "Red \x1b[31malert\x1b[0m\x07 \u202eflipped\n title",
                "authors": [{"name": "Eve\x00 \x1b]0;pwned\x07Mallory"}],
            }
        ]
    )
    article = feed.articles[0]
    assert article.title == "Red alert flipped title"
    assert article.author == "Eve Mallory"
    assert "\x1b" not in article.guid


@pytest.mark.parametrize(
    "content",
    [
        b'{"version": "https://jsonfeed.org/version/1", "items": [',
        b'{"version": "https://jsonfeed.org/version/1", "items": [{"id": 1,}]}',
        b'{"version": "https://jsonfeed.org/version/1"' + b"\xff\xfe" + b"}",
    ],
    ids=["truncated", "trailing-comma", "not-utf8"],
)
def test_invalid_json_is_a_parse_error(content: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(content, url=V11_URL)


def test_deeply_nested_json_is_a_parse_error_not_a_crash() -> None:
    content = b'{"version": "https://jsonfeed.org/version/1", "items": ' + b"[" * 100_000
    content += b"]" * 100_000 + b"}"
    with pytest.raises(ParseError):
        parse_feed(content, url=V11_URL)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
            "the JSON ends too early (at line 1, column 59)",
        ),
        (
            b'{"version": "https://jsonfeed.org/version/1.1",\n "items": [} ',
            "broken JSON at line 2, column 12",
        ),
        (b'{"version": "https://jsonfeed.org/version/1.1", "t": "\xff"}', "it is not UTF-8 text"),
    ],
)
def test_broken_json_is_said_in_words(content: bytes, reason: str) -> None:
    # The json module's own words were shown: "Expecting value: line 1 column 59 (char 58)".
    with pytest.raises(ParseError) as raised:
        parse_feed(content, url=V11_URL)
    assert str(raised.value) == f"not a valid JSON Feed: {reason}"


@pytest.mark.parametrize(
    "content",
    [b"{}", b"[]", b'[{"version": "https://jsonfeed.org/version/1"}]', b'{"items": []}'],
    ids=["empty-object", "list", "list-of-feed", "no-version"],
)
def test_json_that_is_not_a_feed_is_a_parse_error(content: bytes) -> None:
    with pytest.raises(ParseError, match="JSON"):
        parse_feed(content, url=V11_URL)


@pytest.mark.parametrize(
    "document",
    [
        {"version": "https://jsonfeed.org/version/1"},
        {"version": "https://jsonfeed.org/version/1", "items": {"id": "1"}},
        {"version": "https://jsonfeed.org/version/1", "items": "none"},
        {"version": 1, "items": [], "home_page_url": "https://jsonfeed.org/version/1"},
    ],
    ids=["no-items", "items-object", "items-string", "numeric-version"],
)
def test_feed_shaped_json_without_an_items_list_is_a_parse_error(document: object) -> None:
    with pytest.raises(ParseError):
        parse_feed(json.dumps(document).encode(), url=V11_URL)


def test_an_empty_items_list_is_an_empty_feed() -> None:
    assert parse([]).articles == ()


def test_a_huge_number_of_items_is_capped() -> None:
    items = [{"id": f"item-{n}", "title": f"Item {n}"} for n in range(MAX_ITEMS + 500)]
    feed = parse(items)
    assert len(feed.articles) == MAX_ITEMS
    assert feed.articles[0].guid == "item-0"  # the first (newest) ones are kept


def test_version_key_after_a_large_items_list_is_still_a_json_feed() -> None:
    items = [{"id": f"n{n}", "title": "x" * 100, "content_text": "y" * 400} for n in range(200)]
    document = {"items": items, "title": "Sorted keys", "version": V11}
    content = json.dumps(document, sort_keys=True).encode()
    assert len(content) > 65536
    feed = parse_feed(content, url=V11_URL)
    assert len(feed.articles) == 200


def test_parse_json_feed_directly_rejects_a_non_feed_object() -> None:
    with pytest.raises(ParseError, match="not a JSON Feed"):
        parse_json_feed(b'{"hello": "world"}', url=V11_URL)


# -- into the store ------------------------------------------------------------------------


@pytest.fixture
def library(open_library: Callable[[datetime], Library]) -> Library:
    return open_library(NOW)


def stored(library: Library, feed_id: int) -> dict[str, Any]:
    return {
        article.guid: article
        for article in (
            library.reading.article(i) for i in library.reading.article_ids(feed_id=feed_id)
        )
    }


def test_ingest_stores_both_versions(library: Library) -> None:
    harbour = library.subscriptions.subscribe(V1_URL).id
    orchard = library.subscriptions.subscribe(V11_URL).id

    first = library.refresher.ingest_document(harbour, fixture("v1.json"))
    second = library.refresher.ingest_document(orchard, fixture("v11.json"))

    assert (first.status, first.new_articles) == (RefreshStatus.UPDATED, 2)
    assert (second.status, second.new_articles) == (RefreshStatus.UPDATED, 2)
    assert library.subscriptions.feed(harbour).title == "Harbour Notes"
    tides = stored(library, harbour)["harbour-1"]
    assert tides.author == "Mara Quill"
    assert "second step" in tides.body and "Fishermen" in tides.body
    pruning = stored(library, orchard)["https://orchard.test/posts/pruning"]
    assert pruning.url == "https://orchard.test/feeds/posts/pruning"
    assert pruning.author == "Ines Root, Tomas Bark"
    assert pruning.image_url == "https://orchard.test/img/pruning.jpg"
    assert "outward bud" in pruning.body


def test_ingesting_again_adds_nothing(library: Library) -> None:
    feed_id = library.subscriptions.subscribe(V11_URL).id
    items = [{"title": "No id or url", "content_text": "Same text."}, {"url": "/only-url"}]
    library.refresher.ingest_document(feed_id, feed_bytes(items))

    again = library.refresher.ingest_document(feed_id, feed_bytes(items))

    assert (again.new_articles, again.updated_articles) == (0, 0)
    assert len(library.reading.article_ids(feed_id=feed_id)) == 2


def test_ingest_cleans_titles_and_authors(library: Library) -> None:
    feed_id = library.subscriptions.subscribe(V11_URL).id
    items = [
        {
            "id": "1",
            "title": "\x1b[2J\x1b[HCleared\tscreen\x9b31m",
            "author": {"name": "Ann\u200b\x1b[1mie"},
            "content_html": "<p>Body.</p>",
        }
    ]
    library.refresher.ingest_document(
        feed_id, feed_bytes(items, version="https://jsonfeed.org/version/1")
    )

    article = stored(library, feed_id)["1"]
    assert article.title == "Cleared screen"
    assert article.author == "Annie"


def test_ingest_of_a_broken_json_feed_fails_the_feed_only(library: Library) -> None:
    feed_id = library.subscriptions.subscribe(V11_URL).id
    library.refresher.ingest_document(feed_id, fixture("v11.json"))

    result = library.refresher.ingest_document(
        feed_id, b'{"version": "https://jsonfeed.org/version/1",'
    )

    assert result.status is RefreshStatus.FAILED
    assert result.error and "JSON" in result.error
    assert len(library.reading.article_ids(feed_id=feed_id)) == 2  # what was stored stays
    assert library.subscriptions.feed(feed_id).error == result.error


def test_attachments_become_enclosures() -> None:
    feed = parse(
        [
            {
                "id": "episode-1",
                "title": "Episode one",
                "attachments": [
                    {"url": "/audio/ep1.mp3", "mime_type": "audio/mpeg"},
                    {"url": "javascript:void(0)", "mime_type": "audio/mpeg"},
                    {"mime_type": "audio/mpeg"},
                ],
            }
        ]
    )
    assert feed.articles[0].enclosures == ("https://orchard.test/audio/ep1.mp3",)


def test_a_feed_with_escaped_slashes_is_a_json_feed() -> None:
    # PHP's json_encode writes "https:\/\/jsonfeed.org\/version\/1.1": the sniffer looked for
    # "jsonfeed.org/version" and handed the document to the XML parser ("not a feed").
    document = feed_bytes([{"id": "1", "content_text": "Hello."}]).replace(b"/", b"\\/")
    assert b"jsonfeed.org\\/version" in document
    assert len(parse_feed(document, url=V11_URL).articles) == 1
