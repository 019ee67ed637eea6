"""Keys that come together (a fast typist, a paste after ctrl+u, a script) act in the
order typed in every text box: Textual ran Backspace and ctrl+u only once they had
bubbled up to the app, after the characters typed behind them, so ctrl+u then "ocean" at
once left the search box empty."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.widgets import Input
from ui_app import main_screen, make_app, until

from readerterm.library import Library
from readerterm.ui.screens.add_feed import AddFeedScreen
from readerterm.ui.screens.dialogs import TagScreen

BURSTS = [
    (["ctrl+u", *"ocean"], "strait", "ocean"),
    (["backspace", *"yz"], "strait", "straiyz"),
    (["left", "left", *"xy", "end", "backspace"], "strait", "straxyi"),
]


async def burst(pilot: Any, keys: list[str]) -> None:
    """Post every key before any is handled, as a terminal read of several keys does."""
    for key in keys:
        character = key if len(key) == 1 else None
        pilot.app.post_message(events.Key(key, character))
    await pilot.pause(0.2)


@pytest.mark.parametrize(("keys", "before", "after"), BURSTS)
async def test_the_search_box_takes_a_burst_in_order(
    library: Library, keys: list[str], before: str, after: str
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *before)
        box = main_screen(pilot).search_bar.input
        await until(pilot, lambda: box.value == before)
        await burst(pilot, keys)
        await until(pilot, lambda: box.value == after)
        assert box.value == after


async def test_the_dialog_boxes_take_a_burst_in_order(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFeedScreen))
        await pilot.press(*"http://x")
        await burst(pilot, ["ctrl+u", *"https://y"])
        url = app.screen.query_one("#add-url", Input)
        await until(pilot, lambda: url.value == "https://y")
        assert url.value == "https://y"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, AddFeedScreen))
        await pilot.press("T")
        await until(pilot, lambda: isinstance(app.screen, TagScreen))
        await burst(pilot, ["ctrl+u", *"mine"])
        tags = app.screen.query_one("#tags-input", Input)
        await until(pilot, lambda: tags.value == "mine")
        assert tags.value == "mine"


@pytest.mark.parametrize(
    ("keys", "typed", "closes"),
    [
        ({"close-search": "ctrl+u"}, ["ctrl+u"], True),  # the user's key, not the box's own
        ({"close-search": "ctrl+g"}, ["escape"], False),  # its old key no longer closes
        ({"close-search": "ctrl+g"}, ["ctrl+g"], True),
    ],
)
async def test_the_box_runs_its_keys_as_the_user_mapped_them(
    library: Library, keys: dict[str, str], typed: list[str], closes: bool
) -> None:
    from readerterm.config import Config

    app = make_app(library, Config(keys=keys))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"strait")
        bar = main_screen(pilot).search_bar
        await until(pilot, lambda: bar.input.value == "strait")
        await burst(pilot, typed)
        assert bar.is_open is not closes
        if not closes:
            assert bar.input.value == "strait"
