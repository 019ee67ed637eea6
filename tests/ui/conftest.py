"""Fixtures for the Pilot and snapshot tests: a real Library over a temp SQLite file."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from seeding import rss, seed_library, story
from ui_app import ScriptedLibrary

from readerterm.library import Library


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
