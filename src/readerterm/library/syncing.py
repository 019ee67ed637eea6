"""Sync with the aggregator server named in the config's `[sync]` table.

With sync on, the server fetches the feeds and is the word on subscriptions: adding and
removing a feed go to it (the Google Reader API can; Fever cannot, and says so), and
readerterm fetches only article pages for full text. Decisions taken here are queued in
the database as they are made (see store/sync.py) and sent at the next sync.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..models import Feed
from ..store import Store, SyncStatus
from ..workers.preload import SYNC_MODULES, preload
from .network import Network
from .settings import FeedSettings
from .writer import StoreWriter

if TYPE_CHECKING:  # httpx and the parsers load when a sync starts, not with the reader
    from ..sync.engine import Progress, SyncReport
    from ..sync.protocol import SyncService


class Syncing:
    def __init__(
        self,
        store: Store,
        writer: StoreWriter,
        network: Network,
        settings: FeedSettings,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._writer = writer
        self._network = network
        self._settings = settings
        self._clock = clock
        self._lock = asyncio.Lock()
        """One sync at a time in this process (the reader's timer and `R` may meet)."""

    @property
    def enabled(self) -> bool:
        """Whether the config names a sync server."""
        return self._settings.sync is not None

    def status(self) -> SyncStatus | None:
        """The account and how its last sync went (None: never synced here)."""
        return self._store.sync.status()

    def on_server(self, ids: Sequence[int]) -> set[int]:
        """Of these articles, those whose decisions are sent to the server (the others'
        stay here: their feeds, or they, are not on it)."""
        return self._store.sync.on_server(ids)

    async def sync(
        self, progress: Progress | None = None, *, switch_account: bool = False
    ) -> SyncReport:
        """Pull subscriptions, new articles and states from the server, send what was
        decided here. Raises SyncError (a UsageError when sync is not set up); and when
        the config names another account than the last sync's while decisions wait for
        that one, unless `switch_account` (they are then dropped)."""
        # httpx, httpcore and anyio's event-loop backend load on a thread: imported here or
        # by the first request, they stopped the reader for 100-330 ms.
        await preload(*SYNC_MODULES)
        from ..sync.engine import SyncEngine
        from ..sync.protocol import SyncError

        async with self._lock:
            try:
                service = await self._open()
            except SyncError as error:  # no password, a bad address: a failed attempt too
                message = str(error)
                await self._writer.run(
                    lambda store: store.sync.fail(*self._account(), self._clock(), message)
                )
                raise
            # The search index catches up after the sync, as after a refresh: indexing
            # between the sync's writes made a sync of 15,000 stories in the reader 45 %
            # slower (26 -> 38 s, benchmarks/responsiveness.py --sync).
            self._writer.hold_indexing()
            try:
                engine = SyncEngine(
                    service,
                    self._writer.run,
                    account=self._account(),
                    filters=self._settings.filters,
                    retention=self._settings.retention,
                    clock=self._clock,
                    progress=progress,
                    switch_account=switch_account,
                )
                return await engine.run()
            finally:
                self._writer.release_indexing()
                await service.aclose()

    async def subscribe(self, url: str, title: str | None, tags: Sequence[str]) -> Feed:
        """Subscribe on the server, then sync to bring the feed and its articles here.
        The server keeps one folder a feed (FreshRSS moves a feed to the last folder it is
        given), and each sync makes the folders readerterm's tags: a second tag would be
        lost at once, so one is the most a feed added here may have."""
        if len(tags) > 1:
            raise UsageError(
                "the sync server files a feed in one folder: give one tag, not "
                f"{len(tags)} ({', '.join(tags)})"
            )
        service = await self._open()
        try:
            if not service.can_manage_subscriptions:
                raise UsageError(
                    f"{service.label}: the Fever API cannot add feeds; add it in the"
                    " server's web interface, then sync"
                )
            await service.login()
            remote = await service.subscribe(url, title, tags[0] if tags else None)
        finally:
            await service.aclose()
        await self.sync()
        for feed in self._store.subscriptions.feeds():
            if feed.remote_id == remote.id:
                return feed
        raise UsageError(f"{url}: the server subscribed, but the feed did not come back")

    async def unsubscribe(self, feed: Feed) -> None:
        """Unsubscribe on the server, then drop the feed here."""
        if feed.remote_id is None:
            self._store.subscriptions.remove_feed(feed.id)
            return
        service = await self._open()
        try:
            if not service.can_manage_subscriptions:
                raise UsageError(
                    f"{service.label}: the Fever API cannot remove feeds; remove it in the"
                    " server's web interface, then sync"
                )
            await service.login()
            await service.unsubscribe(feed.remote_id)
        finally:
            await service.aclose()
        self._store.subscriptions.remove_feed(feed.id)

    async def _open(self) -> SyncService:
        config = self._settings.sync
        if config is None:
            where = self._settings.config_file or "config.toml"
            raise UsageError(
                f"sync is not set up: add a [sync] table (service, url, username) to {where};"
                " docs/sync.md in readerterm's source shows one"
            )
        if self._network.offline:
            raise UsageError("offline: cannot sync")
        await preload(*SYNC_MODULES)  # (see `sync`)
        from ..sync.password import sync_password
        from ..sync.protocol import open_service

        # A password manager may take its time (or ask for a passphrase): off the loop.
        password = await asyncio.to_thread(sync_password, config.password_command)
        return open_service(
            config.service,
            config.url,
            config.username,
            password,
            allow_insecure=config.allow_insecure,
        )

    def _account(self) -> tuple[str, str, str]:
        """Service, URL and user name, as stored and named in messages: the URL as the
        client asks it (sync.hints.account_url), so a password written into it (which the
        sync refuses) is left out, and tidying it is no change of account."""
        from ..sync.hints import account_url

        config = self._settings.sync
        assert config is not None
        return config.service, account_url(config.url, config.service), config.username
