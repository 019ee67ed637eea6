"""The [keys] table (remaps, clear errors for unknown ids and clashes), the command
palette listing every action, and the theme remembered in config.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import Static
from ui_app import make_app

from readerterm.__main__ import main
from readerterm.config import Config
from readerterm.library import Library
from readerterm.ui import keymap_problems
from readerterm.ui.keys import KEYS, normalize_key, resolve_keymap
from readerterm.ui.screens.help import HelpScreen


def test_default_keys_have_no_problems_and_unique_ids_per_scope() -> None:
    assert keymap_problems({}) == []
    pairs = [(spec.scope, spec.id) for spec in KEYS]
    assert len(pairs) == len(set(pairs))


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ({"toggle-raed": "x"}, "[keys] toggle-raed: no action has this binding id"),
        (
            {"toggle-read": "x", "stop-pages": "x"},
            "[keys] toggle-read = 'x' and stop-pages = 'x' both use x (main screen): "
            "'Read/unread' and 'Stop fetching pages' cannot share it",
        ),
        ({"toggle-read": "j", "cursor-down": "j"}, "both use j"),
        ({"triage-keep": "z", "triage-read": "z"}, "both use z (triage mode)"),
        ({"undo": "tab"}, "tab is kept for moving between panes"),
        ({"undo": " , "}, "[keys] undo = ' , ' names no key"),
    ],
)
def test_keymap_problems_name_the_entry_and_what_is_wrong(
    keys: dict[str, str], expected: str
) -> None:
    found = keymap_problems(keys)
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    ("binding_id", "told"),
    [
        ("toggle-raed", "no action has this binding id; did you mean toggle-read? (press ?"),
        ("nextunread", "no action has this binding id; did you mean next-unread? (press ?"),
        ("frobnicate", "no action has this binding id (press ? in the reader for the list"),
    ],
)
def test_an_unknown_binding_id_suggests_the_closest_known_one(binding_id: str, told: str) -> None:
    # Only "no action has this binding id": the user had to open ? and compare by eye.
    problems = keymap_problems({binding_id: "x"})
    assert len(problems) == 1 and problems[0].startswith(f"[keys] {binding_id}: {told}"), problems


def test_a_users_binding_takes_a_defaults_key_and_the_default_moves_aside() -> None:
    # The documented example: x was stop-pages' key; now it is toggle-read's alone.
    assert keymap_problems({"toggle-read": "x"}) == []
    resolved = resolve_keymap({"toggle-read": "x"})
    assert resolved.keymap == {"toggle-read": "x"}
    assert resolved.unbound == {"stop-pages"}
    # A default with other keys keeps them (j goes, down stays, in the lists and the reader).
    assert resolve_keymap({"toggle-read": "j"}).keymap == {
        "toggle-read": "j",
        "cursor-down": "down",
    }
    assert resolve_keymap({"triage-keep": "r"}).keymap == {
        "triage-keep": "r",
        "triage-read": "space",
    }
    assert resolve_keymap({"search": "?"}).unbound == {"help"}
    # Keys reused where the other binding is never live, and swaps, move nothing.
    assert resolve_keymap({"triage-keep": "x"}).unbound == frozenset()
    assert normalize_key("/") == "slash" and normalize_key("?") == "question_mark"
    swapped = resolve_keymap({"toggle-read": "s", "toggle-star": "m"})
    assert swapped.unbound == frozenset() and keymap_problems(swapped.keymap) == []


def test_keymap_check_does_not_load_textual() -> None:
    code = (
        "import sys; from readerterm.ui import keymap_problems; keymap_problems({'x': 'y'});"
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_two_of_the_users_bindings_on_one_key_name_the_file_the_lines_and_both(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[settings]\nrefresh_on_start = false\n\n[keys]\ntoggle-read = "x"\nundo = "u"\n'
        'stop-pages = "x"\n'
    )
    monkeypatch.setenv("READERTERM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READERTERM_CACHE_DIR", str(tmp_path / "cache"))
    status = main(["--config", str(config), "--offline"])
    error = capsys.readouterr().err
    assert status == 1
    assert f"{config}, line 5: [keys] toggle-read = 'x' and stop-pages = 'x' (line 7)" in error
    assert "'Read/unread' and 'Stop fetching pages'" in error


def test_an_unknown_binding_id_is_a_config_error_naming_the_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[settings]\nrefresh_on_start = false\n\n[keys]\nno-such-action = "x"\n')
    monkeypatch.setenv("READERTERM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READERTERM_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["--config", str(config), "--offline"]) == 1
    error = capsys.readouterr().err
    assert f"{config}, line 5: [keys] no-such-action: no action has this binding id" in error


async def test_the_documented_remap_works_and_help_shows_the_default_unbound(
    library: Library,
) -> None:
    app = make_app(library, Config(keys={"toggle-read": "x"}))
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        await pilot.press("x")
        assert library.reading.article(first).read
        await pilot.press("m")  # m is free now: nothing happens
        assert library.reading.article(first).read
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row[2]: row[0] for row in app.screen.rows}
        assert rows["toggle-read"] == "x" and rows["stop-pages"] == ""
        console = Console(width=120, record=True)
        console.print(app.screen.query_one("#help-table", Static).content)
        line = next(x for x in console.export_text().splitlines() if "stop-pages" in x)
        assert line.split()[0] == "unbound"


async def test_a_users_key_wins_over_a_default_held_by_the_focused_pane(
    library: Library,
) -> None:
    # Enter opens a story from the list (a binding of the list itself, which Textual asks
    # first): mapped to toggle-read by the user, it must toggle, not open.
    app = make_app(library, Config(keys={"toggle-read": "enter", "help": "m"}))
    async with app.run_test(size=(100, 30)) as pilot:
        screen: Any = app.screen
        first = library.reading.article_ids()[0]
        await pilot.press("enter")
        await pilot.pause()
        assert library.reading.article(first).read
        assert screen.reader.article is None  # open-article gave its only key up
        await pilot.press("m")  # the app's help now, not the screen's old toggle-read
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row[2]: row[0] for row in app.screen.rows}
        assert rows["open-article"] == "" and rows["help"] == "m"


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


def test_the_demo_takes_keys_and_theme_from_a_config_given_but_not_its_feeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--demo --config FILE` tried a customisation on the sample stories; the file was
    # ignored without a word.
    import readerterm.ui

    config_file = tmp_path / "config.toml"
    config_file.write_text(
        '[settings]\ntheme = "nord"\n[keys]\ncopy-link = "c"\n'
        '[[feeds]]\nurl = "https://example.org/feed.xml"\n'
        '[[filters]]\ntitle = "grid operator"\n',
        encoding="utf-8",
    )
    started: list[tuple[Config, str, int]] = []
    titles: list[str] = []

    def run(library: Library, config: Config, **options: Any) -> None:
        started.append((config, options["notice"], len(library.subscriptions.feeds())))
        titles.extend(library.reading.article(i).title for i in library.reading.article_ids())

    monkeypatch.setattr(readerterm.ui, "run", run)
    assert main(["--demo", "--config", str(config_file)]) == 0
    ((config, notice, feeds),) = started
    assert config.theme == "nord" and config.keys == {"copy-link": "c"}
    assert config.feeds == () and config.sync is None
    assert feeds > 0  # the demo's own feeds, not the file's
    assert f"Settings from {config_file}." in notice
    # Its filters hide the sample stories they match (they showed every one).
    assert titles and not [title for title in titles if "grid operator" in title.lower()]
    assert notice.endswith("Filters: 1 story hidden.")
    # A clash in that file is the same error as at a normal start.
    config_file.write_text('[keys]\ncopy-link = "c"\ntoggle-star = "c"\n', encoding="utf-8")
    assert main(["--demo", "--config", str(config_file)]) == 1
    assert "config.toml" in capsys.readouterr().err


async def test_a_keymap_that_leaves_quit_without_a_key_says_so(library: Library) -> None:
    # `search = "q"`: the user's binding wins and Quit is left with no key, which the
    # reader did without a word (only the palette could quit).
    app = make_app(library, Config(keys={"search": "q"}))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        said = [n.message for n in app._notifications]
        told = "Quit has no key now: [keys] gave its key to other actions; ctrl+p still runs it."
        assert told in said
    quiet = make_app(library, Config(keys={"search": "f"}))
    async with quiet.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert not any("no key now" in n.message for n in quiet._notifications)


async def test_hints_name_the_keys_as_mapped(library: Library) -> None:
    # They named the defaults: "(u undoes)" with undo on U, "Enter ... n ... ?" in the
    # empty reader with open, next-unread and help moved.
    from screen_text import status_message, text_of

    keys = {"undo": "U", "open-article": "o", "next-unread": "N", "help": "f1"}
    app = make_app(library, Config(keys=keys))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        empty = text_of(app.screen.query_one("#reader-placeholder"))
        assert "o or a click opens" in empty and "N opens the next unread" in empty
        assert "F1 lists every key" in empty
        await pilot.press("j", "A")  # the row above marked read
        await pilot.pause()
        assert status_message(app).endswith("(U undoes)."), status_message(app)


async def test_the_sync_note_names_the_refresh_all_key_as_mapped(tmp_path: Path) -> None:
    from screen_text import text_of

    from readerterm.config import SyncConfig

    config = Config(
        keys={"refresh-all": "f5"},
        sync=SyncConfig("greader", "http://127.0.0.1:9/api/greader.php", "me"),
    )
    library = Library.open_at(tmp_path / "rt.db", offline=True)
    library.settings.configure(config)
    try:
        app = make_app(library, config)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            status = " ".join(text_of(w) for w in app.screen.query("StatusLine Static"))
            assert "not synced yet (F5 syncs)" in status, status
    finally:
        library.close()


async def test_a_character_key_named_from_unicode_shows_as_its_character(
    library: Library,
) -> None:
    # The footer and ? wrote "section_sign Read  euro_sign Star", a footer's width.
    from textual.widgets._footer import FooterKey

    app = make_app(library, Config(keys={"toggle-read": "§", "toggle-star": "€"}))
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        shown = {key.action: key.key_display for key in app.screen.query(FooterKey)}
        assert shown["toggle_read"] == "§" and shown["toggle_star"] == "€"
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {row[2]: row[0] for row in app.screen.rows}  # type: ignore[attr-defined]
        assert rows["toggle-read"] == "§" and rows["toggle-star"] == "€"
