"""The `?` screen: every key, what it does and its binding id (for the config's [keys]),
under the headings of docs/keys.md (where each key works), keys written as the footer
writes them. The keys that close it stay in view on the dialog's bottom border.

Below NARROW_COLUMNS the dialog takes the whole screen and a key column as wide as the
longest single key ("tab / shift+tab" goes on two lines): at 60 columns the dialog's
margins and an 18-column key column left "Does" 11 columns, a word or two a line."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import KEYS, SCOPE_NAMES, bindings, key_may_run, scope_heading, split_keys

if TYPE_CHECKING:
    from ..app import ReaderTermApp

HelpRow = tuple[str, str, str, str | None, str]
"""(keys as shown, description, binding id, action run from its screen or None, scope)."""

TEXTUAL_KEYS = (
    ("app", "ctrl+p", "Command palette (themes too)"),
    ("main", "tab,shift+tab", "Next / previous pane"),
    ("main", "escape", "Bring the lists back after zoom"),
)
"""(scope, keys, description) of keys Textual handles itself: no binding id."""

NARROW_COLUMNS = 80
"""Below this terminal width, help is drawn narrow (see above)."""

KEY_COLUMN = "Key"
ID_COLUMN = "Binding id\n(config [keys])"
"""On two lines: the column is then as wide as the longest id, and "Does" keeps the room
(at 80 columns it wrapped most descriptions onto three lines)."""


def binding_rows(app: ReaderTermApp) -> list[HelpRow]:
    """One row per binding, with the user's [keys] applied to what is shown (a default
    that gave its key up to one of the user's is shown unbound), then the keys Textual
    handles itself. Every key is written by `app.get_key_display`, as the footer writes
    it. Actions of the app, the main screen and triage mode can be run from the command
    palette."""
    rows: list[HelpRow] = []
    for spec in KEYS:
        keys = app.keys.keys_of(spec)
        remapped = keys != split_keys(spec.key)
        binding = Binding(spec.key, spec.action, key_display=spec.key_display)
        shown = " / ".join(
            app.get_key_display(
                replace(binding, key=key, key_display=None if remapped else binding.key_display)
            )
            for key in keys
        )
        action = {"app": f"app.{spec.action}", "main": spec.action, "triage": spec.action}.get(
            spec.scope
        )
        rows.append((shown, spec.description, spec.id, action, spec.scope))
    for scope, keys_text, description in TEXTUAL_KEYS:
        shown = " / ".join(app.get_key_display(Binding(key, "")) for key in split_keys(keys_text))
        rows.append((shown, description, "", None, scope))
    return rows


def sections(rows: list[HelpRow]) -> list[tuple[str, list[HelpRow]]]:
    """The rows under their headings, in the order of docs/keys.md."""
    return [
        (scope_heading(scope), [row for row in rows if row[4] == scope])
        for scope in SCOPE_NAMES
        if any(row[4] == scope for row in rows)
    ]


def key_cells(keys: str, *, narrow: bool) -> int:
    """The width `keys` ("esc / q / ?") needs: on one line, or narrow, on as many lines
    as it takes at its longest key with the " /" after it."""
    if not narrow:
        return cell_len(keys)
    *before, last = keys.split(" / ")
    return max([cell_len(last), *(cell_len(key) + 2 for key in before)])


def keys_table(
    rows: list[HelpRow], *, until: str | None = None, narrow: bool = False
) -> RenderableType:
    """The column heads, then a heading and a table for each place keys work; the tables
    share their column widths, so the columns line up under the heads. With `until` (a
    scope), only what comes before that scope's heading (to measure where it starts);
    `narrow`, keys may take more than a line."""
    key_width = max(key_cells(row[0] or "unbound", narrow=narrow) for row in rows)
    key_width = max(key_width, cell_len(KEY_COLUMN))
    id_width = max(cell_len(text) for text in [*(row[2] for row in rows), *ID_COLUMN.split("\n")])

    def table(*, header: bool) -> Table:
        grid = Table(expand=True, box=None, pad_edge=False, show_header=header)
        grid.add_column(KEY_COLUMN, width=key_width, no_wrap=not narrow, style="bold")
        grid.add_column("Does", ratio=1)
        grid.add_column(Text(ID_COLUMN), width=id_width, style="dim")
        return grid

    parts: list[RenderableType] = [
        Text("readerterm keys", style="italic", justify="center"),
        table(header=True),
    ]
    for title, section in sections(rows):
        if until is not None and section[0][4] == until:
            break
        grid = table(header=False)
        for keys, description, binding_id, _action, _scope in section:
            shown = Text(keys) if keys else Text("unbound", style="dim italic")
            grid.add_row(shown, Text(description), Text(binding_id))
        parts += [Text(""), Text(title, style="bold underline"), grid]
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; the close-help keys (Escape, q, ?) close it, and the
    scroll keys (j/k, Space/b, g/G besides the arrows) scroll it as they do elsewhere."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("help"))

    def __init__(
        self, rows: list[HelpRow], *, scope: str | None = None, help_keys: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.rows = rows
        self.scope = scope
        """The place whose keys are shown first (triage's, asked from triage), or None for
        the top."""
        self.help_keys = frozenset(help_keys)
        """The keys that opened this screen, as [keys] maps them: they close it too (the
        app's bindings do not reach a modal screen)."""
        self.narrow = False
        """Drawn for a terminal narrower than NARROW_COLUMNS."""

    def on_key(self, event: events.Key) -> None:
        if event.key in self.help_keys:
            event.stop()
            self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return key_may_run(self.app, ("help",), action, parameters)

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)

    # The scroll keys run the body's own actions, the ones its arrows and Home/End run.
    def action_line_down(self) -> None:
        self.body.action_scroll_down()

    def action_line_up(self) -> None:
        self.body.action_scroll_up()

    def action_page_down(self) -> None:
        self.body.action_page_down()

    def action_page_up(self) -> None:
        self.body.action_page_up()

    def action_top(self) -> None:
        self.body.action_scroll_home()

    def action_bottom(self) -> None:
        self.body.action_scroll_end()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_to(event.size)

    def _fit_to(self, size: Size) -> None:
        narrow = size.width < NARROW_COLUMNS
        self.set_class(narrow, "-narrow")
        if narrow != self.narrow:
            self.narrow = narrow
            self.query_one("#help-table", Static).update(keys_table(self.rows, narrow=narrow))

    def on_mount(self) -> None:
        self._fit_to(self.app.size)
        if self.scope is not None and any(row[4] == self.scope for row in self.rows):
            self.call_after_refresh(self._scroll_to_scope)

    def _scroll_to_scope(self) -> None:
        """Scroll the scope's heading to the top: its line is the height of what comes
        before it, drawn at the table's width."""
        table = self.query_one("#help-table", Static)
        console = Console(width=table.content_region.width, file=io.StringIO())
        before = keys_table(self.rows, until=self.scope, narrow=self.narrow)
        line = len(console.render_lines(before, pad=False)) + 1  # (its blank line)
        self.body.scroll_to(y=line, animate=False)

    def compose(self) -> ComposeResult:
        closing = next((row[0] for row in self.rows if row[2] == "close-help"), "")
        body = VerticalScroll(id="help-body")
        if closing:  # (on the border: in view however far the keys are scrolled)
            body.border_subtitle = Content(f"{closing} closes this screen")
        with body:
            yield Static(keys_table(self.rows), id="help-table")
