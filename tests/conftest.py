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
