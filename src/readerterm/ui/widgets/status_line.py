"""One line above the footer: what is going on (left) and the counts (right).

A message too long for the room it has keeps its words and its end: the names in it
(feed titles) are cut with "…" instead, the longest first, and fitted again whenever the
room changes (the counts beside it grow or shrink, the terminal is resized). Only when
its names are down to a few letters is the message cut at the end."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

SHORTEST_NAME = 4
"""Cells a name keeps at least ("Wor…") before the message itself is cut at the end."""


@dataclass(frozen=True, slots=True)
class Name:
    """A part of a message that may be cut with "…" so that the rest fits (a feed title)."""

    text: str


MessagePart = str | Name


def full_text(parts: Iterable[MessagePart]) -> str:
    return "".join(part.text if isinstance(part, Name) else part for part in parts)


def cut_name(name: str, width: int) -> str:
    """`name` in at most `width` cells, ending in "…" when cut."""
    if cell_len(name) <= width:
        return name
    return set_cell_size(name, max(0, width - 1)).rstrip() + "…"


def fit_message(parts: Sequence[MessagePart], width: int) -> str:
    """The message in `width` cells if it can be: every name longer than some length is
    cut to it (the longest names lose letters first; a cell to spare goes to the later
    names, the destination of "on to"), the words between them kept. With no room known
    (`width` 0: not laid out yet) the message is whole."""
    whole = full_text(parts)
    if width <= 0 or cell_len(whole) <= width:
        return whole
    names = [cell_len(part.text) for part in parts if isinstance(part, Name)]
    if not names:
        return whole
    words = cell_len(whole) - sum(names)
    longest = max(names)
    while longest > SHORTEST_NAME and words + sum(min(n, longest) for n in names) > width:
        longest -= 1
    widths = [min(length, longest) for length in names]
    spare = width - words - sum(widths)
    for index in reversed(range(len(names))):  # cells left over go to the later names
        extra = max(0, min(spare, names[index] - widths[index]))
        widths[index] += extra
        spare -= extra
    cut = iter(widths)
    return "".join(
        cut_name(part.text, next(cut)) if isinstance(part, Name) else part for part in parts
    )


class StatusMessage(Static):
    """The left part, fitted to its room again whenever that changes."""

    DEFAULT_CSS = """
    StatusMessage {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._parts: tuple[MessagePart, ...] = ()

    def say(self, parts: Sequence[MessagePart]) -> None:
        self._parts = tuple(parts)
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.update(Content(fit_message(self._parts, self.content_size.width)))


class StatusLine(Horizontal):
    """Plain-text status; callers pass strings that may come from feeds, never markup."""

    def compose(self) -> ComposeResult:
        yield StatusMessage(id="status-message")
        yield Static(id="status-progress")
        yield Static(id="status-counts")

    def show_message(self, *parts: MessagePart, error: bool = False) -> None:
        """The left part: a feed's error, a hint, or nothing. Parts given as `Name` (feed
        titles) are what is cut when the message is too long for its room."""
        message = self.query_one(StatusMessage)
        message.say(parts)
        message.set_class(error, "-error")

    def show_progress(self, text: str) -> None:
        """The middle part: refresh progress, or nothing."""
        self.query_one("#status-progress", Static).update(Content(text))

    def show_counts(self, text: str) -> None:
        """The right part: unread and total counts."""
        self.query_one("#status-counts", Static).update(Content(text))
