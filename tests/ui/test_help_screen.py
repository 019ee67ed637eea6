"""The `?` screen lists every key docs/keys.md lists, under the same headings, each key
written one way (as the footer writes it); the command palette's Keys opens that screen
rather than Textual's key panel, and Textual's other commands stay."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.widgets import Static
from ui_app import make_app

from readerterm.library import Library
from readerterm.ui.screens.help import HelpScreen, sections
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.screens.triage import TriageScreen

KEYS_DOC = Path(__file__).parents[2] / "docs" / "keys.md"


def documented() -> list[tuple[str, list[str]]]:
    """(heading, binding ids) of docs/keys.md, in its order."""
    found: list[tuple[str, list[str]]] = []
    for line in KEYS_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            found.append((line[3:], []))
        elif found and (cells := re.match(r"\| .* \| `([^`]+)` \| .* \|$", line)):
            found[-1][1].append(cells[1])
    return found


async def open_help(pilot: Any) -> HelpScreen:
    await pilot.press("question_mark")
    await pilot.pause()
    help_screen = pilot.app.screen
    assert isinstance(help_screen, HelpScreen)
    return help_screen


async def test_help_lists_every_documented_key_under_the_docs_headings(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        help_screen = await open_help(pilot)
        shown = [(title, [row[2] for row in rows]) for title, rows in sections(help_screen.rows)]
        doc = documented()
        assert [title for title, _ids in shown] == [title for title, _ids in doc]
        for (title, ids), (_title, doc_ids) in zip(shown, doc, strict=True):
            assert [i for i in ids if i] == doc_ids, title  # (and keys Textual handles)
        rows = {(row[4], row[2]): row[0] for row in help_screen.rows}
        assert rows[("dialog", "close-dialog")] == "esc"
        assert rows[("add", "add-anyway")] == "^f"
        assert rows[("help", "close-help")] == "esc / q / ?"
        console = Console(width=100, record=True)
        console.print(help_screen.query_one("#help-table", Static).content)
        text = console.export_text()
        lines = [line.strip() for line in text.splitlines()]
        for title, _ids in doc:
            assert title in lines  # a heading line of its own
        assert "Add the feed unchecked" in text and "Cancel" in text


async def test_help_writes_each_key_one_way(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        help_screen = await open_help(pilot)
        keys = {key for row in help_screen.rows for key in row[0].split(" / ")}
        assert "esc" in keys and "^r" in keys and "^p" in keys
        assert not {"escape", "Esc", "ctrl+r", "ctrl+p", "ctrl+f"} & keys
        console = Console(width=100, record=True)
        console.print(help_screen.query_one("#help-table", Static).content)
        assert "escape" not in console.export_text().lower()
        hint = help_screen.body.border_subtitle
        assert str(getattr(hint, "plain", hint)) == "esc / q / ? closes this screen"


async def test_the_palettes_keys_opens_the_help_screen(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        assert isinstance(main, MainScreen)
        titles = [command.title for command in app.get_system_commands(main)]
        assert titles.count("Keys") == 1
        assert {"Theme", "Quit", "Screenshot"} <= set(titles)
        # One Quit (readerterm's, with its key); no Maximize: it hid the reader while Enter
        # still marked the story it would have shown read.
        assert titles.count("Quit") == 1 and "Maximize" not in titles
        await pilot.press("enter", "z")
        await pilot.pause()
        assert main.maximized is not None  # the zoomed reader
        assert "Minimize" not in [c.title for c in app.get_system_commands(main)]
        await pilot.press("z")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Keys")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert not main.query("HelpPanel")  # Textual's panel, squeezing the panes
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert not main.query("HelpPanel")


async def test_in_triage_mode_keys_opens_help_and_commands_name_the_mode(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        commands = {command.title: command for command in app.get_system_commands(triage)}
        assert "Keep unread (triage mode)" in commands
        commands["Keys"].callback()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is triage


async def test_help_from_triage_opens_at_triages_keys(library: Library) -> None:
    from screen_text import screen_lines

    for size in ((80, 24), (100, 30)):
        app = make_app(library)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            help_screen = await open_help(pilot)  # from the main screen: at the top
            assert help_screen.query_one("#help-body").scroll_y == 0
            await pilot.press("escape", "t")
            await pilot.pause()
            assert isinstance(app.screen, TriageScreen)
            await open_help(pilot)
            await pilot.pause()
            # The dialog's rows: between its borders (triage shows around it).
            lines = [line.split("│")[1].strip() for line in screen_lines(app) if "│" in line]
            first = next(line for line in lines if line)
            assert first.startswith("Triage mode"), lines  # its heading first in view
            assert any(line.startswith("q / esc") and "Leave" in line for line in lines)


async def test_the_help_key_as_mapped_closes_the_help_too(library: Library) -> None:
    from readerterm.config import Config

    app = make_app(library, Config(keys={"help": "h"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is main


async def test_the_help_scrolls_with_the_keys_that_scroll_elsewhere(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        help_screen = await open_help(pilot)
        body = help_screen.query_one("#help-body")
        assert body.max_scroll_y > 0  # (more keys than lines at 80x24)

        async def press(*keys: str) -> float:
            await pilot.press(*keys)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            return body.scroll_y

        assert await press("j", "j", "j") == 3
        assert await press("k") == 2
        assert await press("space") > 2 + body.scrollable_content_region.height / 2
        assert await press("b") == 2
        assert await press("G") == body.max_scroll_y
        assert await press("g") == 0
        assert await press("end") == body.max_scroll_y
        assert await press("home") == 0
        await pilot.press("question_mark")  # the keys that closed it still do
        await pilot.pause()
        assert app.screen is main
