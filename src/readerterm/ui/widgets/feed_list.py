"""The feed pane: "All articles" on top, then each feed with its unread count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from textual.binding import Binding, BindingType
from textual.message import Message

from ...models import Feed
from ...text import clean_line
from ..formatting import fit
from .line_list import LineList

ALL_ARTICLES = "All articles"
ERROR_MARKER = "!"


class FeedList(LineList):
    """Feeds with unread counts; a marker on feeds whose last refresh failed."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "feed-list--all",
        "feed-list--unread",
        "feed-list--read",
        "feed-list--count",
        "feed-list--error",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,l,right", "choose", "Articles", show=False, id="choose-feed"),
    ]

    @dataclass
    class Selected(Message):
        """The cursor moved to a feed (None: all articles)."""

        feed_id: int | None

    @dataclass
    class Chosen(Message):
        """The user pressed Enter on a feed: go to its articles."""

        feed_id: int | None

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._feeds: list[Feed] = []
        self._titles: list[str] = []
        self._total_unread = 0

    @property
    def row_count(self) -> int:
        return len(self._feeds) + 1

    @property
    def selected_feed_id(self) -> int | None:
        """The feed under the cursor; None for "All articles"."""
        if self.cursor == 0 or self.cursor > len(self._feeds):
            return None
        return self._feeds[self.cursor - 1].id

    def show_feeds(self, feeds: Sequence[Feed], total_unread: int) -> None:
        """Show `feeds`, keeping the cursor on the feed it was on."""
        keep = self.selected_feed_id
        self._feeds = list(feeds)
        self._titles = [clean_line(feed.title) or clean_line(feed.url) for feed in feeds]
        self._total_unread = total_unread
        self.rows_changed()
        index = 0
        if keep is not None:
            index = next((i + 1 for i, feed in enumerate(self._feeds) if feed.id == keep), 0)
        self.move_cursor(index, announce=False)
        if self.selected_feed_id != keep:
            self.cursor_moved(self.cursor)

    def select_feed(self, feed_id: int | None) -> None:
        """Move the cursor to `feed_id` (None: all articles) and announce it."""
        index = next((i + 1 for i, feed in enumerate(self._feeds) if feed.id == feed_id), 0)
        self.move_cursor(index)

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        if index == 0:
            title, unread, failed = ALL_ARTICLES, self._total_unread, False
            name_style = self.row_style(selected, "feed-list--all")
        else:
            feed = self._feeds[index - 1]
            title, unread, failed = self._titles[index - 1], feed.unread, feed.error is not None
            kind = "feed-list--unread" if unread else "feed-list--read"
            name_style = self.row_style(selected, kind)
        count = f" {unread} " if unread else " "
        marker_style = self.row_style(selected, "feed-list--error")
        count_style = self.row_style(selected, "feed-list--count")
        name_width = max(0, width - 2 - cell_len(count))
        return [
            Segment(f"{ERROR_MARKER} " if failed else "  ", marker_style),
            Segment(fit(title, name_width), name_style),
            Segment(count, count_style),
        ]

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Selected(self.selected_feed_id))

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.selected_feed_id))
