"""Background work of the main screen: refreshing feeds (by hand and on a timer),
fetching article pages after a refresh (cancellable, with progress), re-extracting
the open article, adding a feed. All network work runs in workers; results come back
as messages or return values, and every failure becomes a plain-text notification."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.timer import Timer
from textual.worker import Worker, WorkerState

from ...errors import ReaderTermError
from ...library import FEEDS_IN_FLIGHT_WHILE_READING, AddResult, Library
from ...library.results import counted, failure_summary, sync_summary
from ...models import RefreshResult, RefreshStatus
from ..formatting import shown_line
from ..keyhold import hold_keys
from ..messages import (
    FeedRefreshed,
    PagesFetched,
    RefreshFinished,
    RefreshStarted,
    SyncFinished,
)
from ..run_async import run_async
from ..widgets.status_line import cut_name
from .add_feed import AddFeedScreen

SYNC_DELAY = 1.0
"""Seconds to gather refresh results before re-reading counts and ids. Each re-read of a
100,000-story cache takes the writer's thread ~50 ms away from storing: every 0.3 s, a
300-feed refresh in the reader took 7.1-7.5 s; every second, 6.3 s."""

if TYPE_CHECKING:
    from .main import MainScreen


SYNCING = "syncing …"
"""The status line's sync note while a sync runs."""
FAILED_NAMED = 4
"""Failed feeds a refresh's notice names; more are counted ("World, Tech, Science and 5
more")."""


def some_of(names: Sequence[str]) -> str:
    """FAILED_NAMED of `names` at most, each cut to 24 cells, the rest counted."""
    shown = [cut_name(name, 24) for name in names]
    if len(shown) > FAILED_NAMED:
        shown[FAILED_NAMED - 1 :] = [f"{len(shown) - FAILED_NAMED + 1} more"]
    return " and ".join([", ".join(shown[:-1]), shown[-1]] if len(shown) > 1 else shown)


def _title_key(result: RefreshResult) -> str:
    return (result.feed_title or result.feed_url).casefold()


class Background:
    """The main screen's background work: refresh (and sync), page prefetch, auto-refresh,
    re-extract, add a feed. Network work runs in the screen's workers; results come back
    as messages, which the screen hands to the `show_*` methods here."""

    def __init__(self, library: Library, screen: MainScreen) -> None:
        self._library = library
        self._screen = screen
        self._auto_refresh: Timer | None = None
        self._failures_told: set[int] = set()
        self._sync_error_told: str | None = None
        """The last sync's error, told in a notice."""
        """Feeds whose failure a notice told, and that have not refreshed well since."""

    def start_auto_refresh(self) -> None:
        """Refresh everything every `refresh_minutes` while the reader is open (again
        from now when the config changed it)."""
        if self._auto_refresh is not None:
            self._auto_refresh.stop()
            self._auto_refresh = None
        minutes = self._screen.config.refresh_minutes
        if minutes > 0:
            self._auto_refresh = self._screen.set_interval(
                minutes * 60, self.refresh_on_timer, name="auto-refresh"
            )

    def refresh_on_timer(self) -> None:
        if not self._library.offline and not self._screen.refreshing:
            self.start_refresh(None, quiet=True)

    def start_refresh(self, feed_ids: Sequence[int] | None, *, quiet: bool = False) -> None:
        """Refresh `feed_ids` (all when None) in the background, unless offline or busy.
        `quiet` (the timer): no notice when nothing happens, and only feeds that are due."""
        if self._library.offline:
            if not quiet:
                self._screen.status.say("Offline: not refreshing.", warning=True)
            return
        if self._screen.refreshing:
            if not quiet:
                busy = "sync" if self._screen.sync_note == SYNCING else "refresh"
                self._screen.status.say(f"A {busy} is already running.")
            return
        self._screen.refreshing = True
        self.run_refresh(list(feed_ids) if feed_ids is not None else None, quiet=quiet)

    def refresh_feed(self) -> None:
        feed_id = self._screen.base_view.feed_id if self._screen.search_view is None else None
        self.start_refresh(None if feed_id is None else [feed_id])

    def refresh_all(self) -> None:
        self.start_refresh(None)

    def run_refresh(self, feed_ids: list[int] | None, *, quiet: bool = False) -> None:
        run_async(
            self._screen,
            partial(self._refresh, feed_ids, quiet=quiet),
            group="refresh",
            exclusive=True,
            exit_on_error=False,
        )

    async def _refresh(self, feed_ids: list[int] | None, *, quiet: bool = False) -> None:
        """Sync with the server first when sync is on (it fetches the synced feeds), then
        consume the library's refresh stream of the others, one message per feed."""
        synced = {feed.id for feed in self._screen.feeds if feed.remote_id is not None}
        syncing = self._library.syncing.enabled and (feed_ids is None or synced & set(feed_ids))
        if syncing:
            await self._sync_with_server(quiet=quiet)
            if feed_ids is not None:
                feed_ids = [feed_id for feed_id in feed_ids if feed_id not in synced]
        if feed_ids is not None:
            total = len(feed_ids)
        else:  # (counted after the sync: a first sync binds feeds to the server's)
            total = self._library.subscriptions.feed_count(fetched_here=True)
        if syncing and not total:  # every feed is the server's: the sync said it all
            self._screen.post_message(RefreshFinished((), quiet=True))
            return
        self._screen.post_message(RefreshStarted(0 if quiet else total))
        results: list[RefreshResult] = []
        cancelled = True
        try:
            refreshing = self._library.refresher.refresh(
                feed_ids, due_only=quiet, at_once=FEEDS_IN_FLIGHT_WHILE_READING
            )
            async for result in refreshing:
                results.append(result)
                self._screen.post_message(FeedRefreshed(result))
            cancelled = False
        finally:
            self._screen.post_message(
                RefreshFinished(tuple(results), cancelled=cancelled, quiet=quiet)
            )

    async def _sync_with_server(self, *, quiet: bool) -> None:
        self._screen.sync_note = SYNCING
        self._screen.show_status()
        try:
            report = await self._library.syncing.sync()
        except ReaderTermError as error:
            self._screen.post_message(SyncFinished(None, str(error), quiet=quiet))
        else:
            self._screen.post_message(SyncFinished(report, quiet=quiet))

    def show_sync_summary(self, message: SyncFinished) -> None:
        self._screen.sync_note = self._screen.sync_status_note()
        self._screen.ids_stale = True
        self._screen.listing.start_sync_off_loop()
        report = message.report
        error = shown_line(message.error or "unknown error")
        if report is None:
            # A sync on its own (at start, on the timer) that fails as the last one did is
            # the status line's "sync failed": the same notice over the story every
            # refresh_minutes said nothing new. R says it again.
            if not (message.quiet and error == self._sync_error_told):
                self._screen.notify(
                    error, title="Sync failed", severity="error", markup=False, timeout=10
                )
            self._sync_error_told = error
            return
        self._sync_error_told = None
        self.start_pages()
        taken = report.read_changed + report.starred_changed
        if message.quiet and not (report.new_articles or taken or report.dropped):
            return
        # On the status line, as what a key did is: a notice covered the story being read
        # at each start and each R. What the server changed is said too ("Synced / 0 new
        # articles." said nothing of 4 stories read and starred on the web).
        self._screen.status.say(f"Synced: {sync_summary(report)}.")

    def show_refresh_started(self, message: RefreshStarted) -> None:
        self._screen.refreshing = True
        self._screen.refresh_progress = (0, message.feed_count)
        self._screen.show_status()

    def apply_feed_result(self, message: FeedRefreshed) -> None:
        done, total = self._screen.refresh_progress
        self._screen.refresh_progress = (done + 1, total)
        result = message.result
        changed = result.new_articles or result.updated_articles
        if changed:
            self._screen.ids_stale = True
        if result.status is RefreshStatus.FAILED or result.new_articles:
            self._screen.listing.schedule_sync(SYNC_DELAY)
        self._screen.show_status()

    def show_refresh_summary(self, message: RefreshFinished) -> None:
        self._screen.refreshing = False
        self._screen.listing.start_sync_off_loop()
        self.reader_refresh_if_changed(message.results)
        if message.cancelled:
            return
        failed = [r for r in message.results if r.status is RefreshStatus.FAILED]
        new = sum(r.new_articles for r in message.results)
        # A notice for feeds that failed since the last one told, the status line for
        # those still failing: the same 13 failures covered the story at every refresh.
        told = self._failures_told
        newly = {r.feed_id for r in failed} - told
        self._failures_told = (told - {r.feed_id for r in message.results}) | {
            r.feed_id for r in failed
        }
        if message.quiet and not new and not newly:
            return
        refreshed = len(message.results) - len(failed)
        refreshed_new = f"{counted(refreshed, 'feed')} refreshed: {counted(new, 'new article')}"
        if not newly:  # (on the status line, as a sync's: no notice over the story read)
            failing = f"; {counted(len(failed), 'feed')} still failing (!)" if failed else ""
            self._screen.status.say(f"{refreshed_new}{failing}.")
        elif failures := failure_summary(message.results):
            # Which ones, in short: one notice of a few lines (a list of each feed and
            # its error took 17 lines at 100x30), the new failures named first, each
            # group by title. The feed pane marks them with "!", and the status line
            # says a selected one's error in full.
            named = sorted(failed, key=lambda r: (r.feed_id not in newly, _title_key(r)))
            names = [shown_line(r.feed_title) or shown_line(r.feed_url) for r in named]
            self._screen.notify(
                f"{refreshed_new}.\n{failures} ({some_of(names)}).",
                title="Refresh finished",
                severity="warning",
                markup=False,
                timeout=10,
            )
        self.start_pages()

    def reader_refresh_if_changed(self, results: Sequence[RefreshResult]) -> None:
        """Re-read the open article when its feed changed articles in place."""
        article = self._screen.reader.article
        if article is None:
            return
        if any(r.feed_id == article.feed_id and r.updated_articles for r in results):
            self._screen.reload_reader(article.id)

    # -- article pages --------------------------------------------------------------------

    def start_pages(self) -> None:
        """Fetch the pages wanted (unread teasers never extracted, of every feed) in the
        background: after each refresh, sync or feed added. Every feed's, not only those
        with new stories: a fetch stopped with `x`, or replaced by the next one (a sync
        then a refresh), is taken up again, as docs/sync.md promises after each sync. The
        query takes under a millisecond; pages that failed are not tried again."""
        if not self._library.offline:
            self._run_pages(self._fetch_wanted_pages)

    def _run_pages(self, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """Page fetching in the worker group "pages": newer work replaces what runs."""
        run_async(self._screen, work, group="pages", exclusive=True, exit_on_error=False)

    async def _fetch_wanted_pages(self) -> None:
        # Which articles need pages is a query over every article: off the event loop.
        ids = await self._library.pages.pages_to_fetch_off_loop()
        if ids:
            self.fetch_pages(ids)

    def fetch_pages(self, ids: list[int]) -> None:
        self._run_pages(partial(self._fetch_pages, ids))

    async def _fetch_pages(self, ids: list[int]) -> None:
        self._screen.page_progress = (0, len(ids))
        self._screen.show_status()
        try:
            async for result in self._library.pages.fetch_pages(ids):
                done, total = self._screen.page_progress or (0, len(ids))
                self._screen.page_progress = (done + 1, total)
                self._screen.post_message(PagesFetched(result.article_id, result.error))
        finally:
            self._screen.page_progress = None
            self._screen.show_status()

    def show_fetched_page(self, message: PagesFetched) -> None:
        self._screen.article_list.forget_rows([message.article_id])
        if message.error is None:
            self._screen.reload_reader(message.article_id)
        self._screen.show_status()

    def stop_pages(self) -> None:
        if self._screen.page_progress is None:
            self._screen.status.say("No pages are being fetched.")
            return
        self._screen.workers.cancel_group(self._screen, "pages")
        self._screen.page_progress = None
        self._screen.show_status()
        self._screen.status.say("Stopped fetching pages; what arrived is kept.")

    def re_extract(self) -> None:
        article_id = self._screen.target_id()
        if article_id is None:
            self._screen.status.say("No story here to act on.", warning=True)
            return
        if self._library.offline:
            self._screen.status.say("Offline: the page cannot be fetched.", warning=True)
            return
        self._screen.status.say("Fetching the page again …")
        self.extract_again(article_id)

    def extract_again(self, article_id: int) -> None:
        run_async(
            self._screen,
            partial(self._re_extract, article_id),
            group="extract",
            exit_on_error=False,
        )

    async def _re_extract(self, article_id: int) -> None:
        result = await self._library.pages.extract_page(article_id)
        if result.error is not None:
            self._screen.notify(
                f"Could not re-extract: {result.error}", severity="error", markup=False
            )
            return
        self._screen.article_list.forget_rows([article_id])
        self._screen.reload_reader(article_id)
        self._screen.status.say("Extracted the article again from its page.")

    # -- adding a feed --------------------------------------------------------------------

    def add_feed(self) -> None:
        async def add(url: str, tags: Sequence[str], force: bool) -> AddResult:
            return await self._library.subscriptions.add_feed(url, tags=tags, force=force)

        def added(feed_ids: list[int] | None) -> None:
            if not feed_ids:
                return
            self._screen.listing.sync_from_library(ids=True)
            self._screen.feed_list.select_feed(feed_ids[0])
            feeds = [feed for feed in self._screen.feeds if feed.id in feed_ids]
            names = [shown_line(feed.title) or shown_line(feed.url) for feed in feeds]
            self._screen.status.say(f"Subscribed to {' and '.join(names)}.")
            for feed in feeds:  # added with Ctrl+F although it could not be fetched or read
                if feed.error:
                    name = shown_line(feed.title) or shown_line(feed.url)
                    self._screen.notify(
                        f"{name}: its first fetch failed: {shown_line(feed.error)}. "
                        "A refresh tries again.",
                        severity="warning",
                        markup=False,
                    )
            self.start_pages()

        hold_keys(self._screen.app)  # a URL typed at once after `a` lands in the dialog
        one_tag = self._library.syncing.enabled
        self._screen.app.push_screen(AddFeedScreen(add, one_tag=one_tag), callback=added)

    def worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place an unexpected background failure becomes a notification."""
        if event.state is not WorkerState.ERROR:
            return
        if event.worker.group == "refresh":
            self._screen.refreshing = False
        if event.worker.group == "pages":
            self._screen.page_progress = None
        self._screen.show_status()
        reason = shown_line(str(event.worker.error))  # (it may quote a server or a page)
        self._screen.notify(
            f"{event.worker.group or 'Background work'} failed: {reason}",
            severity="error",
            markup=False,
        )
