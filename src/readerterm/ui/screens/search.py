"""The main screen's search box: what `/` runs as the user types, and closing it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.worker import Worker

from ...library.reading import Reading
from ...models import ArticleFilter
from ..keyhold import hold_keys, release_keys
from ..run_async import run_async
from .parts import plain_title

SEARCH_DEBOUNCE = 0.05
"""Seconds to wait for the next keystroke before searching."""

if TYPE_CHECKING:
    from .main import MainScreen


class Search:
    """Searching from the main screen: the results replace the list until the search
    closes, and the cursor goes back where it was."""

    def __init__(self, reading: Reading, screen: MainScreen) -> None:
        self._reading = reading
        self._screen = screen
        self._before: int | None = None
        """The article highlighted when the search began (put back when it closes)."""
        self._focused_before: Widget | None = None
        """The pane that had the focus when the search began, given it back by Escape in
        the box: the triage keys act on the focused pane (the reader's story or the row)."""
        self._reading_before: int | None = None
        """The story the reader showed when the search began."""

    def open(self, *, from_zoom: bool = False) -> None:
        bar = self._screen.search_bar
        if not bar.is_open:
            screen = self._screen
            self._before = screen.article_list.highlighted_id
            # (not a zoomed reader's: the search brings the lists back, and in that small
            # layout the list is the pane to have the focus)
            self._focused_before = None if from_zoom else screen.focused
            self._reading_before = screen.reader.article_id
        # The box gets the focus a moment later: words typed at once after `/` wait
        # for it instead of running the lists' keys (`s` would star, `t` triage).
        hold_keys(self._screen.app)
        bar.open()
        release_keys(self._screen.app)

    def as_typed(self, text: str) -> None:
        if self._screen.search_bar.is_open:
            self.run_search(text)

    def run_search(self, text: str) -> Worker[None]:
        """Search for `text` soon (see `_search_soon`)."""
        return run_async(
            self._screen, partial(self._search_soon, text), group="search", exclusive=True
        )

    async def _search_soon(self, text: str) -> None:
        """Debounced: a newer keystroke cancels this worker while it waits."""
        await asyncio.sleep(SEARCH_DEBOUNCE)
        self.show_search(text)

    def show_search(self, text: str) -> None:
        """Run a search now and show its results (rank order) and problems."""
        bar = self._screen.search_bar
        base = ArticleFilter(sort="rank")
        parsed = self._reading.search(text, base=base) if text.strip() else None
        if parsed is None or (parsed.problems and _finds_everything(parsed.view)):
            # Nothing to search for (an empty box, or only terms that could not be read:
            # "after:notadate"): the list searched from, not every story in the library.
            bar.show_problems(parsed.problems if parsed is not None else ())
            if self._screen.search_view is not None:
                self._screen.search_view = None
                entry = self._screen.selected_entry()
                title = entry.title if entry else "Articles"
                self._screen.article_list.border_title = plain_title(title)
                self._screen.listing.reload_ids()
            return
        view = parsed.view
        if not view.words.strip():
            view = replace(view, sort=self._screen.sort)
        self._screen.search_view = view
        self._screen.article_list.border_title = plain_title(f"Search: {text.strip()}")
        self._screen.listing.reload_ids(top=True)
        problems = list(parsed.problems)
        if view.words.strip() and (waiting := self._reading.search_pending()):
            # The store indexed a short queue before searching; a long one (a big refresh
            # just now) is being indexed in the background.
            problems.append(
                f"{waiting:,} stories just fetched are still being indexed for search"
                " (indexing runs once a refresh is over); search again then to include them."
            )
        bar.show_problems(problems)

    def submitted(self, text: str) -> None:
        self._screen.workers.cancel_group(self._screen, "search")
        self.show_search(text)
        self._screen.article_list.focus()

    def close_if_open(self) -> None:
        if self._screen.search_view is not None or self._screen.search_bar.is_open:
            self.close(restore=True)

    def close(self, *, restore: bool) -> None:
        self._screen.workers.cancel_group(self._screen, "search")
        self._screen.search_bar.close()
        screen = self._screen
        keep, self._before = self._before, None
        focused, self._focused_before = self._focused_before, None
        # Escape in the box gives the focus back; from the results, the list keeps it.
        in_box = screen.focused is not None and screen.search_bar in screen.focused.ancestors
        reading = screen.reader.article_id
        if reading is not None and reading != self._reading_before:
            keep = reading  # a story opened from the results: the cursor goes with it
        if self._screen.search_view is None and not restore:
            return
        self._screen.search_view = None
        if restore:
            entry = self._screen.selected_entry()
            self._screen.article_list.border_title = plain_title(
                entry.title if entry else "Articles"
            )
            self._screen.listing.reload_ids(keep=keep)
            if in_box and focused is not None and focused in screen.focus_chain:
                focused.focus()
            else:
                self._screen.article_list.focus()


def _finds_everything(view: ArticleFilter) -> bool:
    """A search view that narrows nothing down (its order aside)."""
    return replace(view, sort="date", show_hidden=False) == ArticleFilter()
