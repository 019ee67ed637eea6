"""The main screen's lists, re-read from the library: the article ids of the view on show
(the cursor kept on its article), the feed pane's entries and every count. After a
decision or during a refresh the reading runs on the library's writer thread."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.timer import Timer

from ...library import Overview
from ...library.reading import Reading
from ...library.syncing import Syncing
from ..run_async import run_async
from ..views import build_entries, counted_views, empty_text
from .parts import plain_title
from .unread import NOTHING_UNREAD

if TYPE_CHECKING:
    from .main import MainScreen


class Listing:
    def __init__(
        self, reading: Reading, syncing: Syncing, screen: MainScreen, *, offline: bool
    ) -> None:
        self._reading = reading
        self._syncing = syncing
        self._screen = screen
        self._offline = offline
        self._timer: Timer | None = None
        """A re-read waiting to run (see `schedule_sync`)."""

    def reload_ids(
        self, *, keep: int | None = None, top: bool = False, reveal: bool = False
    ) -> None:
        """Re-run the view's query; the cursor stays on `keep` (default: the article it
        is on), or goes to the first row when `top`; `reveal` as ArticleList.show_ids."""
        self.show_ids(self._reading.query(self._screen.view), keep=keep, top=top, reveal=reveal)

    def show_ids(
        self, ids: list[int], *, keep: int | None = None, top: bool = False, reveal: bool = False
    ) -> None:
        articles = self._screen.article_list
        keep = None if top else (articles.highlighted_id if keep is None else keep)
        articles.forget_rows()
        articles.show_feed = self._screen.view.feed_id is None
        if not ids:  # (what an empty list says: only worked out when it is empty)
            entry = self._screen.selected_entry()
            articles.empty_text = empty_text(
                self._screen.view,
                searching=self._screen.search_view is not None,
                has_feeds=bool(self._screen.feeds),
                has_stories=any(feed.total for feed in self._screen.feeds),
                kind=entry.kind if entry is not None else "view",
                key=self._screen.key_for,
                offline=self._offline,
                syncing=self._syncing.enabled,
            )
        articles.show_ids(ids, keep=keep, reveal=reveal)
        self._screen.show_status()

    def sync_from_library(self, *, ids: bool) -> None:
        """Re-read feeds and counts, and the article ids too when `ids` (keeping the
        cursor on its article)."""
        self._stop_timer()
        reload = ids or self._screen.ids_stale
        self.apply_overview(
            self._reading.overview(
                counted_views(self._screen.now()), self._screen.view if reload else None
            )
        )

    def start_sync_off_loop(self) -> None:
        """`sync_off_loop` now, in a worker (a newer one replaces one still reading)."""
        self._stop_timer()
        run_async(self._screen, self.sync_off_loop, group="sync", exclusive=True)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def sync_off_loop(self) -> None:
        """`sync_from_library` with the reading done on the library's writer thread: while
        a refresh streams in, re-reading 100,000 ids on the event loop would stall it."""
        view = self._screen.view
        overview = await self._reading.overview_off_loop(
            counted_views(self._screen.now()), view if self._screen.ids_stale else None
        )
        if view != self._screen.view:  # the list changed meanwhile: these ids are not its own
            overview = replace(overview, ids=None)
        self.apply_overview(overview)

    def apply_overview(self, overview: Overview) -> None:
        self._screen.feeds = overview.feeds
        self._screen._total_unread = overview.total_unread
        total = overview.total_unread
        counts = {"all": total, "unread": total, **overview.view_unread}
        feed_list = self._screen.feed_list
        feed_list.show_entries(
            build_entries(
                self._screen.feeds, self._screen.config.searches, counts, overview.story_tags
            )
        )
        index = feed_list.index_of(self._screen.entry_key)
        if index is not None and self._screen.search_view is None:
            # (A feed's title can change: a refresh names a feed first shown by its URL.)
            self._screen.article_list.border_title = plain_title(feed_list.entries[index].title)
        if overview.ids is not None:
            self._screen.ids_stale = False
            self.show_ids(overview.ids)
        else:  # (rows drawn again from the store: another reader may have marked them)
            self._screen.article_list.forget_rows()
        self._show_reader_state()  # (a sync, or another reader, may have marked it too)
        self._screen.show_status()

    def rows_changed(self, ids: Iterable[int], *, removed: bool = False) -> None:
        """Articles changed state in the store: redraw their rows (or take them out of
        the list) and put every count right."""
        ids = list(ids)
        self.forget_rows(ids)
        if removed:
            self._screen.article_list.remove_ids(ids)
        if not self._screen.article_list.row_count:
            # An empty list acted on the story on screen ("l puts a story there"): it may
            # belong to the list now. (A list with rows keeps them where they are.)
            self._screen.ids_stale = True
        self.start_sync_off_loop()

    def forget_rows(self, ids: list[int]) -> None:
        """These articles' state changed: the list draws their rows from the store again,
        and the reader's header shows the new state when it shows one of them."""
        self._screen.article_list.forget_rows(ids)
        shown = self._screen.reader.article
        if shown is not None and shown.id in ids:
            self._show_reader_state()
        if self._screen.unread_note == NOTHING_UNREAD:  # (it may no longer hold; where n
            self._screen.unread_note = ""  # went, "On to Science", still does)

    def _show_reader_state(self) -> None:
        """The reader's header shows its story's marks as stored."""
        shown = self._screen.reader.article
        if shown is not None:
            for row in self._reading.article_rows([shown.id]):  # one row, by its key
                self._screen.reader.show_state(row)

    def schedule_sync(self, delay: float) -> None:
        if self._timer is None:
            self._timer = self._screen.set_timer(delay, self._timed)

    def _timed(self) -> None:
        self._timer = None
        self.start_sync_off_loop()
