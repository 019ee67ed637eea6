"""Snapshots of the canonical screens (fixed clock, seeded store, no network).

Update after reviewing the report: `uv run pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

from demo_story import demo_app, demo_library, open_seed_story
from textual.pilot import Pilot
from textual.widgets import Input
from ui_app import make_app, open_triage, until

from readerterm.library import Library

__all__ = ["demo_library"]  # the fixture, used by name


async def open_third_article(pilot: Pilot[Any]) -> None:
    await pilot.press("j", "j", "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_three_panes_with_an_article_open_wide(snap_compare: Any, library: Library) -> None:
    app = make_app(library)
    assert snap_compare(app, run_before=open_third_article, terminal_size=(200, 50))


def test_three_panes_with_an_article_open_narrow(snap_compare: Any, library: Library) -> None:
    app = make_app(library)
    assert snap_compare(app, run_before=open_third_article, terminal_size=(100, 30))


async def start_triage(pilot: Pilot[Any]) -> None:
    await open_triage(pilot)
    await pilot.pause()


def test_triage_mode(snap_compare: Any, library: Library) -> None:
    app = make_app(library)
    assert snap_compare(app, run_before=start_triage, terminal_size=(100, 30))


async def search_for_a_story(pilot: Pilot[Any]) -> None:
    await pilot.press("slash")
    # A steady cursor (each key shows it): it blinked off 0.5 s after the last key, and a
    # loaded machine took longer than that to take the picture.
    await until(pilot, lambda: pilot.app.screen.query("#search-input"))
    pilot.app.screen.query_one("#search-input", Input).cursor_blink = False
    await pilot.press(*"story", "space", *"3", "space", *"after:2026-99-01")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_search_results(snap_compare: Any, library: Library) -> None:
    app = make_app(library)
    assert snap_compare(app, run_before=search_for_a_story, terminal_size=(100, 30))


# The seed story (the demo's Strait of Kessel story: three publisher key points of about
# 20 words; the repository has no "seed story" file, see demo_story.py) on a small, a
# middling and a large terminal: at 80x24 opening it zooms the reader and all three key
# points show above the start of the body; at 100x30 they show unzoomed; at 200x50 they
# sit beside the body.


def test_seed_story_at_80x24(snap_compare: Any, demo_library: Library) -> None:
    app = demo_app(demo_library)
    assert snap_compare(app, run_before=open_seed_story, terminal_size=(80, 24))


def test_seed_story_at_100x30(snap_compare: Any, demo_library: Library) -> None:
    app = demo_app(demo_library)
    assert snap_compare(app, run_before=open_seed_story, terminal_size=(100, 30))


def test_seed_story_at_200x50(snap_compare: Any, demo_library: Library) -> None:
    app = demo_app(demo_library)
    assert snap_compare(app, run_before=open_seed_story, terminal_size=(200, 50))
