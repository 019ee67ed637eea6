"""The seed story of the small-terminal tests and snapshots.

The issue speaks of "the seed story": three publisher key points of about 20-25 words
above a long body. The repository has no file of that name; the story used is the demo's
"Vesmark and Orlan agree to reopen Strait of Kessel after six-week standoff"
(src/readerterm/demo/feeds/world.xml), which is exactly that.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from readerterm.config import Config
from readerterm.demo.seed import seed_demo
from readerterm.library import Library
from readerterm.ui.app import ReaderTermApp
from readerterm.ui.screens.main import MainScreen

SEED_TITLE = "Vesmark and Orlan agree to reopen Strait of Kessel after six-week standoff"
SEED_POINTS = (
    "Vesmark and Orlan signed a deal overnight to reopen the Strait of Kessel to "
    "commercial shipping from Friday morning.",
    "Around 310 vessels have been held at anchor since early October, delaying an "
    "estimated $4.8bn worth of cargo.",
    "A joint inspection team of 40 officers will check cargo at a single checkpoint on "
    "the island of Dremm.",
)
SEED_BODY_START = "Commercial shipping will resume through the Strait of Kessel on Friday"
DEMO_NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
"""The clock of the demo pictures (docs/make_screenshots.py uses the same)."""


@pytest.fixture
def demo_library(tmp_path: Path) -> Iterator[Library]:
    library = Library.open_at(tmp_path / "demo.sqlite3", offline=True)
    seed_demo(library)
    yield library
    library.close()


def demo_app(library: Library, config: Config | None = None) -> ReaderTermApp:
    return ReaderTermApp(library, config or Config(), refresh_on_start=False, now=lambda: DEMO_NOW)


def seed_story_id(library: Library) -> int:
    rows = library.reading.article_rows(library.reading.article_ids())
    return next(row.id for row in rows if row.title == SEED_TITLE)


async def open_seed_story(pilot: Pilot[Any]) -> None:
    """Move the list's cursor down to the seed story and press Enter, as a reader would."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    index = screen.article_list.index_of(seed_story_id(screen.library))
    assert index is not None
    await pilot.press(*["j"] * index, "enter")
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
