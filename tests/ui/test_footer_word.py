"""The footer's word on what the decision keys act on ("Story:", "Row:") is right from
the first story opened: on a small terminal opening a story zooms the reader and gives it
the focus before the story (converted on a thread) arrives, and the word must follow."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from demo_story import demo_app, demo_library
from textual.widgets import Label
from ui_app import open_triage, until

from readerterm.library import Library
from readerterm.models import Article
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.key_footer import KeyFooter

__all__ = ["demo_library"]  # the fixture, used by name


def footer_word(screen: MainScreen) -> list[str]:
    return [str(label.content) for label in screen.query_one(KeyFooter).query(Label)]


async def test_the_first_story_opened_zoomed_says_story_once_it_is_shown(
    demo_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    arrive = asyncio.Event()
    convert = demo_library.reading.open_article

    async def slow_open(article_id: int) -> Article:
        await arrive.wait()  # a story whose conversion takes a moment
        return await convert(article_id)

    monkeypatch.setattr(demo_library.reading, "open_article", slow_open)
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen: Any = app.screen
        assert isinstance(screen, MainScreen)
        await pilot.pause()
        assert footer_word(screen) == ["Row:"]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.maximized is screen.reader and screen.reader_has_focus()
        assert screen.reader.article is None  # not there yet: the keys act on nothing
        assert footer_word(screen) == []
        arrive.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        assert screen.reader.article is not None
        assert footer_word(screen) == ["Story:"]


async def test_a_remapped_key_keeps_its_place_in_the_footer(demo_library: Library) -> None:
    # Textual moves a binding the user remapped to the end of its map: "... / Search y
    # Star" on the main screen, "... q Leave y Star ? Keys" in triage.
    from textual.widgets._footer import FooterKey

    from readerterm.config import Config
    from readerterm.ui.screens.triage import TriageScreen

    def actions(screen: Any) -> list[str]:
        return [key.action for key in screen.query_one(KeyFooter).query(FooterKey)]

    keys = {"toggle-star": "y", "triage-star": "y"}
    app = demo_app(demo_library, Config(keys=keys))
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        shown = actions(app.screen)
        assert shown.index("toggle_read") < shown.index("toggle_star") < shown.index("toggle_later")
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        shown = actions(app.screen)
        assert shown.index("decide('read')") < shown.index("decide('star')")
        assert shown.index("decide('star')") < shown.index("decide('later')")
        assert shown.index("help") > shown.index("leave")  # (after triage's own, as before)


async def test_a_resized_footer_keeps_the_way_out_in_view(demo_library: Library) -> None:
    # At 80 columns triage's footer showed "^p palette" and cut "q Leave" and "? Keys";
    # a reader shrunk from a wide terminal kept the palette key and lost "/ Search".
    from textual.widgets._footer import FooterKey

    from readerterm.config import Config

    def shown(screen: Any) -> list[str]:
        footer = screen.query_one(KeyFooter)
        return [
            key.action
            for key in footer.query(FooterKey)
            if key.region.right <= footer.region.right and key.region.width
        ]

    app = demo_app(demo_library, Config())
    async with app.run_test(size=(200, 50)) as pilot:
        # The footer draws its keys after the screen (and again after a resize).
        await until(pilot, lambda: "command_palette" in shown(app.screen))
        assert "command_palette" in shown(app.screen)
        await pilot.resize_terminal(80, 24)

        def narrow() -> bool:
            keys = shown(app.screen)
            return "search" in keys and "command_palette" not in keys

        await until(pilot, narrow)
        assert "search" in shown(app.screen) and "command_palette" not in shown(app.screen)
        await open_triage(pilot)
        await until(pilot, lambda: {"leave", "help"} <= set(shown(app.screen)))
        assert {"leave", "help"} <= set(shown(app.screen))
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        await pilot.pause()
        assert "command_palette" in shown(app.screen)


async def test_z_then_esc_gives_the_focus_back_to_the_list_at_100x30(
    demo_library: Library,
) -> None:
    # m, s, l, d act on the row again after the zoom, as before it; the reader kept the
    # focus once and the same keys then acted on the story.
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen: Any = app.screen
        await pilot.press("enter")  # a story open beside the list
        await pilot.pause()
        screen.article_list.focus()
        await pilot.pause()
        assert footer_word(screen)[0].startswith("Row:")
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is not None
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None
        assert screen.focused is screen.article_list
        assert footer_word(screen)[0].startswith("Row:")


async def assert_footer_hides_under(pilot: Any, key: str) -> None:
    """The screen on show keeps its key footer visible; `key` opens a screen over it, under
    which the footer hides; Escape closes that and the footer is back."""
    app = pilot.app
    below = app.screen
    footer = below.query_one(KeyFooter)
    assert footer.visible
    await pilot.press(key)
    await pilot.pause()
    assert app.screen is not below
    assert not footer.visible
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is below and footer.visible


async def test_the_footer_hides_its_keys_while_a_dialog_is_on_top(
    demo_library: Library,
) -> None:
    # The tag dialog's keys are Enter and Escape (its hint says so); the main screen's
    # n, m, s ... listed under it did nothing there.
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await assert_footer_hides_under(pilot, "T")


async def test_the_triage_footer_hides_its_keys_under_help(demo_library: Library) -> None:
    # At 80x24 help leaves the bottom line of triage showing: its k, r, s ... did nothing
    # there.
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert type(app.screen).__name__ == "TriageScreen"
        await assert_footer_hides_under(pilot, "question_mark")


async def test_no_word_while_typing_into_the_search_box(demo_library: Library) -> None:
    """A search with no match yet empties the list, and the word said "Story:" while the
    keys typed into the box; once in the (empty) results, they act on the story again."""
    app = demo_app(demo_library)
    async with app.run_test(size=(200, 50)) as pilot:
        screen: Any = app.screen
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.press("slash", "z", "z", "z")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.article_list.row_count == 0
        assert footer_word(screen) == []
        await pilot.press("enter")
        await pilot.pause()
        assert footer_word(screen) == ["Story:"]
