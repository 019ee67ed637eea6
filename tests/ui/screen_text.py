"""What the main screen's widgets show, as plain text, for the Pilot tests in
test_main_screen.py and test_main_screen_lists.py."""

from __future__ import annotations

from readerterm.ui.widgets.article_list import ArticleList
from readerterm.ui.widgets.feed_list import FeedList


def text_of(widget: object) -> str:
    """The plain text a Static shows (its Content)."""
    content = widget.content  # type: ignore[attr-defined]
    return str(getattr(content, "plain", content))


def row_text(widget: FeedList | ArticleList, index: int) -> str:
    """What the list draws for row `index` (it must be on screen)."""
    y = index - round(widget.scroll_offset.y)
    return widget.render_line(y).text
