"""The footer: what the decision keys act on now, then `?` and the most used keys.

Textual's Footer lists the live bindings from the focused widget up to the app, so the
app's `?` would come last and be the first key cut on a narrow terminal; here it comes
first. On the left a word says what `m`, `s`, `l`, `d`, `e` ... act on: the story the
reader shows, or the one under the list's cursor. Textual redraws the footer when the
focus moves; the word can change without that (a story opened in the reader that has the
focus arrives a moment later, converted on a thread), so it is read again whenever the
screen's layout is refreshed, which showing a story does.

The footer shows whole keys only: Textual lays them out in a row and cuts the row at the
edge, mid-label ("... u Undo t"). Once composed, each key is measured as drawn, and keys
that do not fit are left out, from the end of the row (the keys come most used first); the
keys that lead out of where the user is (`?` on the main screen, triage's `q Leave`) are
never left out.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Footer, Label

from ..keys import KEYS

COMPACT_FOOTER_COLUMNS = 100
"""Below this width the footer packs its keys and leaves out ctrl+p (? lists it)."""
FIRST_ACTIONS = ("help",)
"""Actions whose keys lead the footer (the app's `?`)."""
KEPT_ACTIONS = ("help", "close", "zoom")
"""Actions whose keys the main screen's footer always shows: `?`, the search box's way
out while it has the focus, and the zoomed reader's (`z Back`)."""


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
        kept: tuple[str, ...] = KEPT_ACTIONS,
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
        self._kept = kept
        """Actions shown however narrow the footer (the ways out)."""
        self._fitted_width = 0
        """The width the keys were last fitted to (0: not yet fitted)."""
        self._target = target
        """Says what the decision keys act on now ("" says nothing)."""
        self._shown_target: str | None = None
        """The word composed into the footer (None before the keys are)."""

    def on_mount(self) -> None:
        self.screen.screen_layout_refresh_signal.subscribe(self, self._check_target)

    def on_resize(self, event: events.Resize) -> None:
        """Below COMPACT_FOOTER_COLUMNS, keys packed and no ctrl+p; composed again when the
        width changes (Textual's Footer only composes when the bindings change: a terminal
        resized from wide kept the palette key and lost others), to fit the keys to it."""
        narrow = event.size.width < COMPACT_FOOTER_COLUMNS
        self.compact = narrow
        self.show_command_palette = not narrow
        if self.children and event.size.width != self._fitted_width:
            # (no keys yet: they are fitted when the bindings compose them)
            self.call_after_refresh(self.recompose)

    async def recompose(self) -> None:
        """Compose, then leave out the keys that do not fit, before anything is drawn."""
        async with self.batch():  # (no screen update until the keys fit)
            await super().recompose()
            if self.is_attached:
                await self._fit()

    async def _fit(self) -> None:
        """Remove the keys past the footer's width: the last in the row first, the kept
        ones never, the word on the left only when the kept keys need its room."""
        width = self.size.width
        if not width:
            return  # (not laid out yet: the first resize composes again)
        self._fitted_width = width
        flow = [child for child in self.children if child.styles.dock == "none"]
        room = width - sum(self._cells(child) for child in self.children if child not in flow)

        def needed(widgets: list[Widget]) -> int:
            trailing = widgets[-1].styles.margin.right if widgets else 0
            return sum(self._cells(widget) for widget in widgets) - trailing

        shown = list(flow)
        for child in reversed(flow):
            if needed(shown) <= room:
                break
            if not isinstance(child, Label) and getattr(child, "action", None) not in self._kept:
                shown.remove(child)
        if needed(shown) > room:  # (the kept keys need the word's room too)
            shown = [child for child in shown if not isinstance(child, Label)]
        if len(shown) < len(flow):
            await self.remove_children([child for child in flow if child not in shown])

    def _cells(self, widget: Widget) -> int:
        """The columns a key (or the word) takes in the row: as drawn, with its padding,
        border and margins."""
        content = widget.get_content_width(self.size, self.app.size)
        styles = widget.styles
        return content + styles.gutter.width + styles.margin.width

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
