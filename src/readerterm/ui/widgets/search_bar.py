"""The search box: an Input docked above the panes, with the query's problems (a bad
date, an unknown state) shown under it. It only posts what the user typed; the screen
runs the search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static

from ..keys import bindings
from .typed_input import TypedInput

PLACEHOLDER = 'Search: words, "a phrase", feed:NAME tag:NAME is:unread after:2026-11-01'


class SearchInput(TypedInput):
    """The box's line, carrying the search keys itself: Textual's Input has its own Enter
    binding (hidden), which would hide a parent's from the footer."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("search"))

    def action_close(self) -> None:
        self.post_message(SearchBar.Closed())


class SearchBar(Vertical):
    """Hidden until the screen opens it."""

    DEFAULT_CSS = """
    SearchBar {
        dock: top;
        height: auto;
        display: none;
    }
    SearchBar.-open { display: block; }
    """

    @dataclass
    class Changed(Message):
        """The query text changed."""

        text: str

    @dataclass
    class Submitted(Message):
        """Enter: go to the results."""

        text: str

    class Closed(Message):
        """Escape: put the previous view back."""

    def compose(self) -> ComposeResult:
        yield SearchInput(placeholder=PLACEHOLDER, id="search-input")
        yield Static(id="search-problems")

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        """Show the box and put the cursor in it (keeping what was typed)."""
        self.add_class("-open")
        self.input.focus()

    def close(self) -> None:
        self.remove_class("-open")
        self.input.value = ""
        self.show_problems(())

    def show_problems(self, problems: Sequence[str]) -> None:
        box = self.query_one("#search-problems", Static)
        box.update(Content("\n".join(problems)))
        box.display = bool(problems)

    def on_mount(self) -> None:
        self.show_problems(())

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))
