"""Triage mode: one unread story at a time, title and key points large, one key per
decision that moves on at once. Every decision is written to SQLite when it is made;
`u` takes back the last one and returns to its story."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Literal

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...errors import ReaderTermError
from ...library import Library
from ...models import Article, Flag
from ..formatting import age, reading_time, shown_line, stories
from ..key_lookup import PALETTE, spoken
from ..keyhold import release_keys
from ..keys import KEYS, bindings, key_may_run
from ..run_async import run_async
from ..widgets.key_footer import KeyFooter
from .decisions import copy_link
from .parts import ScreenWithKeys
from .unsaved import not_saved

Decision = Literal["keep", "read", "star", "later", "dismiss", "open"]

EFFECTS: dict[Decision, tuple[tuple[Flag, bool], ...]] = {
    "keep": (),
    "read": (("read", True),),
    "star": (("starred", True), ("read", True)),
    "later": (("later", True), ("read", True)),
    "dismiss": (("dismissed", True), ("read", True)),
    "open": (("read", True),),
}
"""What each decision writes (starring, Later and dismissing also count as read)."""

PAST = {
    "keep": "kept unread",
    "read": "read",
    "star": "starred",
    "later": "put on Later",
    "dismiss": "dismissed",
    "open": "opened",
}


PACE_AFTER_MINUTES = 0.5
"""The pace is shown from half a minute in: before, a few fast keys make it absurd."""
CONVERTED_AHEAD = 2
"""Stories converted ahead of the one on show."""
MAIN_SCOPES = frozenset({"main", "lists", "feeds", "articles", "reader"})
"""Scopes of the main screen's keys: one of them pressed here says triage does not take it."""
NOT_HERE_SECONDS = 5.0
"""Such keys pressed again within this (a notice's time on screen) say nothing more: one
notice, not a stack of them."""


def first_paragraph(body: str, limit: int = 600) -> str:
    """The body's first paragraph of prose as plain text (headings, lists, quotes and
    images skipped; links reduced to their text), cut near `limit` characters."""
    # (imported here: the key-point modules' patterns cost the reader's start ~25 ms)
    from ...text.keypoints import markdown_to_text

    for block in body.split("\n\n"):
        block = block.strip()
        if not block or block[0] in "#>-*|!" or block[:2].rstrip(".").isdigit():
            continue
        text = shown_line(markdown_to_text(block))  # (links, emphasis, escapes)
        if len(text) < 40:
            continue
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0] + " …"
        return text
    return ""


@dataclass
class Step:
    """A decision made, as undo needs it."""

    index: int
    decision: Decision
    changes: int
    """How many library changes it made (each is one library undo step)."""
    partial: bool = False
    """Refused half way and not taken back (a full disk): kept only so that u undoes the
    right library changes; not a decision made."""


class TriageScreen(ScreenWithKeys[int]):
    """Goes through `ids` (unread stories of a view) in order; returns how many were decided."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("triage"))
    key_scopes: ClassVar[tuple[str, ...]] = ("triage",)
    """The scopes of KEYS whose keys this screen answers to (as a dialog's; key_lookup)."""

    DEFAULT_CSS = """
    #triage-view {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #triage-counter {
        margin-left: 1;
    }
    """
    """The view's name keeps to one line, cut with "…" a space before the counter."""

    def __init__(
        self,
        library: Library,
        ids: Sequence[int],
        *,
        now: Callable[[], datetime],
        open_url: Callable[[str | None], bool],
        key_for: Callable[[str], str] = lambda action: "?",
        title: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.key_for = key_for
        """The key bound to an action now (after the user's keymap)."""
        self.view_title = shown_line(title)
        """What is being triaged (the view's name), shown beside the counter."""
        self.library = library
        self.ids = list(ids)
        self.now = now
        self.open_url = open_url
        self.clock = clock
        self.index = 0
        """The story on show (== len(ids) when every story is decided)."""
        self.steps: list[Step] = []
        self.started = clock()
        self.article: Article | None = None
        self._not_here: float | None = None
        """When a main-screen key was last said to do nothing here."""

    def compose(self) -> ComposeResult:
        with Vertical(id="triage"):
            with Horizontal(id="triage-top"):
                yield Static(Content(f"Triage · {self.view_title or 'unread'}"), id="triage-view")
                yield Static(id="triage-counter")
            with VerticalScroll(id="triage-story"):
                yield Static(id="triage-meta")
                yield Static(id="triage-title")
                yield Static(id="triage-points")
                yield Static(id="triage-lead")
        yield KeyFooter(
            lambda: "", scopes=("triage", "app"), first=(), kept=("undo", "leave", "help")
        )

    def on_mount(self) -> None:
        self.show_story()
        release_keys(self.app)  # the decisions typed while its first story was converted

    # -- drawing ------------------------------------------------------------------------

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if not step.partial)

    @property
    def stopped_at(self) -> int | None:
        """The story on show; once every story is decided, the last one (None: it had none)."""
        return self.ids[min(self.index, len(self.ids) - 1)] if self.ids else None

    @property
    def left(self) -> int:
        return len(self.ids) - self.index

    def pace(self) -> str:
        """Stories decided a minute, once that means something (half a minute in: keys
        typed at once after `t` read "3111.6 a minute")."""
        minutes = (self.clock() - self.started) / 60
        if self.done == 0 or minutes < PACE_AFTER_MINUTES:
            return "pace —"
        return f"{round(self.done / minutes)} a minute"

    def counter_text(self) -> str:
        last = ""
        made = [step for step in self.steps if not step.partial]
        if made:
            last = f" · last: {PAST[made[-1].decision]}"
        return f"{self.left} left · {self.done} done · {self.pace()}{last}"

    def show_story(self) -> None:
        self.query_one("#triage-counter", Static).update(Content(self.counter_text()))
        self.article = None
        while self.index < len(self.ids):
            try:
                self.article = self.library.reading.article(self.ids[self.index])
                break
            except ReaderTermError:  # removed meanwhile: skip it
                del self.ids[self.index]
        self.refresh_bindings()  # (the decision keys come and go with the story)
        meta = self.query_one("#triage-meta", Static)
        title = self.query_one("#triage-title", Static)
        points = self.query_one("#triage-points", Static)
        lead = self.query_one("#triage-lead", Static)
        article = self.article
        if article is None:
            meta.update("")
            title.update(Content("Nothing left to triage here."))
            hints = [
                f"{key} {does}"
                for action, does in (("leave", "goes back"), ("undo", "takes back"))
                if (key := self.key_for(action)) != PALETTE  # (no key: the palette has it)
            ]
            keys = f" {'; '.join(hints)}." if hints else ""
            points.update(Content(f"{stories(self.done)} decided.{keys}"))
            lead.update("")
            return
        facts = [
            shown_line(article.feed_title),
            shown_line(article.author),
            age(article.published, self.now()),
            reading_time(article.words),
        ]
        meta.update(Content(" · ".join(fact for fact in facts if fact)))
        title.update(Content(shown_line(article.title) or "(untitled)"))
        points.update(_points(article))
        lead.update(Content(first_paragraph(article.body)))
        self.query_one("#triage-story", VerticalScroll).scroll_home(animate=False)
        run_async(self, self._convert_ahead, group="triage-ahead", exclusive=True)

    async def _convert_ahead(self) -> None:
        """Convert the next stories' HTML on a thread while this one is read, so the next
        key shows its story without converting it on the event loop."""
        for article_id in self.ids[self.index + 1 : self.index + 1 + CONVERTED_AHEAD]:
            with contextlib.suppress(ReaderTermError):
                await self.library.reading.open_article(article_id)

    # -- decisions ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No decision keys once every story is decided (the footer stops offering them),
        and none the user's keys left unbound."""
        if action == "decide" and self.article is None:
            return False
        return key_may_run(self.app, self.key_scopes, action, parameters)

    def action_decide(self, decision: Decision) -> None:
        article = self.article
        if article is None:
            return
        if decision == "open" and not self.open_url(article.url):
            return
        changes = self._write(article.id, decision)
        if changes is None:
            return
        if changes > 1:  # (dismissed and read: one step for u here and after leaving)
            self.library.reading.join_last(changes)
            changes = 1
        self.steps.append(Step(self.index, decision, changes))
        self.index += 1
        self.show_story()

    def _write(self, article_id: int, decision: Decision) -> int | None:
        """Write a decision's states; how many library changes that made. When the store
        refuses (a full disk), the part written is taken back and None is returned: the
        decision was not made and the story stays on show. A part that cannot be taken
        back either is kept as a step of its own, so `u` still undoes the right changes."""
        changes = 0
        try:
            for flag, value in EFFECTS[decision]:
                if self.library.reading.set_flag([article_id], flag, value) is not None:
                    changes += 1
        except ReaderTermError as error:
            not_saved(self, error)
            while changes:
                try:
                    self.library.reading.undo()
                except ReaderTermError:
                    self.steps.append(Step(self.index, decision, changes, partial=True))
                    return None
                changes -= 1
            return None
        return changes

    def action_copy_link(self) -> None:
        if (article := self.article) is not None:
            said, warning = copy_link(self.app, article.url)
            self.notify(said, severity="warning" if warning else "information")

    def action_undo(self) -> None:
        if not self.steps:
            self.notify("Nothing to take back.")
            return
        step = self.steps[-1]
        while step.changes:
            try:
                self.library.reading.undo()
            except ReaderTermError as error:
                not_saved(self, error)  # (step.changes: the library's undo steps left for it)
                return
            step.changes -= 1
        self.steps.pop()
        self.index = step.index
        self.show_story()

    def action_leave(self) -> None:
        self.dismiss(self.done)

    def on_key(self, event: events.Key) -> None:
        """A key of the main screen that triage does not take (m, n, j ...) says so, in a
        notice as "Nothing to take back." is, rather than doing nothing silently. (Keys
        reach here before the bindings run: a key bound here now is left alone.)"""
        key = event.key
        resolved = getattr(self.app, "keys", None)
        if resolved is None or key in self.active_bindings:
            return
        scopes = {spec.scope for spec in KEYS if key in resolved.keys_of(spec)}
        if "triage" in scopes or not scopes & MAIN_SCOPES:
            return  # (a decision key once none is left; a key bound nowhere)
        now = self.clock()
        if self._not_here is not None and now - self._not_here < NOT_HERE_SECONDS:
            return
        self._not_here = now
        shown = spoken(self.app.get_key_display(Binding(key, "")))  # ("Enter", not "⏎")
        leave = self.key_for("leave")
        self.notify(f"{shown} does nothing in triage: use the keys below ({leave} leaves).")


def _points(article: Article) -> Table | Text:
    points = [shown_line(point) for point in article.key_points if shown_line(point)]
    if not points:
        return Text("")
    grid = Table.grid(padding=(0, 1, 1, 0), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    for point in points:
        grid.add_row(Text("•", style="bold"), Text(point, style="bold"))
    return grid
