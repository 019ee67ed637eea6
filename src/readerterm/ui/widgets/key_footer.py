"""The footer: what the decision keys act on now, then `?` and the most used keys.

Textual's Footer lists the live bindings from the focused widget up to the app, so the
app's `?` would come last and be the first key cut on a narrow terminal; here it comes
first. On the left a word says what `m`, `s`, `l`, `d`, `e` ... act on: the story the
reader shows, or the one under the list's cursor.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Label

FIRST_ACTIONS = ("help",)
"""Actions whose keys lead the footer (the app's `?`)."""


class KeyFooter(Footer):
    """A Footer led by a note on the decisions' target and the help key."""

    DEFAULT_CSS = """
    KeyFooter > .key-footer--target {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        color: $footer-description-foreground;
        background: $footer-item-background;
    }
    """

    def __init__(self, target: Callable[[], str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._target = target
        """Says what the decision keys act on now ("" says nothing)."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        if not keys:
            return
        target = self._target()
        if target:
            yield Label(Content(target), classes="key-footer--target")
        first = [key for key in keys if getattr(key, "action", None) in FIRST_ACTIONS]
        yield from first
        yield from (key for key in keys if key not in first)
