"""The `?` screen: every key, what it does and its binding id (for the config's [keys])."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import KEYS, SCOPE_NAMES, bindings, split_keys

if TYPE_CHECKING:
    from ..app import ReaderTermApp

HelpRow = tuple[str, str, str, str | None, str]
"""(keys as shown, description, binding id, action run from its screen or None, scope)."""


MAIN_SCOPES = ("app", "main", "lists", "feeds", "articles", "reader", "search", "triage")


def binding_rows(app: ReaderTermApp) -> list[HelpRow]:
    """One row per binding, with the user's [keys] applied to what is shown (a default
    that gave its key up to one of the user's is shown unbound). Actions of the app and
    the main screen can be run from the command palette."""
    rows: list[HelpRow] = []
    for spec in KEYS:
        if spec.scope not in MAIN_SCOPES:
            continue
        keys = app.keys.keys_of(spec)
        remapped = keys != split_keys(spec.key)
        binding = Binding(spec.key, spec.action, key_display=spec.key_display)
        shown = " / ".join(
            app.get_key_display(
                replace(binding, key=key, key_display=None if remapped else binding.key_display)
            )
            for key in keys
        )
        description = spec.description
        if spec.scope not in ("app", "main"):
            description = f"{description} ({SCOPE_NAMES[spec.scope]})"
        action = {"app": f"app.{spec.action}", "main": spec.action, "triage": spec.action}.get(
            spec.scope
        )
        rows.append((shown, description, spec.id, action, spec.scope))
    rows.append(("tab / shift+tab", "Next / previous pane", "", None, ""))
    rows.append(("escape", "Bring the lists back after zoom", "", None, ""))
    rows.append(("ctrl+p", "Command palette (themes too)", "", None, ""))
    return rows


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("help"))

    def __init__(self, rows: list[HelpRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(title="readerterm keys", expand=True, box=None, pad_edge=False)
        table.add_column("Key", no_wrap=True, style="bold")
        table.add_column("Does")
        table.add_column(Text("Binding id (config [keys])"), style="dim")
        for keys, description, binding_id, _action, _scope in self.rows:
            shown = Text(keys) if keys else Text("unbound", style="dim italic")
            table.add_row(shown, Text(description), Text(binding_id))
        with VerticalScroll(id="help-body"):
            yield Static(table, id="help-table")
            yield Static(Content("Escape, q or ? closes this screen."), id="help-hint")
