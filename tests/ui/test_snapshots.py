"""Snapshots of the canonical screens (fixed clock, seeded store, no network).

Update after reviewing the report: `uv run pytest tests/ui/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from conftest import make_app
from readerterm.library import Library


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
    await pilot.press("t")
    await pilot.pause()


def test_triage_mode(snap_compare: Any, library: Library) -> None:
    app = make_app(library)
    assert snap_compare(app, run_before=start_triage, terminal_size=(100, 30))


async def search_for_a_story(pilot: Pilot[Any]) -> None:
    await pilot.press("slash", *"story", "space", *"3", "space", *"after:2026-99-01")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_search_results(snap_compare: Any, library: Library) -> None:
    app = make_app(library)
    assert snap_compare(app, run_before=search_for_a_story, terminal_size=(100, 30))
