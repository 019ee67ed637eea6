"""The main screen's triage keys: read, star, later, dismiss, mark above / all read,
undo, open, copy, tag, next/previous unread. Each decision goes to SQLite at once
(the library writes immediately) and the panes are re-read from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual.app import SuspendNotSupported

from ...errors import ReaderTermError, UsageError
from ...library import Change
from ...library.links import open_in_browser
from ...models import Flag
from .dialogs import ConfirmScreen, TagScreen
from .library_screen import LibraryScreen


def describe(change: Change) -> str:
    """What a change did, in words: `marked 12 articles read`."""
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


class DecisionsMixin(LibraryScreen):
    """Actions bound in keys.py (scope "main") that change articles."""

    def _set(self, ids: list[int], flag: Flag, value: bool) -> Change | None:
        change = self.library.reading.set_flag(ids, flag, value)
        hides = flag == "dismissed" and value and not self.show_hidden
        self.rows_changed(ids, removed=hides)
        return change

    def _toggle(self, flag: Flag) -> None:
        article_id = self.target_id()
        if article_id is None:
            return
        rows = self.library.reading.article_rows([article_id])
        if not rows:
            return
        current = {
            "read": rows[0].read,
            "starred": rows[0].starred,
            "later": rows[0].later,
            "dismissed": rows[0].dismissed,
        }[flag]
        self._set([article_id], flag, not current)

    def action_toggle_read(self) -> None:
        self._toggle("read")

    def action_toggle_star(self) -> None:
        self._toggle("starred")

    def action_toggle_later(self) -> None:
        self._toggle("later")

    def action_dismiss_article(self) -> None:
        """Hide the article (a second `d` with hidden ones shown brings it back)."""
        self._toggle("dismissed")

    def action_mark_above_read(self) -> None:
        articles = self.article_list
        above = list(articles.ids[: articles.cursor])
        change = self.library.reading.mark_read(above) if above else None
        if change is None:
            self.notify("Nothing above the cursor is unread.")
            return
        self.rows_changed(above)
        self.notify(f"{describe(change).capitalize()} (u undoes).", markup=False)

    def action_mark_all_read(self) -> None:
        ids = list(self.article_list.ids)
        unread = self._unread_count(ids)
        if unread == 0:
            self.notify("Every article in this list is already read.")
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            change = self.library.reading.mark_read(ids)
            self.rows_changed(ids)
            if change is not None:
                self.notify(f"{describe(change).capitalize()} (u undoes).", markup=False)

        noun = "article" if unread == 1 else "articles"
        self.app.push_screen(
            ConfirmScreen(f"Mark {unread} unread {noun} in this list read?", confirm="Mark read"),
            callback=confirmed,
        )

    def _unread_count(self, ids: list[int]) -> int:
        """Unread articles of the list (the view's query: the list shows that view)."""
        if not ids:
            return 0
        return len(self.library.reading.query(replace(self.view, unread=True)))

    def action_undo(self) -> None:
        change = self.library.reading.undo()
        if change is None:
            self.notify("Nothing to undo.")
            return
        ids = list(change.before)
        self.article_list.forget_rows(ids)
        keep = ids[0] if len(ids) == 1 else None
        self.sync_from_library(ids=False)
        self.reload_ids(keep=keep)
        self.notify(f"Undone: {describe(change)}.", markup=False)

    # -- moving between unread articles -------------------------------------------------

    def action_next_unread(self) -> None:
        articles = self.article_list
        ids = articles.ids
        # From the row after the open article; with nothing open, the cursor's row counts.
        opened = ids and articles.open_id == ids[articles.cursor]
        start = articles.cursor + 1 if opened else articles.cursor
        found = self.library.reading.first_unread(ids[start:]) or self.library.reading.first_unread(
            ids[:start]
        )
        self._go_to_unread(found)

    def action_previous_unread(self) -> None:
        articles = self.article_list
        ids = list(articles.ids)
        cursor = articles.cursor
        found = self.library.reading.first_unread(
            ids[:cursor][::-1]
        ) or self.library.reading.first_unread(ids[cursor + 1 :][::-1])
        self._go_to_unread(found)

    def _go_to_unread(self, found: int | None) -> None:
        if found is None:
            self.notify("No unread articles here.", severity="information")
            return
        self.article_list.select_article(found)
        self.open_article(found)

    # -- links ----------------------------------------------------------------------------

    def _target_url(self) -> tuple[int | None, str | None]:
        article_id = self.target_id()
        if article_id is None:
            return None, None
        shown = self.reader.article
        if shown is not None and shown.id == article_id:
            return article_id, shown.url
        try:
            return article_id, self.library.reading.stored_article(article_id).url
        except ReaderTermError:
            return article_id, None

    def action_open_link(self) -> bool:
        article_id, url = self._target_url()
        if article_id is None:
            return False
        return self.open_url(url)

    def action_open_link_and_read(self) -> None:
        article_id, url = self._target_url()
        if article_id is not None and self.open_url(url):
            self._set([article_id], "read", True)

    def open_url(self, url: str | None) -> bool:
        try:
            open_in_browser(url, self.config.browser, self._hand_over_terminal)
        except UsageError as error:
            self.notify(str(error), severity="error", markup=False)
            return False
        return True

    def _hand_over_terminal(self, run: Callable[[], None]) -> None:
        """Suspend the reader while a console browser has the terminal. The event loop
        stops meanwhile, so not while feeds or pages download: their deadlines would pass."""
        if self.refreshing or self.page_progress is not None:
            raise UsageError(
                "feeds are downloading: a console browser would stop them until it exits; "
                "open the link when they are done (y copies it)"
            )
        failure: UsageError | None = None
        try:
            with self.app.suspend():
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

    def action_copy_link(self) -> None:
        article_id, url = self._target_url()
        if article_id is None:
            return
        if not url:
            self.notify("This article has no link.", severity="warning")
            return
        self.app.copy_to_clipboard(url)
        self.notify("Link copied (OSC 52).", markup=False)

    # -- tags -----------------------------------------------------------------------------

    def action_tag_article(self) -> None:
        article_id = self.target_id()
        if article_id is None:
            return
        try:
            article = self.library.reading.stored_article(article_id)
        except ReaderTermError as error:
            self.notify(str(error), severity="error", markup=False)
            return

        def tagged(tags: list[str] | None) -> None:
            if tags is None:
                return
            self.library.reading.set_article_tags(article_id, tags)
            self.reload_reader(article_id)
            self.sync_from_library(ids=False)
            shown = ", ".join(tags) if tags else "no tags"
            self.notify(f"Tags: {shown}", markup=False)

        self.app.push_screen(TagScreen(article.title, article.tags), callback=tagged)
