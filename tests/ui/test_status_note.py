"""What `n` says in the status line when it moves on to the next feed: the whole note fits
at 80x24 (the feed titles are cut with "…", never the destination or the count), and it
goes once the list it speaks of does (another view, a search) or a screen comes over it
(triage mode, help)."""

from __future__ import annotations

from typing import Any

import pytest
from demo_story import demo_app, demo_library
from rich.cells import cell_len
from screen_text import screen_lines
from textual.widgets import Static
from ui_app import make_app

from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.screens.triage import TriageScreen
from readerterm.ui.widgets.status_line import Aside, Name, fit_message, full_text

__all__ = ["demo_library"]  # the fixture, used by name


def main_screen(app: Any) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def status_message(screen: MainScreen) -> str:
    content = screen.query_one("#status-message", Static).content
    return str(getattr(content, "plain", content))


async def read_feed_then_move_on(pilot: Any, library: Library, title: str) -> MainScreen:
    """Choose the feed `title`, read each of its unread stories with n, then press n once
    more: on to the next feed."""
    screen = main_screen(pilot.app)
    feed = next(feed for feed in library.subscriptions.feeds() if feed.title == title)
    unread = library.reading.query(ArticleFilter(feed_id=feed.id, unread=True))
    screen.feed_list.focus()
    screen.feed_list.select_feed(feed.id)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    for _ in unread:
        await pilot.press("n")
        await pilot.pause()
    await pilot.press("n")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def test_names_lose_letters_before_the_words_do() -> None:
    parts = ("No more unread in ", Name("The Field Notebook"), ": on to ", Name("Tideline"), " (5)")
    assert fit_message(parts, 100) == "No more unread in The Field Notebook: on to Tideline (5)"
    assert fit_message(parts, 0) == fit_message(parts, 100)  # not laid out yet: whole
    # 30 cells of words: 14 left for the names, 7 each; 15, and the spare one goes to the
    # later name (the destination).
    assert fit_message(parts, 44) == "No more unread in The Fi…: on to Tideli… (5)"
    assert fit_message(parts, 45) == "No more unread in The Fi…: on to Tideline (5)"
    assert fit_message(parts, 40) == "No more unread in The…: on to Tide… (5)"


def test_an_aside_goes_before_a_name_is_cut_below_readable() -> None:
    left = Aside(("No more unread in ", Name("The Field Notebook"), ": on to "), "On to ")
    parts = (left, Name("Tideline: Climate & Energy"), " (5)")
    whole = "No more unread in The Field Notebook: on to Tideline: Climate & Energy (5)"
    assert full_text(parts) == whole
    assert fit_message(parts, 100) == whole
    # 30 cells of words leave 28 for the names at 58: 14 each, both readable.
    assert fit_message(parts, 58) == "No more unread in The Field Not…: on to Tideline: Cli… (5)"
    # At 50 they would get 10: the aside goes, and the destination is whole again.
    assert fit_message(parts, 50) == "On to Tideline: Climate & Energy (5)"
    assert fit_message(parts, 20) == "On to Tideline:… (5)"  # then it is cut


async def test_at_80x24_the_note_keeps_its_destination_and_count(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await read_feed_then_move_on(pilot, demo_library, "The Field Notebook — Science")
        assert screen.selected_feed().title == "Tideline: Climate & Energy"  # type: ignore[union-attr]
        message = status_message(screen)
        widget = screen.query_one("#status-message", Static)
        assert cell_len(message) <= widget.content_size.width
        # Both names would be cut to stubs ("The F…", "Tideli…"): the note gives up where
        # it came from and keeps where it went.
        assert message == "On to Tideline: Climate & Energy (1 of 5 unread)"
        line = next(line for line in screen_lines(app) if "On to " in line)
        assert message in line  # on screen whole, beside the counts
        assert line.rstrip().endswith("4 unread · 5 articles")


@pytest.mark.parametrize("change", ["triage", "search", "sort", "hidden", "help"])
async def test_the_note_goes_when_the_view_changes(library: Library, change: str) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await read_feed_then_move_on(pilot, library, "World")
        assert status_message(screen).startswith("No more unread in World: on to Science")
        await pilot.press("m")  # a change to a story keeps it: the list is the same
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert status_message(screen).startswith("No more unread in World: on to Science")
        if change == "triage":
            await pilot.press("t")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, TriageScreen)
            await pilot.press("r", "q")
        elif change == "search":
            await pilot.press("slash", *"plan", "enter")
        elif change == "help":  # a screen over the list, and back: nothing re-read
            await pilot.press("question_mark", "escape")
        else:
            await pilot.press("S" if change == "sort" else "H")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        assert "No more unread" not in status_message(screen)
        assert screen.unread_note == ""


async def test_the_counts_say_one_article_not_one_articles(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        await pilot.press("slash", *"Strait of Kessel", "enter")
        await pilot.pause()
        assert screen.article_list.row_count == 1
        line = next(line for line in screen_lines(app) if "unread in all" in line)
        assert line.rstrip().endswith("1 article · 28 unread in all")


async def test_the_counts_say_whose_they_are_in_a_narrowed_list(demo_library: Library) -> None:
    # An empty Starred list read "28 unread · 0 articles": the unread count is the whole
    # library's, the articles the list's.
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert screen_lines(app)[-2].rstrip().endswith("28 unread · 28 articles")  # (all)
        await pilot.press("3")
        await pilot.pause()
        assert screen_lines(app)[-2].rstrip().endswith("0 articles · 28 unread in all")


async def test_the_refresh_progress_says_nothing_before_a_feed_is_counted(
    demo_library: Library,
) -> None:
    """With sync on, R syncs before it refreshes, and the status line read "Refreshing 0"
    beside "syncing …" the whole time."""
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        progress = screen.query_one("#status-progress", Static)
        shown = []
        for counted in ((0, 0), (3, 0), (3, 10)):
            screen.refreshing, screen.refresh_progress = True, counted
            screen.show_status()
            await pilot.pause()
            shown.append(str(getattr(progress.content, "plain", progress.content)))
        assert shown == ["", "Refreshing 3", "Refreshing 3/10"]
