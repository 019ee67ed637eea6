"""The add-feed dialog (`a`): errors and other feeds a page offers in the dialog, offline,
and Ctrl+F adding a feed unchecked (at once, after a failed check, never during one)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from screen_text import status_message
from seeding import rss, story
from textual.widgets import Input, OptionList
from ui_app import make_app

from readerterm.errors import UsageError
from readerterm.library import AddResult, Library
from readerterm.library.subscriptions import CannotAdd, Subscriptions
from readerterm.store import Store
from readerterm.ui.screens.add_feed import AddFeedScreen
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.feed_list import FeedList


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


@pytest.fixture
def site_library(db_path: Path) -> Iterator[DiscoveringLibrary]:
    """The seeded library whose subscribing finds feeds on pages (DiscoveringSubscriptions)."""
    from seeding import seed_library

    seed_library(db_path).close()
    library = DiscoveringLibrary.open_at(db_path)
    yield library
    library.close()


@pytest.fixture
def offline(db_path: Path, library: Library) -> Iterator[Library]:
    """The seeded library opened offline: Enter cannot check a URL there."""
    library.close()
    opened = Library.open_at(db_path, offline=True)
    yield opened
    opened.close()


async def test_add_dialog_shows_errors_and_offers_other_feeds(
    site_library: DiscoveringLibrary,
) -> None:
    app = make_app(site_library)
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
        assert site_library.added == ["https://site.example/", "https://site.example/comments.xml"]
        found = site_library.subscriptions.find_feed("https://site.example/feed.xml")
        assert found.tags == ("blogs", "news")
        feeds = app.screen.query_one(FeedList)
        assert feeds.selected is not None and feeds.selected.feed_id == found.id
        # (on the status line: a notice covered the story being read)
        assert status_message(app) == "Subscribed to Found and Found."  # both titled so
        assert not app._notifications


async def test_add_offline_says_so_in_the_dialog(offline: Library) -> None:
    app = make_app(offline)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", *"https://example.net/", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "offline" in text_of(app.screen.query_one("#add-message"))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_already_subscribed_names_an_untitled_feed_once(offline: Library) -> None:
    """A feed with no title yet is named by its URL: the dialog said the URL twice."""
    lwn = "https://lwn.net/headlines/rss"
    offline.subscriptions.subscribe(lwn)
    app = make_app(offline)
    async with app.run_test(size=(100, 30)) as pilot:
        for typed, said in (
            (lwn, f"already subscribed: {lwn}"),
            (
                "https://example.org/world.xml",
                "already subscribed: World (https://example.org/world.xml)",
            ),
        ):
            await pilot.press("a", *typed, "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert text_of(app.screen.query_one("#add-message")) == said
            await pilot.press("escape")
            await pilot.pause()


async def test_the_add_dialog_offers_adding_anyway_as_a_key_not_a_flag(
    site_library: DiscoveringLibrary,
) -> None:
    app = make_app(site_library)
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
    urls = [feed.url for feed in site_library.subscriptions.feeds()]
    assert "https://down.example/feed.xml" in urls


async def test_ctrl_f_adds_the_typed_url_unchecked_at_once(offline: Library) -> None:
    app = make_app(offline)
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


async def test_ctrl_f_adds_the_highlighted_other_feed(site_library: DiscoveringLibrary) -> None:
    app = make_app(site_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a", *"https://site.example/", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Ctrl+F adds it unchecked" in text_of(app.screen.query_one("#add-hint"))
        await pilot.press("ctrl+f")  # the page's other feed, as Enter would
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert site_library.added == ["https://site.example/", "https://site.example/comments.xml"]


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
            assert status_message(app).startswith("Subscribed to")
            said = [n.message for n in app._notifications]
            failed = [m for m in said if "its first fetch failed" in m]
            assert len(failed) == 1 and failed[0].endswith("A refresh tries again."), said
        assert down in [feed.url for feed in library.subscriptions.feeds()]
    finally:
        library.close()


async def test_ctrl_f_while_a_feed_is_being_added_waits_for_it(
    offline: Library, monkeypatch: Any
) -> None:
    """Ctrl+F (or Enter) during a subscription cancelled it part-way: the feed could be
    stored with its first fetch undone while the dialog said "already subscribed"."""
    gate = asyncio.Event()
    calls: list[tuple[str, bool]] = []
    real_add = offline.subscriptions.add_feed

    async def slow_add(url: str, *, tags: Sequence[str] = (), force: bool = False) -> AddResult:
        calls.append((url, force))
        await gate.wait()
        return await real_add(url, tags=tags, force=True)

    monkeypatch.setattr(offline.subscriptions, "add_feed", slow_add)
    app = make_app(offline)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", *"https://example.net/slow.xml", "enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddFeedScreen) and dialog.busy
        await pilot.press("ctrl+f", "enter")
        await pilot.pause()
        assert "Still adding the feed" in text_of(dialog.query_one("#add-message"))
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert calls == [("https://example.net/slow.xml", False)]
    urls = [feed.url for feed in offline.subscriptions.feeds()]
    assert urls.count("https://example.net/slow.xml") == 1


async def test_the_hints_name_the_dialog_keys_as_mapped(offline: Library) -> None:
    """With `add-anyway` moved to Ctrl+Y and `close-dialog` to F9, the hints went on
    saying Ctrl+F and Escape."""
    from readerterm.config import Config

    app = make_app(offline, Config(keys={"add-anyway": "ctrl+y", "close-dialog": "f9"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddFeedScreen)
        hint = text_of(dialog.query_one("#add-hint"))
        assert hint == "Enter adds · Ctrl+Y adds it unchecked · F9 closes"
        await pilot.press(*"https://example.net/mapped.xml", "ctrl+y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert "https://example.net/mapped.xml" in [f.url for f in offline.subscriptions.feeds()]


@pytest.mark.parametrize("syncing", [False, True])
async def test_the_tags_box_says_one_tag_with_sync_on(library: Library, syncing: bool) -> None:
    """With sync on a feed takes one tag (the server files it in one folder), yet the box
    asked for "tags, separated by commas", and two were refused only once submitted."""
    from ui_app import until

    from readerterm.config import Config, SyncConfig

    sync = SyncConfig("greader", "http://127.0.0.1:9/api/greader.php", "me") if syncing else None
    config = Config(sync=sync)
    library.settings.configure(config)
    app = make_app(library, config)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedScreen))
        placeholder = app.screen.query_one("#add-tags", Input).placeholder
        expected = "a tag: the server's folder" if syncing else "tags, separated by commas"
        assert placeholder == f"{expected} (optional)"
