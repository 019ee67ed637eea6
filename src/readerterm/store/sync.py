"""What sync with an aggregator server keeps: the account, the server's ids of feeds and
articles, and the queue of decisions waiting to be sent.

Decisions are queued by triggers (schema version 6) in the transaction that changes the
article, whichever connection or command makes it; they leave the queue only once the
server has taken them. Writing the server's states turns the triggers off for the length
of that one transaction, so they are not sent back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from ..feeds.rows import StoredArticle
from ..models import Validators
from .base import Database, chunks, from_iso, iso
from .copies import with_copies
from .updates import FeedUpdates, Retention


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """The account and how its last sync went, for the status bar and `feeds --json`."""

    service: str
    url: str
    username: str
    last_attempt: datetime | None
    last_success: datetime | None
    last_error: str | None
    items_checked: datetime | None
    """Up to when the server's list of items was read (the next sync asks from there)."""
    queued: int


@dataclass(frozen=True, slots=True)
class Queued:
    seq: int
    remote_id: str
    action: str


@dataclass(frozen=True, slots=True)
class LocalMatch:
    """A cached article the server also has: its id and the states the reader set."""

    article_id: int
    read: bool
    starred: bool
    old_account: bool = False
    """Its states were another sync account's: it took this server's, and merges none."""


class SyncTable:
    """The sync tables, and the server's ids on feeds and articles."""

    def __init__(self, db: Database, updates: FeedUpdates) -> None:
        self._db = db
        self._updates = updates

    # -- the account ----------------------------------------------------------------------

    def status(self) -> SyncStatus | None:
        row = self._db.execute(
            "SELECT service, url, username, last_attempt, last_success, last_error,"
            " items_checked, (SELECT count(*) FROM sync_queue) FROM sync_account WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return SyncStatus(
            service=row[0],
            url=row[1],
            username=row[2],
            last_attempt=from_iso(row[3]),
            last_success=from_iso(row[4]),
            last_error=row[5],
            items_checked=from_iso(row[6]),
            queued=int(row[7]),
        )

    def start(
        self,
        service: str,
        url: str,
        username: str,
        now: datetime,
        *,
        same_url: Callable[[str, str], bool] = str.__eq__,
    ) -> bool:
        """Record a sync starting with this account; returns whether it is the last one's
        (or the first account: nothing was there to switch from). `same_url` says whether
        the stored URL and `url` name one server (the sync layer knows how they are read).
        Another account's sync changes nothing yet: a mistyped user name or address must not
        drop the decisions waiting for the right one (switch_account, once it signed in)."""
        with self._db.transaction():
            row = self._db.execute(
                "SELECT service, url, username FROM sync_account WHERE id = 1"
            ).fetchone()
            if row is None:  # the first sync: nothing to keep
                self._switch(service, url, username)
            same = row is None or (
                (row[0], row[2]) == (service, username) and same_url(row[1], url)
            )
            self._db.execute("UPDATE sync_account SET last_attempt = ? WHERE id = 1", (iso(now),))
        return same

    def switch_account(self, service: str, url: str, username: str, now: datetime) -> int:
        """Another account (server or user) signed in: drop the old server's ids and queue
        (they name the old server's articles); the articles stay, and are matched again,
        taking the new account's states (`old_account_states`): the new account gets
        nothing of the old one's. Returns how many queued decisions were dropped."""
        with self._db.transaction():
            dropped = self._switch(service, url, username)
            self._db.execute("UPDATE sync_account SET last_attempt = ? WHERE id = 1", (iso(now),))
        return dropped

    def _switch(self, service: str, url: str, username: str) -> int:
        self._db.execute("DELETE FROM sync_account")
        dropped = int(self._db.execute("SELECT count(*) FROM sync_queue").fetchone()[0])
        self._db.execute("DELETE FROM sync_queue")
        self._db.execute("UPDATE feeds SET remote_id = NULL WHERE remote_id IS NOT NULL")
        self._db.execute(
            "UPDATE articles SET remote_id = NULL, old_account_states = 1"
            " WHERE remote_id IS NOT NULL"
        )
        self._db.execute(
            "INSERT INTO sync_account (id, service, url, username) VALUES (1, ?, ?, ?)",
            (service, url, username),
        )
        return dropped

    def fail(self, service: str, url: str, username: str, now: datetime, error: str) -> None:
        """Record a failed sync of this account. Another account's failure is kept on the
        last one's status (see `start`) and says whose it was."""
        if not self.start(service, url, username, now):
            error = f"as {username} at {url}: {error}"
        self.finish(now, error, None)

    def finish(self, now: datetime, error: str | None, items_checked: datetime | None) -> None:
        """Record how the sync ended (`error` None: it succeeded)."""
        if error is None:
            with self._db.transaction():
                self._db.execute(
                    "UPDATE sync_account SET last_success = ?, last_error = NULL,"
                    " items_checked = COALESCE(?, items_checked) WHERE id = 1",
                    (iso(now), iso(items_checked)),
                )
                # The new account's whole list was matched: a story still marked is not on
                # its server, so it is this reader's own again (should its feed join the
                # server later, it merges as any story never synced; marked, what was read
                # or starred here meanwhile would give way to the server's).
                self._db.execute(
                    "UPDATE articles SET old_account_states = 0"
                    " WHERE old_account_states = 1 AND remote_id IS NULL"
                )
        else:
            self._db.write("UPDATE sync_account SET last_error = ? WHERE id = 1", (error,))

    # -- feeds ----------------------------------------------------------------------------

    def bind_feed(
        self, feed_id: int, remote_id: str, *, title: str, tags: Sequence[str], site_url: str | None
    ) -> None:
        """Make a local feed the server's feed `remote_id`, with the server's title and
        folders (its tags)."""
        self._db.write(
            "UPDATE feeds SET remote_id = ?, title = ?, user_title = NULL, tags = ?,"
            " site_url = COALESCE(?, site_url) WHERE id = ?",
            (remote_id, title, json.dumps(sorted(set(tags))), site_url, feed_id),
        )

    def unbind_feeds(self, keep: Iterable[str]) -> list[int]:
        """Remove the synced feeds whose server id is not in `keep` (the server dropped
        them); returns their ids."""
        wanted = set(keep)
        rows = self._db.execute(
            "SELECT id, remote_id FROM feeds WHERE remote_id IS NOT NULL"
        ).fetchall()
        gone = [int(row[0]) for row in rows if row[1] not in wanted]
        if gone:
            with self._db.transaction():
                for chunk in chunks(gone):
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(f"DELETE FROM feeds WHERE id IN ({marks})", chunk)
        return gone

    # -- articles -------------------------------------------------------------------------

    def on_server(self, ids: Sequence[int]) -> set[int]:
        """Of these articles, those the server has (itself or a copy of the story in
        another feed): a decision on them is queued for it; on the others it stays here."""
        groups = with_copies(self._db, ids)
        reaching = [copy for group in groups.values() for copy in group]
        bound: set[int] = set()
        for chunk in chunks(reaching):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT id FROM articles WHERE id IN ({marks}) AND remote_id IS NOT NULL", chunk
            )
            bound.update(int(row[0]) for row in rows)
        return {article_id for article_id, group in groups.items() if bound.intersection(group)}

    def known_remote_ids(self) -> set[str]:
        rows = self._db.execute("SELECT remote_id FROM articles WHERE remote_id IS NOT NULL")
        return {str(row[0]) for row in rows}

    def write_items(
        self,
        feed_id: int,
        *,
        title: str,
        site_url: str | None,
        articles: Sequence[StoredArticle],
        remote_ids: dict[str, str],
        states: dict[str, tuple[bool, bool]],
        now: datetime,
        retention: Retention | None,
    ) -> dict[str, LocalMatch]:
        """Store the server's new articles of one feed in one transaction, with their
        server ids (`remote_ids`: guid -> id) and states (`states`: guid -> (read,
        starred)). A cached article the feed already held (by guid, or by link under
        another guid) is returned: one never synced keeps the states the reader set, for
        the caller to merge with the server's; one last synced with another account takes
        the server's."""
        previous = {a.guid: a.previous_guid for a in articles if a.previous_guid}
        with self._db.transaction():
            before = {}
            for guid in remote_ids:
                row = self._db.execute(
                    "SELECT id, read, starred, old_account_states FROM articles"
                    " WHERE feed_id = ? AND guid = ?",
                    (feed_id, previous.get(guid, guid)),
                ).fetchone()
                if row is not None:
                    before[guid] = LocalMatch(int(row[0]), bool(row[1]), bool(row[2]), bool(row[3]))
            mergeable = {guid for guid, match in before.items() if not match.old_account}
            self._updates.write_update(
                feed_id,
                title=title,
                site_url=site_url,
                validators=Validators(),
                articles=articles,
                now=now,
                retention=retention,
            )
            with self._server_states():
                self._db.executemany(
                    "UPDATE articles SET remote_id = ? WHERE feed_id = ? AND guid = ?",
                    [(rid, feed_id, guid) for guid, rid in remote_ids.items() if guid in mergeable],
                )
                self._db.executemany(
                    "UPDATE articles SET remote_id = ?, read = ?, starred = ?,"
                    " old_account_states = 0 WHERE feed_id = ? AND guid = ?",
                    [
                        (rid, int(states[guid][0]), int(states[guid][1]), feed_id, guid)
                        for guid, rid in remote_ids.items()
                        if guid not in mergeable
                    ],
                )
        return before

    def merge_states(self, matches: Sequence[tuple[LocalMatch, str, bool, bool]]) -> None:
        """First sync of a cached article never synced before (match, remote id, server
        read, server starred): read and starred on either side hold on both. What the
        server lacks is queued."""
        with self._db.transaction(), self._server_states():
            for match, remote_id, read, starred in matches:
                self._db.execute(
                    "UPDATE articles SET read = ?, starred = ? WHERE id = ?",
                    (int(read or match.read), int(starred or match.starred), match.article_id),
                )
                if match.read and not read:
                    self._queue(remote_id, "read")
                if match.starred and not starred:
                    self._queue(remote_id, "star")

    def apply_states(self, unread: set[str], starred: set[str]) -> tuple[int, int]:
        """Take the server's read and starred states for every synced article, except
        those with a decision still queued here (a decision taken here since the last sync
        is the later one). Returns how many (read, starred) states changed."""
        rows = self._db.execute(
            "SELECT id, remote_id, read, starred FROM articles WHERE remote_id IS NOT NULL"
            " AND remote_id NOT IN (SELECT remote_id FROM sync_queue)"
        ).fetchall()
        read_changes: dict[int, int] = {}
        star_changes: dict[int, int] = {}
        for article_id, remote_id, read, is_starred in rows:
            want_read = remote_id not in unread
            want_star = remote_id in starred
            if bool(read) != want_read:
                read_changes[int(article_id)] = int(want_read)
            if bool(is_starred) != want_star:
                star_changes[int(article_id)] = int(want_star)
        if read_changes or star_changes:
            with self._db.transaction(), self._server_states():
                self._db.executemany(
                    "UPDATE articles SET read = ? WHERE id = ?",
                    [(value, key) for key, value in read_changes.items()],
                )
                self._db.executemany(
                    "UPDATE articles SET starred = ? WHERE id = ?",
                    [(value, key) for key, value in star_changes.items()],
                )
        return len(read_changes), len(star_changes)

    @contextmanager
    def _server_states(self) -> Iterator[None]:
        """Inside the caller's transaction: the states written now are the server's, so the
        triggers that queue a reader's decisions stay quiet until it ends."""
        self._db.execute("UPDATE sync_account SET queueing = 0 WHERE id = 1")
        yield
        self._db.execute("UPDATE sync_account SET queueing = 1 WHERE id = 1")

    # -- the queue --------------------------------------------------------------------------

    def queued(self, limit: int = 1000) -> list[Queued]:
        rows = self._db.execute(
            "SELECT seq, remote_id, action FROM sync_queue ORDER BY seq LIMIT ?", (limit,)
        )
        return [Queued(int(row[0]), str(row[1]), str(row[2])) for row in rows]

    def sent(self, seqs: Sequence[int]) -> None:
        """The server took these decisions: they leave the queue."""
        with self._db.transaction():
            for chunk in chunks(list(seqs)):
                marks = ",".join("?" * len(chunk))
                self._db.execute(f"DELETE FROM sync_queue WHERE seq IN ({marks})", chunk)

    def _queue(self, remote_id: str, action: str) -> None:
        self._db.execute(
            "INSERT INTO sync_queue (remote_id, action, queued_at) VALUES (?, ?, ?)",
            (remote_id, action, iso(datetime.now().astimezone())),
        )
