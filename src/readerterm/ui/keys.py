"""Every key binding of the reader as plain data (a user's [keys] table is checked
against it in keymap_check.py).

This module imports no Textual, so a config can be checked before the UI starts (and
cheaply). Widgets and screens build their BINDINGS from this table with
`bindings(scope)`, so the help screen, the command palette, the docs and the keymap
check all read the same list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .key_names import normalize_key

if TYPE_CHECKING:
    from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One binding: where it lives, its id (for [keys]), default keys and action."""

    scope: str
    id: str
    key: str
    action: str
    description: str
    show: bool = False
    key_display: str | None = None
    short: str | None = None
    """A shorter label for the footer (the description is shown in help)."""


SCOPE_NAMES = {
    "app": "everywhere",
    "main": "main screen",
    "lists": "feed and article lists",
    "feeds": "feed pane",
    "articles": "article list",
    "reader": "reader",
    "triage": "triage mode",
    "search": "search box",
    "dialog": "dialogs",
    "confirm": "yes/no questions",
    "add": "add-a-feed dialog",
    "help": "help screen",
}


def scope_heading(scope: str) -> str:
    """A scope's heading in the help screen and docs/keys.md ("Feed and article lists")."""
    title = SCOPE_NAMES[scope]
    return f"{title[0].upper()}{title[1:]}"


KEYS: tuple[KeySpec, ...] = (
    KeySpec("app", "quit", "q", "quit", "Quit"),
    KeySpec(
        "app",
        "reload-config",
        "ctrl+r",
        "reload_config",
        "Read the config file again (keys, theme, filters, feeds)",
    ),
    KeySpec(
        "app",
        "help",
        "question_mark",
        "help",
        "Show every key",
        show=True,
        key_display="?",
        short="Keys",
    ),
    # -- the main screen: reading and triage ------------------------------------------------
    KeySpec("main", "page-or-next", "space", "read_on", "Read on (open, page, next unread)"),
    KeySpec(
        "main",
        "next-unread",
        "n",
        "next_unread",
        "Next unread (at a feed's last, on to the next feed)",
        show=True,
        short="Next",
    ),
    KeySpec("main", "previous-unread", "p", "previous_unread", "Previous unread (feeds too)"),
    KeySpec("main", "toggle-read", "m", "toggle_read", "Read/unread", show=True, short="Read"),
    KeySpec("main", "toggle-star", "s", "toggle_star", "Star / unstar", show=True, short="Star"),
    KeySpec(
        "main",
        "toggle-later",
        "l",
        "toggle_later",
        "Later (reading queue) on/off",
        show=True,
        short="Later",
    ),
    KeySpec(
        "main",
        "dismiss",
        "d",
        "dismiss_article",
        "Dismiss (hide) / bring back",
        show=True,
        short="Dismiss",
    ),
    KeySpec("main", "mark-above-read", "A", "mark_above_read", "Mark all above the cursor read"),
    KeySpec("main", "mark-all-read", "M", "mark_all_read", "Mark the whole list read"),
    KeySpec("main", "undo", "u", "undo", "Undo the last change", show=True, short="Undo"),
    KeySpec("main", "open-in-browser", "o", "open_link", "Open in the browser"),
    KeySpec("main", "open-and-mark-read", "O", "open_link_and_read", "Open in browser, mark read"),
    KeySpec("main", "copy-link", "y", "copy_link", "Copy the link"),
    KeySpec(
        "main",
        "triage",
        "t",
        "triage",
        "Triage mode: one unread story at a time",
        show=True,
        short="Triage",
    ),
    KeySpec(
        "main",
        "search",
        "slash",
        "search",
        "Search (words, feed:, tag:, is:, after:)",
        show=True,
        key_display="/",
        short="Search",
    ),
    KeySpec("main", "tag-article", "T", "tag_article", "Tag the article"),
    KeySpec("main", "view-all", "1", "view('all')", "View: all articles"),
    KeySpec("main", "view-unread", "2", "view('unread')", "View: unread"),
    KeySpec("main", "view-starred", "3", "view('starred')", "View: starred"),
    KeySpec("main", "view-later", "4", "view('later')", "View: later"),
    KeySpec("main", "view-today", "5", "view('today')", "View: today"),
    KeySpec("main", "toggle-sort", "S", "toggle_sort", "Sort by date / feed"),
    KeySpec("main", "toggle-hidden", "H", "toggle_hidden", "Show/hide dismissed and filtered"),
    KeySpec("main", "refresh", "r", "refresh_feed", "Refresh"),
    KeySpec("main", "refresh-all", "R", "refresh_all", "Refresh all"),
    KeySpec("main", "add-feed", "a", "add_feed", "Add a feed"),
    KeySpec("main", "re-extract", "e", "re_extract", "Fetch the page again (re-extract)"),
    KeySpec("main", "stop-pages", "x", "stop_pages", "Stop fetching pages"),
    KeySpec("main", "zoom-reader", "z", "zoom", "Zoom the reader / bring the lists back"),
    KeySpec("main", "close-search", "escape", "close_search", "Close the search results"),
    # -- widgets --------------------------------------------------------------------------
    KeySpec("lists", "cursor-down", "j,down", "cursor_down", "Down"),
    KeySpec("lists", "cursor-up", "k,up", "cursor_up", "Up"),
    KeySpec("lists", "page-down", "pagedown", "page_down", "Page down"),
    KeySpec("lists", "page-up", "pageup", "page_up", "Page up"),
    KeySpec("lists", "first", "home,g", "first", "First"),
    KeySpec("lists", "last", "end,G", "last", "Last"),
    KeySpec("feeds", "choose-feed", "enter,right", "choose", "Go to the articles"),
    KeySpec("articles", "open-article", "enter", "open", "Open"),
    KeySpec("articles", "back-to-feeds", "left", "back", "Back to the feed pane"),
    KeySpec("reader", "cursor-down", "j", "scroll_down", "Scroll down"),
    KeySpec("reader", "cursor-up", "k", "scroll_up", "Scroll up"),
    # (ids of their own: the lists' `first`, `last` and `page-up` have other keys, and
    # a shared id would carry a key the user moved off the lists back to them)
    KeySpec("reader", "story-page-up", "b,pageup", "page_up", "Page up (Space pages down)"),
    KeySpec("reader", "story-top", "home,g", "scroll_home", "Top of the story"),
    KeySpec("reader", "story-end", "end,G", "scroll_end", "End of the story"),
    KeySpec(
        "reader",
        "back-to-articles",
        "left",
        "back",
        "Back to the article list (zoomed: the lists come back)",
    ),
    # (the main screen's `z`, shown in the footer only while the reader is zoomed, as
    # its way back: the same id, so a key given to one is given to both)
    KeySpec(
        "reader",
        "zoom-reader",
        "z",
        "zoom",
        "Bring the lists back (zoomed; Esc too)",
        show=True,
        short="Back",
    ),
    KeySpec(
        "search",
        "search-results",
        "enter",
        "submit",
        "Go to the results",
        show=True,
        short="Results",
    ),
    KeySpec(
        "search", "close-search", "escape", "close", "Close the search", show=True, short="Close"
    ),
    # -- triage mode: one key per decision, each moves on at once --------------------------
    KeySpec("triage", "triage-keep", "k", "decide('keep')", "Keep unread", show=True, short="Keep"),
    KeySpec("triage", "triage-read", "r,space", "decide('read')", "Read", show=True),
    KeySpec("triage", "triage-star", "s", "decide('star')", "Star", show=True),
    KeySpec("triage", "triage-later", "l", "decide('later')", "Later", show=True),
    KeySpec("triage", "triage-dismiss", "d", "decide('dismiss')", "Dismiss", show=True),
    KeySpec("triage", "triage-open", "o", "decide('open')", "Open", show=True),
    KeySpec("triage", "triage-copy", "y", "copy_link", "Copy the link"),
    KeySpec("triage", "triage-undo", "u", "undo", "Back", show=True),
    KeySpec("triage", "triage-leave", "q,escape", "leave", "Leave", show=True),
    # -- modal screens --------------------------------------------------------------------
    KeySpec("dialog", "close-dialog", "escape", "cancel", "Cancel"),
    # (only on the yes/no questions: in the dialogs with a text box y and n type)
    KeySpec("confirm", "confirm-yes", "y", "confirm", "Yes: do what it asks"),
    KeySpec("confirm", "confirm-no", "n", "decline", "No: cancel"),
    KeySpec("add", "add-anyway", "ctrl+f", "add_anyway", "Add the feed unchecked", show=True),
    KeySpec("help", "close-help", "escape,q,question_mark", "dismiss", "Close"),
    # (ids of their own: one shared with the lists or the reader would carry a key the
    # user moved off them there back to them, by way of this screen)
    KeySpec("help", "help-down", "j,down", "line_down", "Scroll down"),
    KeySpec("help", "help-up", "k,up", "line_up", "Scroll up"),
    KeySpec("help", "help-page-down", "space,pagedown", "page_down", "Page down"),
    KeySpec("help", "help-page-up", "b,pageup", "page_up", "Page up"),
    KeySpec("help", "help-top", "home,g", "top", "Top"),
    KeySpec("help", "help-bottom", "end,G", "bottom", "Bottom"),
)

CHAINS: tuple[tuple[str, ...], ...] = (
    ("app", "main", "lists", "articles"),
    ("app", "main", "lists", "feeds"),
    ("app", "main", "reader"),
    ("triage",),
    ("search",),
    ("dialog", "confirm"),
    ("dialog", "add"),
    ("help",),
)
"""Scopes whose bindings are live at the same time: one key may mean one thing in each."""

RESERVED = {
    "tab": "moving between panes",
    "shift+tab": "moving between panes",
    "ctrl+p": "the command palette",
    "ctrl+q": "quitting",
    "ctrl+c": "copying and quitting",
}
"""Keys Textual itself uses on every screen."""

TYPING_SCOPES = frozenset({"search", "add"})
"""Scopes where the focus is a text box: a printable key there types, binds nothing."""


def split_keys(keys: str) -> list[str]:
    """The keys of a comma-separated list, normalized, blanks left out."""
    return [normalize_key(key) for key in keys.split(",") if key.strip()]


def specs(scope: str) -> list[KeySpec]:
    return [spec for spec in KEYS if spec.scope == scope]


def binding_ids() -> set[str]:
    return {spec.id for spec in KEYS}


def bindings(scope: str) -> list[Binding]:
    """Textual bindings for one scope (imported lazily: this module stays Textual-free)."""
    from textual.binding import Binding

    return [
        Binding(
            spec.key,
            spec.action,
            spec.short or spec.description,
            tooltip=spec.description,
            show=spec.show,
            key_display=spec.key_display,
            id=spec.id,
        )
        for spec in specs(scope)
    ]


def effective_keys(spec: KeySpec, keymap: Mapping[str, str]) -> list[str]:
    """The keys a binding answers to once the user's [keys] table is applied."""
    return split_keys(keymap.get(spec.id) or spec.key)


@dataclass(frozen=True, slots=True)
class ResolvedKeys:
    """The keymap to hand Textual once the user's [keys] table is applied."""

    keymap: dict[str, str]
    """Binding id -> keys, for App.set_keymap: the user's entries, and the defaults that
    moved aside for them (with the keys they kept)."""
    unbound: frozenset[str]
    """Ids of default bindings that lost every key to the user's bindings."""

    def keys_of(self, spec: KeySpec) -> list[str]:
        """The keys `spec` answers to now (none when it is unbound)."""
        if spec.id in self.unbound:
            return []
        return split_keys(self.keymap.get(spec.id) or spec.key)

    @property
    def unbound_actions(self) -> frozenset[tuple[str, str]]:
        """(scope, action) of every unbound binding: their keys must not run them."""
        return frozenset((spec.scope, spec.action) for spec in KEYS if spec.id in self.unbound)


def resolve_keymap(keys: Mapping[str, str]) -> ResolvedKeys:
    """The user's bindings win: a default binding that shares a key with one of them,
    anywhere both are live at once, gives that key up and keeps its others; one left
    with no key is unbound (`?` shows it so). Clashes between two of the user's own
    bindings are `keymap_problems`; here the later one would simply win."""
    user = {binding_id: split_keys(value) for binding_id, value in keys.items()}
    taken: dict[tuple[str, ...], set[str]] = {}
    for chain in CHAINS:
        taken[chain] = {
            key for spec in KEYS if spec.scope in chain and spec.id in user for key in user[spec.id]
        }
    kept: dict[str, list[str]] = {}
    moved: set[str] = set()
    for spec in KEYS:
        if spec.id in user:
            continue
        chains = [chain for chain in CHAINS if spec.scope in chain]
        own = kept.setdefault(spec.id, [])
        for key in split_keys(spec.key):
            if any(key in taken[chain] for chain in chains):
                moved.add(spec.id)
            elif key not in own:
                own.append(key)
    keymap = {binding_id: ",".join(value) for binding_id, value in user.items() if value}
    unbound = set()
    for binding_id in moved:
        if kept[binding_id]:
            keymap[binding_id] = ",".join(kept[binding_id])
        else:
            unbound.add(binding_id)
    return ResolvedKeys(keymap, frozenset(unbound))


def action_text(action: str, parameters: Iterable[object]) -> str:
    """An action as KEYS writes it: `view('all')` for ("view", ("all",))."""
    parameters = tuple(parameters)
    if not parameters:
        return action
    return f"{action}({', '.join(repr(parameter) for parameter in parameters)})"


def key_may_run(
    app: object, scopes: Iterable[str], action: str, parameters: Iterable[object]
) -> bool:
    """False for the action of a binding the user's keys left unbound (its old key must
    not run it any more): the `check_action` of every node with bindings asks this. The
    command palette still runs it (`app.running_from_palette`)."""
    unbound: frozenset[tuple[str, str]] = getattr(app, "unbound_actions", frozenset())
    if not unbound or getattr(app, "running_from_palette", False):
        return True
    text = action_text(action, parameters)
    return all((scope, text) not in unbound for scope in scopes)
