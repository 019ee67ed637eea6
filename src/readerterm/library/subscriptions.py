"""Subscribing, checking, removing and listing feeds; OPML import and export."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from ..config import FeedConfig, feed_url_problem
from ..errors import FetchError, ParseError, StoreError, UsageError
from ..feeds import opml
from ..feeds.rows import MAX_TITLE, shortened
from ..models import Feed
from ..store import NewFeed, Store
from ..text.safe import clean_line, is_clean_line
from . import updates
from .network import Network
from .reading import clean_tags
from .results import AddResult, ImportReport, _FoundFeed
from .settings import FeedSettings
from .syncing import Syncing
from .writer import StoreWriter

log = logging.getLogger(__name__)


_SCHEMELESS = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d{1,5})?([/?#]\S*)?$")
"""An address typed without a scheme, as in a browser's bar: a dotted host name or IPv4
address, maybe a port and a path (not "javascript:...", not one word)."""


def already_subscribed(existing: Feed, url: str) -> str:
    """Why `url` is not added: the stored feed's name and the URL. A feed with no title
    yet is named by its URL: that URL is then said once, not twice."""
    if existing.title == url:
        return f"already subscribed: {url}"
    return f"already subscribed: {existing.title} ({url})"


@dataclasses.dataclass(frozen=True, slots=True)
class ConfigFeeds:
    """What `Subscriptions.add_config_feeds` did."""

    added: list[Feed]
    not_written: str | None = None
    """Why some of the config's feeds or feed settings are not in the database yet, in one
    line for the user; None when all are."""
    removed: list[FeedConfig] = dataclasses.field(default_factory=list)
    """The config's feeds left out because they were removed since it added them."""


def _not_written(feeds: Sequence[FeedConfig], error: StoreError) -> str:
    noun = "feed" if len(feeds) == 1 else "feeds"
    return clean_line(
        f"the config's {noun} could not all be added ({error}); reading works, and they are"
        " added at the next start that can write"
    )


class CannotAdd(UsageError):
    """The feed could not be fetched or read now; subscribing anyway (`force`) is possible.
    The message names no command-line flag: each front end offers that its own way."""


class Subscriptions:
    """The feeds the user follows: what a front end lists, adds, checks and removes."""

    def __init__(
        self,
        store: Store,
        writer: StoreWriter,
        network: Network,
        settings: FeedSettings,
        syncing: Syncing,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._syncing = syncing
        self._writer = writer
        self._network = network
        self._settings = settings
        self._clock = clock

    def feeds(self) -> list[Feed]:
        return self._store.subscriptions.feeds()

    def feed_count(self, *, fetched_here: bool = False) -> int:
        return self._store.subscriptions.feed_count(fetched_here=fetched_here)

    def find_feed(self, reference: str, *, deleting: bool = False) -> Feed:
        """A feed by id, URL or title as a user types it on the command line, in any case,
        or by a word or part of its title when only one feed's title holds it: the one
        lookup of `remove`, `refresh` and `articles --feed`. A number is an id, never part
        of a title. Several feeds matching are named (five, and how many more) and none
        is taken. A command that deletes (`deleting`) never acts on a guess: a part of a
        title names the feed it matches and its id instead (`remove '&'` removed "Climate
        & Energy")."""
        reference = reference.strip()
        number = parse_id(reference)
        if number is not None and (feed := self._store.subscriptions.feed(number)):
            return feed
        if feed := self._store.subscriptions.feed_by_url(reference):
            return feed
        wanted = reference.casefold()
        feeds = self._store.subscriptions.feeds()
        matches = [f for f in feeds if f.title.casefold() == wanted]
        if not matches and wanted and not reference.isdigit():
            matches = [f for f in feeds if wanted in f.title.casefold()]
        if len(matches) == 1 and deleting and matches[0].title.casefold() != wanted:
            found = f"{clean_line(matches[0].title)} (id {matches[0].id})"
            raise UsageError(
                f"{reference!r} is part of the title of {found}: give its id, URL or whole"
                " title to remove it"
            )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            named = ", ".join(f"{clean_line(f.title)} (id {f.id})" for f in matches[:5])
            more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
            raise UsageError(f"{reference!r} matches {named}{more}: give its id")
        hint = "its id, URL, title or a word of it"
        raise UsageError(f"no subscribed feed matches {reference!r} (give {hint})")

    def feed(self, feed_id: int) -> Feed:
        feed = self._store.subscriptions.feed(feed_id)
        if feed is None:
            raise UsageError(f"no feed with id {feed_id}")
        return feed

    def total_unread(self) -> int:
        return self._store.subscriptions.total_unread()

    def subscribe(self, url: str, *, title: str | None = None, tags: Sequence[str] = ()) -> Feed:
        """Subscribe without fetching (import, config). Raises UsageError."""
        url = check_feed_url(url)
        if existing := self._store.subscriptions.feed_by_url(url):
            raise UsageError(already_subscribed(existing, url))
        feed_id = self._store.subscriptions.add_feed(
            url, title=feed_name(title), tags=clean_tags(tags), now=self._clock()
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

        A web page's URL is resolved to the feed it advertises (or a common feed path); one
        typed without a scheme is tried as https, then http, as a browser would. With sync
        on, the server subscribes (and finds the feed) instead.
        """
        url = url.strip()
        if _SCHEMELESS.match(url):
            if not self._network.offline and not self._syncing.enabled:
                return await self._add_without_scheme(url, title=title, tags=tags, force=force)
            url = f"https://{url}"  # (nothing to try it with here: https, as a browser would)
        url = check_feed_url(url)
        if self._syncing.enabled:
            feed = await self._syncing.subscribe(url, title, clean_tags(tags))
            return AddResult(feed, None, on_server=True)
        if existing := self._store.subscriptions.feed_by_url(url):
            raise UsageError(already_subscribed(existing, url))
        if self._network.offline:
            if not force:
                raise CannotAdd("offline: cannot check the feed")
            return AddResult(self.subscribe(url, title=title, tags=tags), None)
        now = self._clock()
        try:
            found = await self._find_feed(url, now)
        except (FetchError, ParseError) as error:
            if not force:
                raise CannotAdd(f"{url}: {error}; not subscribed") from error
            feed = self.subscribe(url, title=title, tags=tags)
            self._store.subscriptions.record_failure(feed.id, str(error), now=now)
            return AddResult(self.feed(feed.id), updates.failed(feed, str(error)))
        if found.url != url and (existing := self._store.subscriptions.feed_by_url(found.url)):
            raise UsageError(already_subscribed(existing, found.url))
        feed = self.subscribe(found.url, title=title, tags=tags)
        retention = self._settings.retention(feed, now)
        write = updates.update_job(feed, found.prepared, found.validators, now, retention)
        result = updates.updated(self._store, feed, await self._writer.run(write))
        return AddResult(self.feed(feed.id), result, found.alternatives)

    async def _add_without_scheme(
        self, address: str, *, title: str | None, tags: Sequence[str], force: bool
    ) -> AddResult:
        try:
            return await self.add_feed(f"https://{address}", title=title, tags=tags)
        except CannotAdd as https_failed:
            try:
                return await self.add_feed(f"http://{address}", title=title, tags=tags)
            except CannotAdd:
                if force:
                    return await self.add_feed(
                        f"https://{address}", title=title, tags=tags, force=True
                    )
                raise https_failed from None

    async def _find_feed(self, url: str, now: datetime) -> _FoundFeed:
        """Fetch `url`; if it is a web page, follow its feed links (then common paths)."""
        from ..feeds import discover
        from ..feeds.update import prepare_update
        from ..net.fetch import NotModified

        response = await self._network.fetcher.fetch(url)
        assert not isinstance(response, NotModified)
        try:
            prepared = await asyncio.to_thread(
                prepare_update, response.content, url=response.url, headers=response.headers,
                known=(), now=now, filters=self._settings.filters,
            )  # fmt: skip
            return _FoundFeed(url, prepared, response.validators, ())
        except ParseError as not_a_feed:
            head = response.content[:4096].lower()
            if b"<html" not in head and b"<!doctype html" not in head:
                raise
            page = response.content.decode("utf-8", errors="replace")
            linked = [link for link, _ in discover.feed_links(page, response.url)]
            # The advertised feeds first; the usual places too, in case those are dead.
            common = [url for url in discover.common_feed_urls(response.url) if url not in linked]
            candidates = [*linked, *common]
            for candidate in candidates:
                try:
                    feed_response = await self._network.fetcher.fetch(candidate)
                    assert not isinstance(feed_response, NotModified)
                    prepared = await asyncio.to_thread(
                        prepare_update, feed_response.content, url=feed_response.url,
                        headers=feed_response.headers, known=(), now=now,
                        filters=self._settings.filters,
                    )  # fmt: skip
                except (FetchError, ParseError):
                    continue
                others = tuple(link for link in linked if link != candidate)
                return _FoundFeed(candidate, prepared, feed_response.validators, others)
            raise ParseError(
                "this is a web page and no feed was found on it or at the usual places"
            ) from not_a_feed

    async def remove_feed(self, feed_id: int) -> None:
        """Unsubscribe and delete the feed's articles (on the server too, with sync on)."""
        feed = self.feed(feed_id)
        if self._syncing.enabled and feed.remote_id is not None:
            await self._syncing.unsubscribe(feed)
        else:
            self._store.subscriptions.remove_feed(feed_id)

    def add_config_feeds(self, feeds: Sequence[FeedConfig]) -> ConfigFeeds:
        """Subscribe to config feeds seen for the first time (a removed one stays removed),
        and say what could not be written. With sync on, the server holds the subscriptions
        and config feeds are not added. On a full disk or a read-only database, reading
        goes on without the config's new feeds (or their new titles and tags); nothing
        marks them seen, so the next start that can write adds them."""
        if self._syncing.enabled:
            return ConfigFeeds([])
        added: list[Feed] = []
        removed: list[FeedConfig] = []
        for item in feeds:
            seen = self._store.subscriptions.config_feed_seen(item.url)
            stored = self._store.subscriptions.feed_by_url(item.url) is not None
            new = not seen and not stored
            if seen and not stored:
                removed.append(item)
            try:
                if new:
                    added.append(self.subscribe(item.url, title=item.title, tags=item.tags))
                self._apply_feed_config(item)
                if not seen:
                    self._store.subscriptions.mark_config_feed_seen(item.url)
            except StoreError as error:
                return ConfigFeeds(added, _not_written(feeds, error), removed)
            except UsageError as error:  # (the config's own check refuses such a URL first)
                log.warning("config feed %r skipped: %s", item.url, error)
        return ConfigFeeds(added, removed=removed)

    def _apply_feed_config(self, item: FeedConfig) -> None:
        """The config is the word on a listed feed's title, tags and page fetching. A title
        taken out of the config gives back the feed's own; a title it never gave (from
        OPML, `add --title`) stays. Written only when something differs: this runs at
        every start."""
        store = self._store.subscriptions
        feed = store.feed_by_url(item.url)
        if feed is None:
            return
        title = feed_name(item.title)
        tags = sorted(set(clean_tags(item.tags)))
        given = store.user_title(feed.id)
        last = store.config_title(item.url)
        if title is None and given != last:
            title = given  # (a title given by OPML or `add --title`: not the config's)
        if title != given or tags != list(feed.tags) or item.fetch_pages != feed.fetch_pages:
            store.set_feed_settings(item.url, title=title, tags=tags, fetch_pages=item.fetch_pages)
        if feed_name(item.title) != last:
            store.remember_config_title(item.url, feed_name(item.title))

    # -- OPML ----------------------------------------------------------------------------

    def import_opml(self, content: bytes) -> ImportReport:
        """Subscribe every http(s) feed in an OPML document, without fetching."""
        outlines, skipped = opml.read_opml(content)
        to_add: dict[str, NewFeed] = {}
        already: list[str] = []
        skipped_all = list(skipped)
        for outline in outlines:
            try:
                url = check_feed_url(outline.url)
            except UsageError as error:
                skipped_all.append(str(error))
                continue
            if existing := self._store.subscriptions.feed_by_url(url):
                already.append(already_subscribed(existing, url))
            elif url not in to_add:
                title = feed_name(outline.title)
                if title is not None and title.rstrip("/") in (url.rstrip("/"), outline.url):
                    title = None  # (an export naming a feed by its address: the feed names it)
                tags = tuple(clean_tags(outline.tags))
                to_add[url] = NewFeed(url, title, tags, outline.site_url)
        # One transaction: an import that fails part way (a full disk) adds nothing.
        self._store.subscriptions.add_feeds(list(to_add.values()), now=self._clock())
        return ImportReport(tuple(to_add), tuple(already), tuple(skipped_all))

    def export_opml(self) -> str:
        """The subscriptions as OPML, their names, links and tags cleaned as feed text is
        (whatever a damaged or older cache holds, the file is safe to print)."""
        feeds = [_cleaned(feed) for feed in self._store.subscriptions.feeds()]
        return opml.write_opml(feeds, now=self._clock())


def _cleaned(feed: Feed) -> Feed:
    site_url = clean_line(feed.site_url) or None
    tags = tuple(clean_line(tag) for tag in feed.tags)
    title, url = clean_line(feed.title), clean_line(feed.url)
    return dataclasses.replace(feed, url=url, title=title, site_url=site_url, tags=tags)


def feed_name(title: str | None) -> str | None:
    """A name the user or an OPML file gives a feed, cleaned and shortened as a feed's
    own title is; None when nothing is left."""
    return shortened(clean_line(title), MAX_TITLE) or None


def check_feed_url(url: str) -> str:
    """The URL, stripped, if it is an http(s) URL with a host; else a UsageError."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise UsageError(f"not a valid URL: {url!r}") from error
    if parts.scheme.lower() not in {"http", "https"}:
        raise UsageError(f"only http:// and https:// feed URLs are accepted, not {url!r}")
    problem = feed_url_problem(url)
    if problem is not None or not is_clean_line(url):
        raise UsageError(f"not a valid feed URL: {url!r}" + (f": {problem}" if problem else ""))
    return url


def parse_id(text: str) -> int | None:
    """A stored row's id as a user types it (decimal digits of any script, full-width too,
    up to SQLite's largest integer), or None: "²" (a digit, not a decimal one) and
    "99999999999999999999" are no id, not a traceback."""
    text = text.strip()
    if not text.isdecimal() or len(text) > 19 or int(text) > LARGEST_ID:
        return None
    return int(text)


LARGEST_ID = 2**63 - 1
