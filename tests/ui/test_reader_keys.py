"""The reader answers the keys the lists and the help screen use: g and G go to the top
and the end of the story (G draws the chunks of a long body not drawn yet first), b pages
up as Space pages down; in a short pane, where header and key points scroll with the
body, they move that column."""

from __future__ import annotations

from typing import Any

import pytest
from demo_story import demo_app, demo_library, open_seed_story
from long_story import long_story, long_story_app
from screen_text import screen_lines
from textual.pilot import Pilot
from textual.widgets import Markdown
from ui_app import main_screen, settle, until

from readerterm.library import Library
from readerterm.text.safe import clean_text

__all__ = ["demo_library"]  # the fixture, used by name


def footer_line(app: Any) -> str:
    """The footer's keys, one space apart (wide, Textual puts two), without ^p palette."""
    return " ".join(screen_lines(app)[-1].split("▏")[0].split())


async def focus_the_reader(pilot: Pilot[Any]) -> None:
    screen = main_screen(pilot)
    screen.reader.body.focus()
    await pilot.pause()
    assert screen.reader_has_focus()


async def test_g_G_and_b_move_through_the_story(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(pilot)
        await focus_the_reader(pilot)
        scroller = screen.reader.scroller
        assert scroller.max_scroll_y > 2 * scroller.size.height  # some pages to move in
        await pilot.press("G")
        await until(pilot, lambda: scroller.scroll_y == scroller.max_scroll_y > 0)
        assert scroller.scroll_y == scroller.max_scroll_y > 0
        await pilot.press("b")
        await settle(pilot)
        moved = scroller.max_scroll_y - scroller.scroll_y
        assert scroller.size.height // 2 < moved <= scroller.size.height
        await pilot.press("g")
        await settle(pilot)
        assert scroller.scroll_y == 0
        # The story stays open and its row's state as it was: no key of the main
        # screen ran (b, g and G are bound nowhere else there).
        assert screen.reader.article is not None and screen.maximized is None


async def test_G_draws_a_long_body_to_its_end_and_g_comes_back_in_a_short_pane() -> None:
    body = long_story(60)
    app = long_story_app(body)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "escape")  # (opened zoomed; the lists come back)
        await settle(pilot)
        await focus_the_reader(pilot)
        reader = main_screen(pilot).reader
        assert reader.flowing  # header and key points scroll with the body
        markdown = reader.query_one("#article-markdown", Markdown)
        assert len(markdown.source) < len(body)
        await pilot.press("G")
        column = reader.column
        await until(
            pilot,
            lambda: (
                markdown.source == clean_text(body) and column.scroll_y == column.max_scroll_y > 0
            ),
        )
        assert markdown.source == clean_text(body)
        assert column.scroll_y == column.max_scroll_y > 0
        assert reader.body.scroll_y == 0
        await pilot.press("b")
        await settle(pilot)
        assert 0 < column.max_scroll_y - column.scroll_y <= column.size.height
        await pilot.press("g")
        await settle(pilot)
        assert column.scroll_y == 0


async def test_left_goes_back_the_way_right_came(demo_library: Library) -> None:
    """Right (or Enter) goes from the feed pane to the article list; Left comes back, and
    from the reader goes to the article list. l stays Later: only the arrow moves."""
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(pilot)
        await open_seed_story(pilot)
        await focus_the_reader(pilot)
        await pilot.press("left")
        await settle(pilot)
        assert screen.focused is screen.article_list
        await pilot.press("left")
        await settle(pilot)
        assert screen.focused is screen.feed_list
        await pilot.press("left")  # (the first pane: nowhere further)
        await settle(pilot)
        assert screen.focused is screen.feed_list
        await pilot.press("right")
        await settle(pilot)
        assert screen.focused is screen.article_list


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
async def test_left_in_a_zoomed_reader_brings_the_lists_back(
    demo_library: Library, size: tuple[int, int]
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=size) as pilot:
        screen = main_screen(pilot)
        await open_seed_story(pilot)
        if screen.maximized is None:  # (only a small terminal zooms on opening)
            await focus_the_reader(pilot)
            await pilot.press("z")
            await settle(pilot)
        assert screen.maximized is screen.reader
        await pilot.press("left")
        await settle(pilot)
        assert screen.maximized is None
        assert screen.focused is screen.article_list


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 50)])
async def test_a_zoomed_readers_footer_shows_the_way_back(
    demo_library: Library, size: tuple[int, int]
) -> None:
    """z Back, kept however narrow the footer (at 80x24 it takes / Search's place), and
    only while zoomed: the lists' footer has no z."""
    app = demo_app(demo_library)
    async with app.run_test(size=size) as pilot:
        screen = main_screen(pilot)
        await open_seed_story(pilot)
        if screen.maximized is None:
            await focus_the_reader(pilot)
            assert "z Back" not in footer_line(app)
            await pilot.press("z")
        await until(pilot, lambda: "z Back" in footer_line(app))
        assert screen.maximized is screen.reader
        assert footer_line(app).startswith("Story: ? Keys n Next")
        assert footer_line(app).endswith("z Back")
        await pilot.press("z")  # (the screen's z: back to the lists)
        await until(pilot, lambda: "z Back" not in footer_line(app))
        assert screen.maximized is None and "z Back" not in footer_line(app)
        await pilot.press("z")
        await until(pilot, lambda: "z Back" in footer_line(app))
        await pilot.press("escape")  # (Textual's way out says the same)
        await until(pilot, lambda: "z Back" not in footer_line(app))
        assert screen.maximized is None
