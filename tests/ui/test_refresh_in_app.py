"""A real refresh of many feeds from inside the running app: large refreshes parse in
worker processes, which must start although Textual has replaced sys.stderr."""

from __future__ import annotations

from pathlib import Path

from seeding import NOW, rss, story

from readerterm.config import Config
from readerterm.library import PROCESSES_FROM_FEEDS, Library
from readerterm.ui.app import ReaderTermApp
from testserver import LocalServer


async def test_a_refresh_of_many_feeds_in_the_app_stores_them_all(
    http_server: LocalServer, tmp_path: Path
) -> None:
    count = PROCESSES_FROM_FEEDS + 2
    library = Library.open_at(tmp_path / "rt.db")
    try:
        for number in range(count):
            name = f"Feed {number}"
            items = [story(i, name, hours_ago=i + 1) for i in range(3)]
            http_server.route(f"/feed{number}.xml", rss(name, items))
            library.subscriptions.subscribe(http_server.url(f"/feed{number}.xml"))
        app = ReaderTermApp(library, Config(), refresh_on_start=True, now=lambda: NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(200):
                await pilot.pause(0.1)
                if all(feed.last_refresh for feed in library.subscriptions.feeds()):
                    break
            await app.workers.wait_for_complete()
        feeds = library.subscriptions.feeds()
        assert [feed.error for feed in feeds] == [None] * count
        assert sum(feed.total for feed in feeds) == 3 * count
    finally:
        library.close()
