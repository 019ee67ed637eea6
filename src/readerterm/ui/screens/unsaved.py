"""A write a key asked for that the store refused (a full disk, a read-only database).

The reader goes on showing what it showed, as the write did not happen, and says so once as
a warning: a burst of keys that all fail the same way gives one notification, not a stack
of identical ones."""

from __future__ import annotations

import time
from collections.abc import Callable
from weakref import WeakKeyDictionary

from textual.app import App
from textual.dom import DOMNode

from ...errors import ReaderTermError
from ..formatting import shown_line

QUIET_SECONDS = 6.0
"""The same warning is not shown again within this many seconds of the last time."""

_shown: WeakKeyDictionary[App[object], dict[str, float]] = WeakKeyDictionary()


def warn_once(node: DOMNode, message: str, *, clock: Callable[[], float] = time.monotonic) -> None:
    """Show `message` as a plain-text warning, unless it was shown in the last
    QUIET_SECONDS (by any screen of the same app)."""
    app = node.app
    shown = _shown.setdefault(app, {})
    now = clock()
    last = shown.get(message)
    if last is not None and now - last < QUIET_SECONDS:
        return
    shown[message] = now
    app.notify(message, title="Not saved", severity="warning", markup=False)


def not_saved(node: DOMNode, error: ReaderTermError) -> None:
    """A key's write failed: say why (once for a burst), in one cleaned line."""
    warn_once(node, shown_line(str(error)) or "The change could not be saved.")
