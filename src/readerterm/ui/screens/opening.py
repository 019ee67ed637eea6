"""Opening stories from the main screen: into the reader (marked read at once, converted
off the event loop), on with Space, or one at a time in triage mode."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from ...errors import ReaderTermError
from ...library.reading import Reading
from ..formatting import stories
from ..keyhold import SLOW_HOLD_SECONDS, hold_keys, release_keys
from ..run_async import run_async
from .triage import TriageScreen
from .unsaved import not_saved

if TYPE_CHECKING:
    from .main import MainScreen


class Opening:
    def __init__(self, reading: Reading, screen: MainScreen) -> None:
        self._reading = reading
        self._screen = screen

    def open_article(self, article_id: int) -> None:
        """Show an article in the reader and mark it read in the store at once; its HTML
        becomes markdown and key points on a thread (`Reading.open_article`)."""
        rows = self._reading.article_rows([article_id])
        if not rows:
            self._screen.notify(f"No article with id {article_id}.", severity="error", markup=False)
            return
        articles = self._screen.article_list
        articles.open_id = article_id
        self._screen.pane_layout.zoom_for_reading()
        if rows[0].read or not self._mark_read(article_id):
            articles.refresh()
        else:
            self._screen.listing.rows_changed([article_id])
        self._show(article_id)

    def _show(self, article_id: int, *, opened: bool = True) -> None:
        """The reader shows `article_id` once it is converted (its state left as it is):
        the story opened, or (not `opened`) one shown while no story is open."""
        run_async(
            self._screen,
            partial(self._show_opened, article_id, article_id if opened else None),
            group="open",
            exclusive=True,
        )

    def _mark_read(self, article_id: int) -> bool:
        """Mark the opened story read; on a full or read-only disk it stays unread (and
        shown so) with a warning, and the story is shown all the same."""
        try:
            self._reading.set_read(article_id, True)
        except ReaderTermError as error:
            not_saved(self._screen, error)
            return False
        return True

    async def _show_opened(self, article_id: int, open_id: int | None) -> None:
        try:
            article = await self._reading.open_article(article_id)
        except ReaderTermError as error:
            self._screen.notify(str(error), severity="error", markup=False)
            return
        if self._screen.article_list.open_id == open_id:  # no other story opened meanwhile
            self._screen.reader.show_article(article)

    def reload_reader(self, article_id: int | None = None) -> None:
        """Show the open article again as stored (after its text or tags changed)."""
        article = self._screen.reader.article
        if article is None or (article_id is not None and article.id != article_id):
            return
        run_async(self._screen, partial(self._show_again, article.id), group="open", exclusive=True)

    async def _show_again(self, article_id: int) -> None:
        try:
            article = await self._reading.open_article(article_id)
        except ReaderTermError:  # removed meanwhile
            self._screen.reader.show_article(None)
            return
        shown = self._screen.reader.article
        if shown is not None and shown.id == article_id:
            self._screen.reader.show_article(article)

    def read_on(self) -> None:
        """Space: open the highlighted article, else page its body, else the next unread."""
        articles = self._screen.article_list
        highlighted = articles.highlighted_id
        in_list = self._screen.focused is articles
        if in_list and highlighted is not None and highlighted != articles.open_id:
            self.open_article(highlighted)
        elif self._screen.reader.article is None or not self._screen.reader.page_down():
            self._screen.unread.next_unread()

    def triage(self) -> None:
        ids = self._reading.query(replace(self._screen.view, unread=True))
        if not ids:
            self._screen.status.say("No unread stories in this view.")
            return
        # Triage mode shows once its first story is converted, on a thread: the keys typed
        # meanwhile are decisions for it, not keys of the lists behind it (r, s, d ...).
        # (A group of its own: a story opened meanwhile, by a click, cannot cancel it and
        # leave the keys held; only another `t`, which holds them too.)
        hold_keys(self._screen.app, SLOW_HOLD_SECONDS)
        run_async(self._screen, partial(self._triage, ids), group="triage", exclusive=True)

    async def _triage(self, ids: list[int]) -> None:
        """Triage mode, once its first story is converted (off the event loop)."""
        try:
            with contextlib.suppress(ReaderTermError):  # (gone: triage mode skips it)
                await self._reading.open_article(ids[0])
        except BaseException:  # (cancelled): the held keys go where they were typed
            release_keys(self._screen.app)
            raise

        triage = TriageScreen(
            self._screen.library,
            ids,
            now=self._screen.now,
            open_url=self._screen.decisions.open_url,
            key_for=self._screen.key_for,
            title=self._screen.article_list.border_title or "",
        )

        def finished(decided: int | None) -> None:
            listed = list(self._screen.article_list.ids)
            self._screen.listing.sync_from_library(ids=True)
            if triage.index or triage.steps:  # (left at once: nothing to come back to)
                self._back_from_triage(triage.stopped_at, listed)
            if decided:
                self._screen.status.say(f"Triage: {stories(decided)} decided.")

        self._screen.app.push_screen(triage, callback=finished)

    def _back_from_triage(self, stopped: int | None, listed: Sequence[int]) -> None:
        """Back where triage stopped: the list's cursor on its story (gone from the list,
        the nearest one after it in `listed`, the list before leaving, else before it),
        and the reader showing that story. Leaving is no decision: the story is shown,
        not opened, so it stays unread until Enter, Space or `n` opens it."""
        articles = self._screen.article_list
        target = _nearest(stopped, listed, set(articles.ids))
        if target is None or not articles.select_article(target):
            return
        articles.open_id = None
        self._show(target, opened=False)


def _nearest(wanted: int | None, order: Sequence[int], present: set[int]) -> int | None:
    """`wanted` when present, else the first present one after it in `order`, else the
    last present one before it."""
    if wanted is None or wanted in present:
        return wanted
    if wanted not in order:
        return None
    at = order.index(wanted)
    after = [i for i in order[at:] if i in present]
    before = [i for i in order[:at] if i in present]
    return after[0] if after else (before[-1] if before else None)
