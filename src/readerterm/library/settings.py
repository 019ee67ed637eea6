"""The config's rules for feeds: filters, retention, refresh intervals, per-feed options,
and the sync server."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path

from ..config import Config, FeedConfig, FilterRule, SyncConfig
from ..errors import StoreError
from ..models import Feed
from ..store import Retention, Store

log = logging.getLogger(__name__)


class FeedSettings:
    """What the config says about feeds, asked by URL (also after a feed moved)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.filters: tuple[FilterRule, ...] = ()
        """Config rules that hide matching new articles at refresh time."""
        self.retention_days = 0
        """Articles older than this many days are deleted at refresh (0: never)."""
        self.refresh_minutes = 0
        """Default interval for `refresh(due_only=True)`; 0 means every time."""
        self.feed_options: dict[str, FeedConfig] = {}
        """Per-feed settings from the config, by the URL the config gives."""
        self.sync: SyncConfig | None = None
        """The sync server, when the config names one."""
        self.config_file: Path | None = None
        """The config file these come from, for messages (None: the defaults)."""

    def configure(self, config: Config, *, apply: bool = True) -> tuple[int, int] | None:
        """Take the config's filter rules, retention and per-feed settings. Filters that
        changed since they were last applied are applied to the stories already stored
        (hidden, never deleted; those no filter hides any more are shown again): returns
        (hidden, shown) then, None when the filters are the ones applied already.
        `apply=False` leaves that to a call of `apply_filters` (the reader makes it on the
        writer's thread: it reads every story's title, ~0.3 s at 100,000 stories)."""
        self.filters = config.filters
        self.retention_days = config.retention_days
        self.refresh_minutes = config.refresh_minutes
        self.feed_options = {item.url: item for item in config.feeds}
        self.sync = config.sync
        self.config_file = config.source
        return self.apply_filters() if apply else None

    def apply_filters(self, store: Store | None = None) -> tuple[int, int] | None:
        """The filters applied to every stored story, when they changed (see `configure`),
        on `store` (another connection to the same database, such as the writer's), or
        this one. A database that cannot be written now is tried again the next time."""
        # "whole words": title words once matched inside words ("AI" hid "Strait"); rules
        # applied then are applied again, once.
        rules = json.dumps(
            [
                [list(r.words), r.regex.pattern if r.regex else None, r.feed, "whole words"]
                for r in self.filters
            ]
        )
        filters = self.filters

        def hides(title: str, feed_title: str) -> bool:
            return any(rule.hides(title, feed_title) for rule in filters)

        try:
            return (store or self._store).articles.apply_filters(rules, hides)
        except StoreError as error:
            log.warning("the filters could not be applied to the stored stories: %s", error)
            return None

    def options_for(self, feed: Feed) -> FeedConfig | None:
        """The config's settings for a feed, also after it moved (permanent redirect)."""
        if not self.feed_options:
            return None
        if options := self.feed_options.get(feed.url):
            return options
        for old_url in self._store.subscriptions.former_urls(feed.id):
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

    def interval(self, feed: Feed) -> timedelta | None:
        """How often a feed is due (None: at every refresh)."""
        options = self.options_for(feed)
        minutes = options.refresh_minutes if options and options.refresh_minutes else None
        minutes = minutes or self.refresh_minutes
        return timedelta(minutes=minutes) if minutes else None
