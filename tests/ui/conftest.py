"""Fixtures for the Pilot and snapshot tests: a real Library over a temp SQLite file."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from seeding import NOW, rss, seed_library, story

from readerterm.config import Config
from readerterm.library import Library
from readerterm.library.refresh import Refresher
from readerterm.models import RefreshResult, RefreshStatus
from readerterm.store import Store
from readerterm.ui.app import ReaderTermApp


@pytest.fixture(autouse=True)
def utc_timezone() -> Iterator[None]:
    """Dates in the reader header are local time: pin it so screens are stable."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if old is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite3"


@pytest.fixture
def library(db_path: Path) -> Iterator[Library]:
    lib = seed_library(db_path)
    yield lib
    lib.close()


def make_app(library: Library, config: Config | None = None) -> ReaderTermApp:
    """The app as the CLI builds it, with a fixed clock and no refresh at start."""
    return ReaderTermApp(library, config or Config(), refresh_on_start=False, now=lambda: NOW)


class ScriptedRefresher:
    """A refresh that reads prepared documents instead of the network: feeds with a
    document get it ingested, every other feed fails with the library's `error`."""

    def __init__(self, library: ScriptedLibrary, real: Refresher) -> None:
        self.library = library
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def refresh(
        self,
        feed_ids: Sequence[int] | None = None,
        *,
        due_only: bool = False,
        at_once: int = 64,
    ) -> AsyncIterator[RefreshResult]:
        lib = self.library
        lib.at_once = [*lib.at_once, at_once]
        for feed in lib.subscriptions.feeds():
            if feed_ids is not None and feed.id not in feed_ids:
                continue
            document = lib.documents.get(feed.url)
            if document is None:
                lib.store.subscriptions.record_failure(feed.id, lib.error, now=NOW)
                yield RefreshResult(
                    feed.id, feed.url, feed.title, RefreshStatus.FAILED, error=lib.error
                )
            else:
                yield self.real.ingest_document(feed.id, document)


class ScriptedLibrary(Library):
    """A real library whose refresh is scripted (see ScriptedRefresher)."""

    error = "connection refused by 127.0.0.1"

    def __init__(self, store: Store, **options: Any) -> None:
        super().__init__(store, **options)
        self.documents: dict[str, bytes] = {}
        self.at_once: list[int] = []
        self.refresher = ScriptedRefresher(self, self.refresher)  # type: ignore[assignment]


@pytest.fixture
def scripted_library(db_path: Path) -> Iterator[ScriptedLibrary]:
    """Seeded like `library`; refreshing adds two World stories and fails the rest."""
    seed_library(db_path).close()
    lib = ScriptedLibrary.open_at(db_path)
    assert isinstance(lib, ScriptedLibrary)
    fresh = [story(100 + i, "World", hours_ago=0.1) for i in range(2)]
    old = [story(i, "World", hours_ago=i * 3 + 0.5) for i in range(6)]
    lib.documents = {"https://example.org/world.xml": rss("World", fresh + old)}
    yield lib
    lib.close()
