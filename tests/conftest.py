"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from readerterm.library import Library
from readerterm.store import Store
from testserver import LocalServer

# Helper modules the tests import (not test modules) get pytest's assertion messages too.
pytest.register_assert_rewrite(
    "cli_home",
    "demo_story",
    "fastparse_compare",
    "freshrss",
    "library_helpers",
    "news_site",
    "store_helpers",
)


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A started HTTP server on 127.0.0.1 (see tests/testserver.py), stopped afterwards."""
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def open_library() -> Iterator[Callable[[datetime], Library]]:
    """Opens an offline Library over an in-memory store whose clock stands at the time
    given; closes each afterwards."""
    opened: list[Library] = []

    def open_at(now: datetime) -> Library:
        library = Library(Store(":memory:"), offline=True, clock=lambda: now)
        opened.append(library)
        return library

    yield open_at
    for library in opened:
        library.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "prerequisite(missing): see tests/conftest.py")


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("prerequisite")
    if marker is not None and marker.args and marker.args[0]:
        pytest.fail(marker.args[0], pytrace=False)
