"""What the FreshRSS sync tests (test_sync.py, test_sync_failures.py) share: the autouse
fixture `password` that puts the server's API password where readerterm looks for it;
readerterm devices, each with its own database, that sync with the server through either
API; the server seen through its Google Reader API as another device would, to subscribe
it to feeds and read its side; and each story's read and starred state as the server has
it."""

from __future__ import annotations

from contextlib import aclosing
from pathlib import Path

import pytest

from freshrss import FreshRSS, sample_feed
from readerterm.config import Config, SyncConfig
from readerterm.library import Library
from readerterm.models import ArticleFilter, Feed
from readerterm.store import Store
from readerterm.sync import open_service
from testserver import LocalServer

KINDS = ("greader", "fever")


@pytest.fixture(autouse=True, name="password")
def server_password(freshrss: FreshRSS, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("READERTERM_SYNC_PASSWORD", freshrss.api_password)
    return freshrss.api_password


def url_of(server: FreshRSS, kind: str) -> str:
    return server.greader_url if kind == "greader" else server.fever_url


def device(path: Path, server: FreshRSS, kind: str = "greader") -> Library:
    """A readerterm whose config syncs with `server` (its own database at `path`)."""
    library = Library(Store(path))
    library.settings.configure(Config(sync=SyncConfig(kind, url_of(server, kind), server.user)))
    return library


def other_device(server: FreshRSS):  # type: ignore[no-untyped-def]
    """The server seen through its Google Reader API, as another reader would."""
    return aclosing(open_service("greader", server.greader_url, server.user, server.api_password))


async def serve_and_subscribe(
    server: FreshRSS, feeds: LocalServer, slug: str, count: int, folder: str | None = None
) -> str:
    feeds.route(f"/{slug}.xml", sample_feed(slug, count))
    async with other_device(server) as remote:
        await remote.login()
        await remote.subscribe(feeds.url(f"/{slug}.xml"), None, folder)
    return feeds.url(f"/{slug}.xml")


def feed_at(library: Library, url: str) -> Feed:
    return next(feed for feed in library.subscriptions.feeds() if feed.url == url)


def stories(library: Library, url: str) -> dict[str, int]:
    """Title -> article id of one feed's stories."""
    ids = library.reading.query(ArticleFilter(feed_id=feed_at(library, url).id, show_hidden=True))
    return {row.title: row.id for row in library.reading.article_rows(ids)}


def remote_id(library: Library, article_id: int) -> str:
    row = library.store.db.execute("SELECT remote_id FROM articles WHERE id = ?", (article_id,))
    return str(row.fetchone()[0])


async def server_states(
    server: FreshRSS, library: Library, ids: list[int]
) -> list[tuple[bool, bool]]:
    """(read, starred) of these local articles as the server has them."""
    remote_ids = [remote_id(library, i) for i in ids]
    async with other_device(server) as remote:
        await remote.login()
        unread, starred = await remote.unread_ids(), await remote.starred_ids()
    return [(r not in unread, r in starred) for r in remote_ids]
