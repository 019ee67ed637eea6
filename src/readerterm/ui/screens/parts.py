"""Small pieces the main screen's parts share."""

from __future__ import annotations

from textual.content import Content

from ..formatting import shown_line


def plain_title(text: str) -> Content:
    """A border title shown as it is: Textual reads a str border title as markup, and feed
    titles and search words are not markup."""
    return Content(shown_line(text))
