"""The [keys] table (remaps, clear errors for unknown ids and clashes), the command
palette listing every action, and the theme remembered in config.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import make_app
from readerterm.__main__ import main
from readerterm.config import Config
from readerterm.library import Library
from readerterm.ui import keymap_problems
from readerterm.ui.keys import KEYS, normalize_key
from readerterm.ui.screens.help import HelpScreen


def test_default_keys_have_no_problems_and_unique_ids_per_scope() -> None:
    assert keymap_problems({}) == []
    pairs = [(spec.scope, spec.id) for spec in KEYS]
    assert len(pairs) == len(set(pairs))


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"toggle-raed": "x"}, "[keys] toggle-raed: no action has this binding id"),
        ({"toggle-read": "s"}, "[keys] toggle-read = 's': s is already bound to toggle-star"),
        ({"toggle-read": "j"}, "j is already bound to cursor-down"),
        ({"search": "?"}, "question_mark is already bound to help"),
        ({"triage-keep": "r"}, "r is already bound to triage-read (triage mode)"),
        ({"undo": "tab"}, "tab is kept for moving between panes"),
        ({"undo": " , "}, "[keys] undo = ' , ' names no key"),
    ],
)
def test_keymap_problems_name_the_entry_and_what_is_wrong(
    keys: dict[str, str], expected: str
) -> None:
    found = keymap_problems(keys)
    assert any(expected in problem for problem in found), found


def test_swapping_keys_or_reusing_one_in_another_scope_is_fine() -> None:
    assert keymap_problems({"toggle-read": "s", "toggle-star": "m"}) == []
    assert keymap_problems({"triage-keep": "x", "stop-pages": "ctrl+x"}) == []
    assert keymap_problems({"toggle-later": "L"}) == []  # L is free
    assert normalize_key("/") == "slash" and normalize_key("?") == "question_mark"


def test_keymap_check_does_not_load_textual() -> None:
    code = (
        "import sys; from readerterm.ui import keymap_problems; keymap_problems({'x': 'y'});"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('toggle-read = "s"', "[keys] toggle-read = 's': s is already bound to toggle-star"),
        ('no-such-action = "x"', "[keys] no-such-action: no action has this binding id"),
    ],
)
def test_a_bad_keymap_is_a_config_error_naming_the_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    table: str,
    expected: str,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[settings]\nrefresh_on_start = false\n\n[keys]\n{table}\n")
    monkeypatch.setenv("READERTERM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READERTERM_CACHE_DIR", str(tmp_path / "cache"))
    status = main(["--config", str(config), "--offline"])
    error = capsys.readouterr().err
    assert status == 1
    assert str(config) in error and expected in error


async def test_a_remapped_key_works_and_the_old_one_does_not(library: Library) -> None:
    app = make_app(library, Config(keys={"toggle-later": "L"}))
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        await pilot.press("l")
        assert not library.reading.article(first).later
        await pilot.press("L")
        assert library.reading.article(first).later
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        row = next(r for r in app.screen.rows if r[2] == "toggle-later")
        assert row[0] == "L"


async def test_help_and_palette_list_every_action(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {row[2] for row in app.screen.rows}
        for spec in KEYS:
            if spec.scope not in ("dialog", "add", "help"):
                assert spec.id in listed
        await pilot.press("escape")
        await pilot.pause()
        main_screen: Any = app.screen
        commands = [command.title for command in app.get_system_commands(main_screen)]
        for spec in KEYS:
            if spec.scope in ("app", "main"):
                assert spec.description in commands
        assert any("theme" in title.lower() for title in commands)


async def test_palette_runs_a_screen_action(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "View: starred")
        await command.callback()
        await pilot.pause()
        assert app.screen.entry_key == "starred"  # type: ignore[attr-defined]


async def test_a_picked_theme_is_written_to_the_config(tmp_path: Path, library: Library) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('# my settings\n[settings]\ntheme = "textual-dark"  # dark\n')
    from readerterm.ui.app import ReaderTermApp

    app = ReaderTermApp(library, Config(), config_path=config_file, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "nord"
        await pilot.pause()
        await pilot.pause()
    text = config_file.read_text()
    assert 'theme = "nord"  # dark' in text and text.startswith("# my settings")


async def test_the_demo_remembers_no_theme(tmp_path: Path, library: Library) -> None:
    from readerterm.ui.app import ReaderTermApp

    app = ReaderTermApp(library, Config(), config_path=None, refresh_on_start=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.theme = "gruvbox"
        await pilot.pause()
    assert list(tmp_path.iterdir()) == [tmp_path / "cache.sqlite3"] or all(
        p.suffix != ".toml" for p in tmp_path.iterdir()
    )
