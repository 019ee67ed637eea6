"""The search index (FTS5), filled in batches from a queue the triggers keep.

Writes only queue an article's id (see schema version 2); `index_pending` indexes queued
articles many at a time. A search indexes what is queued before it runs when that is
quick, so results are complete; a large queue (a cold refresh, an upgraded cache) is worked
off in the background by the reader's writer thread once no refresh runs.
"""

from __future__ import annotations

import json
import time
from typing import Any

from .articles import made_summary, plain_body
from .base import Database, chunks
from .search_text import cjk_characters, index_text

INDEX_BATCH = 50
"""Articles indexed in one transaction. A triage key pressed meanwhile waits for the batch
(see WriteGate): measured on 5 KB articles, 50 take ~17 ms (50 at most, when FTS5 merges
segments), 100 ~40 ms (67), 500 took 160 ms (220); making the plain text of stories a
refresh left as HTML adds ~3 ms to a batch of 50. Indexing 15,000 takes ~5 % longer in
batches of 50 than of 500. Chinese, Japanese and Korean index a word per character
(search_text): 50 stories of ~1,600 such characters each took ~140 ms, so a batch also
ends at CJK_IN_BATCH of them."""
CJK_IN_BATCH = 10_000
"""CJK characters indexed in one batch at most (~25 ms), whatever the stories' number."""
SEARCH_INDEXES_FIRST = 200
"""A search first indexes a queue up to this long itself (~80 ms, on the reader's event
loop), for FIRST_SECONDS at most (a queue of CJK stories takes longer); what is left is
left to the background indexing, and the search says so."""
FIRST_SECONDS = 0.08


class SearchIndex:
    """The FTS5 index and the queue of articles waiting to be indexed."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def pending_search_count(self) -> int:
        """How many articles wait to be indexed for search."""
        return int(self._db.execute("SELECT count(*) FROM search_pending").fetchone()[0])

    def index_pending(
        self,
        limit: int | None = INDEX_BATCH,
        *,
        stale: bool = False,
        seconds: float | None = None,
    ) -> int:
        """Index up to `limit` queued articles (every one with None), `INDEX_BATCH` per
        transaction, and no batch more once `seconds` have gone; returns how many are still
        queued. With `stale`, once the queue is empty, entries made the old way are
        made again (`search_stale`): work for the background, which neither a search nor
        a command waits for."""
        queues = ("search_pending", "search_stale") if stale else ("search_pending",)
        done = 0
        deadline = None if seconds is None else time.perf_counter() + seconds
        for queue in queues:
            while limit is None or done < limit:
                size = INDEX_BATCH if limit is None else min(INDEX_BATCH, limit - done)
                indexed = self._index_batch(size, queue)
                if indexed == 0:
                    break
                done += indexed
                if deadline is not None and time.perf_counter() > deadline:
                    return self._left(stale)
        return self._left(stale)

    def stale_count(self) -> int:
        """How many articles keep an entry made the old way (schema version 10): found by
        a search in ASCII as before, perhaps not by one in other scripts."""
        return int(self._db.execute("SELECT count(*) FROM search_stale").fetchone()[0])

    def _left(self, stale: bool) -> int:
        return self.pending_search_count() + (self.stale_count() if stale else 0)

    def _index_batch(self, size: int, queue: str) -> int:
        """Index the first `size` articles of `queue` in one transaction. Their rows are read,
        their text made and the entries staged in a temporary table before it, so the
        write lock is held for three statements (each a wait for the GIL when page
        extraction keeps other threads busy, and a triage key waits for the lock): read
        again under the lock only if another connection committed in between (PRAGMA
        data_version)."""
        version = self._data_version()
        ids = self._stage(size, queue)
        if not ids:
            return 0  # (an empty queue takes no write lock: a search checks it each time)
        with self._db.transaction():
            if self._data_version() != version:
                ids = self._stage(size, queue)
            if ids:
                self._write(ids)
        return len(ids)

    def _data_version(self) -> int:
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def _stage(self, size: int, queue: str) -> list[int]:
        """The first `size` ids of `queue`; the index entry of each that still exists goes to
        the connection's own temporary table (no lock on the database)."""
        ids = [
            row[0]
            for row in self._db.execute(
                f"SELECT article_id FROM {queue} ORDER BY article_id LIMIT ?", (size,)
            )
        ]
        if not ids:
            return ids
        entries: list[tuple[object, ...]] = []
        cjk = 0
        for id_, title, points, summary, body, pending, html, summary_html in self._texts(ids):
            text = plain_body(html)[0] if pending else body
            # (`text` is the story's plain text already: its HTML is not read again)
            summary = made_summary(summary, summary_html, None, text)
            # (key points are stored as JSON, other scripts than ASCII as \u escapes)
            points = "\n".join(json.loads(points or "[]"))
            fields = (title, points, summary, text)
            entries.append((id_, *(index_text(field) for field in fields)))
            cjk += sum(cjk_characters(field) for field in fields)
            if cjk > CJK_IN_BATCH:  # (the ids after this one wait for the next batch)
                ids = [i for i in ids if i <= id_]
                break
        self._db.execute(
            "CREATE TEMP TABLE IF NOT EXISTS index_entries"
            " (id INTEGER PRIMARY KEY, title, key_points, summary, body)"
        )
        self._db.execute("SAVEPOINT stage")
        self._db.execute("DELETE FROM temp.index_entries")
        self._db.executemany("INSERT INTO temp.index_entries VALUES (?, ?, ?, ?, ?)", entries)
        self._db.execute("RELEASE stage")
        return ids

    def _texts(self, ids: list[int]) -> list[tuple[Any, ...]]:
        """The indexed texts of the articles of `ids` that exist, in id order."""
        rows: list[tuple[Any, ...]] = []
        for chunk in chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows += self._db.execute(
                "SELECT a.id, a.title, t.key_points, t.summary, t.body, t.body_pending,"
                " t.feed_html, t.summary_html"
                " FROM articles a JOIN article_texts t ON t.article_id = a.id"
                f" WHERE a.id IN ({marks}) ORDER BY a.id",
                chunk,
            ).fetchall()
        return rows

    def _write(self, ids: list[int]) -> None:
        """Replace the entries of `ids` (a changed article's old one goes; a new one has
        none) with the staged ones and take them off the queue: one statement each."""
        queued = json.dumps(ids)
        self._db.execute(
            "DELETE FROM article_search WHERE rowid IN (SELECT value FROM json_each(?))",
            (queued,),
        )
        self._db.execute(
            "INSERT INTO article_search (rowid, title, key_points, summary, body)"
            " SELECT id, title, key_points, summary, body FROM temp.index_entries"
        )
        for queue in ("search_pending", "search_stale"):  # (made anew: stale no more)
            self._db.execute(
                f"DELETE FROM {queue} WHERE article_id IN (SELECT value FROM json_each(?))",
                (queued,),
            )
