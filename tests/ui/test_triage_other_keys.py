"""In triage mode a key of the main screen that triage does not take (m, n, j) says so in
a notice, one while such keys are pressed again and again, and changes nothing; triage's
own keys and keys bound nowhere say nothing."""

from __future__ import annotations

from typing import Any

from ui_app import make_app, open_triage, settle

from readerterm.library import Library
from readerterm.ui.screens.triage import NOT_HERE_SECONDS, TriageScreen


def notices(app: Any) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


async def test_main_screen_keys_in_triage_say_triage_does_not_take_them(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_triage(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        first = screen.article
        assert first is not None
        await pilot.press("m")
        await settle(pilot)
        told = notices(app)
        assert told == ["m does nothing in triage: use the keys below (q leaves)."]
        await pilot.press("m", "n", "j")  # (pressed again at once: no stack of notices)
        await settle(pilot)
        assert len(notices(app)) == 1
        later = screen.clock() + NOT_HERE_SECONDS
        screen.clock = lambda: later
        await pilot.press("j")
        await settle(pilot)
        assert notices(app)[1:] == ["j does nothing in triage: use the keys below (q leaves)."]
        # Nothing was decided or moved, and the story is still unread.
        assert screen.article is not None and screen.article.id == first.id
        assert screen.done == 0 and not library.reading.article(first.id).read
        screen.clock = lambda: later + NOT_HERE_SECONDS
        await pilot.press("enter")  # named as a sentence names it, not "⏎"
        await settle(pilot)
        assert notices(app)[2:] == ["Enter does nothing in triage: use the keys below (q leaves)."]
        await pilot.press("w", "k")  # (bound nowhere; triage's own Keep)
        await settle(pilot)
        assert len(notices(app)) == 3
        assert screen.done == 1
