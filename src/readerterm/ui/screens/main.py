"""The main screen: feed pane, article list and reader, with a search box on demand.
It holds the state (the view on show, the open article), calls the library, and passes
results down to the widgets, which only post messages up. The actions live in mixins:
`decisions.py` (triage keys) and `refreshing.py` (background work)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.content import Content
from textual.widgets import Footer

from ...models import ArticleFilter
from ...text.safe import clean_line
from ..keys import bindings
from ..views import entry_filter
from ..widgets.article_list import ArticleList
from ..widgets.feed_list import FeedList
from ..widgets.reader import ReaderPane
from ..widgets.search_bar import SearchBar
from ..widgets.status_line import StatusLine
from .decisions import DecisionsMixin
from .refreshing import RefreshMixin
from .triage import TriageScreen

if TYPE_CHECKING:
    from textual.widgets import Markdown

WIDE_COLUMNS = 170
"""From this width the three panes sit side by side; below it the reader goes under."""
NARROW_COLUMNS = 120
"""Below this width the key points go above the body instead of beside it."""
SEARCH_DEBOUNCE = 0.05
"""Seconds to wait for the next keystroke before searching."""


def plain_title(text: str) -> Content:
    """A border title shown as it is: Textual reads a str border title as markup, and feed
    titles and search words are not markup."""
    return Content(clean_line(text))


class MainScreen(DecisionsMixin, RefreshMixin):
    """Three panes over one SQLite-backed library."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("main"))

    _before_search: int | None = None
    """The article highlighted when a search began (put back when it closes)."""
    """The cursor's article and the list title before the search box opened."""

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
        self.feed_list.border_title = "Feeds"
        self.article_list.border_title = "All articles"
        self._arrange(self.app.size.width)
        self.sync_from_library(ids=True)
        self.article_list.focus()
        self.start_auto_refresh()

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
            self._close_search(restore=False)
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
        self.open_url(message.href)

    def action_read_on(self) -> None:
        """Space: open the highlighted article, else page its body, else the next unread."""
        articles = self.article_list
        highlighted = articles.highlighted_id
        in_list = self.focused is articles
        if in_list and highlighted is not None and highlighted != articles.open_id:
            self.open_article(highlighted)
        elif self.reader.article is None or not self.reader.page_down():
            self.action_next_unread()

    def action_zoom(self) -> None:
        """Give the reader the whole screen (or restore the panes)."""
        if self.maximized is not None:
            self.minimize()
        else:
            self.maximize(self.reader, container=False)
            self.reader.body.focus()

    # -- triage mode --------------------------------------------------------------------

    def action_triage(self) -> None:
        ids = self.library.reading.query(replace(self.view, unread=True))
        if not ids:
            self.notify("No unread stories in this view.")
            return

        def finished(decided: int | None) -> None:
            self.sync_from_library(ids=True)
            if decided:
                self.notify(f"Triage: {decided} stories decided.")

        self.app.push_screen(
            TriageScreen(
                self.library,
                ids,
                now=self.now,
                open_url=self.open_url,
                title=self.article_list.border_title or "",
            ),
            callback=finished,
        )

    # -- search -------------------------------------------------------------------------

    def action_search(self) -> None:
        bar = self.search_bar
        if not bar.is_open:
            self._before_search = self.article_list.highlighted_id
        bar.open()

    @on(SearchBar.Changed)
    def search_as_typed(self, message: SearchBar.Changed) -> None:
        if self.search_bar.is_open:
            self.run_search(message.text)

    @work(exclusive=True, group="search")
    async def run_search(self, text: str) -> None:
        """Debounced: a newer keystroke cancels this worker while it waits."""
        await asyncio.sleep(SEARCH_DEBOUNCE)
        self.show_search(text)

    def show_search(self, text: str) -> None:
        """Run a search now and show its results (rank order) and problems."""
        bar = self.search_bar
        if not text.strip():
            bar.show_problems(())
            if self.search_view is not None:
                self.search_view = None
                self.reload_ids()
            return
        parsed = self.library.reading.search(text, base=ArticleFilter(sort="rank"))
        view = parsed.view
        if not view.words.strip():
            view = replace(view, sort=self.sort)
        self.search_view = view
        self.article_list.border_title = plain_title(f"Search: {text.strip()}")
        self.reload_ids(top=True)
        problems = list(parsed.problems)
        if view.words.strip() and (waiting := self.library.reading.search_pending()):
            # The store indexed a short queue before searching; a long one (a big refresh
            # just now) is being indexed in the background.
            problems.append(
                f"{waiting:,} stories just fetched are still being indexed for search"
                " (indexing runs once a refresh is over); search again then to include them."
            )
        bar.show_problems(problems)

    @on(SearchBar.Submitted)
    def go_to_results(self, message: SearchBar.Submitted) -> None:
        self.workers.cancel_group(self, "search")
        self.show_search(message.text)
        self.article_list.focus()

    @on(SearchBar.Closed)
    def close_search(self) -> None:
        self._close_search(restore=True)

    def action_close_search(self) -> None:
        if self.search_view is not None or self.search_bar.is_open:
            self._close_search(restore=True)

    def _close_search(self, *, restore: bool) -> None:
        self.workers.cancel_group(self, "search")
        self.search_bar.close()
        keep, self._before_search = self._before_search, None
        if self.search_view is None and not restore:
            return
        self.search_view = None
        if restore:
            entry = self.selected_entry()
            self.article_list.border_title = plain_title(entry.title if entry else "Articles")
            self.reload_ids(keep=keep)
            self.article_list.focus()
