"""The main screen's triage keys: read, star, later, dismiss, mark above / all read,
undo, open, copy, tag (next/previous unread: unread.py). Each decision goes to SQLite at once
(the library writes immediately) and the panes are re-read from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.app import App, SuspendNotSupported

from ...errors import ReaderTermError, UsageError
from ...library import Change, TagChange
from ...library.links import NoBrowser, open_in_browser
from ...library.reading import Reading
from ...models import Flag
from ..key_lookup import PALETTE
from .dialogs import ConfirmScreen, TagScreen
from .unsaved import not_saved

if TYPE_CHECKING:
    from .main import MainScreen


def copy_link(app: App[Any], url: str | None) -> tuple[str, bool]:
    """Put a story's link on the clipboard (OSC 52: the terminal's, over ssh too), from the
    main screen or triage; what to tell the user, and whether it is a warning."""
    if not url:
        return "This article has no link.", True
    app.copy_to_clipboard(url)
    return "Link copied (OSC 52).", False


def describe(change: Change | TagChange) -> str:
    """What a change did, in words: `marked 12 articles read`."""
    if isinstance(change, TagChange):
        after, before = (", ".join(tags) or "none" for tags in (change.after, change.before))
        return f"tags set to {after} (they were {before})"
    noun = "article" if change.count == 1 else "articles"
    what = {
        ("read", True): f"marked {change.count} {noun} read",
        ("read", False): f"marked {change.count} {noun} unread",
        ("starred", True): f"starred {change.count} {noun}",
        ("starred", False): f"unstarred {change.count} {noun}",
        ("later", True): f"put {change.count} {noun} on the Later list",
        ("later", False): f"took {change.count} {noun} off the Later list",
        ("dismissed", True): f"dismissed {change.count} {noun}",
        ("dismissed", False): f"brought back {change.count} dismissed {noun}",
    }
    return what[(change.flag, change.value)]


class Decisions:
    """The triage keys of the main screen (bound in keys.py, scope "main"): what they do to
    articles. The screen owns the panes and the state; this only asks it for what
    `MainScreen` lists."""

    def __init__(self, reading: Reading, screen: MainScreen) -> None:
        self._reading = reading
        self._screen = screen

    def _set(self, ids: list[int], flag: Flag, value: bool) -> Change | None:
        """Write a state; when the store refuses (a full disk), the rows stay as stored and
        no undo step is made (`Reading.set_flag` records one only for a write done)."""
        try:
            change = self._reading.set_flag(ids, flag, value)
        except ReaderTermError as error:
            not_saved(self._screen, error)
            return None
        self._screen.status.drop_said()  # (an answer to an earlier key would read as this one's)
        hides = flag == "dismissed" and value and not self._screen.show_hidden
        if flag == "dismissed" and not value and not self._screen.show_hidden:
            # Brought back (from the reader, which still shows it): it belongs in the
            # list again, which the re-read after this change brings it into.
            self._screen.ids_stale = True
        self._screen.listing.rows_changed(ids, removed=hides)
        return change

    def _target(self) -> int | None:
        """The story a key acts on (see MainScreen.target_id), or None, said."""
        article_id = self._screen.target_id()
        if article_id is None:
            self._screen.status.say("No story here to act on.", warning=True)
        return article_id

    def _toggle(self, flag: Flag) -> None:
        article_id = self._target()
        if article_id is None:
            return
        # The state the user sees is the one the key turns over: another reader (or the
        # command line) may have changed the stored one since the row was drawn.
        row = self._screen.article_list.shown_row(article_id)
        if row is None:
            rows = self._reading.article_rows([article_id])
            if not rows:
                return
            row = rows[0]
        current = {
            "read": row.read,
            "starred": row.starred,
            "later": row.later,
            "dismissed": row.dismissed,
        }[flag]
        changed = self._set([article_id], flag, not current)
        # Dismissed is done with, as in triage mode: read too (so a sync server's unread
        # count reaches zero), and one step for u, which says "dismissed".
        hidden_unread = flag == "dismissed" and changed and not current and not row.read
        if hidden_unread and self._set([article_id], "read", True):
            self._reading.join_last(2)

    def toggle_read(self) -> None:
        self._toggle("read")

    def toggle_star(self) -> None:
        self._toggle("starred")

    def toggle_later(self) -> None:
        self._toggle("later")

    def dismiss_article(self) -> None:
        """Hide the article and mark it read (a second `d`, with hidden ones shown, brings
        it back; `u` also makes it unread again)."""
        self._toggle("dismissed")

    def mark_above_read(self) -> None:
        articles = self._screen.article_list
        if not articles.ids:
            self._screen.status.say("This list is empty: nothing to mark.")
            return
        above = list(articles.ids[: articles.cursor])
        try:
            change = self._reading.mark_read(above) if above else None
        except ReaderTermError as error:
            not_saved(self._screen, error)
            return
        if change is None:
            self._screen.status.say("Nothing above the cursor is unread.")
            return
        self._screen.listing.rows_changed(above)
        self._say_done(change)

    def _say_done(self, change: Change) -> None:
        """What a change of many rows did, and the key that takes it back (as mapped)."""
        undo = self._screen.key_for("undo")
        self._screen.status.say(f"{describe(change).capitalize()} ({undo} undoes).")

    def mark_all_read(self) -> None:
        ids = list(self._screen.article_list.ids)
        if not ids:
            self._screen.status.say("This list is empty: nothing to mark.")
            return
        unread = self._unread_count(ids)
        if unread == 0:
            self._screen.status.say("Every article in this list is already read.")
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                change = self._reading.mark_read(ids)
            except ReaderTermError as error:
                not_saved(self._screen, error)
                return
            self._screen.listing.rows_changed(ids)
            if change is not None:
                self._say_done(change)

        noun = "article" if unread == 1 else "articles"
        self._screen.app.push_screen(
            ConfirmScreen(f"Mark {unread} unread {noun} in this list read?", confirm="Mark read"),
            callback=confirmed,
        )

    def _unread_count(self, ids: list[int]) -> int:
        """Unread articles of the list (the view's query: the list shows that view)."""
        if not ids:
            return 0
        return len(self._reading.query(replace(self._screen.view, unread=True)))

    def undo(self) -> None:
        try:
            change = self._reading.undo()
        except ReaderTermError as error:
            not_saved(self._screen, error)
            return
        if change is None:
            self._screen.status.say("Nothing to undo.")
            return
        if isinstance(change, TagChange):
            self._screen.reload_reader(change.article_id)
            self._screen.listing.sync_from_library(ids=False)
            self._screen.listing.reload_ids(keep=change.article_id)
            self._screen.status.say(f"Undone: {describe(change)}.")
            return
        ids = list(change.before)
        self._screen.listing.forget_rows(ids)
        keep = ids[0] if len(ids) == 1 else None
        self._screen.listing.sync_from_library(ids=False)
        self._screen.listing.reload_ids(keep=keep)
        self._screen.status.say(f"Undone: {describe(change)}.")

    # -- links ----------------------------------------------------------------------------

    def _target_url(self) -> tuple[int | None, str | None]:
        article_id = self._target()
        if article_id is None:
            return None, None
        shown = self._screen.reader.article
        if shown is not None and shown.id == article_id:
            return article_id, shown.url
        try:
            return article_id, self._reading.stored_article(article_id).url
        except ReaderTermError:
            return article_id, None

    def open_link(self) -> bool:
        article_id, url = self._target_url()
        if article_id is None:
            return False
        return self.open_url(url)

    def open_link_and_read(self) -> None:
        article_id, url = self._target_url()
        if article_id is not None and self.open_url(url):
            self._set([article_id], "read", True)

    def open_url(self, url: str | None) -> bool:
        try:
            open_in_browser(url, self._screen.config.browser, self._hand_over_terminal)
        except NoBrowser as error:
            self._screen.notify(f"{error}, or {self._copy_hint()}", severity="error", markup=False)
            return False
        except UsageError as error:
            self._screen.notify(str(error), severity="error", markup=False)
            return False
        return True

    def _copy_hint(self) -> str:
        """How to copy the link instead, with the key as the user mapped it."""
        key = self._screen.key_for("copy_link")
        if key == PALETTE:  # (no key: the palette still offers it)
            return "copy the link from the command palette (ctrl+p)"
        return f"copy the link with {key}"

    def _hand_over_terminal(self, run: Callable[[], None]) -> None:
        """Suspend the reader while a console browser has the terminal. The event loop
        stops meanwhile, so not while feeds or pages download: their deadlines would pass."""
        if self._screen.refreshing or self._screen.page_progress is not None:
            raise UsageError(
                "feeds are downloading: a console browser would stop them until it exits; "
                f"open the link when they are done, or {self._copy_hint()}"
            )
        failure: UsageError | None = None
        try:
            with self._screen.app.suspend():
                try:
                    run()
                except UsageError as error:  # (raised inside, the reader would stay suspended)
                    failure = error
        except SuspendNotSupported:
            raise UsageError(
                "a console browser needs the terminal, and this one cannot be handed over"
            ) from None
        if failure is not None:
            raise failure

    def copy_link(self) -> None:
        article_id, url = self._target_url()
        if article_id is not None:
            said, warning = copy_link(self._screen.app, url)
            self._screen.status.say(said, warning=warning)

    # -- tags -----------------------------------------------------------------------------

    def tag_article(self) -> None:
        article_id = self._target()
        if article_id is None:
            return
        try:
            article = self._reading.stored_article(article_id)
        except ReaderTermError as error:
            self._screen.notify(str(error), severity="error", markup=False)
            return

        def tagged(tags: list[str] | None) -> None:
            if tags is None:
                return
            try:
                change = self._reading.set_article_tags(article_id, tags)
            except ReaderTermError as error:
                not_saved(self._screen, error)
                return
            if change is None:
                return
            self._screen.reload_reader(article_id)
            self._screen.listing.sync_from_library(ids=False)
            shown = ", ".join(change.after) if change.after else "no tags"
            undo = self._screen.key_for("undo")
            self._screen.status.say(f"Tags: {shown} ({undo} undoes).")

        self._screen.app.push_screen(TagScreen(article.title, article.tags), callback=tagged)
