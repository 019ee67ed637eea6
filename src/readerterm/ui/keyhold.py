"""Keys typed while an input is being shown land in it.

A key Textual reads goes to the widget that has the focus at that moment. Opening the
add dialog (or the search box) moves the focus a little later, after the dialog is
mounted, so keys typed at once after `a` or `/` would go to the lists behind it (`t`
would start triage) or nowhere; triage mode shows once its first story is converted on a
thread, and the decisions typed after `t` would act on the lists. The app holds every key
from the moment such a screen is asked for until it has the focus, then replays them in
order.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.timer import Timer

HOLD_SECONDS = 1.0
"""The longest keys are held (should the input never be shown)."""
SLOW_HOLD_SECONDS = 10.0
"""The longest keys are held for a screen that waits on a thread (triage mode converts its
first story first): it comes unless the work fails, and then it comes all the same."""


class KeyHold:
    """The held keys of one app; the app's `on_event` hands each key to `take`."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._held: list[events.Key] | None = None
        self._deadline: Timer | None = None

    def hold(self, seconds: float = HOLD_SECONDS) -> None:
        """Hold every key from now until `release`, or `seconds` at most."""
        if self._held is None:
            self._held = []
            self._deadline = self._app.set_timer(seconds, self.release)

    def release(self) -> None:
        """Replay the held keys in order once the focus is set: the replay is queued
        behind the focus change and behind keys still waiting in the app's queue (which
        are held too until then)."""
        if self._held is not None:
            self._app.call_later(self._replay)

    def _replay(self) -> None:
        if self._deadline is not None:
            self._deadline.stop()
            self._deadline = None
        held, self._held = self._held, None
        for key in held or []:
            self._app.post_message(events.Key(key.key, key.character))

    def take(self, event: events.Event) -> bool:
        """Keep a key while holding; False: handle the event as usual."""
        if self._held is not None and isinstance(event, events.Key):
            self._held.append(event)
            return True
        return False


def hold_keys(app: App[Any], seconds: float = HOLD_SECONDS) -> None:
    """Hold keys until `release_keys`, `seconds` at most (an app without a KeyHold:
    nothing to do)."""
    hold = getattr(app, "key_hold", None)
    if isinstance(hold, KeyHold):
        hold.hold(seconds)


def release_keys(app: App[Any]) -> None:
    hold = getattr(app, "key_hold", None)
    if isinstance(hold, KeyHold):
        hold.release()
