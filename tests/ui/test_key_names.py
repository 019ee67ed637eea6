"""Key names in [keys]: a name no key press has (`ctlr+x`, `Space bar`, `shift+a`) is a
config error naming the file and line, at start and on reload, like an unknown id; the
names Textual does report keep working. The name tables of readerterm.ui.key_names are
compared with the installed Textual, which they copy without importing it."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from seeding import NOW
from textual import keys as textual_keys
from textual._keyboard_protocol import FUNCTIONAL_KEYS, MODIFIER_FUNCTIONAL_KEYS
from textual._xterm_parser import XTermParser
from textual.events import Key
from ui_app import make_app

from readerterm.__main__ import main
from readerterm.config import Config, load_config
from readerterm.library import Library
from readerterm.ui import keymap_problems
from readerterm.ui.app import ReaderTermApp
from readerterm.ui.key_names import (
    ALIASES,
    CHARACTER_NAMES,
    LEGACY_NAMES,
    MODIFIERS,
    NAMED_KEYS,
    character_key,
    key_problem,
    normalize_key,
)
from readerterm.ui.keys import KEYS, split_keys
from readerterm.ui.screens.help import HelpScreen

START = '[settings]\nrefresh_on_start = false\ntheme = "textual-dark"\n'

# -- the tables agree with Textual -----------------------------------------------------


def test_named_keys_are_the_keys_textuals_parser_names() -> None:
    functional = {
        name
        for name in FUNCTIONAL_KEYS.values()
        if name not in MODIFIER_FUNCTIONAL_KEYS and not name.isdigit()
    }
    assert functional == NAMED_KEYS


def test_every_key_textual_lists_is_a_valid_name_as_it_stands() -> None:
    never_reported = {"<any>", "<ignore>", "<scroll-up>", "<scroll-down>", "return", "ctrl-at"}
    for key in textual_keys.Keys:
        if key.value in never_reported:
            continue
        assert key_problem(key.value) is None, key.value
        assert normalize_key(key.value) == key.value, key.value


def test_characters_are_named_as_textual_names_them() -> None:
    characters = string.printable.strip() + " éÉßçñøå€£§°¬µ¿¡«»ÿœπ…–—‘’“”¢¥✓🍌"
    for character in characters:
        expected = textual_keys._character_to_key(character)
        assert character_key(character) == expected, character
        if character != " ":  # a lone space is blank in [keys]: it is written "space"
            assert normalize_key(character) == expected, character
            assert key_problem(character) is None, character
    assert {character_key(c) for c in string.punctuation + " "} == CHARACTER_NAMES
    for name in CHARACTER_NAMES:
        character = textual_keys.key_to_character(textual_keys.REPLACED_KEYS.get(name, name))
        assert character is not None and character_key(character) == name


def test_aliases_are_what_textual_shows_for_the_key() -> None:
    shown = {display: key for key, display in textual_keys.KEY_DISPLAY_ALIASES.items()}
    for alias, key in ALIASES.items():
        assert key in NAMED_KEYS
        if alias in shown:
            assert shown[alias] == key
    assert {key.value for key in textual_keys.Keys} >= LEGACY_NAMES
    assert list(MODIFIERS) == sorted(MODIFIERS)  # Textual sorts the modifiers it writes


@pytest.mark.parametrize(
    ("written", "sequence"),
    [
        ("ctrl+x", "\x18"),
        ("ctrl+x", "\x1b[120;5u"),
        ("ctrl+shift+a", "\x1b[97;6u"),
        ("shift+ctrl+a", "\x1b[97;6u"),
        ("alt+a", "\x1b[97;3u"),
        ("alt+shift+a", "\x1b[97;4u"),
        ("ctrl+/", "\x1b[47;5u"),
        ("ctrl+?", "\x1b[63;5u"),
        ("ctrl++", "\x1b[43;5u"),
        ("ctrl+up", "\x1b[1;5A"),
        ("shift+ctrl+up", "\x1b[1;6A"),
        ("shift+tab", "\x1b[Z"),
        ("f5", "\x1b[15~"),
        ("F5", "\x1b[15~"),
        ("ctrl+f5", "\x1b[15;5~"),
        ("f13", "\x1b[57376u"),
        ("Space", " "),
        ("space", " "),
        ("shift+space", "\x1b[32;2u"),
        ("ctrl+space", "\x1b[32;5u"),
        ("ctrl+@", "\x00"),
        ("esc", "\x1b[27u"),
        ("Esc", "\x1b[27u"),
        ("escape", "\x1b[27u"),
        ("enter", "\r"),
        ("backspace", "\x7f"),
        ("pgdn", "\x1b[6~"),
        ("PageDown", "\x1b[6~"),
        ("home", "\x1b[H"),
        ("delete", "\x1b[3~"),
        ("insert", "\x1b[2~"),
        ("f24", "\x1b[57387u"),
        ("A", "\x1b[97;2;65u"),
        ("é", "é"),
        ("?", "?"),
        ("question_mark", "?"),
        ("€", "€"),
    ],
)
def test_a_written_name_is_the_name_of_the_key_textual_reports(written: str, sequence: str) -> None:
    [event] = [event for event in XTermParser().feed(sequence) if isinstance(event, Key)]
    assert key_problem(written) is None
    assert normalize_key(written) == event.key


# -- the [keys] check ------------------------------------------------------------------


def test_every_default_key_is_a_valid_name_that_stays_as_it_is() -> None:
    for spec in KEYS:
        for key in spec.key.split(","):
            assert key_problem(key) is None, (spec.id, key)
            assert normalize_key(key) == key, (spec.id, key)
    # The forms the docs and the starter config show.
    for value in ("x", "n,N", "L", "?", "/", "Space", "Esc", "ctrl+r", "ctrl+f", "j,down"):
        assert split_keys(value) and keymap_problems({"toggle-read": value}) == [], value


@pytest.mark.parametrize(
    "value",
    [
        "ctrl+x",
        "ctrl+shift+x",
        "alt+x",
        "ctrl+alt+x",
        "shift+alt+ctrl+x",
        "alt+shift+x",
        "space",
        "enter",
        "escape",
        "home",
        "end",
        "pageup",
        "pagedown",
        "up",
        "down",
        "left",
        "right",
        "delete",
        "backspace",
        "insert",
        "f1",
        "f12",
        "f24",
        "shift+f5",
        "ctrl+shift+f5",
        "shift+up",
        "ctrl+shift+home",
        "shift+escape",
        "é",
        "É",
        "ctrl+é",
        "ß",
        "€",
        "!",
        "@",
        ";",
        "[",
        "ctrl+]",
        "exclamation_mark",
        "full_stop",
        "x, ctrl+x",
    ],
)
def test_key_names_textual_reports_are_accepted(value: str) -> None:
    assert keymap_problems({"toggle-read": value}) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ctlr+x", '"ctlr+x" is not a key (ctlr is not a modifier: ctrl, shift or alt)'),
        ("Space bar", '"Space bar" is not a key name'),
        ("ctrl+shift+banana", '"ctrl+shift+banana" is not a key (banana is not a key name)'),
        ("banana", '"banana" is not a key name'),
        ("n,ctlr+n", '"ctlr+n" is not a key'),
        ("shift+a", '"shift+a" never arrives'),
        ("shift+a", 'write "A" instead'),
        ("shift+1", '"shift+1" never arrives'),
        ("ctrl+X", 'write "ctrl+x", or "ctrl+shift+x" for shift too'),
        ("alt+A", 'write "alt+a", or "alt+shift+a" for shift too'),
        ("shift+ctrl+X", 'with ctrl a letter arrives lowercase; write "ctrl+shift+x"'),
        ("shift+ß", "write that character instead"),
        ("ctrl+", '"ctrl+" is not a key (no key after the last +)'),
        ("+x", '"+x" is not a key (nothing before a +)'),
        ("ctrl+ctrl+x", "ctrl is written twice"),
        ("f99", '"f99" is not a key name'),
        ("return", '"return" is not a key name'),
        ("hyphen_minus", '"hyphen_minus" is not a key name'),
        ("\x01", "not a printable character"),
    ],
)
def test_a_name_no_key_press_has_is_a_problem_with_a_hint(value: str, expected: str) -> None:
    found = keymap_problems({"toggle-read": value})
    assert len(found) == 1, found
    assert found[0].startswith(f"[keys] toggle-read = {value!r}: ")
    assert expected in found[0], found
    if "never arrives" not in found[0]:
        assert 'key names look like "x", "ctrl+x", "space", "f5" or "shift+tab"' in found[0]


def test_a_bad_key_name_at_start_names_the_file_the_line_and_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[settings]\nrefresh_on_start = false\n\n[keys]\nundo = "u"\ntoggle-read = "ctlr+x"\n'
    )
    monkeypatch.setenv("READERTERM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READERTERM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr("readerterm.ui.run", lambda *_, **__: pytest.fail("the reader started"))
    assert main(["--config", str(config), "--offline"]) == 1
    error = capsys.readouterr().err
    assert (
        f"{config}, line 6: [keys] toggle-read = 'ctlr+x': \"ctlr+x\" is not a key "
        "(ctlr is not a modifier: ctrl, shift or alt); "
        'key names look like "x", "ctrl+x", "space", "f5" or "shift+tab"'
    ) in error


async def test_a_bad_key_name_on_reload_keeps_the_old_keys_and_says_why(
    tmp_path: Path, library: Library
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(START + '[keys]\ntoggle-later = "L"\n')
    app = ReaderTermApp(
        library,
        load_config(config_file),
        config_path=config_file,
        refresh_on_start=False,
        now=lambda: NOW,
    )
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        config_file.write_text(START + '[keys]\ntoggle-later = "L"\ntoggle-star = "Space bar"\n')
        await pilot.press("ctrl+r")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.config.keys == {"toggle-later": "L"}
        first = library.reading.article_ids()[0]
        await pilot.press("L")
        assert library.reading.article(first).later
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors, "no error shown"
        message = errors[-1].message
        assert f"{config_file}, line 6: [keys] toggle-star = 'Space bar'" in message
        assert '"Space bar" is not a key name' in message
        assert "The config in use is kept." in message


async def test_remaps_written_in_other_valid_forms_run_their_actions(library: Library) -> None:
    keys = {
        "toggle-read": "shift+ctrl+up",
        "toggle-star": "Space",
        "toggle-later": "ctrl+/",
        "help": "F5",
    }
    assert keymap_problems(keys) == []
    app = make_app(library, Config(keys=keys))
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        await pilot.press("ctrl+shift+up")  # the names Textual reports for these keys
        await pilot.press("space")
        await pilot.press("ctrl+slash")
        await pilot.pause()
        article = library.reading.article(first)
        assert article.read and article.starred and article.later
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = {row[2]: row[0] for row in app.screen.rows}
        assert "↑" in rows["toggle-read"] and rows["help"] == "f5"


@pytest.mark.parametrize(
    ("entry", "told"),
    [
        # Accepted, shown in the footer, and never run: the terminal sends other bytes.
        ({"toggle-read": "ctrl+i"}, "a terminal sends ctrl+i as tab"),
        ({"dismiss": "ctrl+space"}, "a terminal sends ctrl+space as ctrl+@"),
        ({"toggle-read": "ctrl+h"}, "a terminal sends ctrl+h as backspace"),
        # The search box's focus is a text box: q typed a q, and Esc no longer closed it.
        ({"close-search": "q"}, "q types itself in the search box"),
        ({"search-results": "space"}, "space types itself in the search box"),
        ({"close-search": "§"}, "§ types itself in the search box"),
    ],
)
def test_keys_no_binding_can_see_are_refused(entry: dict[str, str], told: str) -> None:
    (problem,) = keymap_problems(entry)
    assert told in problem, problem


def test_a_search_box_key_that_types_nothing_is_fine() -> None:
    assert keymap_problems({"close-search": "ctrl+g", "search-results": "f2"}) == []
    assert keymap_problems({"toggle-read": "ctrl+j"}) == []  # (ctrl+j arrives as itself)


def test_sentences_name_keys_one_way() -> None:
    """Dialog hints said "Ctrl+Y" and "Escape" while the status line said "(^x stops)"
    and the empty list "(escape closes it)": every message now names a key as `spoken`
    does (the footer and the help table keep Textual's short forms)."""
    from readerterm.ui.key_lookup import spoken

    assert spoken("^y") == spoken("ctrl+y") == "Ctrl+Y"
    assert spoken("esc") == spoken("escape") == "Escape"
    assert spoken("⏎") == spoken("enter") == "Enter"
    assert spoken("f9") == "F9" and spoken("ctrl+f5") == "Ctrl+F5"
    assert spoken("shift+tab") == "Shift+Tab" and spoken("ctrl+shift+up") == "Ctrl+Shift+Up"
    assert [spoken(key) for key in ("x", "X", "?", "+", "é")] == ["x", "X", "?", "+", "é"]
    assert [spoken(key) for key in ("comma", "question_mark", "ctrl+comma")] == [
        ",",
        "?",
        "Ctrl+,",
    ]
