"""Subscriptions: the feeds table, their status and cache validators."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from ..models import Feed, Validators
from .base import Database, from_iso, iso

VISIBLE = "a.dismissed = 0 AND a.filtered = 0"
"""Articles shown in ordinary views (not dismissed, not hidden by a filter)."""

_FEED_COLUMNS = f"""
    f.id, f.url, COALESCE(f.user_title, NULLIF(f.title, ''), f.url), f.site_url, f.tags,
    f.last_refresh, f.error, f.fetch_pages,
    (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id AND a.read = 0 AND {VISIBLE}),
    (SELECT COUNT(*) FROM articles a WHERE a.feed_id = f.id), f.remote_id
"""
FEED_TITLE = "COALESCE(f.user_title, NULLIF(f.title, ''), f.url)"


@dataclass(frozen=True, slots=True)
class NewFeed:
    url: str
    title: str | None
    tags: tuple[str, ...]
    site_url: str | None = None


@dataclass(frozen=True, slots=True)
class FetchState:
    """What a refresh needs to know of a feed before fetching it."""

    validators: Validators
    retry_after: datetime | None
    """The server asked us not to ask again before then."""


def _feed(row: tuple[object, ...]) -> Feed:
    fetch_pages = str(row[7])
    return Feed(
        id=int(row[0]),  # type: ignore[call-overload]
        url=str(row[1]),
        title=str(row[2]),
        site_url=str(row[3]) if row[3] else None,
        tags=tuple(json.loads(str(row[4]))),
        last_refresh=from_iso(row[5]),  # type: ignore[arg-type]
        error=str(row[6]) if row[6] else None,
        fetch_pages=fetch_pages if fetch_pages in ("always", "never") else "auto",  # type: ignore[arg-type]
        unread=int(row[8]),  # type: ignore[call-overload]
        total=int(row[9]),  # type: ignore[call-overload]
        remote_id=str(row[10]) if row[10] else None,
    )


class FeedTable:
    """The feeds table: subscriptions, their fetch state (validators, errors, Retry-After)
    and their settings."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def feeds(self) -> list[Feed]:
        rows = self._db.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds f ORDER BY lower({FEED_TITLE}), f.id"
        )
        return [_feed(row) for row in rows]

    def feed_count(self, *, fetched_here: bool = False) -> int:
        """How many feeds there are (without `feeds`' counts of their articles); with
        `fetched_here`, only those readerterm fetches itself (not a sync server's)."""
        where = " WHERE remote_id IS NULL" if fetched_here else ""
        return int(self._db.execute(f"SELECT count(*) FROM feeds{where}").fetchone()[0])

    def feed(self, feed_id: int) -> Feed | None:
        row = self._db.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.id = ?", (feed_id,)
        ).fetchone()
        return _feed(row) if row else None

    def feed_by_url(self, url: str) -> Feed | None:
        """The feed at `url`, or the one that moved away from it (permanent redirect)."""
        row = self._db.execute(
            f"SELECT {_FEED_COLUMNS} FROM feeds f WHERE f.url = ?"
            " OR f.id = (SELECT feed_id FROM feed_aliases WHERE url = ?)",
            (url, url),
        ).fetchone()
        return _feed(row) if row else None

    def add_feed(self, url: str, *, title: str | None, tags: Iterable[str], now: datetime) -> int:
        cursor = self._db.write(
            "INSERT INTO feeds (url, user_title, tags, added_at) VALUES (?, ?, ?, ?)",
            (url, title, json.dumps(sorted(set(tags))), iso(now)),
        )
        return int(cursor.lastrowid or 0)

    def add_feeds(self, feeds: Sequence[NewFeed], *, now: datetime) -> None:
        """Subscribe to several feeds in one transaction: all of them or none."""
        with self._db.transaction():
            self._db.executemany(
                "INSERT OR IGNORE INTO feeds (url, user_title, tags, site_url, added_at)"
                " VALUES (?,?,?,?,?)",
                [
                    (
                        feed.url,
                        feed.title,
                        json.dumps(sorted(set(feed.tags))),
                        feed.site_url,
                        iso(now),
                    )
                    for feed in feeds
                ],
            )

    def remove_feed(self, feed_id: int) -> None:
        self._db.write("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def user_title(self, feed_id: int) -> str | None:
        """The title given to a feed (by the config or `add --title`), if any."""
        row = self._db.execute("SELECT user_title FROM feeds WHERE id = ?", (feed_id,)).fetchone()
        return row[0] if row else None

    def set_feed_settings(
        self, url: str, *, title: str | None, tags: Iterable[str], fetch_pages: str
    ) -> None:
        """Apply what the config says of a feed: its title (None: the feed's own), tags
        and page fetching."""
        self._db.write(
            "UPDATE feeds SET user_title = ?, tags = ?, fetch_pages = ?"
            " WHERE url = ? OR id = (SELECT feed_id FROM feed_aliases WHERE url = ?)",
            (title, json.dumps(sorted(set(tags))), fetch_pages, url, url),
        )

    def move_feed(self, feed_id: int, url: str) -> bool:
        """Give a feed its new URL (after a permanent redirect) unless another feed has it."""
        if self.feed_by_url(url) is not None:
            return False
        with self._db.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO feed_aliases (url, feed_id)"
                " SELECT url, id FROM feeds WHERE id = ?",
                (feed_id,),
            )
            self._db.execute("UPDATE feeds SET url = ? WHERE id = ?", (url, feed_id))
        return True

    def former_urls(self, feed_id: int) -> list[str]:
        """URLs the feed had before permanent redirects moved it."""
        rows = self._db.execute("SELECT url FROM feed_aliases WHERE feed_id = ?", (feed_id,))
        return [row[0] for row in rows]

    def validators(self, feed_id: int) -> Validators:
        row = self._db.execute(
            "SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,)
        ).fetchone()
        return Validators(etag=row[0], last_modified=row[1]) if row else Validators()

    def without_validators(self) -> set[int]:
        """The feeds with neither ETag nor Last-Modified: a refresh fetches them whole."""
        rows = self._db.execute("SELECT id FROM feeds WHERE etag IS NULL AND last_modified IS NULL")
        return {row[0] for row in rows}

    def fetch_states(self) -> dict[int, FetchState]:
        """Every feed's validators and retry time, in one query (a refresh of hundreds
        of feeds would otherwise ask twice a feed, on the reader's event loop)."""
        rows = self._db.execute("SELECT id, etag, last_modified, retry_after FROM feeds")
        return {
            row[0]: FetchState(Validators(etag=row[1], last_modified=row[2]), from_iso(row[3]))
            for row in rows
        }

    def record_failure(
        self, feed_id: int, error: str, *, now: datetime, retry_after: datetime | None = None
    ) -> None:
        self._db.write(
            "UPDATE feeds SET last_refresh = ?, error = ?, retry_after = ? WHERE id = ?",
            (iso(now), error, iso(retry_after), feed_id),
        )

    def record_not_modified(self, feed_id: int, validators: Validators, *, now: datetime) -> None:
        self._db.write(
            "UPDATE feeds SET last_refresh = ?, error = NULL, retry_after = NULL, "
            "etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified) WHERE id = ?",
            (iso(now), validators.etag, validators.last_modified, feed_id),
        )

    def config_feed_seen(self, url: str) -> bool:
        row = self._db.execute("SELECT 1 FROM config_feeds_seen WHERE url = ?", (url,)).fetchone()
        return row is not None

    def mark_config_feed_seen(self, url: str) -> None:
        self._db.write("INSERT OR IGNORE INTO config_feeds_seen (url) VALUES (?)", (url,))

    def config_title(self, url: str) -> str | None:
        """The title the config last gave the feed at `url` (None: none, or not known)."""
        row = self._db.execute(
            "SELECT title FROM config_feeds_seen WHERE url = ?", (url,)
        ).fetchone()
        return row[0] if row else None

    def remember_config_title(self, url: str, title: str | None) -> None:
        self._db.write(
            "INSERT INTO config_feeds_seen (url, title) VALUES (?, ?)"
            " ON CONFLICT (url) DO UPDATE SET title = excluded.title",
            (url, title),
        )

    def total_unread(self) -> int:
        """Unread stories, each counted once (a copy in another feed whose first copy is
        unread and shown is not counted again; store/copies.py)."""
        row = self._db.execute(f"SELECT COUNT(*) FROM articles a WHERE a.read = 0 AND {VISIBLE}")
        copies = self._db.execute(
            "SELECT COUNT(*) FROM articles a JOIN articles o ON o.id = a.same_as"
            f" WHERE a.same_as IS NOT NULL AND a.read = 0 AND {VISIBLE}"
            " AND o.read = 0 AND o.dismissed = 0 AND o.filtered = 0"
        )
        return int(row.fetchone()[0]) - int(copies.fetchone()[0])
