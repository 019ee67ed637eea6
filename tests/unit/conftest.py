"""Fixtures shared by the unit tests of this folder: a store (in memory and on disk), an
offline library, and no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from library_helpers import make_library

import readerterm.net.fetch
from in_process import NoFetcher
from readerterm.library import Library
from readerterm.store import Store


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    location = ":memory:" if request.param == "memory" else tmp_path / "data" / "rt.db"
    opened = Store(location)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No Fetcher can be made: a test that would reach the network fails instead."""
    monkeypatch.setattr(readerterm.net.fetch, "Fetcher", NoFetcher)


@pytest.fixture
def library() -> Iterator[Library]:
    """An offline library over an in-memory store, its clock at library_helpers.NOW."""
    opened = make_library()
    try:
        yield opened
    finally:
        opened.close()
