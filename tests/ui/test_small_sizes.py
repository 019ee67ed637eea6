"""At 60x20 the footers keep whole keys and their way out, the feed pane gives the article
list room, and help takes the screen; at 80x24, 100x30 and 200x50 they stay as they were.

Before: the main footer ended "u Undo t" (Triage cut after its key), triage's lost
"q Leave", the feed pane kept 28 of 60 columns (titles of 18 characters), and help's
"Does" column had 11 columns, a word or two a line."""

from __future__ import annotations

from typing import Any

from demo_story import demo_app, demo_library
from screen_text import row_text, screen_lines
from textual.widgets._footer import FooterKey
from ui_app import main_screen, open_triage, until

from readerterm.library import Library
from readerterm.ui.screens.help import HelpScreen
from readerterm.ui.widgets.key_footer import KeyFooter

__all__ = ["demo_library"]  # the fixture, used by name

MAIN_FOOTERS = {
    (60, 20): "Row: ? Keys n Next m Read s Star l Later d Dismiss u Undo",
    (80, 24): "Row: ? Keys n Next m Read s Star l Later d Dismiss u Undo t Triage / Search",
    (100, 30): "Row:  ? Keys  n Next  m Read  s Star  l Later  d Dismiss  u Undo  t Triage  "
    "/ Search   ▏^p palette",
}
TRIAGE_FOOTERS = {
    # (at 60 columns "u Back" and "? Keys" were left out before "o Open")
    (60, 20): "k Keep r Read s Star l Later d Dismiss u Back q Leave ? Keys",
    (80, 24): "k Keep r Read s Star l Later d Dismiss o Open u Back q Leave ? Keys",
    (100, 30): "k Keep  r Read  s Star  l Later  d Dismiss  o Open  u Back  q Leave  ? Keys"
    "            ▏^p palette",
}


def footer_line(app: Any) -> str:
    return screen_lines(app)[-1].strip()


def keys_inside(app: Any) -> bool:
    """Every key the footer holds lies whole inside the screen."""
    footer = app.screen.query_one(KeyFooter)
    keys = list(footer.query(FooterKey))
    return bool(keys) and all(key.region.right <= app.size.width for key in keys)


async def test_the_main_footer_shows_whole_keys_and_always_help(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(200, 50)) as pilot:
        # (from wide down and back: the footer is fitted again at each width)
        for size in [(60, 20), (80, 24), (100, 30), (60, 20)]:
            await pilot.resize_terminal(*size)
            expected = MAIN_FOOTERS[size]
            await until(pilot, lambda expected=expected: footer_line(app) == expected)
            assert footer_line(app) == expected, size
            assert keys_inside(app), size
        await pilot.resize_terminal(36, 20)  # ? Keys stays, whatever goes
        await until(pilot, lambda: footer_line(app) == "Row: ? Keys n Next m Read s Star")
        assert footer_line(app) == "Row: ? Keys n Next m Read s Star"


async def test_the_triage_footer_always_shows_its_way_out(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_triage(pilot)
        for size in [(60, 20), (80, 24), (100, 30), (60, 20)]:
            await pilot.resize_terminal(*size)
            expected = TRIAGE_FOOTERS[size]
            await until(pilot, lambda expected=expected: footer_line(app) == expected)
            assert footer_line(app) == expected, size
            assert keys_inside(app), size
        await pilot.resize_terminal(30, 20)
        await until(pilot, lambda: footer_line(app) == "k Keep u Back q Leave ? Keys")
        assert footer_line(app) == "k Keep u Back q Leave ? Keys"


async def test_the_feed_pane_narrows_on_a_narrow_terminal(demo_library: Library) -> None:
    """35% of the width, 22 columns at least, 28 at most: at 80 columns and wider the
    panes are as they were."""
    app = demo_app(demo_library)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = main_screen(pilot)
        widths = {}
        for size in [(60, 20), (70, 24), (80, 24), (100, 30), (200, 50), (60, 20)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            widths[size] = (screen.feed_list.size.width + 2, screen.article_list.size.width + 2)
            # "All articles" stays whole beside its count
            assert row_text(screen.feed_list, 0).split() == ["All", "articles", "28"], size
        assert widths[(60, 20)] == (22, 38)
        assert widths[(70, 24)] == (24, 46)
        assert widths[(80, 24)] == (28, 52)
        assert widths[(100, 30)] == (28, 72)
        assert widths[(200, 50)][0] == 28  # (three panes)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        title = row_text(screen.article_list, 0).split("…")[0]
        assert title.strip(" ●") == "Halvard Systems unveils"  # 18 characters before


async def test_help_takes_the_screen_at_60x20_and_keeps_its_way_out_in_view(
    demo_library: Library,
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        lines = screen_lines(app)
        # The dialog is the screen: nothing of the main screen shows around it.
        assert lines[0].startswith("╭") and lines[0].endswith("╮")
        assert lines[-1].startswith("╰") and lines[-1].endswith("╯")
        assert all(line.startswith("│") and line.endswith("│") for line in lines[1:-1])
        # "Does" has room for a few words a line.
        row = next(line for line in lines if "reload-config" in line)
        assert "Read the config file" in row
        row = next(line for line in lines if line.startswith("│ ?"))
        assert "Show every key" in row
        assert "esc / q / ? closes this screen" in lines[-1]
        await pilot.press("G")  # scrolled to the end, the way out is still in view
        await pilot.pause()
        assert "esc / q / ? closes this screen" in screen_lines(app)[-1]
        await pilot.resize_terminal(80, 24)  # from 80 columns, a dialog over the panes
        await pilot.press("g")
        await pilot.pause()
        await pilot.pause()
        lines = screen_lines(app)
        assert lines[0].startswith("╭─ Feeds")
        row = next(line for line in lines if "reload-config" in line)
        assert "Read the config file again" in row
        assert any("╰" in line and "esc / q / ? closes this screen" in line for line in lines)
