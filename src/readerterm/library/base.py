"""The state every part of the Library shares: the store, the fetcher, the clock."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import importlib
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Self

from ..config import Config, FeedConfig, FilterRule
from ..errors import StoreError, UsageError
from ..models import (
    Article,
    Feed,
    RefreshResult,
    RefreshStatus,
    Validators,
)
from ..paths import Paths
from ..store import PreparedUpdate, Retention, Store
from ..text.safe import clean_line
from ..workers.pool import CpuPool
from .results import Change
from .writer import StoreWriter

if TYPE_CHECKING:
    from ..net.fetch import Fetcher


log = logging.getLogger(__name__)

MAX_RETRY_AFTER = timedelta(hours=24)
PROCESSES_FROM_FEEDS = 6
"""Refreshes of at least this many feeds parse in worker processes."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class LibraryBase:
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
        self.offline = offline
        """True: nothing touches the network; everything comes from the cache."""
        self._fetcher = fetcher
        self._clock = clock
        self._cpu = CpuPool()
        self._writer = StoreWriter(store)
        """Where a refresh writes, off the event loop; it indexes for search in the
        background once `index_in_background` turns that on."""
        self.filters: tuple[FilterRule, ...] = ()
        """Config rules that hide matching new articles at refresh time."""
        self.retention_days = 0
        """Articles older than this many days are deleted at refresh (0: never)."""
        self.refresh_minutes = 0
        """Default interval for `refresh(due_only=True)`; 0 means every time."""
        self.feed_options: dict[str, FeedConfig] = {}
        """Per-feed settings from the config, by the URL the config gives."""
        self._undo: list[Change] = []
        """Triage changes of this session, newest last."""
        self._parsers: asyncio.Future[None] | None = None
        """The parsers' import, on a thread (see `_load_parsers`)."""

    def _load_parsers(self) -> asyncio.Future[None]:
        """Import the feed parsers (readerterm.feeds.update, ~50 ms) on a thread, once: a refresh
        starts it while the first feeds download, and the first document waits for it."""
        loop = asyncio.get_running_loop()
        loading = self._parsers
        failed = (
            loading is not None
            and loading.done()
            and (loading.cancelled() or loading.exception() is not None)
        )
        if loading is None or loading.get_loop() is not loop or failed:
            loading = self._parsers = asyncio.ensure_future(preload("readerterm.feeds.update"))
        return loading

    @classmethod
    def open(cls, paths: Paths, *, offline: bool = False) -> Self:
        return cls(Store(paths.database), offline=offline)

    @classmethod
    def open_at(cls, database: Path | str, *, offline: bool = False) -> Self:
        return cls(Store(database), offline=offline)

    @property
    def fetcher(self) -> Fetcher:
        if self.offline:
            raise UsageError("offline: the network is not used")
        if self._fetcher is None:
            from ..net.fetch import Fetcher

            self._fetcher = Fetcher()
        return self._fetcher

    async def aclose(self) -> None:
        self._cpu.close()
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None

    def close(self) -> None:
        self._cpu.close()
        self._writer.close()
        self.store.close()

    def search_pending(self) -> int:
        """How many stored articles a search cannot find yet (being indexed)."""
        return self.store.pending_search_count()

    def index_in_background(self) -> None:
        """From now on, index what waits for search on the writer thread whenever it is
        idle and no refresh runs (the reader turns this on; commands index on demand)."""
        self._writer.index_in_background()

    async def finish_indexing(self, progress: Callable[[int], None] | None = None) -> None:
        """Index everything that waits for search, and wait for it (a command's search);
        `progress` is told how many still wait after each batch."""
        await self._writer.finish_indexing(progress)

    def configure(self, config: Config) -> None:
        """Take the config's filter rules, retention and per-feed settings."""
        self.filters = config.filters
        self.retention_days = config.retention_days
        self.refresh_minutes = config.refresh_minutes
        self.feed_options = {item.url: item for item in config.feeds}

    def options_for(self, feed: Feed) -> FeedConfig | None:
        """The config's settings for a feed, also after it moved (permanent redirect)."""
        if not self.feed_options:
            return None
        if options := self.feed_options.get(feed.url):
            return options
        for old_url in self.store.former_urls(feed.id):
            if options := self.feed_options.get(old_url):
                return options
        return None

    def retention(self, feed: Feed, now: datetime) -> Retention | None:
        """What a refresh of this feed may delete (None: keep everything)."""
        options = self.options_for(feed)
        item_limit = options.item_limit if options else None
        if not self.retention_days and item_limit is None:
            return None
        older_than = now - timedelta(days=self.retention_days) if self.retention_days else None
        return Retention(older_than=older_than, item_limit=item_limit)

    def _update_job(
        self, feed: Feed, prepared: PreparedUpdate, validators: Validators, now: datetime
    ) -> Callable[[Store], tuple[int, int]]:
        """Writing a feed's update, as a job for whichever connection runs it."""
        retention = self.retention(feed, now)

        def write(store: Store) -> tuple[int, int]:
            return store.apply_update(
                feed.id,
                title=prepared.title,
                site_url=prepared.site_url,
                validators=validators,
                articles=prepared.articles,
                now=now,
                retention=retention,
                guids=prepared.guids,
            )

        return write

    def _updated(self, feed: Feed, counts: tuple[int, int]) -> RefreshResult:
        new, updated = counts
        return self._result(self._feed_now(feed), RefreshStatus.UPDATED, new=new, updated=updated)

    def feed(self, feed_id: int) -> Feed:
        feed = self.store.feed(feed_id)
        if feed is None:
            raise UsageError(f"no feed with id {feed_id}")
        return feed

    def stored_article(self, article_id: int) -> Article:
        """The article as stored, never converted here: key points only once it has been
        opened (or its page extracted), a plain-text body until then. For listings of
        many articles (`articles --json`), where converting each would cost ~10 ms and a
        write."""
        article = self.store.article(article_id)
        if article is None:
            raise UsageError(f"no article with id {article_id}")
        return article

    def article(self, article_id: int) -> Article:
        """The full article. One still holding its feed HTML is converted to markdown and
        key points now (about 10 ms) and saved, so it is done once and reads offline."""
        html = self.store.unconverted_html(article_id)
        # Its plain text is not made when the HTML is about to be converted.
        article = self.store.article(article_id, make_body=html is None)
        if article is None:
            raise UsageError(f"no article with id {article_id}")
        if html is None:
            return article
        from ..text import extract

        try:
            converted = extract.from_feed_html(html, base_url=article.url)
        except Exception:  # a hostile document must not make the article unreadable
            log.exception("converting article %s failed", article_id)
            return self.store.article(article_id) or article
        shown = dataclasses.replace(
            article,
            body=converted.body,
            key_points=converted.key_points,
            key_points_origin=converted.key_points_origin,
            words=converted.words,
        )
        # Saving is a cache: a full or read-only disk must not stop the reading.
        with contextlib.suppress(StoreError):
            self.store.save_conversion(
                article_id,
                body=converted.body,
                key_points=converted.key_points,
                key_points_origin=converted.key_points_origin,
                words=converted.words,
            )
        return shown

    def _feed_now(self, feed: Feed) -> Feed:
        """The feed as stored now (counts and title after an update)."""
        return self.store.feed(feed.id) or feed

    @staticmethod
    def _result(
        feed: Feed,
        status: RefreshStatus,
        *,
        new: int = 0,
        updated: int = 0,
        error: str | None = None,
    ) -> RefreshResult:
        return RefreshResult(
            feed_id=feed.id,
            feed_url=feed.url,
            feed_title=feed.title,
            status=status,
            new_articles=new,
            updated_articles=updated,
            error=error,
        )

    def _failed(self, feed: Feed, error: str) -> RefreshResult:
        return self._result(feed, RefreshStatus.FAILED, error=error)


HTTP_MODULES = ("readerterm.net.fetch",)
"""What the first request needs: httpx, h11 and readerterm's transport (~0.1 s)."""


async def preload(*modules: str) -> None:
    """Import modules on a thread (httpx, the parsers, trafilatura: 0.1 to 0.3 s each).
    The import still takes the GIL, but in slices, so the event loop keeps running instead
    of stopping for the whole import when the module is first used."""
    missing = [name for name in modules if name not in sys.modules]
    if missing:
        await asyncio.to_thread(_import_all, missing)


def _import_all(names: Sequence[str]) -> None:
    for name in names:
        # A dependency's internals (see HTTP_MODULES) may move: then they load when used.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def clean_tags(tags: Sequence[str]) -> list[str]:
    return [tag for tag in (clean_line(t) for t in tags) if tag]
