"""Small modal dialogs: a yes/no confirmation and the article tag editor.
Each returns its answer through `dismiss` (None when cancelled)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ..formatting import shown_line
from ..key_lookup import PALETTE, key_for
from ..keys import bindings, key_may_run
from ..widgets.typed_input import TypedInput

T = TypeVar("T")


class Dialog(ModalScreen[T | None], Generic[T]):
    """A centred box; Escape cancels. Tab moves between its fields at once, before the
    keys typed after it are handed on (Textual's own Tab would act only once the key
    had passed through the focused field, after the next letters went to that field)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("dialog"),
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
    ]

    key_scopes: ClassVar[tuple[str, ...]] = ("dialog",)
    """The scopes of keys.py its bindings come from."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return key_may_run(self.app, self.key_scopes, action, parameters)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def key_hint(self, action: str) -> str:
        """The key that runs `action` here, as the user's [keys] map it, for the hints."""
        return key_for(self.app, action)


class ConfirmScreen(Dialog[bool]):
    """A question with a confirm button and a cancel button. y and n (confirm-yes and
    confirm-no, as a newsboat user expects) answer it too: bound here only, as y and n
    must type in the dialogs with a text box."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("confirm"))
    key_scopes = ("dialog", "confirm")

    def __init__(self, question: str, *, confirm: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-question")
            yield Static(classes="dialog-hint", id="confirm-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm, variant="primary", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm-hint", Static).update(Content(self.hint()))
        self.query_one("#confirm", Button).focus()

    def hint(self) -> str:
        """The answering keys as the user's [keys] map them ("y: Mark read · n or Escape:
        Cancel"); one left with no key is not named."""
        yes = self._keys("confirm")
        no = self._keys("decline", "cancel")
        parts = [f"{yes}: {self.confirm}" if yes else "", f"{no}: Cancel" if no else ""]
        return " · ".join(part for part in parts if part)

    def _keys(self, *actions: str) -> str:
        shown = [self.key_hint(action) for action in actions]
        return " or ".join(dict.fromkeys(key for key in shown if key != PALETTE))

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_decline(self) -> None:
        self.dismiss(None)


def parse_tags(text: str) -> list[str]:
    """Comma-separated tags, cleaned, blanks and repeats left out (first spelling kept)."""
    tags: list[str] = []
    for part in text.split(","):
        tag = shown_line(part)
        if tag and tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    return tags


class TagScreen(Dialog[list[str]]):
    """Edit an article's tags as a comma-separated line."""

    def __init__(self, title: str, tags: Sequence[str]) -> None:
        super().__init__()
        self.article_title = shown_line(title) or "(untitled)"
        self.tags = list(tags)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(f"Tags for: {self.article_title}"), classes="dialog-question")
            yield TypedInput(
                ", ".join(self.tags), placeholder="tags, separated by commas", id="tags-input"
            )
            yield Static(classes="dialog-hint", id="tags-hint")

    def on_mount(self) -> None:
        hint = f"Enter saves; an empty line removes every tag; {self.key_hint('cancel')} cancels."
        self.query_one("#tags-hint", Static).update(Content(hint))

    @on(Input.Submitted)
    def save(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(parse_tags(event.value))
