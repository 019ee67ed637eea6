"""The facade the UI and the CLI call: subscriptions, articles, refresh, OPML.

Reads and writes go to the local SQLite store synchronously (they take milliseconds);
refresh is an async iterator that yields one RefreshResult per feed as each finishes.
Per-feed failures are data (RefreshResult.error), never exceptions. Never imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import opml
from .config import FeedConfig, FilterRule
from .errors import FetchError, ParseError, ReaderTermError, StoreError, UsageError
from .models import (
    Article,
    ArticleFilter,
    ArticleRow,
    Feed,
    Flag,
    RefreshResult,
    RefreshStatus,
    Validators,
)
from .paths import Paths
from .query import ParsedQuery, parse_query
from .store import Store
from .text import clean_line
from .workers import CpuPool

if TYPE_CHECKING:
    from .fetch import Fetcher
    from .update import PreparedUpdate

# httpx, feedparser, BeautifulSoup and trafilatura take most of a second to import; the
# modules that use them (fetch, update, extract) are imported where first needed, so the
# reader can draw its first screen from the cache before any of them is loaded.

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = timedelta(hours=24)
PROCESSES_FROM_FEEDS = 6
"""Refreshes of at least this many feeds parse in worker processes."""


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class AddResult:
    feed: Feed
    refresh: RefreshResult | None
    """What the first fetch did; None when nothing was fetched (offline with --force)."""
    alternatives: tuple[str, ...] = ()
    """Other feeds the page advertised, when a page URL was given."""


@dataclass(frozen=True, slots=True)
class _FoundFeed:
    url: str
    prepared: PreparedUpdate
    validators: Validators
    alternatives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """One triage decision, as undo needs it: the flag, what it was set to, what it was."""

    flag: Flag
    value: bool
    before: dict[int, bool]

    @property
    def count(self) -> int:
        return len(self.before)


@dataclass(frozen=True, slots=True)
class PageResult:
    """What fetching one article's page did."""

    article_id: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: tuple[str, ...]
    already: tuple[str, ...]
    skipped: tuple[str, ...]
    """Each entry says what was skipped and why."""


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
        self.offline = offline
        """True: nothing touches the network; everything comes from the cache."""
        self._fetcher = fetcher
        self._clock = clock
        self._cpu = CpuPool()
        self.filters: tuple[FilterRule, ...] = ()
        """Config rules that hide matching new articles at refresh time."""
        self._undo: list[Change] = []
        """Triage changes of this session, newest last."""

    @classmethod
    def open(cls, paths: Paths, *, offline: bool = False) -> Library:
        return cls(Store(paths.database), offline=offline)

    @classmethod
    def open_at(cls, database: Path | str, *, offline: bool = False) -> Library:
        return cls(Store(database), offline=offline)

    @property
    def fetcher(self) -> Fetcher:
        if self.offline:
            raise UsageError("offline: the network is not used")
        if self._fetcher is None:
            from .fetch import Fetcher

            self._fetcher = Fetcher()
        return self._fetcher

    async def aclose(self) -> None:
        self._cpu.close()
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None

    def close(self) -> None:
        self._cpu.close()
        self.store.close()

    # -- feeds ------------------------------------------------------------------------

    def feeds(self) -> list[Feed]:
        return self.store.feeds()

    def feed(self, feed_id: int) -> Feed:
        feed = self.store.feed(feed_id)
        if feed is None:
            raise UsageError(f"no feed with id {feed_id}")
        return feed

    def find_feed(self, reference: str) -> Feed:
        """A feed by id, URL or exact title (as a user types it on the command line)."""
        reference = reference.strip()
        if reference.isdigit() and (feed := self.store.feed(int(reference))):
            return feed
        if feed := self.store.feed_by_url(reference):
            return feed
        matches = [f for f in self.store.feeds() if f.title.casefold() == reference.casefold()]
        if len(matches) == 1:
            return matches[0]
        raise UsageError(f"no subscribed feed matches {reference!r} (give its id or URL)")

    def total_unread(self) -> int:
        return self.store.total_unread()

    def subscribe(self, url: str, *, title: str | None = None, tags: Sequence[str] = ()) -> Feed:
        """Subscribe without fetching (import, config). Raises UsageError."""
        url = check_feed_url(url)
        if existing := self.store.feed_by_url(url):
            raise UsageError(f"already subscribed: {existing.title} ({url})")
        feed_id = self.store.add_feed(
            url, title=clean_line(title) or None, tags=_clean_tags(tags), now=self._clock()
        )
        return self.feed(feed_id)

    async def add_feed(
        self,
        url: str,
        *,
        title: str | None = None,
        tags: Sequence[str] = (),
        force: bool = False,
    ) -> AddResult:
        """Fetch the feed once and subscribe if it reads; with force, subscribe anyway.

        A web page's URL is resolved to the feed it advertises (or a common feed path).
        """
        url = check_feed_url(url)
        if existing := self.store.feed_by_url(url):
            raise UsageError(f"already subscribed: {existing.title} ({url})")
        if self.offline:
            if not force:
                raise UsageError("offline: cannot check the feed (use --force to add it anyway)")
            return AddResult(self.subscribe(url, title=title, tags=tags), None)
        now = self._clock()
        try:
            found = await self._find_feed(url, now)
        except (FetchError, ParseError) as error:
            if not force:
                raise UsageError(
                    f"{url}: {error}; not subscribed (use --force to add it anyway)"
                ) from error
            feed = self.subscribe(url, title=title, tags=tags)
            self.store.record_failure(feed.id, str(error), now=now)
            return AddResult(self.feed(feed.id), self._failed(feed, str(error)))
        if found.url != url and (existing := self.store.feed_by_url(found.url)):
            raise UsageError(f"already subscribed: {existing.title} ({found.url})")
        feed = self.subscribe(found.url, title=title, tags=tags)
        result = self._store_update(feed, found.prepared, found.validators, now)
        return AddResult(self.feed(feed.id), result, found.alternatives)

    async def _find_feed(self, url: str, now: datetime) -> _FoundFeed:
        """Fetch `url`; if it is a web page, follow its feed links (then common paths)."""
        from . import discover
        from .fetch import NotModified
        from .update import prepare_update

        response = await self.fetcher.fetch(url)
        assert not isinstance(response, NotModified)
        try:
            prepared = await asyncio.to_thread(
                prepare_update, response.content, url=response.url, headers=response.headers,
                known=(), now=now,
            )  # fmt: skip
            return _FoundFeed(url, prepared, response.validators, ())
        except ParseError as not_a_feed:
            head = response.content[:4096].lower()
            if b"<html" not in head and b"<!doctype html" not in head:
                raise
            page = response.content.decode("utf-8", errors="replace")
            linked = [link for link, _ in discover.feed_links(page, response.url)]
            candidates = linked or discover.common_feed_urls(response.url)
            for candidate in candidates:
                try:
                    feed_response = await self.fetcher.fetch(candidate)
                    assert not isinstance(feed_response, NotModified)
                    prepared = await asyncio.to_thread(
                        prepare_update, feed_response.content, url=feed_response.url,
                        headers=feed_response.headers, known=(), now=now,
                    )  # fmt: skip
                except (FetchError, ParseError):
                    continue
                others = tuple(link for link in linked if link != candidate)
                return _FoundFeed(candidate, prepared, feed_response.validators, others)
            raise ParseError(
                "this is a web page and no feed was found on it or at the usual places"
            ) from not_a_feed

    def remove_feed(self, feed_id: int) -> None:
        self.feed(feed_id)
        self.store.remove_feed(feed_id)

    def sync_config_feeds(self, feeds: Sequence[FeedConfig]) -> list[Feed]:
        """Subscribe to config feeds seen for the first time; a removed one stays removed."""
        added = []
        for item in feeds:
            if self.store.config_feed_seen(item.url):
                self._apply_feed_config(item)
                continue
            if self.store.feed_by_url(item.url) is None:
                added.append(self.subscribe(item.url, title=item.title, tags=item.tags))
            self._apply_feed_config(item)
            self.store.mark_config_feed_seen(item.url)
        return added

    def _apply_feed_config(self, item: FeedConfig) -> None:
        """The config is the word on a listed feed's title, tags and page fetching."""
        self.store.set_feed_settings(
            item.url,
            title=clean_line(item.title) or None,
            tags=_clean_tags(item.tags),
            fetch_pages=item.fetch_pages,
        )

    # -- articles -----------------------------------------------------------------------

    def article_ids(
        self,
        *,
        feed_id: int | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        search: str | None = None,
    ) -> list[int]:
        """Ids in display order (newest first); a list widget pages rows by id.
        `search` takes the query syntax of `parse_query` (free words, feed:, is: ...)."""
        view = ArticleFilter(feed_id=feed_id, unread=unread_only, starred=starred_only)
        if search and search.strip():
            view = parse_query(search, base=view).view
        return self.store.query_ids(view)

    def query(self, view: ArticleFilter) -> list[int]:
        """Ids of the articles a view shows, in its order."""
        return self.store.query_ids(view)

    def search(self, text: str, *, base: ArticleFilter | None = None) -> ParsedQuery:
        """Parse a search as typed (the result says what could not be understood)."""
        return parse_query(text, base=base)

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        return self.store.article_rows(ids)

    def article(self, article_id: int) -> Article:
        article = self.store.article(article_id)
        if article is None:
            raise UsageError(f"no article with id {article_id}")
        return article

    def first_unread(self, ids: Sequence[int]) -> int | None:
        """The first id of `ids` (in that order) that is unread, or None."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            flags = self.store.flags(chunk, "read")
            for article_id in chunk:
                if flags.get(article_id) is False:
                    return article_id
        return None

    # -- triage: every change is written at once and can be undone ----------------------

    def set_flag(self, ids: Sequence[int], flag: Flag, value: bool) -> Change | None:
        """Set a state on articles; returns the undoable change (None if nothing changed)."""
        before = self.store.flags(ids, flag)
        changed = {i: old for i, old in before.items() if old is not value}
        if not changed:
            return None
        self.store.set_flag(list(changed), flag, value)
        change = Change(flag=flag, value=value, before=changed)
        self._undo.append(change)
        return change

    def toggle(self, article_id: int, flag: Flag) -> bool:
        """Flip one state of one article; returns the new value."""
        value = not self.store.flags([article_id], flag).get(article_id, False)
        self.set_flag([article_id], flag, value)
        return value

    def set_read(self, article_id: int, read: bool) -> None:
        self.set_flag([article_id], "read", read)

    def set_starred(self, article_id: int, starred: bool) -> None:
        self.set_flag([article_id], "starred", starred)

    def mark_read(self, ids: Sequence[int]) -> Change | None:
        """Mark many articles read at once (one undo step)."""
        return self.set_flag(ids, "read", True)

    def undo(self) -> Change | None:
        """Put back the states the last change replaced; None when there is nothing to undo."""
        if not self._undo:
            return None
        change = self._undo.pop()
        self.store.restore_flags(change.before, change.flag)
        return change

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def set_article_tags(self, article_id: int, tags: Sequence[str]) -> None:
        self.store.set_article_tags(article_id, _clean_tags(tags))

    # -- refresh -------------------------------------------------------------------------

    async def refresh(self, feed_ids: Sequence[int] | None = None) -> AsyncIterator[RefreshResult]:
        """Refresh the given feeds (all when None); yields results as feeds finish."""
        wanted = None if feed_ids is None else set(feed_ids)
        feeds = [f for f in self.store.feeds() if wanted is None or f.id in wanted]
        if self.offline:
            for feed in feeds:
                yield self._result(feed, RefreshStatus.SKIPPED, error="offline")
            return
        # Worker processes pay off only for refreshes of several feeds.
        in_processes = len(feeds) >= PROCESSES_FROM_FEEDS
        tasks = [asyncio.create_task(self._refresh_one(feed, in_processes)) for feed in feeds]
        try:
            for finished in asyncio.as_completed(tasks):
                yield await finished
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _refresh_one(self, feed: Feed, in_processes: bool = False) -> RefreshResult:
        from .fetch import NotModified
        from .update import prepare_update

        now = self._clock()
        try:
            wait_until = self.store.retry_after(feed.id)
            if wait_until is not None and wait_until > now:
                when = wait_until.astimezone().strftime("%H:%M")
                return self._result(
                    feed, RefreshStatus.SKIPPED, error=f"the server asked us to wait until {when}"
                )
            try:
                response = await self.fetcher.fetch(feed.url, self.store.validators(feed.id))
            except FetchError as error:
                retry = None
                if error.retry_after is not None:
                    retry = now + min(timedelta(seconds=error.retry_after), MAX_RETRY_AFTER)
                self.store.record_failure(feed.id, str(error), now=now, retry_after=retry)
                return self._failed(feed, str(error))
            if response.moved_to and response.moved_to != feed.url:
                self.store.move_feed(feed.id, response.moved_to)
            if isinstance(response, NotModified):
                self.store.record_not_modified(feed.id, response.validators, now=now)
                return self._result(feed, RefreshStatus.NOT_MODIFIED)
            run = self._cpu.run if in_processes else asyncio.to_thread
            try:
                prepared = await run(
                    prepare_update,
                    response.content,
                    url=response.url,
                    headers=response.headers,
                    known=self.store.known_articles(feed.id),
                    now=now,
                    filters=self.filters,
                    feed_title=feed.title,
                )
            except ParseError as error:
                self.store.record_failure(feed.id, str(error), now=now)
                return self._failed(feed, str(error))
            return self._store_update(feed, prepared, response.validators, now)
        except StoreError as error:
            return self._failed(feed, str(error))
        except ReaderTermError as error:
            return self._failed(feed, str(error))
        except Exception as error:  # a bug must not stop the other feeds
            log.exception("refreshing %s failed", feed.url)
            reason = f"internal error while reading this feed: {type(error).__name__}: {error}"
            with contextlib.suppress(StoreError):
                self.store.record_failure(feed.id, reason, now=now)
            return self._failed(feed, reason)

    def ingest_document(
        self, feed_id: int, content: bytes, *, url: str | None = None
    ) -> RefreshResult:
        """Parse and store a feed document we already have (demo data, tests)."""
        from .update import prepare_update

        feed = self.feed(feed_id)
        now = self._clock()
        try:
            prepared = prepare_update(
                content,
                url=url or feed.url,
                headers=None,
                known=self.store.known_articles(feed.id),
                now=now,
                filters=self.filters,
                feed_title=feed.title,
            )
        except ParseError as error:
            self.store.record_failure(feed.id, str(error), now=now)
            return self._failed(feed, str(error))
        return self._store_update(feed, prepared, self.store.validators(feed.id), now)

    def _store_update(
        self, feed: Feed, prepared: PreparedUpdate, validators: Validators, now: datetime
    ) -> RefreshResult:
        new, updated = self.store.apply_update(
            feed.id,
            title=prepared.title,
            site_url=prepared.site_url,
            validators=validators,
            articles=prepared.articles,
            now=now,
        )
        return self._result(self.feed(feed.id), RefreshStatus.UPDATED, new=new, updated=updated)

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

    # -- article pages (full text) ---------------------------------------------------------

    def pages_to_fetch(
        self, feed_ids: Sequence[int] | None = None, *, limit: int = 500
    ) -> list[int]:
        """Unread articles whose full text should come from their page (newest first)."""
        return [i for i, _ in self.store.articles_needing_pages(limit=limit, feed_ids=feed_ids)]

    async def fetch_pages(
        self, article_ids: Sequence[int], *, concurrency: int = 8
    ) -> AsyncIterator[PageResult]:
        """Fetch and extract the pages of these articles, yielding results as they finish.
        Cancelling the consumer cancels the fetches; what finished is already stored."""
        if self.offline:
            for article_id in article_ids:
                yield PageResult(article_id, "offline")
            return
        limit = asyncio.Semaphore(concurrency)

        async def one(article_id: int) -> PageResult:
            async with limit:
                return await self.extract_page(article_id)

        tasks = [asyncio.create_task(one(article_id)) for article_id in article_ids]
        try:
            for finished in asyncio.as_completed(tasks):
                yield await finished
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def extract_page(self, article_id: int) -> PageResult:
        """Fetch one article's page and store its text and key points (also re-extracts)."""
        article = self.article(article_id)
        if self.offline:
            return PageResult(article_id, "offline: the page cannot be fetched")
        if not article.url:
            return PageResult(article_id, "this article has no link to fetch")
        from . import extract
        from .fetch import PAGE_ACCEPT, NotModified
        from .update import choose_text

        try:
            response = await self.fetcher.fetch(article.url, accept=PAGE_ACCEPT)
            assert not isinstance(response, NotModified)
            charset = _charset(response.headers.get("content-type", ""))
            html = response.content.decode(charset, errors="replace")
            page = await asyncio.to_thread(extract.from_page_html, html, url=response.url)
        except (FetchError, ParseError) as error:
            self.store.mark_extraction_failed(article_id, str(error))
            return PageResult(article_id, str(error))
        except Exception as error:  # a hostile page must not stop the other pages
            log.exception("extracting %s failed", article.url)
            reason = f"could not extract the page: {type(error).__name__}"
            self.store.mark_extraction_failed(article_id, reason)
            return PageResult(article_id, reason)
        chosen = choose_text(article.body, article.key_points, article.key_points_origin, page)
        self.store.save_extraction(
            article_id,
            body=chosen.body,
            key_points=chosen.key_points,
            key_points_origin=chosen.key_points_origin,
            words=chosen.words,
            author=page.author,
            image_url=page.image_url,
            now=self._clock(),
        )
        return PageResult(article_id)

    # -- OPML ----------------------------------------------------------------------------

    def import_opml(self, content: bytes) -> ImportReport:
        """Subscribe every http(s) feed in an OPML document, without fetching."""
        outlines, skipped = opml.read_opml(content)
        added: list[str] = []
        already: list[str] = []
        skipped_all = list(skipped)
        for outline in outlines:
            try:
                self.subscribe(outline.url, title=outline.title, tags=outline.tags)
            except UsageError as error:
                (already if "already subscribed" in str(error) else skipped_all).append(str(error))
                continue
            added.append(outline.url)
        return ImportReport(tuple(added), tuple(already), tuple(skipped_all))

    def export_opml(self) -> str:
        return opml.write_opml(self.store.feeds(), now=self._clock())


def check_feed_url(url: str) -> str:
    """The URL, stripped, if it is an http(s) URL with a host; else a UsageError."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise UsageError(f"not a valid URL: {url!r}") from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise UsageError(f"only http:// and https:// feed URLs are accepted, not {url!r}")
    if not parts.hostname or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise UsageError(f"not a valid feed URL: {url!r}")
    return url


def _charset(content_type: str) -> str:
    for part in content_type.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value.strip("\"' "):
            charset = value.strip("\"' ")
            try:
                "".encode(charset)
            except LookupError:
                break
            return charset
    return "utf-8"


def _clean_tags(tags: Sequence[str]) -> list[str]:
    return [tag for tag in (clean_line(t) for t in tags) if tag]
