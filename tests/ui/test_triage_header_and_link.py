"""Triage mode at 80x24: the header keeps a space between the view's name and the counter
and cuts the name with "…"; with no browser to open, `o` says where `y` copies the link
(the main screen: triage mode has no copy key)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest
from demo_story import demo_app, demo_library
from screen_text import screen_lines
from textual.widgets import Static
from ui_app import make_app, open_triage, until

from readerterm.config import Config
from readerterm.library import Library
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.screens.triage import TriageScreen

__all__ = ["demo_library"]  # the fixture, used by name


async def triage_feed(pilot: Any, library: Library, title: str) -> TriageScreen:
    """Choose the feed `title` in the feed pane and press t."""
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    feed = next(feed for feed in library.subscriptions.feeds() if feed.title == title)
    screen.feed_list.focus()
    screen.feed_list.select_feed(feed.id)
    await pilot.pause()
    await pilot.press("enter", "t")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    triage = pilot.app.screen
    assert isinstance(triage, TriageScreen)
    return triage


async def test_the_header_cuts_a_long_view_name_before_the_counter(
    demo_library: Library,
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        triage = await triage_feed(pilot, demo_library, "Tideline: Climate & Energy")
        start = triage.started
        triage.clock = lambda: start + 31.5  # (the pace shows from half a minute in)
        await pilot.press("d", "d", "d")
        await pilot.pause()
        line = next(line for line in screen_lines(app) if "Triage ·" in line)
        assert re.search(r"Triage · Tideline: \S[^…]*… 2 left · 3 done · 6 a minute", line), line
        view = triage.query_one("#triage-view", Static)
        counter = triage.query_one("#triage-counter", Static)
        assert view.region.right < counter.region.x  # a space between them
        assert view.region.y == counter.region.y and view.region.height == 1


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="always a display there")
@pytest.mark.parametrize("copy_key", ["y", "c", ""])
async def test_o_without_a_browser_points_at_the_key_which_copies_the_link_in_triage(
    library: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, copy_key: str
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no console browser either
    # With copy-link moved to c, the message names c (it said "y" whatever the keymap).
    # With no key at all (y given to star), it points at the palette, which still has it.
    keys = {} if copy_key == "y" else {"triage-copy": copy_key, "copy-link": copy_key}
    if not copy_key:
        keys = {"toggle-star": "y", "triage-star": "y"}
    app = make_app(library, Config(keys=keys))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        await pilot.press("o")
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert any("no console browser" in message for message in messages), messages
        told = next(message for message in messages if "no console browser" in message)
        hint = f"with {copy_key}" if copy_key else "from the command palette (ctrl+p)"
        assert told.endswith(f"config.toml, or copy the link {hint}"), told
        if not copy_key:
            return
        assert triage.done == 0 and app.screen is triage  # not opened: the story stays
        copied: list[str] = []
        monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
        await pilot.press(copy_key)
        await pilot.pause()
        assert triage.article is not None and copied == [triage.article.url]
        assert triage.done == 0  # copying decides nothing


async def test_the_pace_waits_for_half_a_minute_and_is_a_whole_number(
    library: Library,
) -> None:
    """Keys typed at once after `t` read "3 done · 3111.6 a minute"."""
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_triage(pilot)
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        await pilot.press("k", "k", "k")
        await until(pilot, lambda: triage.done == 3)
        start = triage.started
        triage.clock = lambda: start + 5
        assert triage.pace() == "pace —"
        triage.clock = lambda: start + 40
        assert triage.pace() == "4 a minute"  # (4.5 rounds to even)
        triage.clock = lambda: start + 60
        assert triage.pace() == "3 a minute"
