"""Key names as Textual writes them, and why a name in [keys] is not one.

Textual runs a binding when the name of the key pressed equals the binding's key as a
string, so a name it never produces (`ctlr+x`, `Space bar`, `shift+a`) gives a binding
that no key can run. The tables here copy the names Textual's key parsers produce
(textual.keys, textual._keyboard_protocol, textual._xterm_parser); this module imports
no Textual so the config check stays cheap, and tests/ui/test_key_names.py compares
the tables with the installed Textual.
"""

from __future__ import annotations

import string
import unicodedata

MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
"""Every modifier Textual names, in the order it writes them (sorted): `ctrl+shift+x`."""

_FUNCTION_KEYS = tuple(f"f{number}" for number in range(1, 36))

NAMED_KEYS = frozenset(
    {
        "escape",
        "enter",
        "tab",
        "backspace",
        "insert",
        "delete",
        "left",
        "right",
        "up",
        "down",
        "pageup",
        "pagedown",
        "home",
        "end",
        *_FUNCTION_KEYS,
        # Sent only by terminals that speak the kitty keyboard protocol:
        "caps_lock",
        "scroll_lock",
        "num_lock",
        "print_screen",
        "pause",
        "menu",
        "kp_begin",
        "decimal",
        "divide",
        "multiply",
        "subtract",
        "add",
        "equal",
        "separator",
        "media_play",
        "media_pause",
        "media_play_pause",
        "media_reverse",
        "media_stop",
        "media_fast_forward",
        "media_rewind",
        "media_track_next",
        "media_track_previous",
        "media_record",
        "lower_volume",
        "raise_volume",
        "mute_volume",
    }
)
"""Keys that type no character, by Textual's names (shift, ctrl ... alone are left out:
a binding on them would run whenever the modifier is held for another key)."""

_UNICODE_NAME_REPLACEMENTS = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
"""Textual's shorter words for some Unicode character names (its KEY_NAME_REPLACEMENTS)."""

ALIASES = {
    "esc": "escape",
    "pgup": "pageup",
    "pgdn": "pagedown",
    "del": "delete",
    "↑": "up",
    "↓": "down",
    "←": "left",
    "→": "right",
    "⌫": "backspace",
    "⏎": "enter",
}
"""Other names for named keys: how the footer and docs/keys.md show them."""

LEGACY_NAMES = frozenset({"ctrl+@"})
"""Names Textual gives a key in an older terminal that differ from the rule (there
ctrl+space arrives as `ctrl+@`; the kitty protocol names it `ctrl+at`)."""

SAME_AS = {
    "ctrl+i": "tab",
    "ctrl+m": "enter",
    "ctrl+h": "backspace",
    "ctrl+left_square_bracket": "escape",
    "ctrl+space": "ctrl+@",
}
"""Keys a terminal sends as another key's bytes: the binding would never see them."""

HINT = 'key names look like "x", "ctrl+x", "space", "f5" or "shift+tab"'


def character_key(character: str) -> str:
    """Textual's name for the key that types `character`: letters, digits and other
    alphanumerics are themselves (`x`, `A`, `é`); the rest are named from Unicode
    (`?` is `question_mark`, `/` is `slash`, ` ` is `space`)."""
    if character.isalnum():
        return character
    try:
        name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    except ValueError:
        return character
    return _UNICODE_NAME_REPLACEMENTS.get(name, name)


CHARACTER_NAMES = frozenset(character_key(character) for character in string.punctuation + " ")
"""The names that may stand for an ASCII punctuation key or space (`question_mark`,
`plus`, `space`). Any other character is written as itself (`é`, `€`)."""
_PUNCTUATION = {character_key(character): character for character in string.punctuation}


def types_a_character(key: str) -> bool:
    """Whether `key` (as Textual names it) types a character in a text box: `q`, `Q`, `é`,
    `space`, `question_mark`, `section_sign`; not `enter`, `f5` or `ctrl+q`."""
    return key == "space" or character_of(key) is not None


def character_of(key: str) -> str | None:
    """The printable character a key without modifiers types (`section_sign` is `§`),
    or None (`enter`, `f5`, `ctrl+q`, `space`)."""
    if len(key) == 1:
        return key if key.isprintable() and not key.isspace() else None
    if key in _PUNCTUATION:
        return _PUNCTUATION[key]
    if "+" in key or key in NAMED_KEYS or key == "space":
        return None
    try:
        character = unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return None
    return character if character.isprintable() else None


def normalize_key(key: str) -> str:
    """A key as Textual names it: `?` is `question_mark`, `ctrl+/` is `ctrl+slash`,
    `Esc` is `escape`, `shift+ctrl+x` is `ctrl+shift+x`; `x` and `A` stay. A name that
    is not a key is given back as written, without the spaces around it (see
    `key_problem`)."""
    name, problem = _read_key(key)
    return key.strip() if problem else name


def key_problem(key: str) -> str | None:
    """Why `key` (one key of a [keys] entry) names no key Textual can report; None when
    it does."""
    return _read_key(key)[1]


def _read_key(key: str) -> tuple[str, str | None]:
    """(Textual's name for `key`, None), or (`key`, why no key press can have this name)."""
    key = key.strip()
    if key in LEGACY_NAMES:
        return key, None
    if len(key) == 1:
        return _base_name(key, key)
    if key.endswith("++"):  # ctrl++: the last + is the key itself
        head, base = key[:-2], "+"
    else:
        head, plus, base = key.rpartition("+")
        if not plus:
            return _base_name(key, key)
    base = base.strip()
    if not base:
        return key, f'"{key}" is not a key (no key after the last +); {HINT}'
    modifiers = [part.strip().lower() for part in head.split("+")]
    for modifier in modifiers:
        if not modifier:
            return key, f'"{key}" is not a key (nothing before a +); {HINT}'
        if modifier not in MODIFIERS:
            return key, (
                f'"{key}" is not a key ({modifier} is not a modifier: ctrl, shift or alt); {HINT}'
            )
        if modifiers.count(modifier) > 1:
            return key, f'"{key}" is not a key ({modifier} is written twice); {HINT}'
    name, problem = _base_name(key, base)
    if problem:
        return key, problem
    if len(base) == 1 and name not in NAMED_KEYS and name != "space":
        if modifiers == ["shift"]:
            upper = base.upper()
            typed = f'"{upper}"' if upper != base and len(upper) == 1 else "that character"
            return key, (
                f'"{key}" never arrives: shift with a character key arrives as the '
                f"character it types; write {typed} instead"
            )
        if base.isupper():
            held = next(modifier for modifier in modifiers if modifier != "shift")
            lower = "+".join([*sorted(modifiers), base.lower()])
            shifted = "+".join([*sorted({*modifiers, "shift"}), base.lower()])
            write = f'"{lower}"' if lower == shifted else f'"{lower}", or "{shifted}" for shift too'
            return key, (
                f'"{key}" never arrives: with {held} a letter arrives lowercase; write {write}'
            )
    return "+".join([*sorted(modifiers), name]), None


def _base_name(key: str, base: str) -> tuple[str, str | None]:
    """Textual's name for the key after the modifiers of `key`, or why there is none."""
    if len(base) == 1:
        if base in ALIASES:
            return ALIASES[base], None
        if not base.isprintable():
            return key, f"{key!r} is not a key (not a printable character); {HINT}"
        return character_key(base), None
    word = base.lower()
    word = ALIASES.get(word, word)
    if word in NAMED_KEYS or word in CHARACTER_NAMES:
        return word, None
    if base == key:
        return key, f'"{key}" is not a key name; {HINT}'
    return key, f'"{key}" is not a key ({base} is not a key name); {HINT}'
