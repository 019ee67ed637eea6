"""Refreshing feeds: fetch, parse off the event loop, store, one result per feed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..errors import FetchError, ParseError, ReaderTermError, StoreError, UsageError
from ..models import Feed, RefreshResult, RefreshStatus, Validators
from ..store import FetchState, PreparedUpdate, Store
from ..workers.pool import CpuPool, WorkerDied
from ..workers.preload import HTTP_MODULES, PARSER_MODULES, Preloader, preload
from ..workers.process import ByName
from . import updates
from .network import Network
from .settings import FeedSettings
from .tasks import as_they_finish
from .writer import StoreWriter

if TYPE_CHECKING:
    from ..net.fetch import Fetched

log = logging.getLogger(__name__)

FEEDS_IN_FLIGHT = 64
"""At most this many feeds are being fetched, parsed or stored at once. Most answers to a
refresh are 304s, each ~1 ms of work after a network round trip: the more in flight, the
sooner they are done (300 feeds with 50 ms latency: 0.97 s at 32, 0.84 s at 64)."""
FEEDS_IN_FLIGHT_WHILE_READING = 32
"""In the reader, half as many: answers that come back together are handled in one turn
of the event loop, and at 64 a cold refresh of 300 feeds stalled the reader's loop for up
to 50-70 ms at a time (measured: 27-34 ms at 32); a refresh of 304s takes ~0.2 s longer."""
DOCUMENTS_IN_FLIGHT = 16
"""At most this many fetched documents are being read, parsed or stored at once: each holds
its text two or three times over until it is written (a 300 KB feed, ~1 MB). A feed whose
body would be one too many waits before reading it (see Fetcher.fetch's `before_body`);
feeds answered with 304 hold nothing, so they keep all FEEDS_IN_FLIGHT going."""
MAX_RETRY_AFTER = timedelta(hours=24)
"""The longest a server's Retry-After is honoured."""
PROCESSES_FROM_FEEDS = 6
"""Refreshes of at least this many feeds parse in worker processes."""
SYNCED = "its articles come from the sync server (readerterm sync)"
EARLY = timedelta(seconds=30)
"""A feed this close to due is refreshed with the others rather than on the next round."""
_PREPARE_UPDATE = ByName("readerterm.feeds.update", "prepare_update")
"""What workers run on each fetched document, named so that this process need not load
the parsers to hand it over."""


class Refresher:
    """A refresh, feed by feed, as one pipeline:

    1. on the event loop: read each feed's validators and Retry-After (on the writer's
       thread), skip feeds not due or told to wait, fetch with a conditional GET;
       a 304 goes straight to step 4;
    2. the body, as sent (still gzipped), goes to a worker process (`workers/`) with the
       feed's known articles; the worker inflates, parses and decides what is new or
       changed (`feeds.update.prepare_update`) and sends back a `PreparedUpdate`;
       small refreshes parse on a thread instead;
    3. on the store writer's thread (`writer.py`): the rows are written in one
       transaction, with retention applied;
    4. back on the event loop: one `RefreshResult` per feed, yielded as it finishes.

    At most FEEDS_IN_FLIGHT feeds are under way and DOCUMENTS_IN_FLIGHT bodies held at
    once. Failures are data (`RefreshResult.error`), never exceptions.
    """

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
        self._cpu = CpuPool()
        self._parsers = Preloader(*PARSER_MODULES)

    def close(self) -> None:
        self._cpu.close()

    async def refresh(
        self,
        feed_ids: Sequence[int] | None = None,
        *,
        due_only: bool = False,
        at_once: int = FEEDS_IN_FLIGHT,
    ) -> AsyncIterator[RefreshResult]:
        """Refresh the given feeds (all when None); yields results as feeds finish.

        `due_only` (auto-refresh) skips feeds refreshed more recently than their interval;
        `at_once`: how many feeds are under way at a time.
        """
        wanted = None if feed_ids is None else set(feed_ids)
        # Read on the writer's thread: with their article counts, ~10 ms at 100,000 articles
        # (and more while the search index catches up), which the reader's loop must not wait.
        stored, states = await self._writer.run(
            lambda store: (store.subscriptions.feeds(), store.subscriptions.fetch_states())
        )
        feeds = [f for f in stored if wanted is None or f.id in wanted]
        # A synced feed's articles come from the sync server, which fetches it.
        for feed in feeds:
            if feed.remote_id is not None and wanted is not None:
                yield updates.result(feed, RefreshStatus.SKIPPED, error=SYNCED)
        feeds = [f for f in feeds if f.remote_id is None]
        if due_only:
            feeds = [f for f in feeds if self._is_due(f)]
        if self._network.offline:
            for feed in feeds:
                yield updates.result(feed, RefreshStatus.SKIPPED, error="offline")
            return
        # Worker processes pay off only for refreshes of several feeds.
        in_processes = len(feeds) >= PROCESSES_FROM_FEEDS

        documents = asyncio.Semaphore(DOCUMENTS_IN_FLIGHT)

        async def one(feed: Feed) -> RefreshResult:
            state = states.get(feed.id, FetchState(Validators(), None))
            return await self._refresh_one(feed, state, in_processes, documents)

        # Some documents will come whole: the workers start (or, without them, the parsers
        # load here) while the first feeds are fetched. A refresh answered by 304s needs
        # neither.
        whole_documents = bool(
            self._store.subscriptions.without_validators() & {feed.id for feed in feeds}
        )
        if whole_documents and in_processes:
            self._cpu.start(*PARSER_MODULES)
        if feeds:
            await preload(*HTTP_MODULES)
            await self._network.fetcher.prepare()
            self._network.fetcher.new_round()
        if whole_documents and not in_processes:
            self._parsers.start()
        # The search index catches up after the refresh (see StoreWriter).
        self._writer.hold_indexing()
        try:
            async for result in as_they_finish(feeds, one, at_once=at_once):
                yield result
        finally:
            self._writer.release_indexing()

    def _is_due(self, feed: Feed) -> bool:
        interval = self._settings.interval(feed)
        if feed.last_refresh is None or interval is None:
            return True
        return self._clock() - feed.last_refresh >= interval - EARLY

    async def _refresh_one(
        self,
        feed: Feed,
        state: FetchState,
        in_processes: bool = False,
        documents: asyncio.Semaphore | None = None,
    ) -> RefreshResult:
        """Fetch, parse and store one feed. A fetched body is read only once one of the
        `documents` slots is free, and the slot is kept until the feed is stored."""
        admitted = False

        async def admit() -> None:
            nonlocal admitted
            if documents is not None:
                await documents.acquire()
                admitted = True

        try:
            return await self._fetch_and_store(feed, state, in_processes, admit)
        finally:
            if admitted and documents is not None:
                documents.release()

    async def _fetch_and_store(
        self,
        feed: Feed,
        state: FetchState,
        in_processes: bool,
        admit: Callable[[], Awaitable[None]],
    ) -> RefreshResult:
        from ..net.fetch import NotModified

        now = self._clock()
        try:
            wait_until = state.retry_after
            if wait_until is not None and wait_until > now:
                when = wait_until.astimezone().strftime("%H:%M")
                return updates.result(
                    feed, RefreshStatus.SKIPPED, error=f"the server asked us to wait until {when}"
                )
            try:
                options = self._settings.options_for(feed)
                response = await self._network.fetcher.fetch(
                    feed.url,
                    state.validators,
                    headers=options.headers if options else None,
                    before_body=admit,
                    decode=False,  # prepare_update inflates it, off the event loop
                )
            except FetchError as error:
                retry = None
                if error.retry_after is not None:
                    retry = now + min(timedelta(seconds=error.retry_after), MAX_RETRY_AFTER)
                await self._record_failure(feed, str(error), now, retry)
                return updates.failed(feed, str(error))
            if isinstance(response, NotModified):
                await self._writer.run(
                    self._not_modified_job(feed, response.moved_to, response.validators, now)
                )
                return updates.result(feed, RefreshStatus.NOT_MODIFIED)
            return await self._parse_and_store(feed, response, in_processes, now)
        except StoreError as error:
            return updates.failed(feed, str(error))
        except ReaderTermError as error:
            return updates.failed(feed, str(error))
        except Exception as error:  # a bug must not stop the other feeds
            log.exception("refreshing %s failed", feed.url)
            reason = f"internal error while reading this feed: {type(error).__name__}: {error}"
            with contextlib.suppress(StoreError):
                await self._record_failure(feed, reason, now)
            return updates.failed(feed, reason)

    async def _parse_and_store(
        self, feed: Feed, response: Fetched, in_processes: bool, now: datetime
    ) -> RefreshResult:
        """Parse a fetched document (in a worker process for big refreshes) and write what
        is new or changed on the store writer's thread. Raises StoreError."""
        run = self._cpu.run if in_processes else asyncio.to_thread
        # Imported only now: a refresh answered by 304s never loads the parsers, nor does
        # this process when its workers parse.
        if in_processes:
            prepare_update: Callable[..., PreparedUpdate] = _PREPARE_UPDATE
        else:
            await asyncio.shield(self._parsers.start())
            from ..feeds.update import prepare_update
        # Read on the writer's thread: hundreds of rows per feed, off the event loop. A feed
        # with no articles yet has none to read (should another process store some
        # meanwhile, the write finds them by guid and updates them in place).
        known = (
            await self._writer.run(lambda store: store.updates.known_articles(feed.id))
            if feed.total
            else []
        )
        try:
            prepared = await run(
                prepare_update,
                response.content,
                content_encoding=response.content_encoding,
                max_bytes=self._network.fetcher.max_bytes,
                url=response.url,
                headers=response.headers,
                known=known,
                now=now,
                filters=self._settings.filters,
                feed_title=feed.title,
            )
        except ParseError as error:
            await self._record_failure(feed, str(error), now)
            return updates.failed(feed, str(error))
        except WorkerDied:
            reason = "reading this feed ended the parsing process, twice (out of memory?)"
            await self._record_failure(feed, reason, now)
            return updates.failed(feed, reason)
        retention = self._settings.retention(feed, now)
        write = updates.update_job(feed, prepared, response.validators, now, retention)
        moved_to = response.moved_to

        def moved_and_written(store: Store) -> tuple[Feed, tuple[int, int]]:
            # Only a redirect that led to a readable feed moves the subscription (a
            # captive portal behind a 301 must not).
            _follow_move(store, feed, moved_to)
            counts = write(store)
            return store.subscriptions.feed(
                feed.id
            ) or feed, counts  # its counts now, read here too

        stored, counts = await self._writer.run(moved_and_written)
        return updates.result(stored, RefreshStatus.UPDATED, new=counts[0], updated=counts[1])

    async def _record_failure(
        self, feed: Feed, reason: str, now: datetime, retry_after: datetime | None = None
    ) -> None:
        await self._writer.run(
            lambda store: store.subscriptions.record_failure(
                feed.id, reason, now=now, retry_after=retry_after
            )
        )

    def _not_modified_job(
        self, feed: Feed, moved_to: str | None, validators: Validators, now: datetime
    ) -> Callable[[Store], None]:
        retention = self._settings.retention(feed, now)

        def write(store: Store) -> None:
            _follow_move(store, feed, moved_to)
            store.subscriptions.record_not_modified(feed.id, validators, now=now)
            if retention:
                store.updates.apply_retention(feed.id, retention)

        return write

    def ingest_document(
        self, feed_id: int, content: bytes, *, url: str | None = None
    ) -> RefreshResult:
        """Parse and store a feed document we already have (demo data, tests)."""
        from ..feeds.update import prepare_update

        feed = self._store.subscriptions.feed(feed_id)
        if feed is None:
            raise UsageError(f"no feed with id {feed_id}")
        now = self._clock()
        try:
            prepared = prepare_update(
                content,
                url=url or feed.url,
                headers=None,
                known=self._store.updates.known_articles(feed.id),
                now=now,
                filters=self._settings.filters,
                feed_title=feed.title,
            )
        except ParseError as error:
            self._store.subscriptions.record_failure(feed.id, str(error), now=now)
            return updates.failed(feed, str(error))
        validators = self._store.subscriptions.validators(feed.id)
        retention = self._settings.retention(feed, now)
        write = updates.update_job(feed, prepared, validators, now, retention)
        return updates.updated(self._store, feed, write(self._store))


def _follow_move(store: Store, feed: Feed, moved_to: str | None) -> None:
    if moved_to and moved_to != feed.url:
        store.subscriptions.move_feed(feed.id, moved_to)
