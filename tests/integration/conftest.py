"""Fixtures shared by the integration tests of this folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a readerterm subprocess whose files all live under tmp_path."""
    env = dict(os.environ)
    for kind in ("CONFIG", "DATA", "CACHE"):
        env[f"READERTERM_{kind}_DIR"] = str(tmp_path / kind.lower())
    env.pop("READERTERM_OFFLINE", None)
    env["NO_COLOR"] = "1"
    yield env
