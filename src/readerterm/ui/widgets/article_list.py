"""The article list: ids in display order, rows paged in from the library as they scroll
into view, so 100,000 articles cost no more than a screenful."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import ClassVar

from rich.segment import Segment
from textual.binding import BindingType
from textual.message import Message

from ...models import ArticleRow
from ..formatting import age, fit, shown_line
from ..keys import bindings
from .line_list import LineList

RowSource = Callable[[Sequence[int]], list[ArticleRow]]
"""Fetches light rows for ids (Library.reading.article_rows)."""

UNREAD_MARKER = "●"
STAR_MARKER = "★"
LATER_MARKER = "◷"
HIDDEN_MARKER = "✕"
"""A dismissed or filtered story, shown with `H` (struck through too, where the terminal
draws that; many do not)."""


class ArticleList(LineList):
    """Title, feed and age of each article; unread rows stand out, starred ones are marked."""

    PAGE_SIZE: ClassVar[int] = 100
    """Rows fetched from the library at a time."""
    CACHE_LIMIT: ClassVar[int] = 5_000
    """Cached rows kept before the cache is dropped and refilled from what is visible."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--unread",
        "article-list--read",
        "article-list--marker",
        "article-list--star",
        "article-list--feed",
        "article-list--age",
        "article-list--open",
        "article-list--later",
        "article-list--hidden",
    }

    empty_text = "No articles yet."
    """Set by the screen for the list on show (see views.empty_text)."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("articles"))
    KEY_SCOPES: ClassVar[tuple[str, ...]] = ("lists", "articles")

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto an article (None: the list is empty)."""

        article_id: int | None

    @dataclass
    class Opened(Message):
        """The user asked to read an article (Enter or a click)."""

        article_id: int

    class Back(Message):
        """The user asked to go back to the feed pane (Left)."""

    def __init__(
        self,
        rows: RowSource,
        now: Callable[[], datetime],
        *,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._fetch_rows = rows
        self._now = now
        self._ids: list[int] = []
        self._rows: dict[int, ArticleRow | None] = {}
        self._open_id: int | None = None
        self._show_feed = True

    @property
    def open_id(self) -> int | None:
        """The article shown in the reader, drawn with its own style."""
        return self._open_id

    @open_id.setter
    def open_id(self, article_id: int | None) -> None:
        if article_id != self._open_id:
            self._open_id = article_id
            self.redraw_rows()

    @property
    def show_feed(self) -> bool:
        """Whether rows name their feed (off when the list shows a single feed)."""
        return self._show_feed

    @show_feed.setter
    def show_feed(self, show: bool) -> None:
        if show != self._show_feed:
            self._show_feed = show
            self.redraw_rows()

    # -- data ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> Sequence[int]:
        return self._ids

    @property
    def highlighted_id(self) -> int | None:
        """The article under the cursor."""
        return self._ids[self.cursor] if self._ids else None

    def show_ids(
        self, ids: Sequence[int], *, keep: int | None = None, reveal: bool = False
    ) -> None:
        """Show `ids`; when `keep` is among them the cursor stays on it, at the same place
        on screen, so articles arriving above do not move what the user is looking at.
        With `reveal` (hidden stories were asked for) the list scrolls back, as far as the
        cursor stays on screen, to show the new rows just above the cursor."""
        old_cursor, old_top = self.cursor, round(self.scroll_offset.y)
        old_ids = set(self._ids)
        self._ids = list(ids)
        new_cursor = self.index_of(keep) if keep is not None else None
        self.rows_changed()
        if new_cursor is None:
            self.scroll_to(y=0, animate=False, immediate=True, force=True)
            self.move_cursor(0, announce=False)
        else:
            top = max(0, old_top + new_cursor - old_cursor)
            if reveal:
                first_new = new_cursor
                while first_new > 0 and self._ids[first_new - 1] not in old_ids:
                    first_new -= 1
                lowest = new_cursor - self.scrollable_content_region.height + 1
                top = max(0, min(top, max(first_new, lowest)))
            self.scroll_to(y=top, animate=False, immediate=True, force=True)
            self.move_cursor(new_cursor, announce=False)
        if keep is None or new_cursor is None:
            self.cursor_moved(self.cursor)

    def index_of(self, article_id: int | None) -> int | None:
        if article_id is None:
            return None
        try:
            return self._ids.index(article_id)
        except ValueError:
            return None

    def select_article(self, article_id: int) -> bool:
        """Move the cursor to `article_id`; False when it is not in the list."""
        index = self.index_of(article_id)
        if index is None:
            return False
        self.move_cursor(index)
        return True

    def update_row(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Change the cached state of one row (after the store was changed)."""
        row = self._rows.get(article_id)
        if row is not None:
            self._rows[article_id] = replace(
                row,
                read=row.read if read is None else read,
                starred=row.starred if starred is None else starred,
            )
        self.redraw_rows()

    def remove_ids(self, ids: Iterable[int]) -> None:
        """Take articles out of the list; the cursor stays on the row it was on, or on
        the one that took its place."""
        gone = set(ids)
        if not gone.intersection(self._ids):
            return
        current = self.highlighted_id
        keep = current
        if current in gone:
            after = [i for i in self._ids[self.cursor :] if i not in gone]
            before = [i for i in self._ids[: self.cursor] if i not in gone]
            keep = after[0] if after else (before[-1] if before else None)
        self.show_ids([i for i in self._ids if i not in gone], keep=keep)

    def shown_row(self, article_id: int) -> ArticleRow | None:
        """The row as drawn now, when it is (None: not cached)."""
        return self._rows.get(article_id)

    def forget_rows(self, ids: Iterable[int] | None = None) -> None:
        """Drop cached rows (all when `ids` is None) so they are read again when drawn."""
        if ids is None:
            self._rows.clear()
        else:
            for article_id in ids:
                self._rows.pop(article_id, None)
        self.redraw_rows()

    def row_at(self, index: int) -> ArticleRow | None:
        """The row at `index`, paging it in from the library when needed."""
        article_id = self._ids[index]
        if article_id not in self._rows:
            if len(self._rows) > self.CACHE_LIMIT:
                self._rows.clear()
            start = index - index % self.PAGE_SIZE
            page = [i for i in self._ids[start : start + self.PAGE_SIZE] if i not in self._rows]
            for row in self._fetch_rows(page):
                self._rows[row.id] = replace(
                    row, title=shown_line(row.title), feed_title=shown_line(row.feed_title)
                )
            for missing in page:
                self._rows.setdefault(missing, None)
        return self._rows[article_id]

    # -- drawing ------------------------------------------------------------------------

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        row = self.row_at(index)
        if row is None:
            return []
        state = "article-list--read" if row.read else "article-list--unread"
        extra: tuple[str, ...] = ("article-list--open",) if row.id == self.open_id else ()
        if row.hidden:
            extra += ("article-list--hidden",)
        title_style = self.row_style(selected, state, *extra)
        marker_style = self.row_style(selected, "article-list--marker", *extra)
        star_style = self.row_style(selected, "article-list--star", *extra)
        later_style = self.row_style(selected, "article-list--later", *extra)
        muted = self.row_style(selected, "article-list--feed", *extra)
        age_style = self.row_style(selected, "article-list--age", *extra)
        feed_width = min(14, width // 6) if self.show_feed and width >= 50 else 0
        age_text = age(row.published, self._now())
        title_width = max(0, width - 5 - 5 - (feed_width + 1 if feed_width else 0))
        segments = [
            Segment(" " if row.read else UNREAD_MARKER, marker_style),
            Segment(STAR_MARKER if row.starred else " ", star_style),
            Segment(
                HIDDEN_MARKER if row.hidden else LATER_MARKER if row.later else " ", later_style
            ),
            Segment(" ", title_style),
            Segment(fit(row.title or "(untitled)", title_width), title_style),
            Segment(" ", title_style),
        ]
        if feed_width:
            segments.append(Segment(fit(row.feed_title, feed_width, at_word=True) + " ", muted))
        segments.append(Segment(f"{age_text:>4} ", age_style))
        return segments

    # -- input --------------------------------------------------------------------------

    def cursor_moved(self, index: int) -> None:
        self.post_message(self.Highlighted(self.highlighted_id))

    def row_clicked(self, index: int) -> None:
        self.action_open()

    def action_open(self) -> None:
        article_id = self.highlighted_id
        if article_id is not None:
            self.post_message(self.Opened(article_id))

    def action_back(self) -> None:
        self.post_message(self.Back())
