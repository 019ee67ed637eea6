"""The main screen's status line: the answer to the last key, the selected feed's error or
offline, what runs in the background, the sort and hidden switches, how the last sync went,
the counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...library import Library
from ..formatting import shown_line
from ..widgets.status_line import StatusLine

if TYPE_CHECKING:
    from textual.timer import Timer

    from .main import MainScreen

SAID_SECONDS = 6.0
"""How long the answer to a key stays in the status line (the next answer replaces it)."""
ROOMY_COLUMNS = 100
"""From this width the status line keeps its progress and notes beside an answer; below,
only the unread count while the answer lasts."""


class Status:
    def __init__(self, library: Library, screen: MainScreen) -> None:
        self._library = library
        self._screen = screen
        self._said: tuple[str, bool] | None = None
        """The answer to the last key and whether it is a warning, while it shows."""
        self._said_timer: Timer | None = None

    def say(self, text: str, *, warning: bool = False) -> None:
        """Answer a key in the status line for SAID_SECONDS ("Sorted by feed.", "Undone:
        starred 1 article."). A notice would cover the story being read on a small
        terminal; one line at the bottom covers nothing."""
        self.drop_said()
        self._screen.unread_note = ""  # (one answer at a time: n's note goes too)
        self._said = (text, warning)
        self._said_timer = self._screen.set_timer(SAID_SECONDS, self._said_expired)
        self.show()

    def drop_said(self) -> None:
        """Another note takes the line (n or p's)."""
        if self._said_timer is not None:
            self._said_timer.stop()
        self._said = self._said_timer = None

    def _said_expired(self) -> None:
        self._said = self._said_timer = None
        self.show()

    def sync_note_now(self) -> str:
        if not self._library.syncing.enabled:
            return ""
        status = self._library.syncing.status()
        if status is None or status.last_attempt is None:
            return f"not synced yet ({self._screen.key_for('refresh_all')} syncs)"
        when = status.last_attempt.astimezone().strftime("%H:%M")
        return f"sync failed {when}" if status.last_error else f"synced {when}"

    def show(self) -> None:
        status = self._screen.query_one(StatusLine)
        feed = self._screen.selected_feed() if self._screen.search_view is None else None
        note = self._screen.unread.note()
        if self._said is not None:
            status.show_message(self._said[0], error=self._said[1])
        elif note:
            status.show_message(*note)
        elif feed is not None and feed.error:
            name = shown_line(feed.title) or shown_line(feed.url)
            status.show_message(f"! {name}: {shown_line(feed.error)}", error=True)
        elif self._library.offline:
            status.show_message("Offline: reading the cache")
        else:
            status.show_message("")
        progress = []
        done, total = self._screen.refresh_progress
        if self._screen.refreshing and (done or total):  # (not "Refreshing 0" while it syncs)
            progress.append(f"Refreshing {done}/{total}" if total else f"Refreshing {done}")
        if self._screen.page_progress is not None:
            done, total = self._screen.page_progress
            progress.append(f"Pages {done}/{total} ({self._screen.key_for('stop_pages')} stops)")
        # The answer to the key just pressed gets the room below ROOMY_COLUMNS ("Undone:
        # marked 1 a…" at 80 columns, beside the progress and notes): they come back with
        # the next showing, once the answer has gone.
        answering = self._said is not None and self._screen.size.width < ROOMY_COLUMNS
        status.show_progress("" if answering else " · ".join(progress))
        # (the app's: it reads the file; the status line says so until a reading succeeds)
        refused = getattr(self._screen.app, "config_refused", False)
        notes = ["config has an error"] if refused else []
        if self._screen.sort == "feed":
            notes.append("by feed")
        if self._screen.show_hidden:
            notes.append("hidden stories shown")
        if self._screen.sync_note:
            notes.append(self._screen.sync_note)
        if feed is not None:
            unread = feed.unread
        elif self._screen._total_unread is not None:
            unread = self._screen._total_unread
        else:
            unread = self._screen._total_unread = self._library.subscriptions.total_unread()
        rows = self._screen.article_list.row_count
        listed = f"{rows} {'article' if rows == 1 else 'articles'}"
        view = self._screen.view
        narrowed = view.starred or view.later or view.after or view.tag or view.words
        searching = self._screen.search_view is not None
        if feed is None and (narrowed or view.feed_name or searching):
            # (the unread count is the whole library's: not this list's, as "28 unread · 0
            # articles" in an empty Starred list read)
            counts = f"{listed} · {unread} unread in all"
        else:
            counts = f"{unread} unread · {listed}"
        if answering:
            status.show_counts(f"{unread} unread")
            return
        status.show_counts(" · ".join([*notes, counts]))
