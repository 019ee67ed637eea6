"""Shared by the library tests (test_library.py, test_library_subscriptions.py): a fixed
clock, the sample documents in data/, and ways to open an offline library and ingest a
document. The `library` and `no_network` fixtures are in conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.store import Store

DATA = Path(__file__).parent / "data"
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
FEED = "https://news.example.org/feed.xml"


def make_library(offline: bool = True, database: str | Path = ":memory:") -> Library:
    return Library(Store(database), offline=offline, clock=lambda: NOW)


def ingest_file(library: Library, name: str, url: str = FEED) -> int:
    feed = library.subscriptions.subscribe(url)
    result = library.refresher.ingest_document(feed.id, (DATA / name).read_bytes())
    assert result.status is RefreshStatus.UPDATED, result.error
    return feed.id
