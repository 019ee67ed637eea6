"""How the main screen uses the terminal: three panes side by side when wide, the reader
under the lists below that, its key points above its body when narrow, and the reader
alone (zoomed) when the terminal is small.

The feed pane is FEED_COLUMNS wide from 80 columns, and 35% of a narrower terminal
(FEED_MIN_COLUMNS at least): at 60 columns it kept 28 and left the article list 18 columns
of title. (A narrower pane at 80 would cost titles room: the article list, given 50
columns, spends some of them on a feed column.)

On a small terminal (below SMALL_COLUMNS x SMALL_ROWS) opening a story zooms the reader at
once, as newsboat shows one pane at a time: the story gets the room it needs without a
second key. Escape, `z` or Left brings the lists back, with the focus on the article
list; there the lists take three fifths of the height (at 80x24, the views and six feeds
show).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.widget import Widget

    from .main import MainScreen

WIDE_COLUMNS = 170
"""From this width the three panes sit side by side; below it the reader goes under."""
NARROW_COLUMNS = 120
"""Below this width the key points go above the body instead of beside it."""
SMALL_COLUMNS = 100
SMALL_ROWS = 30
"""Below this width or height, opening a story zooms the reader."""
FEED_COLUMNS = 28
"""The feed pane's width where the terminal has room (readerterm.tcss's grid columns)."""
FEED_MIN_COLUMNS = 22
"""The narrowest the feed pane gets: "All articles" whole beside a count of three digits,
a feed's first words."""


def is_small(size: Size) -> bool:
    return size.width < SMALL_COLUMNS or size.height < SMALL_ROWS


def feed_columns(width: int) -> int:
    """The feed pane's width beside the article list on a terminal `width` columns wide:
    35% of it, between FEED_MIN_COLUMNS and FEED_COLUMNS."""
    return max(FEED_MIN_COLUMNS, min(FEED_COLUMNS, width * 35 // 100))


class PaneLayout:
    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self.auto_zoomed = False
        """The reader was zoomed by opening a story on a small terminal."""
        self._focus_before_zoom: Widget | None = None
        """What had the focus when the reader was zoomed (it gets it back after)."""

    @property
    def small(self) -> bool:
        return is_small(self._screen.app.size)

    def arrange(self, size: Size) -> None:
        screen = self._screen
        panes = screen.query_one("#panes")
        wide = size.width >= WIDE_COLUMNS
        panes.set_class(wide, "-wide")
        # (three panes: the stylesheet's columns; two: the feed pane narrows with the width)
        panes.styles.grid_columns = None if wide else f"{feed_columns(size.width)} 1fr"
        panes.set_class(is_small(size), "-small")  # (the lists get more of the height)
        screen.reader.set_stacked(size.width < NARROW_COLUMNS)
        if self.auto_zoomed and not is_small(size) and screen.maximized is not None:
            screen.minimize()  # the terminal grew: the panes have room again

    def toggle_zoom(self) -> None:
        """`z`: the reader alone, or the panes back."""
        if self._screen.maximized is not None:
            self._screen.minimize()
        elif self._screen.reader.article is None:  # (zoomed, its hint's Enter would do nothing)
            self._screen.status.say("No story open to zoom: open one first.")
        else:
            self._zoom(auto=False)

    def zoom_for_reading(self) -> None:
        """A story is being opened: on a small terminal, give the reader the screen."""
        if self.small and self._screen.maximized is None:
            self._zoom(auto=True)

    def _zoom(self, *, auto: bool) -> None:
        self._focus_before_zoom = self._screen.focused
        self._screen.maximize(self._screen.reader, container=False)
        self.auto_zoomed = auto
        self._screen.reader.body.focus()

    def go_back(self, *, from_reader: bool) -> None:
        """Left, the way back from where Right (or Enter) goes: from the reader to the
        article list (a zoomed reader gives the lists back first), from the article list
        to the feed pane."""
        screen = self._screen
        if not from_reader:
            screen.feed_list.focus()
            return
        if screen.maximized is not None:
            screen.minimize()  # (zoom_changed moves the focus first: this comes after)
        screen.article_list.focus()

    def zoom_changed(self, maximized: Widget | None) -> None:
        """Zoom ended (Escape, `z`, or a larger terminal): on a small terminal the
        lists come back with the focus on the article list, one pane at a time; on a larger
        one the focus goes back where it was before the zoom (m, s ... act on that row
        again, not on the story). The footer shows `z Back` only while zoomed."""
        self._screen.refresh_bindings()
        if maximized is None:
            before, self._focus_before_zoom = self._focus_before_zoom, None
            if self.small:
                self._screen.article_list.focus()
            elif before is not None and before.is_attached:
                before.focus()
            self.auto_zoomed = False
