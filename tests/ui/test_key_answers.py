"""What a key says back ("Undone: ...", "Sorted by feed.") goes to the status line, not a
notice: at 80x24 a notice covered the story being read. The answer stays until the next
one, or SAID_SECONDS, and the line then says what it said before."""

from __future__ import annotations

import pytest
from demo_story import demo_app, demo_library, open_seed_story
from screen_text import screen_lines, status_message, text_of
from ui_app import main_screen, until

from readerterm.library import Library
from readerterm.ui.screens import status

__all__ = ["demo_library"]  # the fixture, used by name


async def test_an_answer_covers_nothing_of_the_story_being_read(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(pilot)
        await until(pilot, lambda: screen.maximized is not None)  # under 100x30 it zooms
        await pilot.pause()
        before = screen_lines(app)
        await pilot.press("s", "u")
        await pilot.pause()
        after = screen_lines(app)
        assert status_message(app) == "Undone: starred 1 article."
        assert "Undone: starred 1 article." in after[-2]  # the status line, above the keys
        # Every other row is as it was: the reader's text is all there.
        assert after[:-2] == before[:-2]
        assert [n.message for n in app._notifications] == []


async def test_the_next_answer_replaces_it_and_it_goes_in_time(
    demo_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(status, "SAID_SECONDS", 0.3)
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert status_message(app) == "Offline: reading the cache"  # (the demo is offline)
        await pilot.press("u")
        await pilot.pause()
        assert status_message(app) == "Nothing to undo."
        await pilot.press("S")
        await pilot.pause()
        assert status_message(app) == "Sorted by feed."
        await until(pilot, lambda: status_message(app) == "Offline: reading the cache")
        assert status_message(app) == "Offline: reading the cache"


async def test_a_decision_takes_the_last_answer_away(demo_library: Library) -> None:
    # After u ("Undone: starred 1 article."), s and m changed the row while the line
    # still said what u had undone, for 6 s.
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s", "u")
        await until(pilot, lambda: status_message(app) == "Undone: starred 1 article.")
        await pilot.press("m")
        # (well before SAID_SECONDS, when the answer would go anyway)
        await until(pilot, lambda: status_message(app) == "Offline: reading the cache", 2)
        assert status_message(app) == "Offline: reading the cache"


async def test_a_warning_is_drawn_as_one(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("4")  # Later: empty, and no story open
        await until(pilot, lambda: not main_screen(pilot).article_list.row_count)
        await pilot.press("s")
        await pilot.pause()
        assert status_message(app) == "No story here to act on."
        assert app.screen.query_one("#status-message").has_class("-error")
        await pilot.press("u")
        await pilot.pause()
        assert not app.screen.query_one("#status-message").has_class("-error")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_on_a_small_screen_the_answer_has_the_line(
    demo_library: Library, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beside the notes ("by feed · hidden stories shown · 28 unread · 28 articles") the
    answer read "Dismissed and filte…" at 80 columns and "…" at 60."""
    monkeypatch.setattr(status, "SAID_SECONDS", 0.5)
    app = demo_app(demo_library)
    async with app.run_test(size=size) as pilot:
        await pilot.press("S", "H")
        await pilot.pause()
        said = "Dismissed and filtered articles are shown."
        assert status_message(app) == said
        assert said in screen_lines(app)[-2]
        counts = app.screen.query_one("#status-counts")
        assert text_of(counts) == "28 unread"
        await until(pilot, lambda: "hidden stories shown" in text_of(counts))
        assert text_of(counts).startswith("by feed · hidden stories shown · ")  # back
