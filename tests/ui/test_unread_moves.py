"""Moving through unread stories across feeds (n and p, as newsboat's next-unread), and
what the decision keys act on after a switch of feeds: the reader's story when the
reader has the focus, the list's cursor when the list has it; the footer says which."""

from __future__ import annotations

from typing import Any

from seeding import HOSTILE_TITLE
from textual.widgets import Label, Static
from ui_app import make_app

from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.key_footer import KeyFooter


def main_screen(app: Any) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def feed_ids(library: Library) -> dict[str, int]:
    return {feed.title: feed.id for feed in library.subscriptions.feeds()}


def status_message(screen: MainScreen) -> str:
    content = screen.query_one("#status-message", Static).content
    return str(getattr(content, "plain", content))


def footer_note(screen: MainScreen) -> list[str]:
    return [str(label.content) for label in screen.query_one(KeyFooter).query(Label)]


async def show_feed(pilot: Any, screen: MainScreen, feed_id: int) -> None:
    """Choose a feed in the feed pane (Enter), which puts the focus on its list."""
    screen.feed_list.focus()
    screen.feed_list.select_feed(feed_id)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_n_goes_on_to_the_next_feed_with_unread_stories_and_p_back(
    library: Library,
) -> None:
    ids = feed_ids(library)
    world = library.reading.query(ArticleFilter(feed_id=ids["World"]))
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        await show_feed(pilot, screen, ids["World"])
        for _ in world:  # every World story, one after the other
            await pilot.press("n")
            await pilot.pause()
        assert all(library.reading.article(i).read for i in world)
        assert screen.selected_feed() is not None
        assert screen.selected_feed().id == ids["World"]  # type: ignore[union-attr]
        await pilot.press("n")  # the last unread of World was read: on to the next feed
        await pilot.pause()
        # The feed pane's order: news (World), science (Science), tech (Tech, Science) ...
        science = library.reading.query(ArticleFilter(feed_id=ids["Science"]))
        assert screen.selected_feed().id == ids["Science"]  # type: ignore[union-attr]
        assert screen.reader.article is not None and screen.reader.article.id == science[0]
        assert screen.article_list.highlighted_id == science[0]
        assert status_message(screen).startswith("No more unread in World: on to Science")
        await pilot.press("p")  # nothing unread above in Science; World is all read:
        await pilot.pause()  # back past the views to the last feeds of the pane
        # (the feed with the hostile title; Unreachable, last, has no stories)
        hostile = library.reading.query(ArticleFilter(feed_id=ids[HOSTILE_TITLE]))
        assert screen.selected_feed().id == ids[HOSTILE_TITLE]  # type: ignore[union-attr]
        assert screen.reader.article is not None and screen.reader.article.id == hostile[-1]
        assert status_message(screen).startswith("No more unread in Science: on to [bold]x")


async def test_only_when_nothing_is_unread_anywhere_does_n_say_so(library: Library) -> None:
    ids = feed_ids(library)
    everything = library.reading.article_ids()
    keep = library.reading.query(ArticleFilter(feed_id=ids["Tech"]))[2]
    library.reading.mark_read([i for i in everything if i != keep])
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = main_screen(app)
        await show_feed(pilot, screen, ids["World"])
        await pilot.press("n")  # World has nothing unread, Tech has one story
        await pilot.pause()
        assert screen.reader.article is not None and screen.reader.article.id == keep
        assert not app._notifications
        await pilot.press("n")
        await pilot.pause()
        assert status_message(screen) == "No unread stories anywhere."
        assert not app._notifications  # said once, in the status line, not again over it
        await pilot.press("m")  # the story is unread again: the note no longer holds
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert status_message(screen) != "No unread stories anywhere."


async def test_in_a_view_n_wraps_around_the_list_before_leaving_it(library: Library) -> None:
    ids = library.reading.article_ids()
    library.reading.set_read(ids[0], True)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        await pilot.press("G", "enter", "n")  # the last story, then n: back to the top
        await pilot.pause()
        assert screen.entry_key == "all"
        assert screen.reader.article is not None and screen.reader.article.id == ids[1]
        assert status_message(screen) == "No more unread below: from the top."
        rows = list(screen.article_list.ids)
        await pilot.press("p")  # the first story is read, the last was opened: from the end
        await pilot.pause()
        assert screen.reader.article.id == rows[-2]
        assert status_message(screen) == "No more unread above: from the bottom."
        await pilot.press("p")  # a move that needs no wrap says nothing
        await pilot.pause()
        assert screen.reader.article.id == rows[-3]
        assert status_message(screen) != "No more unread above: from the bottom."


async def test_after_switching_feeds_decisions_follow_the_focus(library: Library) -> None:
    ids = feed_ids(library)
    world = library.reading.query(ArticleFilter(feed_id=ids["World"]))
    tech = library.reading.query(ArticleFilter(feed_id=ids["Tech"]))
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main_screen(app)
        await show_feed(pilot, screen, ids["World"])
        await pilot.press("enter")  # World's first story in the reader
        await pilot.pause()
        await show_feed(pilot, screen, ids["Tech"])  # the list now shows Tech
        assert screen.reader.article is not None and screen.reader.article.id == world[0]
        # The list has the focus: the keys act on the row under its cursor.
        assert screen.focused is screen.article_list
        assert footer_note(screen) == ["Row:"]
        await pilot.press("s", "l")
        assert library.reading.article(tech[0]).starred
        assert library.reading.article(tech[0]).later
        assert not library.reading.article(world[0]).starred
        # The reader has the focus: the same keys act on the story it shows.
        screen.reader.body.focus()
        await pilot.pause()
        assert footer_note(screen) == ["Story:"]
        await pilot.press("s", "m")
        assert library.reading.article(world[0]).starred
        assert not library.reading.article(world[0]).read  # m: opened, then unread again
        assert library.reading.article(tech[0]).starred  # untouched
        assert screen.target_id() == world[0]  # e (fetch the page again) goes here too
        screen.article_list.focus()
        await pilot.pause()
        assert screen.target_id() == tech[0]
