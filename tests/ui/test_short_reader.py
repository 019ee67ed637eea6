"""The reader in a short pane: key points are never cut to a fragment (they scroll with
the body when they do not fit above it, so j/k reach every line), Space pages most of a
short zoomed reader, notifications keep clear of the status line, and a zoomed reader on
a wide terminal keeps its lines to a readable length. The stories are the demo's (see
demo_story.py); the seed story's own layouts are in test_small_terminal.py."""

from __future__ import annotations

from typing import Any

import pytest
from demo_story import demo_app, demo_library, open_seed_story
from long_story import long_story, long_story_app
from screen_text import screen_lines, status_message
from textual.pilot import Pilot
from textual.widgets import Markdown, Static
from textual.widgets._toast import Toast
from ui_app import main_screen, settle, until

from readerterm.library import Library
from readerterm.text.safe import clean_text

__all__ = ["demo_library"]  # the fixture, used by name

SNAIL = "Deep-sea survey finds glowing snail species"
"""Its title and byline wrap at 80 columns: under the lists at 80x24 its key points got
one line."""
LATTICE = "Lattice database maintainers vote to change licence"
"""Three long points: 1½ of them showed at 100x30 with the search bar open."""
HALVARD = "Halvard Systems unveils 2nm laptop chip"
"""Its title wraps at 80 columns: zoomed at 80x24, Space paged 7 lines at a time."""


async def open_story(pilot: Pilot[Any], title_start: str) -> None:
    """Move the list's cursor down to the story and press Enter, as a reader would."""
    await pilot.pause()
    screen = main_screen(pilot)
    rows = screen.library.reading.article_rows(screen.article_list.ids)
    story_id = next(row.id for row in rows if row.title.startswith(title_start))
    index = screen.article_list.index_of(story_id)
    assert index is not None
    await pilot.press(*["j"] * index, "enter")
    await settle(pilot)


def key_point_lines(pilot: Pilot[Any]) -> list[str]:
    """Every line the key points draw (heading and bullets), wherever they are."""
    text = main_screen(pilot).query_one("#key-points-text", Static)
    lines = (text.render_line(y).text.strip() for y in range(text.size.height))
    return [line for line in lines if line]


async def lines_seen_scrolling_down(pilot: Pilot[Any], presses: int) -> set[str]:
    """Every screen row shown from now on while the reader presses j `presses` times."""
    seen = set(screen_lines(pilot.app))
    for _ in range(presses):
        await pilot.press("j")
        await pilot.pause()
        seen.update(screen_lines(pilot.app))
    return seen


async def focus_the_reader(pilot: Pilot[Any]) -> None:
    screen = main_screen(pilot)
    for _ in range(6):
        if screen.reader_has_focus():
            return
        await pilot.press("tab")
        await pilot.pause()
    raise AssertionError("Tab never reached the reader")


def missing(points: list[str], seen: set[str]) -> list[str]:
    return [line for line in points if not any(line in row for row in seen)]


async def test_every_key_point_line_is_reachable_under_the_lists_at_80x24(
    demo_library: Library,
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_story(pilot, SNAIL)
        await pilot.press("escape")  # the lists come back above the reader
        await settle(pilot)
        screen = main_screen(pilot)
        assert screen.maximized is None
        points = key_point_lines(pilot)
        assert len(points) >= 7  # the heading and three bullets of two lines
        await focus_the_reader(pilot)
        seen = await lines_seen_scrolling_down(pilot, 10)
        assert missing(points, seen) == []
        # Ten lines further down, the title is gone; k brings it back.
        assert not any(SNAIL in row for row in screen_lines(pilot.app))
        await pilot.press(*["k"] * 10)
        await pilot.pause()
        assert any(SNAIL in row for row in screen_lines(pilot.app))


async def test_all_key_points_show_with_the_search_bar_open_at_100x30(
    demo_library: Library,
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_story(pilot, LATTICE)
        await pilot.press("slash")
        await settle(pilot)
        points = key_point_lines(pilot)
        assert len(points) >= 7
        assert missing(points, set(screen_lines(pilot.app))) == []


async def test_key_points_beside_the_body_go_above_it_when_they_do_not_fit(
    demo_library: Library,
) -> None:
    """130x24: zoomed, the seed story's points fit beside its body and stay there; under
    the lists (7 lines: a small terminal gives the lists the larger share) they would be
    cut, so they go above the body and scroll with it."""
    app = demo_app(demo_library)
    async with app.run_test(size=(130, 24)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(pilot)
        points, body = screen.query_one("#key-points").region, screen.reader.body.region
        assert screen.maximized is screen.reader
        assert points.right <= body.x  # beside the body
        await pilot.press("escape")
        await settle(pilot)
        points, body = screen.query_one("#key-points").region, screen.reader.body.region
        assert points.bottom <= body.y  # above it
        lines = key_point_lines(pilot)
        assert missing(lines[:1], set(screen_lines(pilot.app))) == []
        screen.reader.column.scroll_to(y=points.y - screen.reader.column.region.y)
        await settle(pilot)
        assert missing(lines, set(screen_lines(pilot.app))) == []  # scrolled to: whole


async def test_space_pages_most_of_a_short_zoomed_reader_at_80x24(
    demo_library: Library,
) -> None:
    """Header and key points scroll away with the body, so a page is the whole pane."""
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_story(pilot, HALVARD)
        screen = main_screen(pilot)
        assert screen.maximized is screen.reader  # opened zoomed
        reader = screen.reader.region
        before = screen_lines(pilot.app)[reader.y : reader.bottom]
        assert missing(key_point_lines(pilot), set(before)) == []  # all on screen first
        await pilot.press("space")
        await settle(pilot)
        after = screen_lines(pilot.app)[reader.y : reader.bottom]
        new = {row.strip(" │") for row in after} - {row.strip(" │") for row in before}
        assert len({row for row in new if row}) >= 12, after


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 50)])
async def test_notifications_keep_clear_of_the_status_line_and_the_reader_border(
    demo_library: Library, size: tuple[int, int]
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=size, notifications=True) as pilot:
        await open_story(pilot, SNAIL)
        screen = main_screen(pilot)
        bottom_rows = screen_lines(pilot.app)[-3:]  # the reader's border, status, footer
        pilot.app.notify("A notification of two lines\nto be read.", timeout=30)
        await settle(pilot)
        toast = screen.query_one(Toast).region
        reader = screen.reader.region
        assert toast.height > 0
        assert toast.bottom <= reader.bottom - 1  # above the reader's bottom border
        assert toast.right <= reader.right - 1  # inside its right border
        lines = screen_lines(pilot.app)
        assert lines[-3:] == bottom_rows  # nothing over them, not even one character
        assert all(line.rstrip().endswith("│") for line in lines[toast.y : toast.bottom])


async def test_a_zoomed_reader_keeps_the_body_to_100_columns_at_200x50(
    demo_library: Library,
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_story(pilot, HALVARD)
        screen = main_screen(pilot)
        markdown = screen.query_one("#article-markdown")
        unzoomed = markdown.region.width
        await pilot.press("z")
        await settle(pilot)
        assert screen.maximized is screen.reader
        assert 60 <= markdown.region.width <= 100
        await pilot.press("z")
        await settle(pilot)
        assert screen.maximized is None and markdown.region.width == unzoomed


async def test_a_long_story_scrolling_with_its_key_points_is_rendered_to_its_end() -> None:
    """Chunks of a long body are appended as the column (not the body) nears its end."""
    body = long_story(24)
    app = long_story_app(body)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "escape")
        await settle(pilot)
        await focus_the_reader(pilot)
        screen = main_screen(pilot)
        reader = screen.reader
        assert reader.flowing  # thirteen lines under the lists: no room to pin them
        opened = reader.article
        markdown = screen.query_one("#article-markdown", Markdown)
        assert len(markdown.source) < len(body)
        await pilot.press("end")  # the column's own keys work from the body too
        await until(pilot, lambda: reader.column.scroll_y > 0)
        assert reader.column.scroll_y > 0
        expected = clean_text(body)
        for _ in range(200):  # Space pages on, appending the body as it goes
            if markdown.source == expected:
                break
            await pilot.press("space")
            await pilot.pause()
        assert reader.article is opened  # Space did not move on before the end
        assert markdown.source == expected
        assert reader.column.scroll_y > 0 and reader.body.scroll_y == 0


@pytest.mark.parametrize("size", [(200, 50), (130, 60)])
async def test_key_points_beside_the_body_are_as_wide_as_the_reader_lays_them_out(
    demo_library: Library, size: tuple[int, int]
) -> None:
    # The reader wraps the key points at BESIDE_PERCENT of its width, at most BESIDE_MAX
    # (to decide whether they fit); the stylesheet gives them that width.
    from readerterm.ui.widgets.reader import BESIDE_MAX, BESIDE_PERCENT

    async with demo_app(demo_library).run_test(size=size) as pilot:
        await open_story(pilot, LATTICE)
        reader = main_screen(pilot).reader
        assert not reader.stacked and not reader.has_class("-no-key-points")
        key_points = reader.query_one("#key-points")
        assert not key_points.has_class("-flow")
        expected = min(reader.size.width * BESIDE_PERCENT // 100, BESIDE_MAX)
        assert abs(key_points.outer_size.width - expected) <= 1, (key_points.outer_size, expected)


async def test_z_with_no_story_open_says_so_and_keeps_the_lists(library: Library) -> None:
    # Zoomed with nothing open, the reader's hint offered Enter, which did nothing there.
    from ui_app import make_app

    from readerterm.ui.widgets.reader import ReaderPane

    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(ReaderPane).article is None
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None
        assert status_message(app) == "No story open to zoom: open one first."
