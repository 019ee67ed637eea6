"""The library: what every front end (the reader, the commands, the demo) calls.

`Library` only puts the parts together; each part owns its state and is handed what it
needs when it is made, so it can be built and tested alone:

- `subscriptions` (`Subscriptions`): the feeds followed; adding with discovery, OPML;
- `reading` (`Reading`): views, search, opening a story, triage with undo;
- `refresher` (`Refresher`): a refresh, as one pipeline (see its docstring);
- `pages` (`Pages`): full text from article pages;
- `syncing` (`Syncing`): two-way sync with a FreshRSS or Miniflux server;
- `settings` (`FeedSettings`): the config's filters, retention, per-feed options, sync;
- `writer` (`StoreWriter`): the thread that writes a refresh and indexes for search;
- `network` (`Network`): the fetcher, made on first use, none offline.

Reads and writes of a key press go to SQLite at once (milliseconds); everything slower
runs on the writer's thread, a worker process or the network. Per-feed failures are data
(`RefreshResult.error`), never exceptions. Never imports Textual; httpx, the parsers and
the converter are imported where first needed, so the reader draws its first screen from
the cache before any of them loads.
May import: everything below the front ends (sync, store, workers, feeds, net, text and
the vocabulary modules); never Textual, never `ui` or `cli`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Self

from ..paths import Paths
from ..store import Store
from .network import Network
from .pages import Pages
from .reading import Overview, Reading
from .refresh import FEEDS_IN_FLIGHT_WHILE_READING, PROCESSES_FROM_FEEDS, Refresher
from .results import AddResult, Change, ImportReport, PageResult, TagChange
from .settings import FeedSettings
from .subscriptions import Subscriptions, check_feed_url
from .syncing import Syncing
from .writer import StoreWriter

if TYPE_CHECKING:
    from ..net.fetch import Fetcher

__all__ = [
    "FEEDS_IN_FLIGHT_WHILE_READING",
    "PROCESSES_FROM_FEEDS",
    "AddResult",
    "Change",
    "ImportReport",
    "Library",
    "Overview",
    "PageResult",
    "TagChange",
    "check_feed_url",
    "utc_now",
]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Library:
    """Everything a front end needs, over one Store and (online) one Fetcher."""

    def __init__(
        self,
        store: Store,
        *,
        fetcher: Fetcher | None = None,
        offline: bool = False,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.network = Network(offline=offline, fetcher=fetcher)
        self.writer = StoreWriter(store)
        self.settings = FeedSettings(store)
        self.syncing = Syncing(store, self.writer, self.network, self.settings, clock)
        self.subscriptions = Subscriptions(
            store, self.writer, self.network, self.settings, self.syncing, clock
        )
        self.reading = Reading(store, self.writer)
        self.refresher = Refresher(store, self.writer, self.network, self.settings, clock)
        self.pages = Pages(store, self.writer, self.network, self.reading, clock)

    @classmethod
    def open(cls, paths: Paths, *, offline: bool = False) -> Self:
        return cls(Store(paths.database), offline=offline)

    @classmethod
    def open_at(cls, database: Path | str, *, offline: bool = False) -> Self:
        return cls(Store(database), offline=offline)

    @property
    def offline(self) -> bool:
        """True: nothing touches the network; everything comes from the cache."""
        return self.network.offline

    async def aclose(self) -> None:
        """Close what lives on the event loop (the network client, the worker processes)."""
        self.refresher.close()
        await self.network.aclose()

    def close(self) -> None:
        self.refresher.close()
        self.writer.close()
        self.store.close()
