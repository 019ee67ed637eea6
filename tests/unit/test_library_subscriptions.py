"""library: subscriptions with no network: subscribing and finding feeds, checking feed
URLs, adding a feed offline, feeds listed in the config, and OPML import and export."""

from __future__ import annotations

from pathlib import Path

import pytest
from library_helpers import FEED, ingest_file, make_library

from readerterm.config import FeedConfig
from readerterm.errors import UsageError
from readerterm.feeds.opml import read_opml
from readerterm.library import Library, check_feed_url
from readerterm.library.subscriptions import CannotAdd

pytestmark = pytest.mark.usefixtures("no_network")


# --- subscriptions -------------------------------------------------------------------------


def test_subscribe_and_find(library: Library) -> None:
    feed = library.subscriptions.subscribe(
        FEED, title="  My\x1b[31m news ", tags=["world", " ", "x\x00y"]
    )
    assert feed.url == FEED
    assert feed.title == "My news"
    assert feed.tags == ("world", "xy")
    assert library.subscriptions.find_feed(str(feed.id)) == feed
    assert library.subscriptions.find_feed(f"  {FEED} ") == feed
    assert library.subscriptions.find_feed("MY NEWS") == feed
    assert library.subscriptions.feeds() == [feed]


def test_subscribing_twice_is_refused(library: Library) -> None:
    library.subscriptions.subscribe(FEED)
    with pytest.raises(UsageError, match="already subscribed"):
        library.subscriptions.subscribe(FEED)
    assert len(library.subscriptions.feeds()) == 1


def test_find_feed_unknown_or_ambiguous(library: Library) -> None:
    first = library.subscriptions.subscribe("https://a.example/feed", title="Same")
    second = library.subscriptions.subscribe("https://b.example/feed", title="same")
    for reference in ("999", "https://c.example/feed", "nothing"):
        with pytest.raises(UsageError, match="no subscribed feed matches"):
            library.subscriptions.find_feed(reference)
    # Two titles match: both are named with their ids, and neither is taken.
    with pytest.raises(UsageError, match=rf"Same \(id {first.id}\), same \(id {second.id}\)"):
        library.subscriptions.find_feed("Same")


def test_find_feed_by_a_word_of_its_title_when_one_feed_holds_it(library: Library) -> None:
    weekly = library.subscriptions.subscribe("https://a.example/feed", title="Circuit Weekly")
    library.subscriptions.subscribe("https://b.example/feed", title="Harbour Ledger")
    assert library.subscriptions.find_feed("circuit") == weekly
    with pytest.raises(UsageError, match=r"matches Circuit Weekly .*Harbour Ledger"):
        library.subscriptions.find_feed("e")
    # A number is an id: a removed feed's id never falls back to a title holding it.
    library.subscriptions.subscribe("https://c.example/feed", title="Top 7 News")
    with pytest.raises(UsageError, match="no subscribed feed matches '7'"):
        library.subscriptions.find_feed("7")
    # A whole title is taken before the titles that hold it.
    news = library.subscriptions.subscribe("https://d.example/feed", title="News")
    assert library.subscriptions.find_feed("news") == news


async def test_remove_feed(library: Library) -> None:
    feed_id = ingest_file(library, "rss20_content.xml")
    other = library.subscriptions.subscribe("https://other.example/feed")
    await library.subscriptions.remove_feed(feed_id)
    assert library.subscriptions.feeds() == [other]
    assert library.reading.article_ids() == []
    with pytest.raises(UsageError, match="no feed with id"):
        await library.subscriptions.remove_feed(feed_id)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/feed",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "example.org/feed",
        "-https://example.org/feed",
        "https://",
        "http:///path",
        "https://exa mple.org/feed",
        "https://example.org/fe\ned",
        "https://example.org/\x00",
        "https://[::1/feed",
        "https://example.org/\x9b2J",  # 8-bit CSI
        "https://example.org/\u202efeed",  # bidi override
        "",
    ],
)
def test_check_feed_url_refuses(url: str) -> None:
    with pytest.raises(UsageError):
        check_feed_url(url)


def test_check_feed_url_accepts_and_strips() -> None:
    assert check_feed_url("  https://example.org/feed?x=1  ") == "https://example.org/feed?x=1"
    assert check_feed_url("HTTP://EXAMPLE.ORG") == "HTTP://EXAMPLE.ORG"


@pytest.mark.parametrize("url", ["ftp://x", "javascript:alert(1)", "not a url"])
def test_subscribe_refuses_bad_urls_and_stores_nothing(library: Library, url: str) -> None:
    with pytest.raises(UsageError):
        library.subscriptions.subscribe(url)
    assert library.subscriptions.feeds() == []


# --- add_feed -------------------------------------------------------------------------------


async def test_add_feed_offline_without_force_stores_nothing(library: Library) -> None:
    with pytest.raises(CannotAdd, match="offline: cannot check the feed") as raised:
        await library.subscriptions.add_feed(FEED)
    assert "--force" not in str(raised.value)  # each front end offers it its own way
    assert library.subscriptions.feeds() == []


async def test_add_feed_offline_with_force_subscribes_without_fetching(library: Library) -> None:
    result = await library.subscriptions.add_feed(FEED, title="Forced", tags=["t"], force=True)
    assert result.refresh is None
    assert result.feed.title == "Forced"
    assert [f.url for f in library.subscriptions.feeds()] == [FEED]


async def test_add_feed_refuses_bad_url_before_any_fetch() -> None:
    online = make_library(offline=False)
    try:
        with pytest.raises(UsageError, match="only http"):
            await online.subscriptions.add_feed("ftp://example.org/feed", force=True)
        assert online.subscriptions.feeds() == []
    finally:
        online.close()


async def test_add_feed_already_subscribed(library: Library) -> None:
    """The feed is named by its title and URL; by its URL once while it has no title (it
    said `already subscribed: URL (URL)`)."""
    titled_url = "https://example.org/titled.xml"
    library.subscriptions.subscribe(FEED)
    library.subscriptions.subscribe(titled_url, title="My news")
    with pytest.raises(UsageError) as untitled:
        await library.subscriptions.add_feed(FEED, force=True)
    assert str(untitled.value) == f"already subscribed: {FEED}"
    with pytest.raises(UsageError) as titled:
        await library.subscriptions.add_feed(titled_url, force=True)
    assert str(titled.value) == f"already subscribed: My news ({titled_url})"


async def test_an_address_without_a_scheme_offline_is_taken_as_https(library: Library) -> None:
    with pytest.raises(CannotAdd, match=r"offline: cannot check the feed"):
        await library.subscriptions.add_feed("example.org/feed.xml")
    added = await library.subscriptions.add_feed("example.org/feed.xml", force=True)
    assert added.feed.url == "https://example.org/feed.xml"


# --- config feeds -----------------------------------------------------------------------------


async def test_config_feeds_are_added_once_and_never_re_adds_a_removed_feed(
    library: Library,
) -> None:
    listed = [
        FeedConfig(url="https://a.example/feed", title="A", tags=("x",)),
        FeedConfig(url="https://b.example/feed"),
    ]
    added = library.subscriptions.add_config_feeds(listed).added
    assert [f.url for f in added] == ["https://a.example/feed", "https://b.example/feed"]
    assert library.subscriptions.add_config_feeds(listed).added == []
    assert len(library.subscriptions.feeds()) == 2
    removed = library.subscriptions.find_feed("https://a.example/feed")
    await library.subscriptions.remove_feed(removed.id)
    assert library.subscriptions.add_config_feeds(listed).added == []
    assert [f.url for f in library.subscriptions.feeds()] == ["https://b.example/feed"]


def test_a_title_taken_out_of_the_config_gives_back_the_feeds_own(library: Library) -> None:
    """The config's title stayed for good once written: with no title given, the feed
    kept "World DUP" instead of the title its document gives."""
    url = "https://a.example/feed"
    library.subscriptions.add_config_feeds([FeedConfig(url=url, title="Mine")])
    feed = library.subscriptions.find_feed(url)
    library.refresher.ingest_document(feed.id, RSS_TITLED)
    assert library.subscriptions.find_feed(url).title == "Mine"
    library.subscriptions.add_config_feeds([FeedConfig(url=url)])
    assert library.subscriptions.find_feed(url).title == "Its Own"
    library.subscriptions.add_config_feeds([FeedConfig(url=url, title="Again")])
    assert library.subscriptions.find_feed(url).title == "Again"


def test_a_title_the_config_never_gave_stays_when_it_lists_the_feed(library: Library) -> None:
    """A feed named by OPML (or `add --title`) and then listed in the config for its tags
    alone lost its name at the next start: it had no config title to keep."""
    url = "https://a.example/feed"
    library.subscriptions.subscribe(url, title="My LWN")
    library.subscriptions.add_config_feeds([FeedConfig(url=url, tags=("linux",))])
    feed = library.subscriptions.find_feed(url)
    assert (feed.title, feed.tags) == ("My LWN", ("linux",))
    library.subscriptions.add_config_feeds([FeedConfig(url=url, title="LWN")])
    assert library.subscriptions.find_feed(url).title == "LWN"  # the config is the word
    library.subscriptions.add_config_feeds([FeedConfig(url=url)])  # ... until it says none
    assert library.subscriptions.find_feed(url).title == url  # (not fetched: its URL)


RSS_TITLED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Its Own</title>
<link>https://a.example/</link><item><title>One</title><link>https://a.example/1</link>
</item></channel></rss>"""


def test_sync_config_feed_already_subscribed_is_not_duplicated(library: Library) -> None:
    library.subscriptions.subscribe("https://a.example/feed")
    listed = [FeedConfig(url="https://a.example/feed")]
    assert library.subscriptions.add_config_feeds(listed).added == []
    assert len(library.subscriptions.feeds()) == 1


async def test_config_feeds_persist_across_sessions(tmp_path: Path) -> None:
    database = tmp_path / "rt.db"
    listed = [FeedConfig(url="https://a.example/feed")]
    first = make_library(database=database)
    first.subscriptions.add_config_feeds(listed)
    await first.subscriptions.remove_feed(first.subscriptions.feeds()[0].id)
    first.close()
    second = make_library(database=database)
    try:
        assert second.subscriptions.add_config_feeds(listed).added == []
        assert second.subscriptions.feeds() == []
    finally:
        second.close()


# --- OPML ----------------------------------------------------------------------------------------


OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
<outline text="World"><outline type="rss" text="A" xmlUrl="https://a.example/feed"
 htmlUrl="https://a.example/"/></outline>
<outline type="rss" text="B &amp; co" title="B &amp; co" xmlUrl="https://b.example/feed"/>
<outline type="rss" text="Bad" xmlUrl="file:///etc/passwd"/>
<outline type="rss" text="Script" xmlUrl="javascript:alert(1)"/>
</body></opml>"""


def test_import_then_export_round_trip(library: Library) -> None:
    report = library.subscriptions.import_opml(OPML)
    assert report.added == ("https://a.example/feed", "https://b.example/feed")
    assert report.already == ()
    assert len(report.skipped) == 2
    feeds = {f.url: f for f in library.subscriptions.feeds()}
    assert feeds["https://a.example/feed"].tags == ("World",)
    assert feeds["https://a.example/feed"].site_url == "https://a.example/"
    assert feeds["https://b.example/feed"].title == "B & co"
    # importing again adds nothing
    again = library.subscriptions.import_opml(OPML)
    assert again.added == ()
    assert len(again.already) == 2
    # export and re-import into a fresh library: the same feeds, titles and tags
    exported = library.subscriptions.export_opml()
    assert read_opml(exported.encode("utf-8"))[1] == []
    fresh = make_library()
    try:
        fresh.subscriptions.import_opml(exported.encode("utf-8"))
        assert [(f.url, f.title, f.tags, f.site_url) for f in fresh.subscriptions.feeds()] == [
            (f.url, f.title, f.tags, f.site_url) for f in library.subscriptions.feeds()
        ]
        assert 'htmlUrl="https://a.example/"' in exported
    finally:
        fresh.close()


def test_an_outline_named_by_its_address_leaves_the_name_to_the_feed(library: Library) -> None:
    # Exported while failing (no title yet), a feed was named by its URL; imported, the URL
    # was pinned as its name and a refresh never gave it the feed's own.
    url = "http://127.0.0.1:18950/small.xml"
    opml_text = f'<opml version="2.0"><body><outline text="{url}" title="{url}" xmlUrl="{url}"/>'
    library.subscriptions.import_opml((opml_text + "</body></opml>").encode())
    (feed,) = library.subscriptions.feeds()
    library.refresher.ingest_document(feed.id, rss_document("Small Feed"))
    assert library.subscriptions.feeds()[0].title == "Small Feed"


def test_imported_urls_never_carry_terminal_controls(library: Library) -> None:
    """OPML files come from strangers; a feed URL is printed by `readerterm feeds`."""
    opml_text = (
        '<opml version="2.0"><body>'
        '<outline text="C1" xmlUrl="https://c1.example/\u009b2J"/>'
        '<outline text="Bidi" xmlUrl="https://bidi.example/\u202efeed"/>'
        '<outline text="Tab" xmlUrl="https://tab.example/a\tb"/>'
        '<outline text="Ok" xmlUrl="https://ok.example/feed"/>'
        "</body></opml>"
    )
    report = library.subscriptions.import_opml(opml_text.encode("utf-8"))
    assert report.added == ("https://ok.example/feed",)
    assert len(report.skipped) == 3
    assert [f.url for f in library.subscriptions.feeds()] == ["https://ok.example/feed"]


def rss_document(title: str) -> bytes:
    return (
        f'<rss version="2.0"><channel><title>{title}</title>'
        "<item><guid>1</guid><title>One</title></item></channel></rss>"
    ).encode()
