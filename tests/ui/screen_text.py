"""What the screen and the main screen's widgets show, as plain text, for the Pilot tests."""

from __future__ import annotations

from typing import Any

from readerterm.ui.widgets.article_list import ArticleList
from readerterm.ui.widgets.feed_list import FeedList


def screen_lines(app: Any) -> list[str]:
    """The screen on top as the terminal shows it, row by row."""
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


def text_of(widget: object) -> str:
    """The plain text a Static shows (its Content)."""
    content = widget.content  # type: ignore[attr-defined]
    return str(getattr(content, "plain", content))


def row_text(widget: FeedList | ArticleList, index: int) -> str:
    """What the list draws for row `index` (it must be on screen)."""
    y = index - round(widget.scroll_offset.y)
    return widget.render_line(y).text


def status_message(app: Any) -> str:
    """The left part of the main screen's status line: the answer to the last key, a
    feed's error, a note."""
    return text_of(app.screen.query_one("#status-message"))
