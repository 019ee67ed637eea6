"""The state the main screen shares with its action mixins: the library, the view on
show, and how the panes are re-read after something changed.

The main screen is split by concern: this base (state and syncing), `decisions.py`
(triage keys and undo), `refreshing.py` (refresh, page prefetch, auto-refresh) and
`main.py` (composition, views, search, messages from the widgets).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import Literal

from textual.screen import Screen
from textual.timer import Timer

from ...config import Config
from ...errors import ReaderTermError
from ...library import Library, Overview
from ...models import ArticleFilter, Feed
from ...text.safe import clean_line
from ..views import PaneEntry, build_entries, view_filter
from ..widgets.article_list import ArticleList
from ..widgets.feed_list import FeedList
from ..widgets.reader import ReaderPane
from ..widgets.status_line import StatusLine

SortOrder = Literal["date", "feed"]


class LibraryScreen(Screen[None]):
    """State and syncing; subclasses add the actions."""

    def __init__(self, library: Library, config: Config, *, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.library = library
        self.config = config
        self.now = now
        self.feeds: list[Feed] = []
        self.entry_key = "all"
        """The feed pane entry on show (a view, `search:NAME`, `tag:NAME`, `feed:ID`)."""
        self.base_view = ArticleFilter()
        """The filter of that entry."""
        self.sort: SortOrder = "date"
        self.show_hidden = False
        """Whether dismissed and filtered articles are listed too."""
        self.search_view: ArticleFilter | None = None
        """While a search is on show, its filter (it replaces the entry's)."""
        self.refreshing = False
        self.page_progress: tuple[int, int] | None = None
        """(done, total) while article pages are fetched in the background."""
        self._progress = (0, 0)
        self._ids_stale = False
        self._sync_timer: Timer | None = None
        self._total_unread: int | None = None
        """The unread count of the last sync (the status line shows it on every change)."""
        self.sync_note = self.sync_status_note()
        """How the last sync with the server went, for the status line ("" without sync)."""

    # -- widgets ------------------------------------------------------------------------

    @property
    def feed_list(self) -> FeedList:
        return self.query_one(FeedList)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> ReaderPane:
        return self.query_one(ReaderPane)

    # -- the view -----------------------------------------------------------------------

    @property
    def view(self) -> ArticleFilter:
        """What the article list shows now: the search, else the entry, with the sort
        order and the hidden switch applied."""
        if self.search_view is not None:
            return replace(self.search_view, show_hidden=self.show_hidden)
        return replace(self.base_view, sort=self.sort, show_hidden=self.show_hidden)

    def reload_ids(self, *, keep: int | None = None, top: bool = False) -> None:
        """Re-run the view's query; the cursor stays on `keep` (default: the article it
        is on), or goes to the first row when `top`."""
        self.show_ids(self.library.reading.query(self.view), keep=keep, top=top)

    def show_ids(self, ids: list[int], *, keep: int | None = None, top: bool = False) -> None:
        articles = self.article_list
        keep = None if top else (articles.highlighted_id if keep is None else keep)
        articles.forget_rows()
        articles.show_feed = self.view.feed_id is None
        articles.show_ids(ids, keep=keep)
        self.show_status()

    def today_unread_view(self) -> ArticleFilter:
        return replace(view_filter("today", self.now()), unread=True)

    def sync_from_library(self, *, ids: bool) -> None:
        """Re-read feeds and counts, and the article ids too when `ids` (keeping the
        cursor on its article)."""
        self._stop_sync_timer()
        reload = ids or self._ids_stale
        self.apply_overview(
            self.library.reading.overview(self.today_unread_view(), self.view if reload else None)
        )

    def start_sync_off_loop(self) -> None:
        """`sync_off_loop` now, in a worker (a newer one replaces one still reading)."""
        self._stop_sync_timer()
        self.run_worker(self.sync_off_loop(), group="sync", exclusive=True)

    def _stop_sync_timer(self) -> None:
        if self._sync_timer is not None:
            self._sync_timer.stop()
            self._sync_timer = None

    async def sync_off_loop(self) -> None:
        """`sync_from_library` with the reading done on the library's writer thread: while
        a refresh streams in, re-reading 100,000 ids on the event loop would stall it."""
        view = self.view
        overview = await self.library.reading.overview_off_loop(
            self.today_unread_view(), view if self._ids_stale else None
        )
        if view != self.view:  # the list changed meanwhile: these ids are not its own
            overview = replace(overview, ids=None)
        self.apply_overview(overview)

    def apply_overview(self, overview: Overview) -> None:
        self.feeds = overview.feeds
        self._total_unread = overview.total_unread
        counts = {
            "all": overview.total_unread,
            "unread": overview.total_unread,
            "today": overview.today_unread,
        }
        self.feed_list.show_entries(build_entries(self.feeds, self.config.searches, counts))
        if overview.ids is not None:
            self._ids_stale = False
            self.show_ids(overview.ids)
        self.show_status()

    def rows_changed(self, ids: Iterable[int], *, removed: bool = False) -> None:
        """Articles changed state in the store: redraw their rows (or take them out of
        the list) and put every count right."""
        ids = list(ids)
        self.article_list.forget_rows(ids)
        if removed:
            self.article_list.remove_ids(ids)
        self.start_sync_off_loop()

    def schedule_sync(self, delay: float) -> None:
        if self._sync_timer is None:
            self._sync_timer = self.set_timer(delay, self._timed_sync)

    def _timed_sync(self) -> None:
        self._sync_timer = None
        self.start_sync_off_loop()

    def selected_feed(self) -> Feed | None:
        return next((feed for feed in self.feeds if feed.id == self.base_view.feed_id), None)

    def selected_entry(self) -> PaneEntry | None:
        index = self.feed_list.index_of(self.entry_key)
        return None if index is None else self.feed_list.entries[index]

    # -- the status line ----------------------------------------------------------------

    def sync_status_note(self) -> str:
        if not self.library.syncing.enabled:
            return ""
        status = self.library.syncing.status()
        if status is None or status.last_attempt is None:
            return "not synced yet (R syncs)"
        when = status.last_attempt.astimezone().strftime("%H:%M")
        return f"sync failed {when}" if status.last_error else f"synced {when}"

    def show_status(self) -> None:
        status = self.query_one(StatusLine)
        feed = self.selected_feed() if self.search_view is None else None
        if feed is not None and feed.error:
            name = clean_line(feed.title) or clean_line(feed.url)
            status.show_message(f"! {name}: {clean_line(feed.error)}", error=True)
        elif self.library.offline:
            status.show_message("Offline: reading the cache")
        else:
            status.show_message("")
        progress = []
        if self.refreshing:
            done, total = self._progress
            progress.append(f"Refreshing {done}/{total}" if total else f"Refreshing {done}")
        if self.page_progress is not None:
            done, total = self.page_progress
            progress.append(f"Pages {done}/{total} (x stops)")
        status.show_progress(" · ".join(progress))
        notes = []
        if self.sort == "feed":
            notes.append("by feed")
        if self.show_hidden:
            notes.append("hidden shown")
        if self.sync_note:
            notes.append(self.sync_note)
        if feed is not None:
            unread = feed.unread
        elif self._total_unread is not None:
            unread = self._total_unread
        else:
            unread = self._total_unread = self.library.subscriptions.total_unread()
        counts = f"{unread} unread · {self.article_list.row_count} articles"
        status.show_counts(" · ".join([*notes, counts]))

    # -- what an action applies to ------------------------------------------------------

    def target_id(self) -> int | None:
        """The article an action applies to: the open one when the reader has focus,
        else the one under the list cursor."""
        focused = self.focused
        if focused is not None and self.reader in focused.ancestors_with_self:
            return self.reader.article.id if self.reader.article else None
        return self.article_list.highlighted_id

    def open_article(self, article_id: int) -> None:
        """Show an article in the reader and mark it read in the store at once; its HTML
        becomes markdown and key points on a thread (`Reading.open_article`)."""
        rows = self.library.reading.article_rows([article_id])
        if not rows:
            self.notify(f"No article with id {article_id}.", severity="error", markup=False)
            return
        articles = self.article_list
        articles.open_id = article_id
        if not rows[0].read:
            self.library.reading.set_read(article_id, True)
            self.rows_changed([article_id])
        else:
            articles.refresh()
        self.run_worker(self._show_opened(article_id), group="open", exclusive=True)

    async def _show_opened(self, article_id: int) -> None:
        try:
            article = await self.library.reading.open_article(article_id)
        except ReaderTermError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if self.article_list.open_id == article_id:  # not replaced by another meanwhile
            self.reader.show_article(article)

    def reload_reader(self, article_id: int | None = None) -> None:
        """Show the open article again as stored (after its text or tags changed)."""
        article = self.reader.article
        if article is None or (article_id is not None and article.id != article_id):
            return
        self.run_worker(self._show_again(article.id), group="open", exclusive=True)

    async def _show_again(self, article_id: int) -> None:
        try:
            article = await self.library.reading.open_article(article_id)
        except ReaderTermError:  # removed meanwhile
            self.reader.show_article(None)
            return
        shown = self.reader.article
        if shown is not None and shown.id == article_id:
            self.reader.show_article(article)
