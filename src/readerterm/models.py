"""The vocabulary every layer shares: plain frozen dataclasses, no behaviour, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Literal

KeyPointsOrigin = Literal["page", "feed", "generated", ""]
"""Where an article's key points came from; "" when it has none."""

KEY_POINTS_FROM: dict[str, str] = {
    "feed": "from the publisher",
    "page": "from the article page",
    "generated": "picked from the text",
}
"""How the reader and plain output say where key points came from (--json gives the
origin itself)."""


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP cache validators stored per feed for conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription, as the store holds it, with its counts."""

    id: int
    url: str
    title: str
    site_url: str | None = None
    tags: tuple[str, ...] = ()
    unread: int = 0
    total: int = 0
    last_refresh: datetime | None = None
    """When the last refresh attempt finished (successful or not)."""
    error: str | None = None
    """Why the last refresh failed; None when it succeeded or never ran."""
    fetch_pages: Literal["auto", "always", "never"] = "auto"
    """Whether article pages are fetched for full text (used by prefetch)."""
    remote_id: str | None = None
    """The sync server's id for this feed; None for a feed readerterm fetches itself."""


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """The little the article list needs to draw one row: never the body."""

    id: int
    feed_id: int
    feed_title: str
    title: str
    published: datetime | None
    read: bool
    starred: bool
    later: bool = False
    dismissed: bool = False
    filtered: bool = False
    """Hidden by one of the config's filters."""

    @property
    def hidden(self) -> bool:
        """Left out of the lists unless hidden stories are shown (`H`)."""
        return self.dismissed or self.filtered


MARKS = ("read", "starred", "later", "dismissed", "filtered")
"""The states a row (ArticleRow) and the full story (Article) both carry."""


@dataclass(frozen=True, slots=True)
class Article:
    """One story with everything the reader pane shows."""

    id: int
    feed_id: int
    feed_title: str
    guid: str
    url: str | None
    title: str
    author: str | None
    published: datetime | None
    summary: str
    """Plain text summary (from the feed)."""
    body: str
    """Markdown body shown in the reader."""
    key_points: tuple[str, ...]
    key_points_origin: KeyPointsOrigin
    read: bool
    starred: bool
    words: int
    image_url: str | None = None
    extracted_at: datetime | None = None
    """When the body came from the article page rather than the feed."""
    later: bool = False
    dismissed: bool = False
    filtered: bool = False
    """Hidden by one of the config's filters (shown with `H`)."""
    tags: tuple[str, ...] = ()
    """The reader's own tags on this story."""
    enclosures: tuple[str, ...] = ()
    """Links to media the feed attached (podcast audio, video, files)."""
    categories: tuple[str, ...] = ()
    """The publisher's categories, as the feed gave them (searched with `tag:` too)."""


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    """An entry as parse.py hands it over: text cleaned, HTML not yet converted."""

    guid: str
    url: str | None
    title: str
    author: str | None
    published: datetime | None
    summary_html: str
    content_html: str
    """The fullest content the feed carries (content:encoded, atom content); may be ""."""
    image_url: str | None = None
    enclosures: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    """The publisher's categories (RSS and Atom category, JSON Feed tags)."""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document turned into data."""

    title: str
    site_url: str | None
    articles: tuple[ParsedArticle, ...]
    warning: str | None = None
    """A problem feedparser survived (bozo), kept for the feed's status."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """Body and key points made from HTML or plain text (feed content or a page)."""

    body: str
    """Markdown."""
    key_points: tuple[str, ...]
    key_points_origin: KeyPointsOrigin
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    image_url: str | None = None

    @property
    def words(self) -> int:
        return len(self.body.split())


class RefreshStatus(Enum):
    UPDATED = "updated"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not fetched: offline, or a server asked us to wait (Retry-After)."""


@dataclass(frozen=True, slots=True)
class RefreshResult:
    """What refreshing one feed did; errors are data, never exceptions."""

    feed_id: int
    feed_url: str
    feed_title: str
    status: RefreshStatus
    new_articles: int = 0
    updated_articles: int = 0
    error: str | None = None


Flag = Literal["read", "starred", "later", "dismissed"]
"""The per-article states a reader sets by hand."""


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a view shows; every field narrows the view."""

    feed_id: int | None = None
    feed_name: str | None = None
    """Feeds whose title contains this (case-insensitive), from `feed:` in a search."""
    tag: str | None = None
    """Feed tag or article tag."""
    unread: bool = False
    starred: bool = False
    later: bool = False
    after: datetime | None = None
    before: datetime | None = None
    words: str = ""
    """Free text, searched in titles, key points, summaries and bodies."""
    show_hidden: bool = False
    """Include dismissed articles and those hidden by a filter rule."""
    sort: Literal["date", "feed", "rank"] = "date"
