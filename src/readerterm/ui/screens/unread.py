"""Moving through unread stories: `n` and `p`, as newsboat's next-unread does.

Within the list first; at the last unread story of a feed, on to the next feed of the
feed pane (in its order) that has unread stories, saying so in the status line; `p`
likewise backwards. A list that spans feeds (a view, a tag, a search) wraps around
first, and says so too. When nothing is unread anywhere, the status line says that.

What it says lasts while the list it speaks of is on show: another view (a feed, a
search, the sort or the hidden switch) or a screen opened over the main one (triage
mode, help, a dialog) ends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ...library.reading import Reading
from ...models import ArticleFilter
from ..formatting import shown_line
from ..views import PaneEntry, entry_filter
from ..widgets.status_line import Aside, MessagePart, Name, full_text

if TYPE_CHECKING:
    from .main import MainScreen

NOTHING_UNREAD = "No unread stories anywhere."
"""Said until a story changes (a mark, an undo): then it may no longer hold."""
WRAPPED = {
    True: "No more unread below: from the top.",
    False: "No more unread above: from the bottom.",
}
"""What `n` (True) or `p` says when it goes round the list to its other end."""


class UnreadMoves:
    def __init__(self, reading: Reading, screen: MainScreen) -> None:
        self._reading = reading
        self._screen = screen
        self._note: tuple[MessagePart, ...] = ()
        """The screen's `unread_note` in parts, its feed titles marked as names (the status
        line shortens those when the note is too long)."""
        self._note_view: ArticleFilter | None = None
        """The view on show when the note was written."""

    def note(self) -> tuple[MessagePart, ...]:
        """What the last move said, for the status line; nothing once the view changed
        (the note is then dropped) or the screen took it back (the next move, a feed)."""
        screen = self._screen
        if screen.unread_note and screen.view != self._note_view:
            screen.unread_note = ""
        return self._note if screen.unread_note else ()

    def _say(self, *parts: MessagePart) -> None:
        screen = self._screen
        screen.status.drop_said()
        self._note = parts
        self._note_view = screen.view
        screen.unread_note = full_text(parts)
        # Textual counts the screens opened over this one and closed (once is enough:
        # the same watcher is not added twice).
        screen.watch(screen, "stack_updates", self._covered, init=False)
        screen.show_status()

    def _covered(self) -> None:
        """A screen came over the main one (triage mode, help, a dialog): the note goes."""
        if self._screen.unread_note:
            self._screen.unread_note = ""
            self._screen.show_status()

    def next_unread(self) -> None:
        articles = self._screen.article_list
        ids = list(articles.ids)
        # From the row after the open article; with nothing open, the cursor's row counts.
        opened = bool(ids) and articles.open_id == ids[articles.cursor]
        start = articles.cursor + 1 if opened else articles.cursor
        self._move(ids[start:], ids[:start], forward=True)

    def previous_unread(self) -> None:
        articles = self._screen.article_list
        ids = list(articles.ids)
        cursor = articles.cursor
        self._move(ids[:cursor][::-1], ids[cursor + 1 :][::-1], forward=False)

    def _move(self, ahead: Sequence[int], behind: Sequence[int], *, forward: bool) -> None:
        """The first unread of `ahead`; else (in a feed) the next feed with unread
        stories; else the first unread of `behind` (the list wraps); else any feed."""
        self._screen.unread_note = ""
        found = self._reading.first_unread(list(ahead))
        if found is not None:
            self._open(found)
            return
        entry = self._screen.selected_entry()
        in_feed = self._screen.search_view is None and entry is not None and entry.kind == "feed"
        if in_feed and self._next_feed(forward=forward):
            return
        found = self._reading.first_unread(list(behind))
        if found is not None:
            self._open(found)
            # Said, as an editor's search says it wrapped: the cursor jumped across the list.
            self._say(WRAPPED[forward])
            return
        if not in_feed and self._next_feed(forward=forward):
            return
        self._say(NOTHING_UNREAD)

    def _open(self, article_id: int) -> None:
        self._screen.article_list.select_article(article_id)
        self._screen.open_article(article_id)

    def _next_feed(self, *, forward: bool) -> bool:
        """Go to the next (or previous) feed of the feed pane with an unread story and
        open that story (its first, or its last going backwards)."""
        screen = self._screen
        entries = list(screen.feed_list.entries)
        here = screen.feed_list.index_of(screen.entry_key)
        current = screen.selected_entry()
        current_feed = current.feed_id if current is not None and current.kind == "feed" else None
        start = here if here is not None else (-1 if forward else len(entries))
        step = 1 if forward else -1
        order = [entries[(start + step * n) % len(entries)] for n in range(1, len(entries) + 1)]
        for entry in order:
            if entry.kind != "feed" or not entry.unread or entry.feed_id == current_feed:
                continue
            unread = self._unread_of(entry)
            if unread:
                place = 1 if forward else len(unread)
                self._go_to_feed(entry, unread[place - 1], current, f"{place} of {len(unread)}")
                return True
        return False

    def _unread_of(self, entry: PaneEntry) -> list[int]:
        """The unread stories of a feed entry, in the order its list shows them."""
        view, _problems = entry_filter(entry, self._screen.config.searches, self._screen.now())
        view = replace(
            view, sort=self._screen.sort, show_hidden=self._screen.show_hidden, unread=True
        )
        return self._reading.query(view)

    def _go_to_feed(
        self, entry: PaneEntry, article_id: int, left: PaneEntry | None, place: str
    ) -> None:
        """Open `article_id` in the feed `entry`, saying where `n` came from and which of the
        feed's unread stories it is ("1 of 6": opening it leaves 5 in the counts)."""
        screen = self._screen
        index = screen.feed_list.index_of(entry.key)
        if index is not None:
            screen.feed_list.move_cursor(index, announce=False)
        screen.show_entry(entry.key)
        self._open(article_id)
        onward = "On to "
        to: MessagePart = onward
        if left is not None:
            to = Aside(("No more unread in ", Name(shown_line(left.title)), ": on to "), onward)
        self._say(to, Name(shown_line(entry.title)), f" ({place} unread)")
