"""Shared fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testserver import LocalServer


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """A started HTTP server on 127.0.0.1 (see tests/testserver.py), stopped afterwards."""
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "prerequisite(missing): see tests/conftest.py")


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("prerequisite")
    if marker is not None and marker.args and marker.args[0]:
        pytest.fail(marker.args[0], pytrace=False)
