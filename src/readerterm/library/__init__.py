"""The facade the UI and the CLI call: subscriptions, articles, refresh, OPML.

Reads and writes go to the local SQLite store synchronously (they take milliseconds);
refresh is an async iterator that yields one RefreshResult per feed as each finishes.
Per-feed failures are data (RefreshResult.error), never exceptions. Never imports Textual.

httpx, feedparser, BeautifulSoup and trafilatura take most of a second to import; the
modules that use them (fetch, update, extract) are imported where first needed, so the
reader can draw its first screen from the cache before any of them is loaded.
"""

from __future__ import annotations

from .base import PROCESSES_FROM_FEEDS, LibraryBase, utc_now
from .pages import PagesMixin
from .reading import Overview, ReadingMixin
from .refresh import FEEDS_IN_FLIGHT_WHILE_READING, RefreshMixin
from .results import AddResult, Change, ImportReport, PageResult
from .subscriptions import SubscriptionsMixin, check_feed_url

__all__ = [
    "FEEDS_IN_FLIGHT_WHILE_READING",
    "PROCESSES_FROM_FEEDS",
    "AddResult",
    "Change",
    "ImportReport",
    "Library",
    "Overview",
    "PageResult",
    "check_feed_url",
    "utc_now",
]


class Library(SubscriptionsMixin, ReadingMixin, RefreshMixin, PagesMixin, LibraryBase):
    """Everything a front end needs, over one Store and (online) one Fetcher."""
