"""One sync with an aggregator server, step by step:

1. the server's subscriptions become readerterm's (folders are tags): new ones are added,
   ones the server dropped are removed, a feed already cached here is matched by its URL
   and keeps its articles;
2. the server's new articles are stored like a refresh's (`feeds.update.plan`: filters,
   teaser detection, conversion when first opened), with the server's read and starred
   states; a cached article the server also has (same guid, else same link) is matched,
   and read or starred on either side holds on both (one last synced with another account
   takes this one's states: see `SyncTable.switch_account`);
3. the decisions queued here (read, unread, star, unstar, in the order they were taken)
   are sent, and leave the queue once the server has taken each batch;
4. the server's read and starred states are taken for every synced article, except one
   with a decision still queued here.

Network calls run on the event loop; every database step is a job for the store writer's
thread (`run_on_store`), so the reader stays responsive. Any failure ends the sync with a
SyncError, leaving the cache and the queue as they were after the last finished step.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Protocol, TypeVar

from ..feeds.rows import MAX_AUTHOR, MAX_TITLE, shortened
from ..feeds.update import plan
from ..models import Feed, ParsedArticle, ParsedFeed
from ..store import Retention, Store
from ..text.safe import clean_line, is_clean_line
from .hints import same_server
from .protocol import RemoteFeed, RemoteItem, SyncError, SyncService

if TYPE_CHECKING:
    from ..config import FilterRule

T = TypeVar("T")


class RunOnStore(Protocol):
    """Runs a job on the store writer's thread (`StoreWriter.run`)."""

    def __call__(self, job: Callable[[Store], T], /) -> Awaitable[T]: ...


Progress = Callable[[str, int, int], None]
"""Told (step, done, total) as a sync goes."""

ITEMS_AT_ONCE = 250
"""Articles asked of the server per request (the Google Reader API takes this many ids)."""
ITEMS_HELD = 5_000
"""Articles held in memory before they are written, a write per feed (~15 MB of HTML)."""
SENT_AT_ONCE = 500
"""Queued decisions read and sent per round."""
OVERLAP = timedelta(minutes=10)
"""Items are asked for from this long before the last sync's start (clocks differ)."""
DEFAULT_FOLDER = "Uncategorized"
"""FreshRSS's folder for a feed in none: not a tag."""
MAX_FOLDER = 200
"""A server's folder name is stored (as a tag) at most this long."""

_ACTIONS: dict[str, tuple[str, bool]] = {
    "read": ("read", True),
    "unread": ("read", False),
    "star": ("starred", True),
    "unstar": ("starred", False),
}


@dataclass
class SyncReport:
    """What a sync did, for the status line, `readerterm sync` and its --json."""

    feeds_added: int = 0
    feeds_removed: int = 0
    new_articles: int = 0
    matched_articles: int = 0
    sent: int = 0
    dropped: int = 0
    """Decisions queued for the previous account, dropped as another one signed in."""
    read_changed: int = 0
    starred_changed: int = 0
    local_feeds: list[str] = field(default_factory=list)
    """Feeds readerterm fetches itself (not on the server)."""
    seconds: float = 0.0
    server_seconds: float = 0.0
    """Of `seconds`, the time spent waiting on the server."""


class SyncEngine:
    def __init__(
        self,
        service: SyncService,
        run_on_store: RunOnStore,
        *,
        account: tuple[str, str, str],
        filters: Sequence[FilterRule] = (),
        retention: Callable[[Feed, datetime], Retention | None] = lambda feed, now: None,
        clock: Callable[[], datetime],
        progress: Progress | None = None,
        switch_account: bool = False,
    ) -> None:
        self._service = service
        self._run = run_on_store
        self._account = account
        """(service, url, username): another account than last time starts afresh."""
        self._filters = filters
        self._retention = retention
        self._clock = clock
        self._progress = progress or (lambda step, done, total: None)
        self._switch_account = switch_account
        """Sign in as another account even with decisions waiting for the last one
        (they are dropped); without it, such a sync stops and says so."""
        self.report = SyncReport()

    async def _ask(self, call: Awaitable[T]) -> T:
        started = time.perf_counter()
        try:
            return await call
        finally:
            self.report.server_seconds += time.perf_counter() - started

    async def run(self) -> SyncReport:
        started = time.perf_counter()
        now = self._clock()
        kind, url, username = self._account
        before = await self._run(lambda store: store.sync.status())
        same = await self._run(
            lambda store: store.sync.start(kind, url, username, now, same_url=same_server)
        )
        checked = before.items_checked if same and before is not None else None
        try:
            self._progress("signing in", 0, 1)
            await self._ask(self._service.login())
            if not same:  # (only now: a refused sign-in leaves the old account's queue)
                if before is not None and before.queued and not self._switch_account:
                    raise SyncError(_waiting_for(before.url, before.username, before.queued))
                self.report.dropped = await self._run(
                    lambda store: store.sync.switch_account(kind, url, username, now)
                )
                same = True
            feeds = await self._subscriptions(now)
            await self._new_items(feeds, checked, now)
            await self._send_queue()
            await self._take_states()
        except SyncError as error:
            message = str(error)
            await self._run(
                lambda store: store.sync.fail(kind, url, username, self._clock(), message)
            )
            raise
        await self._run(lambda store: store.sync.finish(self._clock(), None, now))
        self.report.seconds = time.perf_counter() - started
        return self.report

    # -- 1. subscriptions -------------------------------------------------------------------

    async def _subscriptions(self, now: datetime) -> dict[str, Feed]:
        """The server's feeds bound to local ones: remote id -> Feed."""
        self._progress("subscriptions", 0, 1)
        remote = await self._ask(self._service.feeds())
        return await self._run(lambda store: self._bind_feeds(store, remote, now))

    def _bind_feeds(self, store: Store, remote: list[RemoteFeed], now: datetime) -> dict[str, Feed]:
        local = store.subscriptions.feeds()
        by_remote = {feed.remote_id: feed for feed in local if feed.remote_id}
        by_url = {feed.url: feed for feed in local if not feed.remote_id}
        removed = store.sync.unbind_feeds(feed.id for feed in remote)
        self.report.feeds_removed = len(removed)
        bound_ids: dict[str, int] = {}
        for item in remote:
            if _web_link(item.url) is None:  # (no feed readerterm would store)
                continue
            title = shortened(clean_line(item.title), MAX_TITLE) or item.url
            tags = [
                tag
                for tag in (shortened(clean_line(folder), MAX_FOLDER) for folder in item.folders)
                if tag and tag != DEFAULT_FOLDER
            ]
            feed = by_remote.get(item.id) or by_url.pop(item.url, None)
            if feed is None:
                feed_id = store.subscriptions.add_feed(item.url, title=title, tags=tags, now=now)
                self.report.feeds_added += 1
            else:
                feed_id = feed.id
            site = _web_link(item.site_url)
            store.sync.bind_feed(feed_id, item.id, title=title, tags=tags, site_url=site)
            bound_ids[item.id] = feed_id
        self.report.local_feeds = [feed.title for feed in by_url.values()]
        stored = {feed.id: feed for feed in store.subscriptions.feeds()}  # one read, not one a feed
        return {remote_id: stored[i] for remote_id, i in bound_ids.items() if i in stored}

    # -- 2. new articles ----------------------------------------------------------------------

    async def _new_items(
        self, feeds: dict[str, Feed], checked: datetime | None, now: datetime
    ) -> None:
        known = await self._run(lambda store: store.sync.known_remote_ids())
        since = checked - OVERLAP if checked is not None else None
        after = max(known, key=_id_order) if known and checked is not None else None
        self._progress("listing articles", 0, 1)
        listed = await self._ask(self._service.item_ids(since, after))
        wanted = [item_id for item_id in listed if item_id not in known]
        done = 0
        pending: dict[str, list[RemoteItem]] = defaultdict(list)
        held = 0
        for start in range(0, len(wanted), ITEMS_AT_ONCE):
            self._progress("articles", done, len(wanted))
            batch = wanted[start : start + ITEMS_AT_ONCE]
            for item in await self._ask(self._service.items(batch)):
                if item.feed_id in feeds:
                    pending[item.feed_id].append(item)
                    held += 1
            done += len(batch)
            if held >= ITEMS_HELD:
                await self._store_pending(feeds, pending, now)
                held = 0
        await self._store_pending(feeds, pending, now)
        self._progress("articles", done, len(wanted))

    async def _store_pending(
        self, feeds: dict[str, Feed], pending: dict[str, list[RemoteItem]], now: datetime
    ) -> None:
        """One write per feed for the articles held: a server lists articles across feeds,
        and a write per batch and feed was a transaction (and a look-up of the feed's
        known articles) per article or two. First sync of 10,000 articles in 100 feeds
        (`uv run python benchmarks/sync.py`): 4.54 s and 3.69 s of CPU that way, 2.38 s
        and 1.91 s this way."""
        for remote_feed_id, feed_items in pending.items():
            await self._store_items(feeds[remote_feed_id], feed_items, now)
        pending.clear()

    async def _store_items(self, feed: Feed, items: list[RemoteItem], now: datetime) -> None:
        articles = [_parsed(item) for item in items]
        remote_ids = {article.guid: item.id for article, item in zip(articles, items, strict=True)}
        states = {
            article.guid: (item.read, item.starred)
            for article, item in zip(articles, items, strict=True)
        }
        retention = self._retention(feed, now)

        def write(store: Store) -> int:
            """Store the items; returns how many were stories already cached."""
            known = store.updates.known_articles(feed.id)
            parsed = ParsedFeed(title=feed.title, site_url=feed.site_url, articles=tuple(articles))
            prepared = plan(
                parsed, known=known, now=now, filters=self._filters, feed_title=feed.title
            )
            matched = store.sync.write_items(
                feed.id,
                title=feed.title,
                site_url=feed.site_url,
                articles=prepared.articles,
                remote_ids=remote_ids,
                states=states,
                now=now,
                retention=retention,
            )
            merges = [
                (match, remote_ids[guid], *states[guid])
                for guid, match in matched.items()
                if not match.old_account  # (it took the server's states)
            ]
            if merges:
                store.sync.merge_states(merges)
            return len(matched)

        matched = await self._run(write)
        self.report.matched_articles += matched
        self.report.new_articles += len(items) - matched

    # -- 3. the queue -------------------------------------------------------------------------

    async def _send_queue(self) -> None:
        sent = 0
        while queued := await self._run(lambda store: store.sync.queued(SENT_AT_ONCE)):
            self._progress("sending", sent, sent + len(queued))
            # Consecutive decisions of one kind go together, in the order they were taken.
            start = 0
            while start < len(queued):
                action = queued[start].action
                end = start
                while end < len(queued) and queued[end].action == action:
                    end += 1
                run = queued[start:end]
                flag, value = _ACTIONS[action]
                ids = list(dict.fromkeys(entry.remote_id for entry in run))
                if flag == "read":
                    await self._ask(self._service.set_read(ids, value))
                else:
                    await self._ask(self._service.set_starred(ids, value))
                await self._run(partial(_mark_sent, [entry.seq for entry in run]))
                sent += len(run)
                start = end
        self.report.sent = sent

    # -- 4. states ----------------------------------------------------------------------------

    async def _take_states(self) -> None:
        self._progress("read and starred", 0, 1)
        unread = await self._ask(self._service.unread_ids())
        starred = await self._ask(self._service.starred_ids())
        read_changed, starred_changed = await self._run(
            lambda store: store.sync.apply_states(unread, starred)
        )
        self.report.read_changed = read_changed
        self.report.starred_changed = starred_changed


def _waiting_for(url: str, username: str, queued: int) -> str:
    """Why a sync as another account stops: the last one's queue would be lost."""
    decisions = "1 decision" if queued == 1 else f"{queued} decisions"
    return (
        f"{decisions} taken here wait for {clean_line(username)} at {clean_line(url)},"
        " the account synced before: put that account back in the config and sync to send"
        " them, or run `readerterm sync --switch-account` to drop them and switch"
    )


def _mark_sent(seqs: list[int], store: Store) -> None:
    store.sync.sent(seqs)


def _parsed(item: RemoteItem) -> ParsedArticle:
    """A server's article as a feed document's entry, cleaned as parse.py cleans one."""
    url = _web_link(item.url)
    author = shortened(clean_line(item.author or ""), MAX_AUTHOR) or None
    return ParsedArticle(
        guid=item.guid or item.id,
        url=url,
        title=shortened(clean_line(item.title), MAX_TITLE) or (url or "Untitled"),
        author=author,
        published=item.published,
        summary_html="",
        content_html=item.content_html,
    )


def _web_link(link: str | None) -> str | None:
    """A link from the server kept only when it is a plain http(s) URL."""
    if not link or not link.lower().startswith(("http://", "https://")):
        return None
    return link if is_clean_line(link) and not any(ch.isspace() for ch in link) else None


def _id_order(remote_id: str) -> tuple[int, str]:
    return (int(remote_id), "") if remote_id.isdigit() else (-1, remote_id)
