"""`/` search: results as the article list, problems under the box, Escape restores the
view, Enter goes to the list; saved searches are virtual feeds."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input
from ui_app import make_app, until

from readerterm.config import Config
from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.article_list import ArticleList
from readerterm.ui.widgets.feed_list import FeedList
from readerterm.ui.widgets.reader import ReaderPane
from readerterm.ui.widgets.search_bar import SearchBar


async def search(app: Any, pilot: Any, text: str) -> None:
    """Type `text` into the open search box (as one paste) and wait for the results."""
    app.screen.query_one("#search-input", Input).value = text
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def problems(app: Any) -> str:
    widget = app.screen.query_one("#search-problems")
    return str(getattr(widget.content, "plain", widget.content)) if widget.display else ""


async def test_typing_shows_ranked_results_and_escape_restores(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.screen.query_one(ArticleList)
        await pilot.press("j", "j")
        before = articles.highlighted_id
        await pilot.press("slash")
        bar = app.screen.query_one(SearchBar)
        assert bar.is_open and isinstance(app.focused, Input)
        await pilot.press(*"story", "space", "4")  # typed key by key, debounced
        await app.workers.wait_for_complete()
        await pilot.pause()
        expected = library.reading.query(
            library.reading.search("story 4", base=ArticleFilter(sort="rank")).view
        )
        assert expected and list(articles.ids) == expected
        assert "story 4" in (articles.border_title or "")
        await pilot.press("escape")
        await pilot.pause()
        assert not bar.is_open
        assert list(articles.ids) == library.reading.article_ids()
        assert articles.highlighted_id == before
        assert app.focused is articles


async def test_enter_goes_to_the_results(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"Science", "enter")
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        assert app.focused is articles
        assert articles.row_count > 0
        await pilot.press("enter")  # opens the first result
        await pilot.pause()
        article = app.screen.query_one("#reader", ReaderPane).article
        assert article is not None and article.id == articles.ids[0]
        await pilot.press("escape")  # from the results too, back to the view
        await pilot.pause()
        assert list(articles.ids) == library.reading.article_ids()
        assert not app.screen.query_one(SearchBar).is_open


async def test_the_footer_in_the_box_offers_its_keys_and_not_the_one_that_types(
    library: Library,
) -> None:
    from textual.widgets._footer import FooterKey

    from readerterm.ui.widgets.key_footer import KeyFooter

    def shown() -> list[str]:
        return [key.action for key in app.screen.query_one(KeyFooter).query(FooterKey)]

    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        # The footer draws its keys after the screen (and again after a focus change).
        await until(pilot, lambda: "search" in shown())
        assert "search" in shown()
        await pilot.press("slash")
        await until(pilot, lambda: "submit" in shown())
        assert "submit" in shown() and "close" in shown()
        assert "search" not in shown()  # "/" now types a slash into the box
        await pilot.press("escape")
        await until(pilot, lambda: "search" in shown() and "submit" not in shown())
        assert "search" in shown() and "submit" not in shown()


async def test_the_results_key_remapped_still_goes_to_the_results(library: Library) -> None:
    app = make_app(library, Config(keys={"search-results": "ctrl+j"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"Science", "ctrl+j")
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        assert app.focused is articles and articles.row_count > 0


@pytest.mark.parametrize(
    "text",
    [
        '"officials announce',
        '"new plan"',
        "plan AND",
        "AND OR NOT",
        "*",
        "pla*",
        "NEAR(plan city",
        "plan)",
        "title:plan",
        "''",
        "-plan",
        "^plan",
        "a" * 500,
    ],
)
async def test_fts_syntax_is_searched_for_never_a_crash(library: Library, text: str) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await search(app, pilot, text)
        assert app.is_running
        articles = app.screen.query_one(ArticleList)
        expected = library.reading.query(
            library.reading.search(text, base=ArticleFilter(sort="rank")).view
        )
        assert list(articles.ids) == expected
    if text in ('"new plan"', "pla*", "plan AND"):
        assert expected  # operators are words here, so these still find the stories


async def test_query_syntax_and_problems(library: Library) -> None:
    library.reading.set_flag(library.reading.article_ids()[:2], "starred", True)
    tech = next(f for f in library.subscriptions.feeds() if f.title == "Tech")
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.screen.query_one(ArticleList)
        await pilot.press("slash")
        await search(app, pilot, "feed:tech")
        assert articles.ids and {r.feed_id for r in library.reading.article_rows(articles.ids)} == {
            tech.id
        }
        await search(app, pilot, "is:starred")
        assert list(articles.ids) == library.reading.article_ids()[:2]
        await search(app, pilot, "tag:science plan")
        rows = library.reading.article_rows(articles.ids)
        assert rows and all(r.feed_title == "Science" for r in rows)
        await search(app, pilot, "plan after:2026-13-45")
        assert "after:2026-13-45 is not a date" in problems(app)
        assert articles.row_count > 0  # the rest of the query still runs
        await search(app, pilot, "is:maybe")
        assert "is:maybe is not a state" in problems(app)
        # Nothing left to search for: the list searched from, not the whole library (it
        # showed every story under "Search: is:maybe", and M there marked them all read).
        assert list(articles.ids) == library.reading.article_ids()
        assert str(articles.border_title) == "All articles"
        await search(app, pilot, "plan")
        assert problems(app) == ""
        await search(app, pilot, "")
        assert list(articles.ids) == library.reading.article_ids()
        assert str(articles.border_title) == "All articles"  # (it kept "Search: plan")


async def test_saved_searches_are_virtual_feeds(library: Library) -> None:
    config = Config(searches={"Tech plans": "feed:Tech plan", "Broken": "is:nope"})
    app = make_app(library, config)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        feeds = app.screen.query_one(FeedList)
        articles = app.screen.query_one(ArticleList)
        keys = [entry.key for entry in feeds.entries]
        assert keys[5:7] == ["search:Tech plans", "search:Broken"]
        assert "⌕ Tech plans" in feeds.render_line(5).text
        feeds.focus()
        feeds.move_cursor(5)
        await pilot.pause()
        expected = library.reading.query(library.reading.search("feed:Tech plan").view)
        assert expected and list(articles.ids) == expected
        assert articles.border_title == "Tech plans"
        feeds.move_cursor(6)
        await pilot.pause()
        assert any("is:nope is not a state" in n.message for n in app._notifications)


async def test_choosing_a_feed_closes_the_search(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await search(app, pilot, "plan")
        screen = app.screen
        assert isinstance(screen, MainScreen) and screen.search_view is not None
        screen.feed_list.select_key("starred")
        await pilot.pause()
        assert screen.search_view is None
        assert not screen.search_bar.is_open


async def test_stories_not_yet_indexed_are_named_under_the_box_and_found_after(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Queue every story for the index again, as a big refresh leaves them, and make the
    # queue too long for the search to work it off itself.
    store = library.store
    store.db.execute("INSERT OR IGNORE INTO search_pending SELECT article_id FROM article_texts")
    store.db.execute("DELETE FROM article_search")
    waiting = store.search.pending_search_count()
    assert waiting > 1
    monkeypatch.setattr("readerterm.store.views.SEARCH_INDEXES_FIRST", 1)
    library.writer.index_in_background = lambda: None  # type: ignore[method-assign]
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await search(app, pilot, "Science")
        assert f"{waiting:,} stories just fetched are still being indexed" in problems(app)
        assert app.screen.query_one(ArticleList).row_count == 0

        store.search.index_pending(None)
        await search(app, pilot, "Science ")
        assert problems(app) == ""
        assert app.screen.query_one(ArticleList).row_count > 0


async def test_the_app_indexes_what_waits_for_search_in_the_background(
    library: Library,
) -> None:
    store = library.store
    store.db.execute("INSERT OR IGNORE INTO search_pending SELECT article_id FROM article_texts")
    assert store.search.pending_search_count() > 0
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(500):  # bounded wait for the writer thread, no timing asserted
            await pilot.pause(0.01)
            if store.search.pending_search_count() == 0:
                break
        assert store.search.pending_search_count() == 0


async def test_search_from_the_zoomed_reader_brings_the_lists_back(library: Library) -> None:
    # `/` in the zoomed reader searched out of sight: the box and results stayed hidden
    # behind the reader while the keys went on acting on the hidden list's rows.
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # a small terminal: opening a story zooms the reader
        await pilot.pause()
        screen = app.screen
        assert screen.maximized is not None
        await pilot.press("slash")
        await pilot.pause()
        assert screen.maximized is None
        assert screen.query_one(SearchBar).is_open and isinstance(app.focused, Input)
        await pilot.press(*"Science", "enter")
        await pilot.pause()
        articles = screen.query_one(ArticleList)
        assert app.focused is articles and articles.region.height > 0


async def test_escape_gives_the_focus_back_to_the_pane_searched_from(library: Library) -> None:
    """`/` from the reader, then Escape: the focus went to the list, so the next triage key
    acted on the highlighted row instead of the story being read."""
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen.query_one("#reader", ReaderPane)
        for _ in range(6):  # to the reader's pane
            if app.focused is not None and reader in app.focused.ancestors_with_self:
                break
            await pilot.press("tab")
        assert app.focused is not None and reader in app.focused.ancestors_with_self
        story_pane = app.focused
        for keys in (["slash"], ["slash", *"Science"]):
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
            assert not app.screen.query_one(SearchBar).is_open
            assert app.focused is story_pane, keys
        # From the results (Enter), where a story was opened: the list keeps the focus,
        # its cursor on that story, the one the reader shows.
        articles = app.screen.query_one(ArticleList)
        await pilot.press("slash", *"Science", "enter")
        await app.workers.wait_for_complete()
        await pilot.press("j", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        opened = reader.article
        assert opened is not None and opened.id == articles.ids[1]
        await pilot.press("escape")
        await pilot.pause()
        assert list(articles.ids) == library.reading.article_ids()
        assert app.focused is articles and articles.highlighted_id == opened.id


async def test_escape_after_a_search_from_the_zoomed_reader_focuses_the_list(
    library: Library,
) -> None:
    """The search brought the lists back; in that small layout the list has the focus."""
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.maximized is not None
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.focused is app.screen.query_one(ArticleList)
