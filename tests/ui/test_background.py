"""Adding a feed (`a`), article pages fetched after a refresh (progress, cancel), `e`
re-extracting, the reader header's byline/image/extraction lines, auto-refresh."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from seeding import NOW, rss, story
from textual.widgets import Input, OptionList
from ui_app import ScriptedLibrary, make_app

from readerterm.config import Config
from readerterm.errors import UsageError
from readerterm.library import AddResult, Library, PageResult
from readerterm.library.pages import Pages
from readerterm.library.subscriptions import CannotAdd, Subscriptions
from readerterm.store import Store
from readerterm.ui.screens.add_feed import AddFeedScreen
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.feed_list import FeedList
from readerterm.ui.widgets.reader import ReaderPane


def text_of(widget: Any) -> str:
    return str(getattr(widget.content, "plain", widget.content))


class DiscoveringSubscriptions:
    """add_feed as the real one answers for a page advertising two feeds (no network)."""

    def __init__(self, library: DiscoveringLibrary, real: Subscriptions) -> None:
        self.library = library
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def add_feed(
        self, url: str, *, title: str | None = None, tags: Sequence[str] = (), force: bool = False
    ) -> AddResult:
        if "bad" in url:
            raise UsageError(f"{url}: this is a web page and no feed was found on it")
        if "down" in url and not force:
            raise CannotAdd(f"{url}: cannot connect to down.example; not subscribed")
        self.library.added.append(url)
        feed = self.real.subscribe(url if url.endswith(".xml") else url + "feed.xml", tags=tags)
        document = rss("Found", [story(70, "Found", hours_ago=1)])
        refresh = self.library.refresher.ingest_document(feed.id, document)
        others = ("https://site.example/comments.xml",) if not url.endswith(".xml") else ()
        return AddResult(self.real.feed(feed.id), refresh, others)


class DiscoveringLibrary(Library):
    def __init__(self, store: Store, **options: Any) -> None:
        super().__init__(store, **options)
        self.added: list[str] = []
        self.subscriptions = DiscoveringSubscriptions(self, self.subscriptions)  # type: ignore[assignment]


async def test_add_dialog_shows_errors_and_offers_other_feeds(db_path: Path) -> None:
    from seeding import seed_library

    seed_library(db_path).close()
    library = DiscoveringLibrary.open_at(db_path)
    app = make_app(library)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, AddFeedScreen)
            app.screen.query_one("#add-url", Input).value = "https://bad.example/"
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            message = app.screen.query_one("#add-message")
            assert "no feed was found" in text_of(message) and message.has_class("-error")
            app.screen.query_one("#add-url", Input).value = "https://site.example/"
            app.screen.query_one("#add-tags", Input).value = "blogs, news"
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "also offers" in text_of(app.screen.query_one("#add-message"))
            options = app.screen.query_one("#add-alternatives", OptionList)
            assert options.display and options.option_count == 1
            await pilot.press("enter")  # add the advertised comments feed as well
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert library.added == ["https://site.example/", "https://site.example/comments.xml"]
            found = library.subscriptions.find_feed("https://site.example/feed.xml")
            assert found.tags == ("blogs", "news")
            feeds = app.screen.query_one(FeedList)
            assert feeds.selected is not None and feeds.selected.feed_id == found.id
            told = [n.message for n in app._notifications]
            assert "Subscribed to Found and Found." in told, told  # both feeds are titled so
    finally:
        library.close()


async def test_add_offline_says_so_in_the_dialog(db_path: Path, library: Library) -> None:
    library.close()
    offline = Library.open_at(db_path, offline=True)
    app = make_app(offline)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("a", *"https://example.net/", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "offline" in text_of(app.screen.query_one("#add-message"))
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
    finally:
        offline.close()


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
        from readerterm.models import ArticleFilter

        query = self.library.reading.query
        return [i for f in feed_ids or () for i in query(ArticleFilter(feed_id=f))]

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
            lib.documents = {
                "https://example.org/world.xml": rss(
                    "World", [story(200 + i, "World", hours_ago=0.05) for i in range(2)]
                )
            }
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


async def test_no_auto_refresh_when_off(library: Library) -> None:
    app = make_app(library, Config(refresh_minutes=0))
    async with app.run_test(size=(100, 30)):
        assert not [t for t in app.screen._timers if t.name == "auto-refresh"]


async def test_the_add_dialog_offers_adding_anyway_as_a_key_not_a_flag(db_path: Path) -> None:
    from seeding import seed_library

    seed_library(db_path).close()
    library = DiscoveringLibrary.open_at(db_path)
    app = make_app(library)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one("#add-url", Input).value = "https://down.example/feed.xml"
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            message = text_of(app.screen.query_one("#add-message"))
            assert "Ctrl+F adds it anyway" in message and "--force" not in message
            await pilot.press("ctrl+f")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not isinstance(app.screen, AddFeedScreen)  # added and closed
        urls = [feed.url for feed in library.subscriptions.feeds()]
        assert "https://down.example/feed.xml" in urls
    finally:
        library.close()


async def test_ctrl_f_adds_the_typed_url_unchecked_at_once(db_path: Path, library: Library) -> None:
    library.close()
    offline = Library.open_at(db_path, offline=True)  # (Enter could not check anything)
    app = make_app(offline)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("a")
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, AddFeedScreen)
            assert "Ctrl+F adds it unchecked" in text_of(dialog.query_one("#add-hint"))
            await pilot.press("ctrl+f")  # nothing typed yet
            await pilot.pause()
            assert "Type the URL" in text_of(dialog.query_one("#add-message"))
            await pilot.press(*"ftp://example.net/feed.xml", "ctrl+f")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.screen is dialog  # still checked: only http(s) URLs
            assert "only http:// and https://" in text_of(dialog.query_one("#add-message"))
            dialog.query_one("#add-url", Input).value = ""
            await pilot.press(*"https://example.net/feed.xml", "ctrl+f")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)  # added and closed, no Enter first
        urls = [feed.url for feed in offline.subscriptions.feeds()]
        assert "https://example.net/feed.xml" in urls and "ftp://example.net/feed.xml" not in urls
    finally:
        offline.close()


async def test_ctrl_f_adds_the_highlighted_other_feed(db_path: Path) -> None:
    from seeding import seed_library

    seed_library(db_path).close()
    library = DiscoveringLibrary.open_at(db_path)
    app = make_app(library)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("a", *"https://site.example/", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "Ctrl+F adds it unchecked" in text_of(app.screen.query_one("#add-hint"))
            await pilot.press("ctrl+f")  # the page's other feed, as Enter would
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            assert library.added == ["https://site.example/", "https://site.example/comments.xml"]
    finally:
        library.close()


async def test_a_feed_added_unchecked_that_fails_says_so(db_path: Path) -> None:
    """Ctrl+F adds a feed whose first fetch fails; the reader said only "Subscribed to"."""
    from seeding import seed_library

    seed_library(db_path).close()
    down = "http://127.0.0.1:9/down.xml"  # (nothing listens on port 9)
    library = Library.open_at(db_path)
    app = make_app(library)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one("#add-url", Input).value = down
            await pilot.press("ctrl+f")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, MainScreen)
            said = [n.message for n in app._notifications]
            assert any(m.startswith("Subscribed to") for m in said), said
            failed = [m for m in said if "its first fetch failed" in m]
            assert len(failed) == 1 and failed[0].endswith("A refresh tries again."), said
        assert down in [feed.url for feed in library.subscriptions.feeds()]
    finally:
        library.close()
