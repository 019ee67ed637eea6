"""The main screen: feed pane, article list and reader, with a search box on demand.

It owns the state (the feeds, the entry on show, the sort, the hidden switch, a search's
view, refresh and page progress) and the panes: it re-reads them from the library after a
change and writes the status line. What the keys do lives in three parts it makes, each
given the library service it uses and this screen: `Decisions` (decisions.py: triage,
links, tags), `Background` (refreshing.py: refresh, sync, pages, adding a feed) and
`Search` (search.py). Widgets only post messages; the handlers here pass them on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer
from textual.worker import Worker

from ...config import Config
from ...library import Library, Overview
from ...models import ArticleFilter, Feed
from ..keys import KEYS, bindings
from ..messages import FeedRefreshed, PagesFetched, RefreshFinished, RefreshStarted, SyncFinished
from ..views import PaneEntry, build_entries, empty_text, entry_filter, view_filter
from ..widgets.article_list import ArticleList
from ..widgets.feed_list import FeedList
from ..widgets.reader import ReaderPane
from ..widgets.search_bar import SearchBar
from ..widgets.status_line import StatusLine
from .background import Background
from .decisions import Decisions
from .opening import Opening
from .parts import plain_title
from .search import Search
from .status import Status

if TYPE_CHECKING:
    from textual.widgets import Markdown

WIDE_COLUMNS = 170
"""From this width the three panes sit side by side; below it the reader goes under."""
NARROW_COLUMNS = 120
"""Below this width the key points go above the body instead of beside it."""

SortOrder = Literal["date", "feed"]


class MainScreen(Screen[None]):
    """Three panes over one SQLite-backed library."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("main"))

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
        self.refresh_progress = (0, 0)
        """(done, total) of the refresh under way."""
        self.ids_stale = False
        """The list's ids may be out of date (a refresh changed stories): re-read them
        with the next counts."""
        self._sync_timer: Timer | None = None
        self._total_unread: int | None = None
        """The unread count of the last sync (the status line shows it on every change)."""
        self.sync_note = ""
        """How the last sync with the server went, for the status line ("" without sync)."""
        self.decisions = Decisions(library.reading, self)
        self.background = Background(library, self)
        self.searching = Search(library.reading, self)
        self.opening = Opening(library.reading, self)
        self.status = Status(library, self)

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
        articles.empty_text = empty_text(
            self.view,
            searching=self.search_view is not None,
            has_feeds=bool(self.feeds),
            key=self.key_for,
        )
        articles.show_ids(ids, keep=keep)
        self.show_status()

    def today_unread_view(self) -> ArticleFilter:
        return replace(view_filter("today", self.now()), unread=True)

    def sync_from_library(self, *, ids: bool) -> None:
        """Re-read feeds and counts, and the article ids too when `ids` (keeping the
        cursor on its article)."""
        self._stop_sync_timer()
        reload = ids or self.ids_stale
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
            self.today_unread_view(), view if self.ids_stale else None
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
            self.ids_stale = False
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

    # -- what an action applies to ------------------------------------------------------

    def target_id(self) -> int | None:
        """The article an action applies to: the open one when the reader has focus,
        else the one under the list cursor."""
        focused = self.focused
        if focused is not None and self.reader in focused.ancestors_with_self:
            return self.reader.article.id if self.reader.article else None
        return self.article_list.highlighted_id

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        with Container(id="panes"):
            yield FeedList(id="feeds")
            yield ArticleList(self.library.reading.article_rows, self.now, id="articles")
            yield ReaderPane(id="reader")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.sync_note = self.status.sync_note_now()
        self.feed_list.border_title = "Feeds"
        self.article_list.border_title = "All articles"
        self._arrange(self.app.size.width)
        self.sync_from_library(ids=True)
        self.article_list.focus()
        self.background.start_auto_refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._arrange(event.size.width)

    def _arrange(self, width: int) -> None:
        self.query_one("#panes").set_class(width >= WIDE_COLUMNS, "-wide")
        self.reader.set_stacked(width < NARROW_COLUMNS)

    # -- choosing what the list shows ---------------------------------------------------

    def show_entry(self, key: str) -> None:
        """Show the feed pane entry `key` (a view, search, tag or feed)."""
        index = self.feed_list.index_of(key)
        if index is None:
            return
        entry = self.feed_list.entries[index]
        view, problems = entry_filter(entry, self.config.searches, self.now())
        if self.search_view is not None:
            self.searching.close(restore=False)
        self.entry_key = key
        self.base_view = view
        self.article_list.border_title = plain_title(entry.title)
        self.reload_ids(top=True)
        if problems:
            self.notify("\n".join(problems), title="Saved search", severity="warning", markup=False)

    def action_view(self, name: str) -> None:
        """Keys 1-5: all, unread, starred, later, today."""
        self.feed_list.select_key(name)

    def action_toggle_sort(self) -> None:
        self.sort = "feed" if self.sort == "date" else "date"
        self.reload_ids()
        self.notify(f"Sorted by {self.sort}.")

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self.reload_ids()
        shown = "shown" if self.show_hidden else "hidden"
        self.notify(f"Dismissed and filtered articles are {shown}.")

    @on(FeedList.Selected)
    def show_selected_entry(self, message: FeedList.Selected) -> None:
        self.show_entry(message.entry.key)

    @on(FeedList.Chosen)
    def go_to_articles(self, message: FeedList.Chosen) -> None:
        if message.entry.key != self.entry_key or self.search_view is not None:
            self.show_entry(message.entry.key)
        self.article_list.focus()

    # -- reading ------------------------------------------------------------------------

    @on(ArticleList.Opened)
    def open_chosen_article(self, message: ArticleList.Opened) -> None:
        self.open_article(message.article_id)

    def on_markdown_link_clicked(self, message: Markdown.LinkClicked) -> None:
        """A link in the body (by handler name: `@on` would import Markdown at start)."""
        message.stop()
        self.decisions.open_url(message.href)

    def action_zoom(self) -> None:
        """Give the reader the whole screen (or restore the panes)."""
        if self.maximized is not None:
            self.minimize()
        else:
            self.maximize(self.reader, container=False)
            self.reader.body.focus()

    def key_for(self, action: str) -> str:
        """The key bound to `action` on this screen now (after the user's keymap)."""
        for active in self.app.active_bindings.values():
            if active.binding.action == action:
                return self.app.get_key_display(active.binding)
        # Not live right now (another binding of its key takes precedence): its default.
        spec = next((spec for spec in KEYS if spec.action == action), None)
        return (spec.key_display or spec.key.split(",")[0]) if spec else "?"

    # -- keys whose work the parts do ---------------------------------------------------

    def action_read_on(self) -> None:
        self.opening.read_on()

    def action_triage(self) -> None:
        self.opening.triage()

    def open_article(self, article_id: int) -> None:
        self.opening.open_article(article_id)

    def reload_reader(self, article_id: int | None = None) -> None:
        self.opening.reload_reader(article_id)

    def show_status(self) -> None:
        self.status.show()

    def sync_status_note(self) -> str:
        return self.status.sync_note_now()

    def action_toggle_read(self) -> None:
        self.decisions.toggle_read()

    def action_toggle_star(self) -> None:
        self.decisions.toggle_star()

    def action_toggle_later(self) -> None:
        self.decisions.toggle_later()

    def action_dismiss_article(self) -> None:
        self.decisions.dismiss_article()

    def action_mark_above_read(self) -> None:
        self.decisions.mark_above_read()

    def action_mark_all_read(self) -> None:
        self.decisions.mark_all_read()

    def action_undo(self) -> None:
        self.decisions.undo()

    def action_next_unread(self) -> None:
        self.decisions.next_unread()

    def action_previous_unread(self) -> None:
        self.decisions.previous_unread()

    def action_open_link(self) -> bool:
        return self.decisions.open_link()

    def action_open_link_and_read(self) -> None:
        self.decisions.open_link_and_read()

    def action_copy_link(self) -> None:
        self.decisions.copy_link()

    def action_tag_article(self) -> None:
        self.decisions.tag_article()

    def action_refresh_feed(self) -> None:
        self.background.refresh_feed()

    def action_refresh_all(self) -> None:
        self.background.refresh_all()

    def action_stop_pages(self) -> None:
        self.background.stop_pages()

    def action_re_extract(self) -> None:
        self.background.re_extract()

    def action_add_feed(self) -> None:
        self.background.add_feed()

    def action_search(self) -> None:
        self.searching.open()

    def action_close_search(self) -> None:
        self.searching.close_if_open()

    def start_refresh(self, feed_ids: list[int] | None, *, quiet: bool = False) -> None:
        self.background.start_refresh(feed_ids, quiet=quiet)

    def _refresh_on_timer(self) -> None:
        self.background.refresh_on_timer()

    # -- messages for the parts -----------------------------------------------------------

    @on(SearchBar.Changed)
    def search_as_typed(self, message: SearchBar.Changed) -> None:
        self.searching.as_typed(message.text)

    @on(SearchBar.Submitted)
    def go_to_results(self, message: SearchBar.Submitted) -> None:
        self.searching.submitted(message.text)

    @on(SearchBar.Closed)
    def close_search(self) -> None:
        self.searching.close(restore=True)

    @on(RefreshStarted)
    def show_refresh_started(self, message: RefreshStarted) -> None:
        self.background.show_refresh_started(message)

    @on(FeedRefreshed)
    def apply_feed_result(self, message: FeedRefreshed) -> None:
        self.background.apply_feed_result(message)

    @on(RefreshFinished)
    def show_refresh_summary(self, message: RefreshFinished) -> None:
        self.background.show_refresh_summary(message)

    @on(SyncFinished)
    def show_sync_summary(self, message: SyncFinished) -> None:
        self.background.show_sync_summary(message)

    @on(PagesFetched)
    def show_fetched_page(self, message: PagesFetched) -> None:
        self.background.show_fetched_page(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.background.worker_state_changed(event)
