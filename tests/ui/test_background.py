"""Article pages fetched after a refresh (progress, cancel), `e` re-extracting, the reader
header's byline/image/extraction lines, auto-refresh. The add-feed dialog's tests are in
test_add_feed_dialog.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from screen_text import status_message
from seeding import NOW, rss, story
from ui_app import ScriptedLibrary, make_app, until

from readerterm.config import Config
from readerterm.library import Library, PageResult
from readerterm.library.pages import Pages
from readerterm.store import Store
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.reader import ReaderPane
from readerterm.ui.widgets.status_line import cut_name


def text_of(widget: Any) -> str:
    return str(getattr(widget.content, "plain", widget.content))


class PagedPages:
    """Pages "arrive" when the test releases them."""

    def __init__(self, library: PagedLibrary, real: Pages) -> None:
        self.library = library
        self.real = real
        self.release = asyncio.Event()
        self.fetched: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def pages_to_fetch(
        self, feed_ids: Sequence[int] | None = None, *, limit: int = 500
    ) -> list[int]:
        return self.query_for(feed_ids)[:3]

    async def pages_to_fetch_off_loop(
        self, feed_ids: Sequence[int] | None = None, *, limit: int = 500
    ) -> list[int]:
        return self.pages_to_fetch(feed_ids, limit=limit)

    def query_for(self, feed_ids: Sequence[int] | None) -> list[int]:
        """Unread stories not fetched yet, of `feed_ids` (None: of every feed)."""
        from readerterm.models import ArticleFilter

        query = self.library.reading.query
        found = (
            query(ArticleFilter(unread=True))
            if feed_ids is None
            else [i for f in feed_ids for i in query(ArticleFilter(feed_id=f, unread=True))]
        )
        return [i for i in found if i not in self.fetched]

    async def fetch_pages(
        self, article_ids: Sequence[int], *, concurrency: int = 8
    ) -> AsyncIterator[PageResult]:
        for article_id in article_ids:
            await self.release.wait()
            self.fetched.append(article_id)
            yield PageResult(article_id)

    async def extract_page(self, article_id: int) -> PageResult:
        self.library.store.articles.save_extraction(
            article_id,
            body="Fresh body from the page, with more words than before.",
            key_points=("A point from the page.",),
            key_points_origin="page",
            words=9,
            author="Page Author",
            image_url="https://example.org/lead.jpg",
            now=NOW,
        )
        return PageResult(article_id)


class PagedLibrary(ScriptedLibrary):
    """Refresh as scripted; pages as PagedPages fetches them."""

    def __init__(self, store: Store, **options: Any) -> None:
        super().__init__(store, **options)
        self.pages = PagedPages(self, self.pages)  # type: ignore[assignment]


def paged_library(db_path: Path) -> PagedLibrary:
    from seeding import seed_library

    seed_library(db_path).close()
    lib = PagedLibrary.open_at(db_path)
    lib.documents = {
        "https://example.org/world.xml": rss(
            "World", [story(100 + i, "World", hours_ago=0.1) for i in range(2)]
        )
    }
    return lib


async def test_pages_are_fetched_after_a_refresh_with_progress_and_can_stop(
    db_path: Path,
) -> None:
    lib = paged_library(db_path)
    app = make_app(lib)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("R")
            screen = app.screen
            assert isinstance(screen, MainScreen)
            for _ in range(20):
                await pilot.pause()
                if screen.page_progress is not None:
                    break
            assert screen.page_progress == (0, 3)
            assert "Pages 0/3" in text_of(app.screen.query_one("#status-progress"))
            await pilot.press("x")
            await pilot.pause()
            assert screen.page_progress is None
            assert "Pages" not in text_of(app.screen.query_one("#status-progress"))
            lib.pages.release.set()  # type: ignore[attr-defined]
            await app.workers.wait_for_complete()
            assert lib.pages.fetched == []  # cancelled before any page arrived
            # The next refresh brings nothing new, and takes up the pages x stopped (only
            # a refresh with new stories fetched pages: those stayed teasers for good).
            await pilot.press("R")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(lib.pages.fetched) == 3
            assert screen.page_progress is None
    finally:
        lib.close()


async def test_e_re_extracts_and_the_header_shows_byline_image_and_origin(
    db_path: Path,
) -> None:
    lib = paged_library(db_path)
    app = make_app(lib)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("enter")
            await pilot.pause()
            header = app.screen.query_one("#article-header")
            assert "Image:" not in text_of(header)
            await pilot.press("e")
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = text_of(header)
            assert "Reporter 0" in shown  # the feed's byline stays; the page fills gaps
            assert "Image: https://example.org/lead.jpg" in shown
            assert "Full text from the page" in shown
            article = app.screen.query_one("#reader", ReaderPane).article
            assert article is not None and article.key_points == ("A point from the page.",)
    finally:
        lib.close()


async def test_auto_refresh_runs_on_its_timer_and_notifies(
    scripted_library: ScriptedLibrary,
) -> None:
    app = make_app(scripted_library, Config(refresh_minutes=5))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        timers = [t for t in screen._timers if t.name == "auto-refresh"]
        assert len(timers) == 1 and timers[0]._interval == 300
        screen._refresh_on_timer()
        await app.workers.wait_for_complete()
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("2 new articles" in m for m in messages)


async def test_the_refresh_at_start_counts_the_failed_feeds_once(
    scripted_library: ScriptedLibrary,
) -> None:
    """The summary said "4 feeds failed: ..." and the list of them was titled "4 feeds
    failed" too. Then the list, a feed and its error a line, took 17 lines of a 100x30
    screen: now one notice names them after the count."""
    from readerterm.ui.app import ReaderTermApp
    from readerterm.ui.widgets.status_line import cut_name

    app = ReaderTermApp(scripted_library, Config(), refresh_on_start=True, now=lambda: NOW)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        for _ in range(200):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if len(app._notifications) >= 1:
                break
        await pilot.pause(0.2)
        failed = [cut_name(f.title, 24) for f in scripted_library.subscriptions.feeds() if f.error]
        reason = ScriptedLibrary.error
        assert len(failed) == 4
        names = f"{', '.join(failed[:3])} and {failed[3]}"
        assert [(n.title, n.message, n.severity) for n in app._notifications] == [
            (
                "Refresh finished",
                f"1 feed refreshed: 2 new articles.\n4 feeds failed: {reason} ({names}).",
                "warning",
            )
        ]


async def test_feeds_still_failing_are_said_on_the_status_line_not_told_again(
    scripted_library: ScriptedLibrary,
) -> None:
    """The same 13 failures came back as a notice over the story at every refresh, their
    names in another order each time. A notice tells failures new since the last one."""
    from readerterm.ui.app import ReaderTermApp

    app = ReaderTermApp(scripted_library, Config(), refresh_on_start=True, now=lambda: NOW)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await until(pilot, lambda: len(app._notifications) >= 1)
        await until(pilot, lambda: not app.screen.refreshing)
        await pilot.press("R")
        await until(pilot, lambda: "still failing" in status_message(app))
        assert status_message(app).startswith("1 feed refreshed: 0 new articles; 4 feeds")
        assert len(app._notifications) == 1
        documents = scripted_library.documents
        failing = [f for f in scripted_library.subscriptions.feeds() if f.url not in documents]
        fixed, still = failing[0], failing[1:]
        documents[fixed.url] = next(iter(documents.values()))
        await pilot.press("R")
        await until(pilot, lambda: "3 feeds still failing" in status_message(app))
        documents.pop(fixed.url)  # it fails again: that is news
        await pilot.press("R")
        await until(pilot, lambda: len(app._notifications) == 2)
        told = list(app._notifications)[-1].message
        again = scripted_library.subscriptions.feed(fixed.id)  # (titled as the document)
        assert again is not None
        assert f"({cut_name(again.title, 24)}, " in told, told  # the new failure first
        assert all(cut_name(f.title, 24) in told for f in still[:2]), told


async def test_no_auto_refresh_when_off(library: Library) -> None:
    app = make_app(library, Config(refresh_minutes=0))
    async with app.run_test(size=(100, 30)):
        assert not [t for t in app.screen._timers if t.name == "auto-refresh"]


def test_a_refresh_names_four_failed_feeds_and_counts_the_rest() -> None:
    from readerterm.ui.screens.background import some_of

    assert some_of(["World"]) == "World"
    assert some_of(["World", "Tech"]) == "World and Tech"
    assert some_of(["A", "B", "C", "D"]) == "A, B, C and D"
    assert some_of(["A", "B", "C", "D", "E", "F"]) == "A, B, C and 3 more"
    assert some_of(["A very long feed title that goes on and on"]) == "A very long feed title…"
