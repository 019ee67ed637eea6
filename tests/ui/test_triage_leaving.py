"""Leaving triage mode comes back where it stopped: the list's cursor and the reader on the
story triage showed last (or, gone from the list, the nearest one still in it), without
marking that story read."""

from __future__ import annotations

from typing import Any

from demo_story import demo_app, demo_library, open_seed_story, seed_story_id
from ui_app import main_screen, make_app, settle

from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.ui.screens.triage import TriageScreen

__all__ = ["demo_library"]  # the fixture, used by name


async def start_triage(pilot: Any) -> TriageScreen:
    await pilot.press("t")
    await settle(pilot)
    triage = pilot.app.screen
    assert isinstance(triage, TriageScreen)
    return triage


async def test_leaving_comes_back_to_the_story_triage_stopped_at(demo_library: Library) -> None:
    # A reviewer at 80x24: open a story, t, Space, k, Esc. The list's cursor and the reader
    # went back to the story open before triage, not the one triage had reached.
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seed_story(pilot)
        triage = await start_triage(pilot)
        await pilot.press("space", "k")
        stopped = triage.ids[2]
        title = triage.query_one("#triage-title").render()
        assert demo_library.reading.article(stopped).title in str(title)
        unread = demo_library.subscriptions.total_unread()
        await pilot.press("escape")
        await settle(pilot)
        screen = main_screen(pilot)
        assert screen.article_list.highlighted_id == stopped
        assert screen.article_list.open_id is None  # shown, not opened
        assert screen.reader.article is not None and screen.reader.article.id == stopped
        assert screen.target_id() == stopped  # m, s, l, d act on it
        # Leaving decides nothing: the story stays unread, as do the counts.
        article = demo_library.reading.article
        assert not article(stopped).read
        assert (article(triage.ids[0]).read, article(triage.ids[1]).read) == (True, False)
        assert article(seed_story_id(demo_library)).read
        assert demo_library.subscriptions.total_unread() == unread
        # Space reads on: it opens the story (it used to page it, leaving it unread).
        screen.article_list.focus()
        await pilot.press("space")
        await settle(pilot)
        assert screen.article_list.open_id == stopped and article(stopped).read


async def test_leaving_at_once_keeps_the_story_being_read(demo_library: Library) -> None:
    # `t` by mistake, then Escape: the reader went to the first unread story instead.
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(pilot)
        seed = seed_story_id(demo_library)
        triage = await start_triage(pilot)
        assert triage.stopped_at != seed
        await pilot.press("escape")
        await settle(pilot)
        assert screen.article_list.highlighted_id == screen.article_list.open_id == seed
        assert screen.reader.article is not None and screen.reader.article.id == seed


async def test_a_last_story_gone_from_the_list_gives_way_to_the_one_after_it(
    library: Library,
) -> None:
    feed = next(f for f in library.subscriptions.feeds() if f.title == "Tech")
    listed = library.reading.query(ArticleFilter(feed_id=feed.id))
    library.reading.set_read(listed[-1], True)  # (not triaged: it follows the last one)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        main_screen(pilot).feed_list.select_feed(feed.id)
        await pilot.pause()
        triage = await start_triage(pilot)
        assert triage.ids == listed[:-1]
        await pilot.press(*["k"] * (len(triage.ids) - 1), "d", "escape")
        await settle(pilot)
        screen = main_screen(pilot)
        assert list(screen.article_list.ids) == listed[:-2] + listed[-1:]  # dismissed: hidden
        assert screen.article_list.highlighted_id == listed[-1]
        assert screen.reader.article is not None and screen.reader.article.id == listed[-1]


async def test_with_nothing_after_it_the_cursor_goes_to_the_one_before(library: Library) -> None:
    # The unread view loses the story read last; the stories kept unread before it stay.
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        triage = await start_triage(pilot)
        ids = list(triage.ids)
        await pilot.press(*["k"] * (len(ids) - 1), "r", "escape")
        await settle(pilot)
        screen = main_screen(pilot)
        assert list(screen.article_list.ids) == ids[:-1]
        assert screen.article_list.highlighted_id == ids[-2]
        assert screen.reader.article is not None and screen.reader.article.id == ids[-2]
        assert not library.reading.article(ids[-2]).read
