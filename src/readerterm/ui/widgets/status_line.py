"""One line above the footer: what is going on (left) and the counts (right)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static


class StatusLine(Horizontal):
    """Plain-text status; callers pass strings that may come from feeds, never markup."""

    def compose(self) -> ComposeResult:
        yield Static(id="status-message")
        yield Static(id="status-progress")
        yield Static(id="status-counts")

    def show_message(self, text: str, *, error: bool = False) -> None:
        """The left part: a feed's error, a hint, or nothing."""
        message = self.query_one("#status-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    def show_progress(self, text: str) -> None:
        """The middle part: refresh progress, or nothing."""
        self.query_one("#status-progress", Static).update(Content(text))

    def show_counts(self, text: str) -> None:
        """The right part: unread and total counts."""
        self.query_one("#status-counts", Static).update(Content(text))
