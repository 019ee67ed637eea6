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

if TYPE_CHECKING:
    from ..app import ReaderTermApp

HelpRow = tuple[str, str, str, str | None]
"""(keys as shown, description, binding id, action run from the screen or None)."""


def _binding_sources() -> list[tuple[str, list[BindingType], bool]]:
    """(where, bindings, runs from the main screen) for every place keys are bound."""
    from ..app import ReaderTermApp
    from ..widgets.article_list import ArticleList
    from ..widgets.feed_list import FeedList
    from ..widgets.line_list import LineList
    from ..widgets.reader import ReaderBody
    from .main import MainScreen

    return [
        ("", MainScreen.BINDINGS, True),
        ("", ReaderTermApp.BINDINGS, False),
        ("lists", LineList.BINDINGS, False),
        ("feeds", FeedList.BINDINGS, False),
        ("articles", ArticleList.BINDINGS, False),
        ("reader", ReaderBody.BINDINGS, False),
    ]


def binding_rows(app: ReaderTermApp) -> list[HelpRow]:
    """One row per binding, with the user's [keys] applied to what is shown."""
    rows: list[HelpRow] = []
    for where, bindings, on_screen in _binding_sources():
        for item in bindings:
            binding = item if isinstance(item, Binding) else Binding(*item)
            keys = app.config.keys.get(binding.id or "", "") or binding.key
            remapped = keys != binding.key
            shown = " / ".join(
                app.get_key_display(
                    replace(
                        binding,
                        key=key.strip(),
                        key_display=None if remapped else binding.key_display,
                    )
                )
                for key in keys.split(",")
                if key.strip()
            )
            description = binding.description or binding.action
            if where:
                description = f"{description} ({where})"
            action = (
                f"app.{binding.action}"
                if binding.action in {"quit", "help"}
                else (binding.action if on_screen else None)
            )
            rows.append((shown, description, binding.id or "", action))
    rows.append(("tab / shift+tab", "Next / previous pane", "", None))
    rows.append(("escape", "Restore the panes after zoom", "", None))
    rows.append(("ctrl+p", "Command palette", "", None))
    return rows


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys; Escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close-help"),
    ]

    def __init__(self, rows: list[HelpRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(title="readerterm keys", expand=True, box=None, pad_edge=False)
        table.add_column("Key", no_wrap=True, style="bold")
        table.add_column("Does")
        table.add_column(Text("Binding id (config [keys])"), style="dim")
        for keys, description, binding_id, _action in self.rows:
            table.add_row(Text(keys), Text(description), Text(binding_id))
        with VerticalScroll(id="help-body"):
            yield Static(table, id="help-table")
            yield Static(Content("Escape, q or ? closes this screen."), id="help-hint")
