"""Small pieces the screens and the main screen's parts share."""

from __future__ import annotations

from typing import TypeVar

from textual.content import Content
from textual.screen import Screen

from ..formatting import shown_line
from ..widgets.key_footer import KeyFooter

Result = TypeVar("Result")


class ScreenWithKeys(Screen[Result]):
    """A screen with a key footer (the main screen, triage): the footer hides while help or
    a dialog is on top, where the keys it lists do nothing."""

    def on_screen_suspend(self) -> None:
        self._footer_behind(True)

    def on_screen_resume(self) -> None:
        self._footer_behind(False)

    def _footer_behind(self, behind: bool) -> None:
        for footer in self.query(KeyFooter):
            footer.set_class(behind, "-behind-dialog")


def plain_title(text: str) -> Content:
    """A border title shown as it is: Textual reads a str border title as markup, and feed
    titles and search words are not markup."""
    return Content(shown_line(text))
