"""A write the store refused is said once for a burst of keys, and again after a pause."""

from __future__ import annotations

from textual.app import App

from readerterm.errors import StoreError
from readerterm.ui.screens.unsaved import QUIET_SECONDS, not_saved, warn_once


async def test_the_same_warning_is_shown_once_in_a_burst_then_again_later() -> None:
    app: App[None] = App()
    now = [100.0]
    async with app.run_test(notifications=True) as pilot:
        for _ in range(10):
            warn_once(app.screen, "disk full", clock=lambda: now[0])
        warn_once(app.screen, "another reason", clock=lambda: now[0])
        now[0] += QUIET_SECONDS - 0.1
        warn_once(app.screen, "disk full", clock=lambda: now[0])
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["disk full", "another reason"]
        now[0] += 0.2
        warn_once(app.screen, "disk full", clock=lambda: now[0])
        await pilot.pause()
        notes = list(app._notifications)
    assert [n.message for n in notes] == ["disk full", "another reason", "disk full"]
    assert {(n.title, n.severity, n.markup) for n in notes} == {("Not saved", "warning", False)}


async def test_a_store_error_is_shown_on_one_clean_line() -> None:
    app: App[None] = App()
    async with app.run_test(notifications=True) as pilot:
        not_saved(app.screen, StoreError("/data/x.db: cannot write\x1b]0;owned\x07\n[b]now[/b]"))
        await pilot.pause()
        (note,) = list(app._notifications)
    assert "\x1b" not in note.message and "\n" not in note.message
    assert note.message.startswith("/data/x.db: cannot write") and "[b]now[/b]" in note.message
