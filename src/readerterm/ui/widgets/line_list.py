"""A keyboard list drawn with Textual's Line API: only the visible rows are ever rendered.

Subclasses say how many rows there are and how to draw one; this class owns the cursor,
scrolling, keys and mouse. Nothing here creates a widget per row, so a list of 100,000
rows costs the same to draw as a list of 20.

Drawn rows are kept (keyed by row, highlight, focus and width) until their content or
the styles change: scrolling by one row then draws one new row, not a screenful.

The list draws its own scroll position, a one-column bar at its right edge, instead of
Textual's scrollbar widget: that widget is drawn again at every scrolled row, which took
a third of each cursor move's time at 100,000 rows (measured: 8.9 ms a move with it, 6.0
without). A click on the bar jumps to that place in the list, dragging along it moves
through the list, and the mouse wheel scrolls.
"""

from __future__ import annotations

import textwrap
import time
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..keys import bindings, key_may_run


class LineList(ScrollView, can_focus=True):
    """A scrolling list of one-line rows with a cursor."""

    DEFAULT_CSS = """
    LineList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 0;
    }
    LineList > .line-list--bar {
        background: $scrollbar-background;
    }
    LineList > .line-list--bar-thumb {
        background: $scrollbar;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-list--cursor",
        "line-list--cursor-blurred",
        "line-list--empty",
        "line-list--bar",
        "line-list--bar-thumb",
    }

    empty_text = ""
    """Shown on the first line when the list has no rows."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("lists"))
    KEY_SCOPES: ClassVar[tuple[str, ...]] = ("lists",)
    """The scopes of keys.py whose bindings this widget holds."""

    ROW_CACHE_LIMIT: ClassVar[int] = 2_000
    """Drawn rows kept before the cache is emptied."""
    ROW_CACHE_SECONDS: ClassVar[float] = 30.0
    """Drawn rows are dropped this often, so ages (`5m`) move on even while idle."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        # The caches exist before Widget.__init__, which may already restyle the widget.
        self._style_cache: dict[tuple[object, ...], Style] = {}
        """Rich styles by (selected, focused, components); emptied when styles change."""
        self._strip_cache: dict[tuple[int, bool, bool, int, int], Strip] = {}
        """Drawn rows by (index, selected, focused, width, bar: 0 none, 1 track, 2 thumb)."""
        self._strip_cache_since = time.monotonic()
        self._frame_width: int | None = None
        self._frame_thumb: tuple[int, int] | None = None
        self._dragging_bar = False
        super().__init__(id=id, classes=classes)
        self.cursor = 0
        """Index of the highlighted row (0 when the list is empty)."""

    # -- for subclasses ---------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows the list has."""
        raise NotImplementedError

    def render_row(self, index: int, width: int, selected: bool) -> list[Segment]:
        """The segments for row `index`; they are cut or padded to `width` cells."""
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return key_may_run(self.app, self.KEY_SCOPES, action, parameters)

    def cursor_moved(self, index: int) -> None:
        """Called after the cursor moved to `index` (post a message from here)."""

    def row_clicked(self, index: int) -> None:
        """Called after a click moved the cursor to `index`."""

    # -- drawing ----------------------------------------------------------------------

    @property
    def row_width(self) -> int:
        return self.scrollable_content_region.width

    def rows_changed(self) -> None:
        """Tell the list that its rows (count or content) changed."""
        self.virtual_size = Size(self.row_width, self.row_count)
        self.cursor = min(self.cursor, max(0, self.row_count - 1))
        self.redraw_rows()

    def redraw_rows(self) -> None:
        """Draw every row again (what a row shows changed, not which rows there are)."""
        self._strip_cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.row_width if self._frame_width is None else self._frame_width
        if self.row_count == 0 and self.empty_text and width > 2:
            # (wrapped: a narrow pane must not cut what an empty list says)
            lines = textwrap.wrap(self.empty_text, width - 2)
            if y < len(lines):
                muted = self.rich_style + self.get_component_rich_style("line-list--empty")
                return Strip([Segment(f" {lines[y]}", muted)]).adjust_cell_length(
                    width, self.rich_style
                )
        if index >= self.row_count or width <= 0:
            return Strip.blank(width, self._base_style())
        thumb = self.thumb_rows() if self._frame_width is None else self._frame_thumb
        bar = 0 if thumb is None or width < 2 else 2 if thumb[0] <= y < thumb[1] else 1
        selected = index == self.cursor
        key = (index, selected, self.has_focus, width, bar)
        strip = self._strip_cache.get(key)
        if strip is None:
            if len(self._strip_cache) >= self.ROW_CACHE_LIMIT:
                self._strip_cache.clear()
            row_width = width - 1 if bar else width
            segments = self.render_row(index, row_width, selected)
            strip = Strip(segments).adjust_cell_length(row_width, self._base_style())
            if bar:
                name = "line-list--bar-thumb" if bar == 2 else "line-list--bar"
                strip = Strip.join([strip, Strip([Segment(" ", self.row_style(False, name))])])
            self._strip_cache[key] = strip
        return strip

    def thumb_rows(self) -> tuple[int, int] | None:
        """The lines (start, end) of the scroll-position bar's thumb; None when every row
        fits and no bar is drawn."""
        height = self.scrollable_content_region.height
        rows = self.row_count
        if height <= 0 or rows <= height:
            return None
        size = max(1, round(height * height / rows))
        top = min(max(round(self.scroll_offset.y), 0), rows - height)
        start = round(top * (height - size) / (rows - height))
        return start, start + size

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.row_width, self.row_count)
        self.scroll_to_cursor()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        now = time.monotonic()
        if now - self._strip_cache_since >= self.ROW_CACHE_SECONDS:
            self._strip_cache.clear()
            self._strip_cache_since = now
        # scrollable_content_region is worked out once a frame, not once a row.
        self._frame_width = self.row_width
        self._frame_thumb = self.thumb_rows()
        try:
            return super().render_lines(crop)
        finally:
            self._frame_width = None

    def notify_style_update(self) -> None:
        # Kept styles and drawn rows carry colours from the CSS and the theme.
        super().notify_style_update()
        self._style_cache.clear()
        self._strip_cache.clear()

    def _base_style(self) -> Style:
        key = ("base",)
        style = self._style_cache.get(key)
        if style is None:
            style = self._style_cache[key] = self.rich_style
        return style

    def row_style(self, selected: bool, *components: str) -> Style:
        """The rich style for a row made of the given component classes."""
        key = (selected, self.has_focus, *components)
        cached = self._style_cache.get(key)
        if cached is not None:
            return cached
        cached = self._style_cache[key] = self._row_style(selected, *components)
        return cached

    def _row_style(self, selected: bool, *components: str) -> Style:
        # Full (not partial) component styles: each carries the widget's background, so
        # "auto" colours such as $text resolve against it and every theme stays readable.
        style = self.rich_style
        for name in components:
            style += self.get_component_rich_style(name)
        if selected:
            cursor = "line-list--cursor" if self.has_focus else "line-list--cursor-blurred"
            style += self.get_component_rich_style(cursor)
        return style

    # -- cursor -----------------------------------------------------------------------

    def move_cursor(self, index: int, *, announce: bool = True) -> None:
        """Put the cursor on row `index` (clamped) and scroll it into view."""
        if self.row_count == 0:
            self.cursor = 0
            self.refresh()
            return
        index = max(0, min(index, self.row_count - 1))
        previous = self.cursor
        changed = index != previous
        top = round(self.scroll_offset.y)
        self.cursor = index
        self.scroll_to_cursor()
        if round(self.scroll_offset.y) == top:
            # Not scrolled: only the two rows whose highlight changed are drawn again.
            self.refresh_line(previous)
            self.refresh_line(index)
        else:
            self.refresh()
        if announce and changed:
            self.cursor_moved(index)

    def scroll_to_cursor(self) -> None:
        """Scroll the cursor's row into view. (Forced: Textual allows a scroll only once a
        layout has shown the bar, and a list that just grew past its height has had none;
        the cursor was then left below the pane's last row.)"""
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True, force=True)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if self._on_bar(offset.x):
            event.stop()
            self._jump_to(offset.y)
            return
        index = round(self.scroll_offset.y) + offset.y
        if 0 <= index < self.row_count:
            event.stop()
            self.focus()
            self.move_cursor(index)
            self.row_clicked(index)

    # -- the position bar ---------------------------------------------------------------

    def _on_bar(self, x: int) -> bool:
        return x >= self.row_width - 1 and self.thumb_rows() is not None

    def _jump_to(self, y: int) -> None:
        """Put the cursor where line `y` of the bar stands in the list."""
        height = self.scrollable_content_region.height
        y = max(0, min(y, height - 1))
        self.move_cursor(round(y * (self.row_count - 1) / max(1, height - 1)))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and self._on_bar(offset.x):
            # Dragging along the bar moves through the list until the button is let go.
            event.stop()
            self._dragging_bar = True
            self.capture_mouse()
            self._jump_to(offset.y)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging_bar:
            event.stop()
            self._jump_to(event.get_content_offset_capture(self).y)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging_bar:
            event.stop()
            self._dragging_bar = False
            self.capture_mouse(False)
