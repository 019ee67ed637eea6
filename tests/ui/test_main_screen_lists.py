"""Pilot tests of the main screen's lists, against a real Library over a temp SQLite file
(or a fake one of 100,000 articles): the panes filled from the cache, refreshes streaming
new articles in and marking failed feeds, refresh refused offline, only visible rows paged
in, the position bar, and what an empty list says. Reading is in test_main_screen.py."""

from __future__ import annotations

from pathlib import Path

from screen_text import row_text, status_message, text_of
from seeding import UNREACHABLE
from ui_app import ScriptedLibrary, make_app

from readerterm.library import FEEDS_IN_FLIGHT_WHILE_READING, Library
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.article_list import HIDDEN_MARKER, ArticleList
from readerterm.ui.widgets.feed_list import FeedList
from readerterm.ui.widgets.reader import ReaderPane


def screen_of(app: object) -> MainScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, MainScreen)
    return screen


async def test_panes_fill_from_the_cache(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        feeds = app.screen.query_one(FeedList)
        articles = app.screen.query_one(ArticleList)
        titles = [row_text(feeds, i).strip() for i in range(feeds.row_count)]
        assert [t.rsplit(" ", 1)[0].strip() for t in titles[:5]] == [
            "All articles",
            "Unread",
            "Starred",
            "Later",
            "Today",
        ]
        assert row_text(feeds, 0).split()[-1] == str(library.subscriptions.total_unread())
        # Tags group their feeds (Science is in two groups), untagged feeds come last.
        assert [t.split()[0] for t in titles[5:]] == [
            "#",
            "World",
            "#",
            "Science",
            "#",
            "Science",
            "Tech",
            "[bold]x[/]…",  # (a name cut between words)
            "Unreachable",
        ]
        assert titles[5].startswith("# news") and titles[7].startswith("# science")
        assert list(articles.ids) == library.reading.article_ids()
        first = library.reading.article_rows([articles.ids[0]])[0]
        assert first.title[:30] in row_text(articles, 0)
        assert row_text(articles, 0).rstrip().endswith("30m")  # 0.5 h before the fixed clock
        assert app.screen.query_one(ReaderPane).article is None
        assert not screen_of(app).refreshing


async def test_failed_refresh_marks_the_feed(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        feeds = app.screen.query_one(FeedList)
        unreachable = next(f for f in library.subscriptions.feeds() if f.url == UNREACHABLE)
        index = next(i for i, e in enumerate(feeds.entries) if e.feed_id == unreachable.id)
        feeds.focus()
        feeds.move_cursor(index)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        feed = next(f for f in library.subscriptions.feeds() if f.url == UNREACHABLE)
        assert feed.error
        assert row_text(feeds, index).startswith("! ")
        status = text_of(app.screen.query_one("#status-message"))
        assert "Unreachable" in status and feed.error in status
        messages = [n.message for n in app._notifications]
        assert any(feed.error in message for message in messages)


async def test_refresh_streams_new_articles_and_keeps_the_cursor(
    scripted_library: ScriptedLibrary,
) -> None:
    lib = scripted_library
    app = make_app(lib)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("j", "j")
        articles = app.screen.query_one(ArticleList)
        kept = articles.highlighted_id
        count = articles.row_count
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert articles.row_count == count + 2
        assert articles.highlighted_id == kept
        failed = [f for f in lib.subscriptions.feeds() if f.error]
        assert len(failed) == len(lib.subscriptions.feeds()) - 1
        pane = app.screen.query_one(FeedList)
        failed_ids = {f.id for f in failed}
        marked = [row_text(pane, i).startswith("! ") for i in range(pane.row_count)]
        assert marked == [e.feed_id in failed_ids for e in pane.entries]
        assert any(marked)
        messages = " ".join(n.message for n in app._notifications)
        assert "2 new articles" in messages
        assert "connection refused" in messages
        assert not screen_of(app).refreshing
    # Fewer feeds at once than a command: answers coming together stall the reader less.
    assert lib.at_once == [FEEDS_IN_FLIGHT_WHILE_READING] and FEEDS_IN_FLIGHT_WHILE_READING < 64


async def test_offline_refuses_to_refresh(db_path: Path, library: Library) -> None:
    library.close()
    offline = Library.open_at(db_path, offline=True)
    app = make_app(offline)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("R")
            await pilot.pause()
            assert not screen_of(app).refreshing
            assert status_message(app) == "Offline: not refreshing."
    finally:
        offline.close()


async def test_hundred_thousand_articles_page_in_only_what_is_visible() -> None:
    from fake_library import BigFakeLibrary
    from seeding import NOW

    from readerterm.config import Config
    from readerterm.ui.app import ReaderTermApp

    fake = BigFakeLibrary(100_000)
    app = ReaderTermApp(fake, Config(), refresh_on_start=False, now=lambda: NOW)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.screen.query_one(ArticleList)
        assert articles.row_count == 100_000
        await pilot.press("end")
        await pilot.pause()
        assert articles.cursor == 99_999
        assert "Story number 100000" in row_text(articles, 99_999)
        await pilot.press("k", "k", "pageup")
        await pilot.pause()
        assert max(fake.row_requests) <= ArticleList.PAGE_SIZE
        assert sum(fake.row_requests) <= 4 * ArticleList.PAGE_SIZE


async def test_refresh_on_start_streams_into_the_filled_panes(
    scripted_library: ScriptedLibrary,
) -> None:
    from seeding import NOW

    from readerterm.config import Config
    from readerterm.ui.app import ReaderTermApp
    from readerterm.ui.messages import FeedRefreshed, RefreshFinished, RefreshStarted

    seen: list[object] = []
    app = ReaderTermApp(scripted_library, Config(), refresh_on_start=True, now=lambda: NOW)
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        # The refresh starts once the first screen is drawn, which on a loaded machine
        # can come after the workers first look idle: wait for its end, not for them.
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if any(isinstance(m, RefreshFinished) for m in seen):
                break
        unique = list({id(m): m for m in seen}.values())  # a hook may see a message twice
        started = [m for m in unique if isinstance(m, RefreshStarted)]
        assert [m.feed_count for m in started] == [len(scripted_library.subscriptions.feeds())]
        assert len([m for m in unique if isinstance(m, FeedRefreshed)]) == started[0].feed_count
        assert len([m for m in unique if isinstance(m, RefreshFinished)]) == 1
        assert app.screen.query_one(ArticleList).row_count == len(
            scripted_library.reading.article_ids()
        )


async def test_a_long_list_draws_its_position_a_click_jumps_and_a_drag_moves(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        height = articles.scrollable_content_region.height
        assert articles.row_count > height  # the list overflows: a bar shows where we are
        assert articles.thumb_rows() == (0, max(1, round(height * height / articles.row_count)))
        # The bar is the last cell of every row; its thumb and track look different.
        first, last = articles.render_line(0), articles.render_line(height - 1)
        assert first.cell_length == last.cell_length == articles.row_width
        assert list(first)[-1].style != list(last)[-1].style
        # A click at the foot of the bar (content origin is inside the border) jumps to
        # the last article, and the thumb follows it down.
        await pilot.click(ArticleList, offset=(articles.row_width, height))
        await pilot.pause()
        assert articles.cursor == articles.row_count - 1
        thumb = articles.thumb_rows()
        assert thumb is not None and thumb[1] == height
        # Dragging along the bar back to its top brings the cursor to the first article.
        await pilot.mouse_down(ArticleList, offset=(articles.row_width, height))
        await pilot.hover(ArticleList, offset=(articles.row_width, 1))
        await pilot.mouse_up(ArticleList, offset=(articles.row_width, 1))
        await pilot.pause()
        assert articles.cursor == 0
        assert articles.thumb_rows() == (0, thumb[1] - thumb[0])


async def test_an_empty_list_says_which_list_it_is_and_the_key_that_fills_it(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen: MainScreen = app.screen  # type: ignore[assignment]
        await pilot.press("3")  # Starred: nothing starred in the seeded library
        await pilot.pause()
        first_line = screen.article_list.render_line(0).text
        assert "No starred stories: s stars the one under the cursor." in first_line
        await pilot.press("4")
        await pilot.pause()
        assert "Nothing on the Later list: l puts a story there." in (
            screen.article_list.render_line(0).text
        )
        await pilot.press("slash")
        for key in "zzqxj":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        text = screen.article_list.render_line(0).text
        assert "No stories match this search (Escape closes it)." in text


async def test_what_an_empty_list_says_wraps_in_a_narrow_pane(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen: MainScreen = app.screen  # type: ignore[assignment]
        await pilot.press("3")
        await pilot.pause()
        shown = " ".join(screen.article_list.render_line(y).text.strip() for y in range(3))
        assert "No starred stories: s stars the one under the cursor." in shown


async def test_an_empty_list_offers_no_refresh_key_offline(tmp_path: Path) -> None:
    # A feed with no stories yet: online the empty list names the refresh key; offline,
    # where that key only answers "Offline: not refreshing", it says why nothing comes.
    for offline in (False, True):
        library = Library.open_at(tmp_path / f"offline-{offline}.sqlite3", offline=offline)
        library.subscriptions.subscribe("http://127.0.0.1:9/feed.xml", title="Quiet feed")
        app = make_app(library)
        try:
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause()
                said = app.screen.query_one(ArticleList).empty_text
                if offline:
                    assert said.endswith("yet (offline: nothing is fetched).")
                    assert "refreshes" not in said
                else:
                    assert "R refreshes every feed" in said and "offline" not in said
        finally:
            library.close()


async def test_with_no_stories_at_all_every_view_says_so(tmp_path: Path) -> None:
    # Not "Nothing unread here: every story is read." nor "s stars the one under the
    # cursor" where there is no story to read or star.
    library = Library.open_at(tmp_path / "empty.sqlite3")
    library.subscriptions.subscribe("http://127.0.0.1:9/feed.xml", title="Quiet feed")
    app = make_app(library)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            for view_key in ("1", "2", "3", "4", "5"):
                await pilot.press(view_key)
                await pilot.pause()
                said = app.screen.query_one(ArticleList).empty_text
                assert said == "No stories yet: R refreshes every feed.", (view_key, said)
    finally:
        library.close()


async def test_an_empty_tag_is_no_saved_search(library: Library) -> None:
    library.subscriptions.subscribe("http://127.0.0.1:9/quiet.xml", title="Quiet", tags=["calm"])
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = screen_of(app)
        screen.show_entry("tag:calm")
        await pilot.pause()
        said = screen.article_list.empty_text
        assert said == "No stories under this tag yet: R refreshes every feed.", said


async def test_the_list_title_follows_a_feed_renamed_by_its_refresh(library: Library) -> None:
    # A feed added by URL is named by its first refresh: the pane showed the new name,
    # the list's border kept the URL until another entry was chosen.
    from seeding import rss, story

    url = "https://new.example.org/feed.xml"
    feed = library.subscriptions.subscribe(url)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen.show_entry(f"feed:{feed.id}")
        await pilot.pause()
        assert screen.article_list.border_title == url
        library.refresher.ingest_document(
            feed.id, rss("Harbour News", [story(1, "Harbour News", hours_ago=1)])
        )
        screen.listing.sync_from_library(ids=True)
        await pilot.pause()
        assert screen.article_list.border_title == "Harbour News"
        assert screen.article_list.row_count == 1


def test_an_empty_saved_search_says_so_whatever_it_asks_for() -> None:
    # A saved search with after: once said "No stories from today yet" (the Today view's
    # words), one with is:starred how to star a story.
    from datetime import UTC, datetime

    from readerterm.models import ArticleFilter
    from readerterm.ui.views import empty_text

    asks = (
        ArticleFilter(words="zzzz", after=datetime(2026, 11, 17, tzinfo=UTC)),
        ArticleFilter(words="zzzz", starred=True),
        ArticleFilter(words="zzzz", unread=True),
    )
    for view in asks:
        said = empty_text(view, searching=False, has_feeds=True, key=str, kind="search")
        assert said == "No stories match this saved search.", (view, said)


async def test_a_new_view_keeps_the_cursor_on_the_story_being_read(library: Library) -> None:
    """Keys 1-5 put the cursor on the first row even when the story on screen was in the
    new list, so `m` or `s` then acted on another story than the one being read."""
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = screen_of(app)
        articles = screen.article_list
        await pilot.press("j", "j", "enter", "s")  # read the third story and star it
        await pilot.pause()
        reading = screen.reader.article
        assert reading is not None and articles.index_of(reading.id) == 2
        for view in ("3", "2", "1"):  # starred, unread (it was just read: not there), all
            await pilot.press(view)
            await pilot.pause()
            in_list = articles.index_of(reading.id) is not None
            assert in_list == (view != "2"), view
            expected = reading.id if in_list else articles.ids[0]
            assert articles.highlighted_id == expected, view
        # Browsing the list, then choosing the same list again: the cursor stays.
        await pilot.press("j", "j", "1")
        await pilot.pause()
        assert articles.highlighted_id == articles.ids[4] != reading.id


async def test_hidden_stories_shown_with_h_are_marked_in_the_text(library: Library) -> None:
    """`H` lists dismissed and filtered stories among the others; they were told apart only
    by a strike-through, which many terminals do not draw."""
    from readerterm.config import Config
    from readerterm.config.model import FilterRule

    first, second, third = library.reading.article_ids()[:3]
    library.reading.set_flag([first], "dismissed", True)
    filtered_title = library.reading.article(second).title
    library.settings.configure(Config(filters=(FilterRule(words=tuple(filtered_title.split())),)))
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = screen_of(app).article_list
        assert first not in articles.ids and second not in articles.ids
        await pilot.press("H")
        await pilot.pause()
        rows = {article_id: row_text(articles, i) for i, article_id in enumerate(articles.ids)}
        assert rows[first][2] == HIDDEN_MARKER and rows[second][2] == HIDDEN_MARKER
        assert rows[third][2] != HIDDEN_MARKER
        articles.select_article(second)  # the reader's header says which kind of hidden
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = text_of(screen_of(app).query_one("#article-header"))
        assert f"{HIDDEN_MARKER} filtered" in header and "dismissed" not in header


async def test_before_the_first_sync_the_empty_list_names_the_sync_key(tmp_path: Path) -> None:
    """With sync on the server's feeds come with a sync, yet the empty list said "No feeds
    yet: a adds one"."""
    from readerterm.config import Config, SyncConfig

    config = Config(sync=SyncConfig("greader", "http://127.0.0.1:9/api/greader.php", "me"))
    library = Library.open_at(tmp_path / "rt.db")
    library.settings.configure(config)
    try:
        app = make_app(library, config)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            said = screen_of(app).article_list.empty_text
            assert said == "No feeds yet: R syncs with your server."
    finally:
        library.close()
