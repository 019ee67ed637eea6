"""The yes/no question (`M`): y confirms and n cancels, as in newsboat, besides Enter,
Escape and the buttons; the hint names the keys as [keys] maps them; and y and n still
type in the dialogs with a text box."""

from __future__ import annotations

from typing import Any

from screen_text import status_message
from textual.widgets import Input
from ui_app import main_screen, make_app

from readerterm.config import Config
from readerterm.library import Library
from readerterm.ui import keymap_problems
from readerterm.ui.keys import resolve_keymap
from readerterm.ui.screens.add_feed import AddFeedScreen
from readerterm.ui.screens.dialogs import ConfirmScreen, TagScreen
from readerterm.ui.screens.help import binding_rows


def hint_of(screen: Any) -> str:
    return str(screen.query_one("#confirm-hint").render())


async def ask(pilot: Any) -> ConfirmScreen:
    """Press M; the question is on top."""
    await pilot.press("M")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConfirmScreen)
    return screen


async def test_y_marks_the_list_read_and_n_cancels(library: Library) -> None:
    unread = len(library.reading.article_ids())
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ask(pilot)
        assert hint_of(screen) == "y: Mark read · n or Escape: Cancel"
        await pilot.press("n")
        await pilot.pause()
        main_screen(pilot)
        assert library.subscriptions.total_unread() == unread
        assert status_message(app) == ""
        await ask(pilot)
        await pilot.press("y")
        await pilot.pause()
        main_screen(pilot)
        assert library.subscriptions.total_unread() == 0
        assert status_message(app) == f"Marked {unread} articles read (u undoes)."


async def test_the_hint_names_the_keys_as_mapped(library: Library) -> None:
    keys = {"confirm-yes": "j", "confirm-no": "ctrl+g"}
    app = make_app(library, Config(keys=keys))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ask(pilot)
        assert hint_of(screen) == "j: Mark read · Ctrl+G or Escape: Cancel"
        await pilot.press("y", "n")  # (no longer theirs: nothing happens)
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("j")
        await pilot.pause()
        main_screen(pilot)
        assert library.subscriptions.total_unread() == 0


async def test_y_given_to_cancel_cancels_and_confirm_yes_is_unbound(library: Library) -> None:
    """close-dialog takes y: confirm-yes gives it up and has no key left (help says so);
    y must cancel, not confirm."""
    resolved = resolve_keymap({"close-dialog": "y"})
    assert resolved.unbound == {"confirm-yes"}
    app = make_app(library, Config(keys={"close-dialog": "y"}))
    async with app.run_test(size=(100, 30)) as pilot:
        row = next(row for row in binding_rows(app) if row[2] == "confirm-yes")
        assert row[0] == ""
        unread = library.subscriptions.total_unread()
        screen = await ask(pilot)
        assert hint_of(screen) == "n or y: Cancel"
        await pilot.press("y")
        await pilot.pause()
        main_screen(pilot)
        assert library.subscriptions.total_unread() == unread


def test_a_clash_with_the_dialog_keys_is_reported() -> None:
    found = keymap_problems({"confirm-no": "x", "close-dialog": "x"})
    assert any("both use x" in problem for problem in found), found
    # The add-feed dialog has no y/n: its keys may share one with them.
    assert keymap_problems({"confirm-yes": "ctrl+y", "add-anyway": "ctrl+y"}) == []


def test_help_lists_the_answer_keys(library: Library) -> None:
    rows = binding_rows(make_app(library))
    assert [(row[0], row[2], row[4]) for row in rows if row[4] == "confirm"] == [
        ("y", "confirm-yes", "confirm"),
        ("n", "confirm-no", "confirm"),
    ]


async def test_y_and_n_type_in_the_tag_dialog(library: Library) -> None:
    first = library.reading.article_ids()[0]
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        await pilot.press(*"yen,nylon", "enter")
        await pilot.pause()
        main_screen(pilot)
        assert library.reading.article(first).tags == ("nylon", "yen")


async def test_y_and_n_type_in_the_add_feed_dialog(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddFeedScreen)
        await pilot.press(*"https://ny.example/y", "tab", *"yn")
        assert dialog.query_one("#add-url", Input).value == "https://ny.example/y"
        assert dialog.query_one("#add-tags", Input).value == "yn"
