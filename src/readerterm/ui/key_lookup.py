"""Which key runs an action now, for the messages and hints that name one ("copy the
link with y", "q goes back"): the user may have remapped it, or left it with none."""

from __future__ import annotations

from textual.app import App

from .key_names import character_of
from .keys import KEYS, ResolvedKeys, split_keys

PALETTE = "ctrl+p"
"""What key_for answers for an action left with no key: the command palette still has it."""


_SPELLED_OUT = {
    "esc": "Escape",
    "escape": "Escape",
    "⏎": "Enter",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "delete": "Delete",
    "pageup": "PageUp",
    "pagedown": "PageDown",
    "home": "Home",
    "end": "End",
    "up": "Up",
    "down": "Down",
    "left": "Left",
    "right": "Right",
}


def spoken(key: str) -> str:
    """A key as a sentence names it: "^y" (Textual's short form) and "ctrl+y" read
    "Ctrl+Y", "esc" reads "Escape", "f9" reads "F9", "comma" reads ","; a character
    stays as it is."""
    if len(key) == 2 and key[0] == "^":
        return f"Ctrl+{key[1].upper()}"
    *modifiers, name = key.split("+") if len(key) > 1 else [key]
    if name[:1] in "fF" and name[1:].isdigit():
        name = name.upper()
    elif len(name) > 1 and (character := character_of(name)) is not None:
        name = character  # (Textual's name for a character key: `comma`, `question_mark`)
    else:
        name = _SPELLED_OUT.get(name, name.upper() if modifiers and len(name) == 1 else name)
    return "+".join([*(m.capitalize() for m in modifiers), name])


def key_for(app: App[object], action: str) -> str:
    """The key bound to `action` now (after the user's keymap), on the screen on top: the
    main screen, or one pushed over it that names its `key_scopes` (triage mode, a dialog), as a
    sentence names it (`spoken`); PALETTE when none is left."""
    shown = _key_for(app, action)
    return shown if shown == PALETTE else spoken(shown)


def _key_for(app: App[object], action: str) -> str:
    for active in app.active_bindings.values():
        if active.binding.action == action:
            return app.get_key_display(active.binding)
    # Not live right now (another binding of its key takes precedence, or none is left):
    # as mapped, in the scope of the screen on top.
    scopes = getattr(app.screen, "key_scopes", ())
    spec = next(
        (s for s in KEYS if s.action == action and (not scopes or s.scope in scopes)),
        next((s for s in KEYS if s.action == action), None),
    )
    if spec is None:
        return "?"
    resolved = getattr(app, "keys", None)
    keys = resolved.keys_of(spec) if isinstance(resolved, ResolvedKeys) else [spec.key]
    if not keys:
        return PALETTE
    return spec.key_display if keys == split_keys(spec.key) and spec.key_display else keys[0]
