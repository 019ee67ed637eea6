"""The config's rules for feeds: filters, retention, refresh intervals, per-feed options,
and the sync server."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..config import Config, FeedConfig, FilterRule, SyncConfig
from ..models import Feed
from ..store import Retention, Store


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

    def configure(self, config: Config) -> None:
        """Take the config's filter rules, retention and per-feed settings."""
        self.filters = config.filters
        self.retention_days = config.retention_days
        self.refresh_minutes = config.refresh_minutes
        self.feed_options = {item.url: item for item in config.feeds}
        self.sync = config.sync

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
