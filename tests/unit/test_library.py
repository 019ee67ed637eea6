"""library: ingesting feed documents (articles kept, updated, never duplicated; hostile or
broken documents), reading state, search, an offline refresh and its summary, with no
network.

Subscribing, adding feeds, config feeds and OPML are tested in
test_library_subscriptions.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from library_helpers import DATA, FEED, NOW, ingest_file

from readerterm.errors import UsageError
from readerterm.library import Library
from readerterm.models import RefreshStatus

pytestmark = pytest.mark.usefixtures("no_network")


def rss(*items: tuple[str, str, str], title: str = "News") -> bytes:
    """items: (guid, link, title)"""
    body = "".join(
        f'<item><guid isPermaLink="false">{guid}</guid><link>{link}</link><title>{name}</title>'
        f"<description>{name} in a few words.</description></item>"
        for guid, link, name in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://news.example.org/</link>{body}</channel></rss>"
    ).encode()


def guids(library: Library, feed_id: int | None = None) -> list[str]:
    return [library.reading.article(i).guid for i in library.reading.article_ids(feed_id=feed_id)]


# --- ingesting documents ------------------------------------------------------------------------


def test_ingest_twice_does_not_duplicate(library: Library) -> None:
    feed = library.subscriptions.subscribe(FEED)
    content = (DATA / "rss20_content.xml").read_bytes()
    first = library.refresher.ingest_document(feed.id, content)
    second = library.refresher.ingest_document(feed.id, content)
    assert (first.status, first.new_articles, first.updated_articles) == (
        RefreshStatus.UPDATED,
        3,
        0,
    )
    assert (second.new_articles, second.updated_articles) == (0, 0)
    assert guids(library) == ["daily-0001", "daily-0002", "daily-0003"]
    refreshed = library.subscriptions.feed(feed.id)
    assert refreshed.title == "Full Text Daily"
    assert refreshed.unread == refreshed.total == 3
    assert refreshed.last_refresh == NOW


def test_ingested_article_has_body_and_summary_and_a_brief_no_key_points(
    library: Library,
) -> None:
    ingest_file(library, "rss20_content.xml")
    article = library.reading.article(library.reading.article_ids()[0])
    assert article.title == "Rivers rise after a week of rain"
    assert article.author == "Sam Reporter"
    assert article.url == "https://daily.example.org/2024/rivers"
    assert article.published == datetime(2024, 3, 4, 8, 30, tzinfo=UTC)
    assert "two metres" in article.body
    assert "alert" not in article.body  # script content dropped
    assert article.summary == "Short teaser about the rivers."
    assert article.key_points == ()  # two sentences: a point would only repeat one
    assert article.words == len(article.body.split())


def test_changed_article_keeps_read_and_starred(library: Library) -> None:
    feed = library.subscriptions.subscribe(FEED)
    link = "https://news.example.org/1"
    library.refresher.ingest_document(
        feed.id, rss(("g1", link, "First version"), ("g2", link + "2", "B"))
    )
    first = next(
        i for i in library.reading.article_ids() if library.reading.article(i).guid == "g1"
    )
    library.reading.set_read(first, True)
    library.reading.set_starred(first, True)
    result = library.refresher.ingest_document(
        feed.id, rss(("g1", link, "Second version"), ("g2", link + "2", "B"))
    )
    assert (result.new_articles, result.updated_articles) == (0, 1)
    article = library.reading.article(first)
    assert article.title == "Second version"
    assert article.read is True and article.starred is True
    assert library.subscriptions.feed(feed.id).unread == 1


def test_feed_that_rewrites_all_its_guids(library: Library) -> None:
    feed = library.subscriptions.subscribe(FEED)
    items = [(f"old-{n}", f"https://news.example.org/{n}", f"Story {n}") for n in range(3)]
    library.refresher.ingest_document(feed.id, rss(*items))
    for article_id in library.reading.article_ids():
        library.reading.set_read(article_id, True)
    rewritten = [(f"new-{n}", link, name) for n, (_, link, name) in enumerate(items)]
    result = library.refresher.ingest_document(feed.id, rss(*rewritten))
    assert result.new_articles == 0
    assert sorted(guids(library)) == ["new-0", "new-1", "new-2"]
    assert library.subscriptions.feed(feed.id).unread == 0


def test_new_item_sharing_a_link_is_new_and_unread(library: Library) -> None:
    """A status feed whose items all link to the same page: a new outage is a new, unread
    article, and the older ones stay."""
    feed = library.subscriptions.subscribe(FEED)
    home = "https://status.example.org/"
    library.refresher.ingest_document(
        feed.id, rss(("g1", home, "Outage one"), ("g2", home, "Outage two"))
    )
    for article_id in library.reading.article_ids():
        library.reading.set_read(article_id, True)
    result = library.refresher.ingest_document(feed.id, rss(("g3", home, "Outage three")))
    assert result.new_articles == 1
    assert sorted(guids(library)) == ["g1", "g2", "g3"]
    assert library.subscriptions.feed(feed.id).unread == 1


def test_empty_feed_deletes_nothing(library: Library) -> None:
    feed_id = ingest_file(library, "rss20_content.xml")
    first = library.reading.article_ids()[0]
    library.reading.set_read(first, True)
    result = library.refresher.ingest_document(feed_id, rss())
    assert result.status is RefreshStatus.UPDATED
    assert len(library.reading.article_ids()) == 3
    assert library.reading.article(first).read is True


def test_document_that_is_not_a_feed_is_a_recorded_failure(library: Library) -> None:
    feed_id = ingest_file(library, "rss20_content.xml")
    result = library.refresher.ingest_document(feed_id, (DATA / "html_page.html").read_bytes())
    assert result.status is RefreshStatus.FAILED
    assert result.error is not None and "HTML page" in result.error
    assert library.subscriptions.feed(feed_id).error == result.error
    assert len(library.reading.article_ids()) == 3  # cached articles kept
    # the next good document clears the error
    library.refresher.ingest_document(feed_id, (DATA / "rss20_content.xml").read_bytes())
    assert library.subscriptions.feed(feed_id).error is None


@pytest.mark.parametrize("name", ["empty.xml", "empty_object.json", "html_page.html"])
def test_non_feeds_are_failures_not_exceptions(library: Library, name: str) -> None:
    feed = library.subscriptions.subscribe(FEED)
    result = library.refresher.ingest_document(feed.id, (DATA / name).read_bytes())
    assert result.status is RefreshStatus.FAILED
    assert result.error


def test_duplicate_guids_and_anonymous_items_are_kept_once_each(library: Library) -> None:
    for url, name in [
        ("https://dup.example/feed", "duplicate_guids.xml"),
        ("https://anon.example/feed", "no_guid_no_link.xml"),
    ]:
        feed_id = ingest_file(library, name, url)
        library.refresher.ingest_document(feed_id, (DATA / name).read_bytes())
        assert len(library.reading.article_ids(feed_id=feed_id)) == 3


def test_dates_are_clamped_when_stored(library: Library) -> None:
    ingest_file(library, "dates.xml")
    by_guid = {
        library.reading.article(i).guid: library.reading.article(i)
        for i in library.reading.article_ids()
    }
    assert by_guid["d-future"].published == NOW
    assert by_guid["d-9999"].published == NOW
    assert by_guid["d-1900"].published is None
    assert by_guid["d-none"].published is None
    assert by_guid["d-normal"].published == datetime(2024, 3, 4, 8, 30, tzinfo=UTC)


def test_hostile_text_is_stored_clean_and_markup_literal(library: Library) -> None:
    feed_id = ingest_file(library, "hostile_titles.xml")
    assert library.subscriptions.feed(feed_id).title == "Evil Channel [@click=app.quit]"
    articles = [library.reading.article(i) for i in library.reading.article_ids()]
    titles = {a.guid: a.title for a in articles}
    assert titles["evil-1"].startswith("[@click=app.quit]Quit[/] [bold]bold[/]")
    for article in articles:
        for text in (article.title, article.summary, article.body, article.author or "",
                     *article.key_points):  # fmt: skip
            assert "\x1b" not in text
            assert "\x07" not in text
            assert "\u202e" not in text and "\u200b" not in text
            assert not any(0x80 <= ord(ch) <= 0x9F for ch in text)


def test_entity_attacks_store_bounded_text(library: Library) -> None:
    for url, name in [
        ("https://lol.example/feed", "billion_laughs.xml"),
        ("https://big.example/feed", "large_entity.xml"),
    ]:
        size = len((DATA / name).read_bytes())
        feed_id = ingest_file(library, name, url)
        for article_id in library.reading.article_ids(feed_id=feed_id):
            article = library.reading.article(article_id)
            for text in (article.title, article.summary, article.body):
                assert len(text) < 2 * size


# --- reading state ------------------------------------------------------------------------------


def test_first_unread_and_flags(library: Library) -> None:
    ingest_file(library, "rss20_content.xml")
    ids = library.reading.article_ids()
    assert library.reading.first_unread(ids) == ids[0]
    library.reading.set_read(ids[0], True)
    assert library.reading.first_unread(ids) == ids[1]
    assert library.reading.first_unread(ids[2:]) == ids[2]
    for article_id in ids:
        library.reading.set_read(article_id, True)
    assert library.reading.first_unread(ids) is None
    assert library.reading.first_unread([]) is None
    assert library.subscriptions.total_unread() == 0
    library.reading.set_read(ids[1], False)
    assert library.reading.first_unread(ids) == ids[1]
    assert library.reading.article_ids(unread_only=True) == [ids[1]]
    library.reading.set_starred(ids[2], True)
    assert library.reading.article_ids(starred_only=True) == [ids[2]]
    library.reading.set_starred(ids[2], False)
    assert library.reading.article_ids(starred_only=True) == []


def test_search_through_the_library(library: Library) -> None:
    ingest_file(library, "rss20_content.xml")
    found = library.reading.article_ids(search="bridge")
    assert [library.reading.article(i).guid for i in found] == ["daily-0002"]
    assert library.reading.article_ids(search="%") == []
    assert library.reading.article_ids(search='"unterminated') == []


def test_unknown_article_is_a_usage_error(library: Library) -> None:
    with pytest.raises(UsageError):
        library.reading.article(12345)


def test_a_story_whose_html_cannot_be_converted_still_reads_as_plain_text(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readerterm.text import extract

    feed = library.subscriptions.subscribe(FEED)
    story = "<p>" + "The bridge reopened to traffic this morning. " * 20 + "</p>"
    document = (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>N</title>'
        '<item><guid isPermaLink="false">s1</guid><title>Bridge</title>'
        f"<content:encoded><![CDATA[{story}]]></content:encoded></item></channel></rss>"
    ).encode()
    library.refresher.ingest_document(feed.id, document)
    (article_id,) = library.reading.article_ids(feed_id=feed.id)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("hostile document")

    monkeypatch.setattr(extract, "from_feed_html", broken)
    article = library.reading.article(article_id)
    assert article.body.startswith("The bridge reopened to traffic this morning.")
    assert article.words == 140


# --- refresh ----------------------------------------------------------------------------------


async def test_offline_refresh_skips_every_feed_without_a_fetcher(library: Library) -> None:
    one = library.subscriptions.subscribe("https://a.example/feed")
    two = library.subscriptions.subscribe("https://b.example/feed")
    results = [result async for result in library.refresher.refresh()]
    assert {r.feed_id for r in results} == {one.id, two.id}
    assert all(r.status is RefreshStatus.SKIPPED for r in results)
    assert all(r.error == "offline" for r in results)
    only = [result async for result in library.refresher.refresh([two.id])]
    assert [r.feed_id for r in only] == [two.id]
    with pytest.raises(UsageError):
        _ = library.network.fetcher
    await library.aclose()


async def test_offline_refresh_with_no_feeds(library: Library) -> None:
    assert [result async for result in library.refresher.refresh()] == []


def test_failures_are_summed_up_with_their_reason_and_counted_right() -> None:
    from readerterm.library.results import counted, failure_summary
    from readerterm.models import RefreshResult, RefreshStatus

    def failed(reason: str) -> RefreshResult:
        return RefreshResult(1, "https://x/", "X", RefreshStatus.FAILED, error=reason)

    ok = RefreshResult(2, "https://y/", "Y", RefreshStatus.UPDATED, new_articles=3)
    same = [failed(f"host not found: host{n}.example") for n in range(11)]
    assert failure_summary([ok, *same]) == "11 feeds failed: host not found"
    assert failure_summary([failed("HTTP 404: /feed")]) == "1 feed failed: HTTP 404"
    mixed = [*same[:2], failed("HTTP 404: /feed")]
    assert failure_summary(mixed) == "3 feeds failed: 2 host not found, 1 HTTP 404"
    assert failure_summary([ok]) is None
    assert (counted(1, "feed"), counted(0, "feed"), counted(2, "new article")) == (
        "1 feed",
        "0 feeds",
        "2 new articles",
    )
