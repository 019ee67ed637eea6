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


READABLE_NAME = 12
"""Cells a name keeps before the message gives up its asides (see `Aside`) for room."""


@dataclass(frozen=True, slots=True)
class Name:
    """A part of a message that may be cut with "…" so that the rest fits (a feed title)."""

    text: str


@dataclass(frozen=True, slots=True)
class Aside:
    """Parts a message may give up, all together, for `instead`: when keeping them would
    cut a name to fewer than READABLE_NAME cells ("No more unread in World: on to " gives
    way to "On to ", so that the feed it goes to keeps its name on a small terminal)."""

    parts: tuple[str | Name, ...]
    instead: str = ""


MessagePart = str | Name | Aside


def _flat(parts: Iterable[MessagePart], *, asides: bool) -> list[str | Name]:
    """The parts with each aside replaced by its own parts (`asides`) or its `instead`."""
    flat: list[str | Name] = []
    for part in parts:
        if isinstance(part, Aside):
            flat.extend(part.parts if asides else [part.instead])
        else:
            flat.append(part)
    return flat


def full_text(parts: Iterable[MessagePart]) -> str:
    return "".join(
        part.text if isinstance(part, Name) else part for part in _flat(parts, asides=True)
    )


def cut_name(name: str, width: int) -> str:
    """`name` in at most `width` cells, ending in "…" when cut."""
    if cell_len(name) <= width:
        return name
    return set_cell_size(name, max(0, width - 1)).rstrip() + "…"


def fit_message(parts: Sequence[MessagePart], width: int) -> str:
    """The message in `width` cells if it can be: every name longer than some length is
    cut to it (the longest names lose letters first; a cell to spare goes to the later
    names, the destination of "on to"), the words between them kept; and if that leaves a
    name under READABLE_NAME cells, the same without the message's asides. With no room
    known (`width` 0: not laid out yet) the message is whole."""
    whole = _flat(parts, asides=True)
    text, readable = _fit(whole, width)
    if readable or not any(isinstance(part, Aside) for part in parts):
        return text
    return _fit(_flat(parts, asides=False), width)[0]


def _fit(parts: Sequence[str | Name], width: int) -> tuple[str, bool]:
    """`fit_message` for parts without asides, and whether every name kept READABLE_NAME
    cells (or all of its own)."""
    whole = full_text(parts)
    if width <= 0 or cell_len(whole) <= width:
        return whole, True
    names = [cell_len(part.text) for part in parts if isinstance(part, Name)]
    if not names:
        return whole, True
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
    readable = all(
        cut >= min(length, READABLE_NAME) for cut, length in zip(widths, names, strict=True)
    )
    cut = iter(widths)
    text = "".join(
        cut_name(part.text, next(cut)) if isinstance(part, Name) else part for part in parts
    )
    return text, readable


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
