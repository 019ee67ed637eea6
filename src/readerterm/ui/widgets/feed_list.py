"""The feed pane: the fixed views, saved searches, tags with their feeds, other feeds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import BindingType
from textual.message import Message

from ..formatting import fit
from ..keys import bindings
from ..views import PaneEntry
from .line_list import LineList

ERROR_MARKER = "!"
KIND_MARKERS = {"view": "", "search": "⌕ ", "tag": "# ", "feed": ""}


class FeedList(LineList):
    """Pane entries with unread counts; a marker on feeds whose last refresh failed."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "feed-list--view",
        "feed-list--search",
        "feed-list--tag",
        "feed-list--unread",
        "feed-list--read",
        "feed-list--count",
        "feed-list--error",
    }

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("feeds"))
    KEY_SCOPES: ClassVar[tuple[str, ...]] = ("lists", "feeds")

    @dataclass
    class Selected(Message):
        """The cursor moved to an entry."""

        entry: PaneEntry

    @dataclass
    class Chosen(Message):
        """The user pressed Enter on an entry: go to its articles."""

        entry: PaneEntry

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._entries: list[PaneEntry] = []

    @property
    def row_count(self) -> int:
        return len(self._entries)

    @property
    def entries(self) -> Sequence[PaneEntry]:
        return self._entries

    @property
    def selected(self) -> PaneEntry | None:
        """The entry under the cursor."""
        if not self._entries:
            return None
        return self._entries[min(self.cursor, len(self._entries) - 1)]

    def show_entries(self, entries: Sequence[PaneEntry], *, select: str | None = None) -> None:
        """Show `entries`, keeping the cursor on the entry with key `select` (or the one it
        was on). Announces nothing: the screen already knows what it shows."""
        keep = select if select is not None else (self.selected.key if self.selected else None)
        self._entries = list(entries)
        self.rows_changed()
        index = self.index_of(keep)
        self.move_cursor(index if index is not None else 0, announce=False)

    def index_of(self, key: str | None) -> int | None:
        return next((i for i, entry in enumerate(self._entries) if entry.key == key), None)

    def select_key(self, key: str) -> bool:
        """Move the cursor to the entry `key` and announce it; False if there is none."""
        index = self.index_of(key)
        if index is None:
            return False
        if index == self.cursor:
            self.cursor_moved(index)
        else:
            self.move_cursor(index)
        return True

    def select_feed(self, feed_id: int) -> bool:
        """Move the cursor to the (first) row of a feed and announce it."""
        index = next((i for i, e in enumerate(self._entries) if e.feed_id == feed_id), None)
        return index is not None and self.select_key(self._entries[index].key)

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        entry = self._entries[index]
        if entry.kind in ("view", "search", "tag"):
            name_style = self.row_style(selected, f"feed-list--{entry.kind}")
        else:
            kind = "feed-list--unread" if entry.unread else "feed-list--read"
            name_style = self.row_style(selected, kind)
        count = f" {entry.unread} " if entry.unread else " "
        marker_style = self.row_style(selected, "feed-list--error")
        count_style = self.row_style(selected, "feed-list--count")
        lead = "  " * entry.indent + KIND_MARKERS[entry.kind]
        name_width = max(0, width - 2 - cell_len(count))
        return [
            Segment(f"{ERROR_MARKER} " if entry.error else "  ", marker_style),
            Segment(fit(lead + entry.title, name_width, at_word=True), name_style),
            Segment(count, count_style),
        ]

    def cursor_moved(self, index: int) -> None:
        if self.selected is not None:
            self.post_message(self.Selected(self.selected))

    def action_choose(self) -> None:
        if self.selected is not None:
            self.post_message(self.Chosen(self.selected))
