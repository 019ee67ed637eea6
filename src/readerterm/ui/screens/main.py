"""The main screen: feeds, articles and the reader. It holds the state (selected feed,
the article ids on show, the open article), calls the library, and passes results down
to the widgets, which only post messages up."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Markdown
from textual.worker import Worker, WorkerState

from ...config import Config
from ...errors import ReaderTermError, UsageError
from ...library import Library
from ...links import open_in_browser
from ...models import ArticleRow, Feed, RefreshResult, RefreshStatus
from ...text import clean_line
from ..messages import FeedRefreshed, RefreshFinished, RefreshStarted
from ..widgets.article_list import ArticleList
from ..widgets.feed_list import FeedList
from ..widgets.reader import ReaderPane
from ..widgets.status_line import StatusLine

WIDE_COLUMNS = 170
"""From this width the three panes sit side by side; below it the reader goes under."""
NARROW_COLUMNS = 120
"""Below this width the key points go above the body instead of beside it."""
SYNC_DELAY = 0.3
"""Seconds to gather refresh results before re-reading counts and ids."""


class MainScreen(Screen[None]):
    """Three panes over one SQLite-backed library."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space", "read_on", "Read on (open, page, next unread)", show=False, id="page-or-next"
        ),
        Binding("n", "next_unread", "Next unread", id="next-unread"),
        Binding("m", "toggle_read", "Read", id="toggle-read"),
        Binding("s", "toggle_star", "Star", id="toggle-star"),
        Binding("o", "open_link", "Open link", id="open-in-browser"),
        Binding("r", "refresh_feed", "Refresh", id="refresh"),
        Binding("R", "refresh_all", "Refresh all", show=False, id="refresh-all"),
        Binding("z", "zoom", "Zoom the reader", show=False, id="zoom-reader"),
    ]

    def __init__(self, library: Library, config: Config, *, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.library = library
        self.config = config
        self.now = now
        self.feed_id: int | None = None
        """The selected feed; None shows every feed's articles."""
        self.feeds: list[Feed] = []
        self.refreshing = False
        self._progress = (0, 0)
        self._ids_stale = False
        self._sync_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Container(id="panes"):
            yield FeedList(id="feeds")
            yield ArticleList(self.library.article_rows, self.now, id="articles")
            yield ReaderPane(id="reader")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def feed_list(self) -> FeedList:
        return self.query_one(FeedList)

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reader(self) -> ReaderPane:
        return self.query_one(ReaderPane)

    def on_mount(self) -> None:
        self.feed_list.border_title = "Feeds"
        self.article_list.border_title = "Articles"
        self._arrange(self.app.size.width)
        self.sync_from_library(ids=True)
        self.article_list.focus()

    def on_resize(self, event: events.Resize) -> None:
        self._arrange(event.size.width)

    def _arrange(self, width: int) -> None:
        self.query_one("#panes").set_class(width >= WIDE_COLUMNS, "-wide")
        self.reader.set_stacked(width < NARROW_COLUMNS)

    # -- reading the library ----------------------------------------------------------

    def sync_from_library(self, *, ids: bool) -> None:
        """Re-read feeds and counts, and the article ids too when `ids` (keeping the
        cursor on its article)."""
        if self._sync_timer is not None:
            self._sync_timer.stop()
            self._sync_timer = None
        self.feeds = self.library.feeds()
        self.feed_list.show_feeds(self.feeds, self.library.total_unread())
        if ids or self._ids_stale:
            self._ids_stale = False
            articles = self.article_list
            keep = articles.highlighted_id
            articles.forget_rows()
            articles.show_ids(self.library.article_ids(feed_id=self.feed_id), keep=keep)
        self._show_status()

    def _recount(self, feed_id: int) -> None:
        """Update one feed's counts after a read flag changed (cheaper than all feeds)."""
        try:
            changed = self.library.feed(feed_id)
        except ReaderTermError:
            self.sync_from_library(ids=False)
            return
        self.feeds = [changed if feed.id == feed_id else feed for feed in self.feeds]
        self.feed_list.show_feeds(self.feeds, self.library.total_unread())
        self._show_status()

    def _schedule_sync(self) -> None:
        if self._sync_timer is None:
            self._sync_timer = self.set_timer(SYNC_DELAY, self._timed_sync)

    def _timed_sync(self) -> None:
        self._sync_timer = None
        self.sync_from_library(ids=False)

    def _selected_feed(self) -> Feed | None:
        return next((feed for feed in self.feeds if feed.id == self.feed_id), None)

    def _show_status(self) -> None:
        status = self.query_one(StatusLine)
        feed = self._selected_feed()
        if feed is not None and feed.error:
            name = clean_line(feed.title) or clean_line(feed.url)
            status.show_message(f"! {name}: {clean_line(feed.error)}", error=True)
        elif self.library.offline:
            status.show_message("Offline: reading the cache")
        else:
            status.show_message("")
        done, total = self._progress
        status.show_progress(f"Refreshing {done}/{total}" if self.refreshing else "")
        unread = feed.unread if feed is not None else self.library.total_unread()
        status.show_counts(f"{unread} unread · {self.article_list.row_count} articles")

    # -- messages from the widgets ------------------------------------------------------

    @on(FeedList.Selected)
    def show_feed_articles(self, message: FeedList.Selected) -> None:
        self.feed_id = message.feed_id
        self.article_list.show_feed = message.feed_id is None
        self.article_list.show_ids(self.library.article_ids(feed_id=self.feed_id))
        self._show_status()

    @on(FeedList.Chosen)
    def go_to_articles(self) -> None:
        self.article_list.focus()

    @on(ArticleList.Opened)
    def open_chosen_article(self, message: ArticleList.Opened) -> None:
        self.open_article(message.article_id)

    @on(Markdown.LinkClicked)
    def open_body_link(self, message: Markdown.LinkClicked) -> None:
        message.stop()
        self._open_url(message.href)

    # -- actions ------------------------------------------------------------------------

    def open_article(self, article_id: int) -> None:
        """Show an article in the reader and mark it read in the store at once."""
        try:
            article = self.library.article(article_id)
        except ReaderTermError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        articles = self.article_list
        articles.open_id = article_id
        if not article.read:
            self.library.set_read(article_id, True)
            articles.update_row(article_id, read=True)
            self._recount(article.feed_id)
        else:
            articles.refresh()
        self.reader.show_article(article)

    def _target_id(self) -> int | None:
        """The article an action applies to: the open one when the reader has focus,
        else the one under the list cursor."""
        focused = self.focused
        if focused is not None and self.reader in focused.ancestors_with_self:
            return self.reader.article.id if self.reader.article else None
        return self.article_list.highlighted_id

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

    def action_next_unread(self) -> None:
        articles = self.article_list
        ids = articles.ids
        start = articles.cursor + 1 if ids else 0
        found = self.library.first_unread(ids[start:]) or self.library.first_unread(ids[:start])
        if found is None:
            self.notify("No unread articles here.", severity="information")
            return
        articles.select_article(found)
        self.open_article(found)

    def action_toggle_read(self) -> None:
        article_id = self._target_id()
        row = self._row(article_id)
        if article_id is None or row is None:
            return
        self.library.set_read(article_id, not row.read)
        self.article_list.update_row(article_id, read=not row.read)
        self._recount(row.feed_id)

    def action_toggle_star(self) -> None:
        article_id = self._target_id()
        row = self._row(article_id)
        if article_id is None or row is None:
            return
        self.library.set_starred(article_id, not row.starred)
        self.article_list.update_row(article_id, starred=not row.starred)

    def _row(self, article_id: int | None) -> ArticleRow | None:
        if article_id is None:
            return None
        rows = self.library.article_rows([article_id])
        return rows[0] if rows else None

    def action_open_link(self) -> None:
        article_id = self._target_id()
        if article_id is None:
            return
        reader_article = self.reader.article
        if reader_article is not None and reader_article.id == article_id:
            url = reader_article.url
        else:
            url = self.library.article(article_id).url
        self._open_url(url)

    def _open_url(self, url: str | None) -> None:
        try:
            open_in_browser(url, self.config.browser)
        except UsageError as error:
            self.notify(str(error), severity="error", markup=False)

    # -- refresh ------------------------------------------------------------------------

    def action_refresh_feed(self) -> None:
        self.start_refresh(None if self.feed_id is None else [self.feed_id])

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def start_refresh(self, feed_ids: Sequence[int] | None) -> None:
        """Refresh `feed_ids` (all when None) in the background, unless offline or busy."""
        if self.library.offline:
            self.notify("Offline: not refreshing.", severity="warning")
            return
        if self.refreshing:
            self.notify("A refresh is already running.")
            return
        self.refreshing = True
        self.run_refresh(list(feed_ids) if feed_ids is not None else None)

    @work(exclusive=True, group="refresh", exit_on_error=False)
    async def run_refresh(self, feed_ids: list[int] | None) -> None:
        """Consume the library's refresh stream, posting one message per feed."""
        total = len(feed_ids) if feed_ids is not None else len(self.library.feeds())
        self.post_message(RefreshStarted(total))
        results: list[RefreshResult] = []
        cancelled = True
        try:
            async for result in self.library.refresh(feed_ids):
                results.append(result)
                self.post_message(FeedRefreshed(result))
            cancelled = False
        finally:
            self.post_message(RefreshFinished(tuple(results), cancelled=cancelled))

    @on(RefreshStarted)
    def show_refresh_started(self, message: RefreshStarted) -> None:
        self.refreshing = True
        self._progress = (0, message.feed_count)
        self._show_status()

    @on(FeedRefreshed)
    def apply_feed_result(self, message: FeedRefreshed) -> None:
        done, total = self._progress
        self._progress = (done + 1, max(total, done + 1))
        result = message.result
        changed = result.new_articles or result.updated_articles
        if changed and self.feed_id in (None, result.feed_id):
            self._ids_stale = True
        if result.status is RefreshStatus.FAILED or result.new_articles:
            self._schedule_sync()
        self._show_status()

    @on(RefreshFinished)
    def show_refresh_summary(self, message: RefreshFinished) -> None:
        self.refreshing = False
        self.sync_from_library(ids=False)
        self.reader_refresh_if_changed(message.results)
        failed = [r for r in message.results if r.status is RefreshStatus.FAILED]
        new = sum(r.new_articles for r in message.results)
        if message.cancelled:
            return
        self.notify(f"Refreshed {len(message.results)} feeds: {new} new articles.")
        if failed:
            lines = [
                f"{clean_line(r.feed_title) or r.feed_url}: {clean_line(r.error)}"
                for r in failed[:5]
            ]
            if len(failed) > 5:
                lines.append(f"… and {len(failed) - 5} more")
            self.notify(
                "\n".join(lines),
                title=f"{len(failed)} feed(s) failed",
                severity="warning",
                markup=False,
                timeout=10,
            )

    def reader_refresh_if_changed(self, results: Sequence[RefreshResult]) -> None:
        """Re-read the open article when its feed changed articles in place."""
        article = self.reader.article
        if article is None:
            return
        if any(r.feed_id == article.feed_id and r.updated_articles for r in results):
            with contextlib.suppress(ReaderTermError):
                self.reader.show_article(self.library.article(article.id))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place an unexpected refresh failure becomes a notification."""
        if event.worker.group == "refresh" and event.state is WorkerState.ERROR:
            self.refreshing = False
            self._show_status()
            self.notify(f"Refresh failed: {event.worker.error}", severity="error", markup=False)
