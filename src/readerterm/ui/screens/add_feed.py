"""The `a` dialog: subscribe to a feed by its URL or a web page's URL.

The page's feed is found by the library (discovery); when the page advertises other
feeds too, they are listed and the user can add any of them as well. Errors (not a
feed, already subscribed, offline) are shown in the dialog, as plain text.
Returns the ids of the feeds added (None or [] when nothing was).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...errors import ReaderTermError
from ...library import AddResult
from ...library.subscriptions import CannotAdd
from ..formatting import shown_line
from ..keyhold import release_keys
from ..keys import bindings
from ..widgets.typed_input import TypedInput
from .dialogs import Dialog, parse_tags

AddFeed = Callable[[str, Sequence[str], bool], Awaitable[AddResult]]
"""Subscribes to a URL with tags, unchecked when the flag is set
(Library.subscriptions.add_feed); raises ReaderTermError."""


class AddFeedScreen(Dialog[list[int]]):
    """URL and tags; Enter subscribes; other advertised feeds can be added after. Ctrl+F
    adds what Enter would even when it cannot be fetched or read now: at once, or after
    Enter's check failed. The URL must still be an http(s) one (the library says so)."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("dialog"), *bindings("add")]
    key_scopes = ("dialog", "add")

    def __init__(self, add: AddFeed, *, one_tag: bool = False) -> None:
        super().__init__()
        self.add = add
        self.one_tag = one_tag
        """With sync on a feed takes one tag (the server's folder): the tags box says so."""
        self.added: list[int] = []
        """Ids of the feeds subscribed in this dialog."""
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="add-feed"):
            yield Static(Content("Add a feed: its URL, or a web page that links to one"))
            yield TypedInput(placeholder="https://example.org/", id="add-url")
            tags = (
                "a tag: the server's folder (optional)"
                if self.one_tag
                else "tags, separated by commas (optional)"
            )
            yield TypedInput(placeholder=tags, id="add-tags")
            yield Static(id="add-message", classes="dialog-hint")
            yield OptionList(id="add-alternatives")
            yield Static(classes="dialog-hint", id="add-hint")

    def hint(self, closing: str) -> str:
        """The dialog's keys as the user's [keys] map them (Ctrl+F and Escape by default)."""
        anyway, close = self.key_hint("add_anyway"), self.key_hint("cancel")
        return f"Enter adds · {anyway} adds it unchecked · {close} {closing}"

    def on_mount(self) -> None:
        hint = self.hint("closes")
        self.query_one("#add-hint", Static).update(Content(hint))
        self.query_one("#add-alternatives", OptionList).display = False
        self.query_one("#add-url", Input).focus()
        # Keys typed while the dialog opened were held by the app: they go to the URL
        # (and, after a Tab, to the tags) now that the URL field has the focus.
        release_keys(self.app)

    def show_message(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#add-message", Static)
        message.update(Content(text))
        message.set_class(error, "-error")

    @property
    def tags(self) -> list[str]:
        return parse_tags(self.query_one("#add-tags", Input).value)

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        url = self.query_one("#add-url", Input).value.strip()
        if not url:
            self.show_message("Type the URL of a feed or of a site.", error=True)
            self.query_one("#add-url", Input).focus()
            return
        self.start(url)

    @on(OptionList.OptionSelected, "#add-alternatives")
    def add_alternative(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.start(event.option.id)

    def action_add_anyway(self) -> None:
        """Add what Enter would (the highlighted other feed, or the typed URL) unchecked."""
        options = self.query_one("#add-alternatives", OptionList)
        if options.has_focus and options.highlighted is not None:
            url = options.get_option_at_index(options.highlighted).id or ""
        else:
            url = self.query_one("#add-url", Input).value.strip()
        if not url:
            self.show_message("Type the URL of a feed or of a site.", error=True)
            self.query_one("#add-url", Input).focus()
            return
        self.start(url, force=True)

    def start(self, url: str, *, force: bool = False) -> None:
        """Subscribe to `url` unless a subscription is under way: cancelling one part-way
        (a new Enter or Ctrl+F) could leave the feed stored with its first fetch undone."""
        if self.busy:
            self.show_message("Still adding the feed: a moment.")
            return
        self.busy = True
        self.subscribe(url, force=force)

    @work(group="add-feed", exit_on_error=False)
    async def subscribe(self, url: str, *, force: bool = False) -> None:
        self.show_message(f"Looking for the feed at {shown_line(url)} …")
        try:
            result = await self.add(url, self.tags, force)
        except CannotAdd as error:
            self.show_message(f"{error}. {self.key_hint('add_anyway')} adds it anyway.", error=True)
            return
        except ReaderTermError as error:
            self.show_message(str(error), error=True)
            return
        finally:
            self.busy = False
        self.added.append(result.feed.id)
        title = shown_line(result.feed.title) or shown_line(result.feed.url)
        new = result.refresh.new_articles if result.refresh is not None else 0
        done = f"Subscribed to {title} ({new} articles)."
        others = [link for link in dict.fromkeys(result.alternatives) if shown_line(link)]
        if not others:
            self.dismiss(self.added)
            return
        self.show_message(f"{done} The page also offers these feeds; Enter adds one:")
        options = self.query_one("#add-alternatives", OptionList)
        options.clear_options()
        options.add_options([Option(Content(shown_line(link)), id=link) for link in others])
        options.display = True
        options.highlighted = 0
        options.focus()
        hint = self.hint("finishes")
        self.query_one("#add-hint", Static).update(Content(hint))

    def action_cancel(self) -> None:
        self.dismiss(self.added)
