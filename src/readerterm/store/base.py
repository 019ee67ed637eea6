"""The connection, transactions and date helpers every part of the store shares."""

from __future__ import annotations

import contextlib
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..errors import StoreError
from .schema import MIGRATIONS, SCHEMA_VERSION


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def from_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def chunks(items: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Rows:
    """The complete result of one statement: SQLite steps lazily, so a damaged page can
    fail while rows are read; reading them all inside `Database.execute` keeps every
    such failure in one place."""

    def __init__(self, rows: list[Any], lastrowid: int | None) -> None:
        self.rows = rows
        self.lastrowid = lastrowid

    def __iter__(self) -> Iterator[Any]:
        return iter(self.rows)

    def fetchone(self) -> Any:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[Any]:
        return self.rows


_NO_SPACE_CODES = {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL}
_UNDECODABLE = "Could not decode to UTF-8"
"""What sqlite3 says when a text value it reads is not UTF-8."""
_READS = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)


def _no_space(error: sqlite3.Error) -> bool:
    """A write failed at the disk (full, or an I/O error SQLite reports for it)."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _NO_SPACE_CODES


def open_read_only(path: str) -> sqlite3.Connection | None:
    """A connection that reads `path` without writing a byte anywhere, or None.

    `mode=ro` with `readonly_shm=1` makes SQLite map the -shm file read-only; when no
    process has it open, SQLite keeps the WAL index in its own memory (its mode for a
    WAL database on read-only media). It needs the -shm file to exist: an empty one is
    created if missing, which takes an inode but no data block. Sorts and temporary
    tables stay in memory, as a temporary file could not be written either."""
    if not Path(path).is_file():
        return None  # nothing to read: a new database needs writing anyway
    with contextlib.suppress(OSError):
        Path(path + "-shm").touch(exist_ok=True)
    uri = f"file:{quote(str(Path(path).absolute()))}?mode=ro&readonly_shm=1"
    try:
        raw = sqlite3.connect(uri, uri=True, timeout=10.0, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        raw.execute("PRAGMA busy_timeout = 10000")
        raw.execute("PRAGMA temp_store = MEMORY")
        raw.execute("PRAGMA user_version").fetchall()
    except sqlite3.Error:
        raw.close()
        return None
    return raw


def _describe(error: sqlite3.DatabaseError, cannot_write: str | None = None) -> str:
    text = str(error)
    if cannot_write is not None and getattr(error, "sqlite_errorcode", 0) & 0xFF in (
        sqlite3.SQLITE_READONLY,
        *_NO_SPACE_CODES,
    ):
        return (
            f"cannot write the database ({cannot_write}): is the disk full? Reading still"
            " works; restart readerterm once there is space"
        )
    if "malformed" in text or "not a database" in text:
        return f"the database is damaged ({text}); move it aside to start afresh"
    if "full" in text or "disk I/O" in text:
        return f"cannot write the database ({text}): is the disk full?"
    if "readonly" in text or "read-only" in text:
        return f"the database is read-only ({text})"
    if "locked" in text or "busy" in text:
        return f"the database is busy ({text}); another readerterm may be writing"
    return f"database error: {text}"


class WriteGate:
    """Orders this process's write transactions on one database: one at a time, and the
    reader's own (triage, on the event loop) before any background one waiting.

    Without it, the event loop's write would wait in SQLite's busy handler, which sleeps
    and polls: a writer thread that starts its next transaction at once can keep it out
    for seconds. Here it waits at most for the one background transaction under way.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._busy = False
        self._foreground_waiting = 0

    @contextmanager
    def turn(self, *, background: bool) -> Iterator[None]:
        with self._condition:
            if not background:
                self._foreground_waiting += 1
            try:
                self._condition.wait_for(
                    lambda: not self._busy and (not background or not self._foreground_waiting)
                )
            finally:
                if not background:
                    self._foreground_waiting -= 1
            self._busy = True
        try:
            yield
        finally:
            with self._condition:
                self._busy = False
                self._condition.notify_all()


_GATES: dict[str, WriteGate] = {}
_GATES_LOCK = threading.Lock()


def _gate_for(path: str) -> WriteGate:
    if path == ":memory:":
        return WriteGate()  # nothing else can open this database
    key = str(Path(path).resolve())
    with _GATES_LOCK:
        return _GATES.setdefault(key, WriteGate())


_READ_ONLY: dict[str, str] = {}
"""Databases this process opened read-only for want of space, with the reason. SQLite
shares one -shm mapping per file in a process, so once one connection maps it read-only
every later one (the writer's thread) opens read-only too and says why. It stays so for the
life of the process: a reader started on a full disk writes again once restarted."""


def _read_only_reason(path: str) -> str | None:
    with _GATES_LOCK:
        return _READ_ONLY.get(str(Path(path).resolve()))


def _remember_read_only(path: str, reason: str) -> None:
    with _GATES_LOCK:
        _READ_ONLY[str(Path(path).resolve())] = reason


class Database:
    """One SQLite connection, used from one thread; every failure is a StoreError naming
    the file. `background` marks the connection of a writer thread: its write
    transactions give way to the reader's (see WriteGate)."""

    def __init__(self, path: Path | str, *, background: bool = False) -> None:
        self.path = str(path)
        self._background = background
        self._gate = _gate_for(self.path)
        self.cannot_write: str | None = None
        """Why this connection was opened read-only (a full disk), or None: it can write."""
        try:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.raw = self._connect()
            self._migrate()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open the database: {error}") from error
        except OSError as error:
            raise StoreError(f"{self.path}: cannot create the database: {error}") from error

    def _connect(self) -> sqlite3.Connection:
        """The usual read-write connection in WAL mode; on a disk with no space left, where
        SQLite cannot even size the -shm file it shares with other readers, a read-only
        one that keeps its WAL index in memory instead, so the cache can still be read."""
        if self.path != ":memory:" and (reason := _read_only_reason(self.path)) is not None:
            reading = open_read_only(self.path)
            if reading is not None:
                self.cannot_write = reason
                return reading
        raw = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        try:
            raw.execute("PRAGMA busy_timeout = 10000")
            raw.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                raw.execute("PRAGMA journal_mode = WAL").fetchall()
                raw.execute("PRAGMA synchronous = NORMAL")
            return raw
        except sqlite3.OperationalError as error:
            raw.close()
            if self.path == ":memory:" or not _no_space(error):
                raise
            reading = open_read_only(self.path)
            if reading is None:
                raise error from None
            self.cannot_write = str(error)
            _remember_read_only(self.path, self.cannot_write)
            return reading

    def execute(self, sql: str, parameters: Sequence[object] | Mapping[str, object] = ()) -> Rows:
        try:
            cursor = self.raw.execute(sql, parameters)
            return Rows(cursor.fetchall(), cursor.lastrowid)
        except sqlite3.DatabaseError as error:
            if _UNDECODABLE in str(error) and _READS.match(sql):
                return self._read_damaged(sql, parameters)
            raise StoreError(f"{self.path}: {_describe(error, self.cannot_write)}") from error

    def _read_damaged(self, sql: str, parameters: Sequence[object] | Mapping[str, object]) -> Rows:
        """A read that met text which is not UTF-8 (a damaged page, a file written by
        something else), read again with such text decoded leniently (U+FFFD) and cleaned
        as feed text is: the rest of the cache stays readable, and the damaged bytes never
        reach a terminal. Only this read pays for it: decoding every read so would cost
        ~4x as much on long lists."""
        from ..text.safe import clean_text

        self.raw.text_factory = lambda raw: clean_text(raw.decode("utf-8", "replace"))
        try:
            cursor = self.raw.execute(sql, parameters)
            return Rows(cursor.fetchall(), cursor.lastrowid)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: {_describe(error, self.cannot_write)}") from error
        finally:
            self.raw.text_factory = str

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        try:
            self.raw.executemany(sql, rows)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: {_describe(error, self.cannot_write)}") from error

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    def close(self) -> None:
        self.raw.close()

    def set_autocheckpoint(self, pages: int) -> None:
        """Checkpoint the WAL from this connection only past `pages` pages (see
        store/checkpoint.py for the thread that does it sooner)."""
        self.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")

    def _migrate(self) -> None:
        version = int(self.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer readerterm (schema {version}, this one "
                f"reads up to {SCHEMA_VERSION}); upgrade readerterm or use another data dir"
            )
        if version < SCHEMA_VERSION and self.cannot_write is not None:
            what = "created" if version == 0 else "upgraded to this readerterm's schema"
            raise StoreError(
                f"{self.path}: the database must be {what}, and it cannot be written "
                f"({self.cannot_write}): is the disk full?"
            )
        while version < SCHEMA_VERSION:
            with self.transaction():
                MIGRATIONS[version](self.raw)
                version += 1
                self.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so a second process
        waits (busy timeout) rather than failing half way."""
        with self._gate.turn(background=self._background):
            yield from self._immediate_transaction()

    def _immediate_transaction(self) -> Iterator[None]:
        self.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.execute("COMMIT")
        except BaseException as error:
            # SQLite may have rolled back already (a full disk does); then there is nothing
            # to undo, and the first error is the one worth reporting.
            if self.in_transaction:
                with contextlib.suppress(sqlite3.DatabaseError):
                    self.raw.execute("ROLLBACK")
            if isinstance(error, StoreError):
                reason = str(error).removeprefix(f"{self.path}: ")
                raise StoreError(f"{self.path}: could not save changes: {reason}") from error
            raise

    def write(self, sql: str, parameters: Sequence[object] = ()) -> Rows:
        with self.transaction():
            return self.execute(sql, parameters)

    def integrity_ok(self) -> bool:
        return bool(self.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
