"""The footer: what the decision keys act on now, then `?` and the most used keys.

Textual's Footer lists the live bindings from the focused widget up to the app, so the
app's `?` would come last and be the first key cut on a narrow terminal; here it comes
first. On the left a word says what `m`, `s`, `l`, `d`, `e` ... act on: the story the
reader shows, or the one under the list's cursor. Textual redraws the footer when the
focus moves; the word can change without that (a story opened in the reader that has the
focus arrives a moment later, converted on a thread), so it is read again whenever the
screen's layout is refreshed, which showing a story does.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Footer, Label

from ..keys import KEYS

COMPACT_FOOTER_COLUMNS = 100
"""Below this width the footer packs its keys and leaves out ctrl+p (? lists it)."""
FIRST_ACTIONS = ("help",)
"""Actions whose keys lead the footer (the app's `?`)."""


class KeyFooter(Footer):
    """A Footer led by a note on the decisions' target and the help key."""

    DEFAULT_CSS = """
    KeyFooter.-behind-dialog {
        visibility: hidden;
    }
    KeyFooter > .key-footer--target {
        width: auto;
        height: 1;
        padding: 0 1;
        text-style: bold;
        color: $footer-description-foreground;
        background: $footer-item-background;
    }
    """

    def __init__(
        self,
        target: Callable[[], str],
        *,
        scopes: tuple[str, ...] | None = None,
        first: tuple[str, ...] = FIRST_ACTIONS,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id)
        order = sorted(
            (spec for spec in KEYS if scopes is None or spec.scope in scopes),
            key=lambda spec: scopes.index(spec.scope) if scopes else 0,
        )
        self._place = {spec.action: place for place, spec in reversed(list(enumerate(order)))}
        """Where each action's first binding stands in KEYS, `scopes` in the order given:
        the order the keys are shown in (Textual puts a binding the user remapped at the
        end)."""
        self._first = first
        """Actions shown first, whatever their place."""
        self._target = target
        """Says what the decision keys act on now ("" says nothing)."""
        self._shown_target: str | None = None
        """The word composed into the footer (None before the keys are)."""

    def on_mount(self) -> None:
        self.screen.screen_layout_refresh_signal.subscribe(self, self._check_target)

    def on_resize(self, event: events.Resize) -> None:
        """Below COMPACT_FOOTER_COLUMNS, keys packed and no ctrl+p, so the way out (? Keys,
        triage's q Leave) stays in view; composed again when that changes (Textual's
        Footer only composes when the bindings change: a terminal resized from wide kept
        the palette key and lost others)."""
        narrow = event.size.width < COMPACT_FOOTER_COLUMNS
        if self.compact != narrow or self.show_command_palette == narrow:
            self.compact = narrow
            self.show_command_palette = not narrow
            self.call_after_refresh(self.recompose)

    def on_unmount(self) -> None:
        self.screen.screen_layout_refresh_signal.unsubscribe(self)

    def _check_target(self, _screen: object) -> None:
        """Compose the footer again when the word it shows is out of date."""
        if self._shown_target is None or self._target() == self._shown_target:
            return
        self._shown_target = None  # (one recompose, however many refreshes come first)
        self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        if not keys:
            return
        target = self._target()
        self._shown_target = target
        if target:
            yield Label(Content(target), classes="key-footer--target")
        last = len(self._place)
        keys.sort(key=lambda key: self._place.get(str(getattr(key, "action", "")), last))
        first = [key for key in keys if getattr(key, "action", None) in self._first]
        yield from first
        yield from (key for key in keys if key not in first)
