"""The main screen: feed pane, article list and reader, with a search box on demand.

It owns the state (the feeds, the entry on show, the sort, the hidden switch, a search's
view, refresh and page progress) and the panes: it re-reads them from the library after a
change and writes the status line. What the keys do lives in parts it makes, each
given the library service it uses and this screen: `Decisions` (decisions.py: triage,
links, tags), `UnreadMoves` (unread.py: n and p), `Background` (background.py: refresh,
sync, pages, adding a feed), `Search` (search.py), `Opening` (opening.py), `Status`
(status.py), `Listing` (listing.py: re-reading the lists and counts), `Reconfigure`
(reconfigure.py: a config read again) and `PaneLayout` (layout.py: panes, zoom).
Widgets only post messages; the handlers here pass them on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.widget import Widget
from textual.worker import Worker

from ...config import Config
from ...library import Library
from ...models import ArticleFilter, Feed
from ..key_lookup import key_for
from ..keys import bindings, key_may_run
from ..messages import FeedRefreshed, PagesFetched, RefreshFinished, RefreshStarted, SyncFinished
from ..views import PaneEntry, entry_filter
from ..widgets.article_list import ArticleList
from ..widgets.feed_list import FeedList
from ..widgets.key_footer import KeyFooter
from ..widgets.reader import ReaderBody, ReaderPane
from ..widgets.search_bar import SearchBar
from ..widgets.status_line import StatusLine
from .background import Background
from .decisions import Decisions
from .layout import PaneLayout
from .listing import Listing
from .opening import Opening
from .parts import ScreenWithKeys, plain_title
from .reconfigure import Reconfigure
from .search import Search
from .status import Status
from .unread import UnreadMoves

if TYPE_CHECKING:
    from textual.widgets import Markdown

SortOrder = Literal["date", "feed"]


class MainScreen(ScreenWithKeys[None]):
    """Three panes over one SQLite-backed library."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("main"))
    ALLOW_IN_MAXIMIZED_VIEW: ClassVar[str | None] = "KeyFooter, StatusLine"
    """The zoomed reader keeps the status line (n's notes) and the keys."""

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
        self._total_unread: int | None = None
        """The unread count of the last sync (the status line shows it on every change)."""
        self.sync_note = ""
        """How the last sync with the server went, for the status line ("" without sync)."""
        self.unread_note = ""
        """What the last n or p did beyond the list (on to the next feed), for the status
        line until the next move."""
        self.listing = Listing(library.reading, library.syncing, self, offline=library.offline)
        self.decisions = Decisions(library.reading, self)
        self.unread = UnreadMoves(library.reading, self)
        self.pane_layout = PaneLayout(self)
        self.background = Background(library, self)
        self.searching = Search(library.reading, self)
        self.opening = Opening(library.reading, self)
        self.status = Status(library, self)
        self.reconfigure = Reconfigure(library, self)

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

    def selected_feed(self) -> Feed | None:
        return next((feed for feed in self.feeds if feed.id == self.base_view.feed_id), None)

    def selected_entry(self) -> PaneEntry | None:
        index = self.feed_list.index_of(self.entry_key)
        return None if index is None else self.feed_list.entries[index]

    # -- what an action applies to ------------------------------------------------------

    def reader_has_focus(self) -> bool:
        focused = self.focused
        return focused is not None and self.reader in focused.ancestors_with_self

    def target_id(self) -> int | None:
        """The article an action applies to: the open one when the reader has focus or the
        list is empty (the story on screen), else the one under the list cursor."""
        if self.reader_has_focus() or not self.article_list.row_count:
            return self.reader.article_id
        return self.article_list.highlighted_id

    def target_note(self) -> str:
        """The footer's word on what m, s, l, d, e ... act on now (nothing while they type
        into the search box)."""
        focused = self.focused
        if focused is not None and self.search_bar in focused.ancestors_with_self:
            return ""
        if self.reader_has_focus() or not self.article_list.row_count:
            return "Story:" if self.reader.article is not None else ""
        in_lists = self.focused in (self.article_list, self.feed_list)
        return "Row:" if in_lists else ""

    def compose(self) -> ComposeResult:
        yield SearchBar(id="search")
        with Container(id="panes"):
            yield FeedList(id="feeds")
            yield ArticleList(self.library.reading.article_rows, self.now, id="articles")
            yield ReaderPane(id="reader")
        yield StatusLine(id="status")
        yield KeyFooter(self.target_note)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    def on_mount(self) -> None:
        self.sync_note = self.status.sync_note_now()
        self.feed_list.border_title = "Feeds"
        self.article_list.border_title = "All articles"
        self.pane_layout.arrange(self.app.size)
        self.listing.sync_from_library(ids=True)
        self.article_list.focus()
        self.background.start_auto_refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.pane_layout.arrange(event.size)

    def watch_maximized(self, maximized: Widget | None) -> None:
        self.pane_layout.zoom_changed(maximized)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search" and self.search_bar.input.has_focus:
            return False  # (its key types into the box: the footer must not offer it)
        return key_may_run(self.app, ("main",), action, parameters)

    def apply_config(self, config: Config, changed: Sequence[str] = ()) -> None:
        """The config was read again (see reconfigure.py); says what `changed`."""
        self.reconfigure.apply(config, changed)

    # -- choosing what the list shows ---------------------------------------------------

    def show_entry(self, key: str) -> None:
        """Show the feed pane entry `key` (a view, search, tag or feed)."""
        index = self.feed_list.index_of(key)
        if index is None:
            return
        entry = self.feed_list.entries[index]
        view, problems = entry_filter(entry, self.config.searches, self.now())
        same = key == self.entry_key and self.search_view is None
        if self.search_view is not None:
            self.searching.close(restore=False)
        self.unread_note = ""
        self.entry_key = key
        self.base_view = view
        self.article_list.border_title = plain_title(entry.title)
        # In another list the cursor goes to the story being read when the list holds it
        # (a triage key acts on the row), else to the top; the same list chosen again
        # keeps it where it is.
        keep = self.article_list.highlighted_id if same else self.reader.article_id
        self.listing.reload_ids(keep=keep, top=keep is None)  # (not listed: the top)
        if problems:
            self.notify("\n".join(problems), title="Saved search", severity="warning", markup=False)

    def action_view(self, name: str) -> None:
        """Keys 1-5: all, unread, starred, later, today."""
        self.feed_list.select_key(name)

    def action_toggle_sort(self) -> None:
        self.sort = "feed" if self.sort == "date" else "date"
        self.listing.reload_ids()
        self.status.say(f"Sorted by {self.sort}.")

    def action_toggle_hidden(self) -> None:
        self.show_hidden = not self.show_hidden
        self.listing.reload_ids(reveal=self.show_hidden)
        shown = "shown" if self.show_hidden else "hidden"
        self.status.say(f"Dismissed and filtered articles are {shown}.")

    @on(FeedList.Selected)
    def show_selected_entry(self, message: FeedList.Selected) -> None:
        self.show_entry(message.entry.key)

    @on(FeedList.Chosen)
    def go_to_articles(self, message: FeedList.Chosen) -> None:
        if message.entry.key != self.entry_key or self.search_view is not None:
            self.show_entry(message.entry.key)
        self.article_list.focus()

    @on(ArticleList.Back)
    @on(ReaderBody.Back)
    def go_back(self, message: ArticleList.Back | ReaderBody.Back) -> None:
        self.pane_layout.go_back(from_reader=isinstance(message, ReaderBody.Back))

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
        self.pane_layout.toggle_zoom()

    def key_for(self, action: str) -> str:
        """The key bound to `action` now, on the screen on top (see key_lookup)."""
        return key_for(self.app, action)

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
        self.unread.next_unread()

    def action_previous_unread(self) -> None:
        self.unread.previous_unread()

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
        zoomed = self.maximized is not None
        if zoomed:
            self.minimize()  # the box and its results show with the lists, not the reader
        self.searching.open(from_zoom=zoomed)

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
