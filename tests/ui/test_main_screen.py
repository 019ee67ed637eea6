"""Pilot tests of reading on the main screen, against a real Library over a temp SQLite
file: opening, marking read and starring, next unread and paging, key points beside the
body, what is kept after quitting, hostile titles shown literally, help, remapped keys,
links, focus and notices. The lists and refreshing are in test_main_screen_lists.py, long
bodies drawn in chunks in test_reader_body_chunks.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from screen_text import row_text, status_message, text_of
from seeding import HOSTILE_TITLE
from textual.widgets import Static
from ui_app import make_app, settle

from readerterm.library import Library
from readerterm.ui.screens import decisions
from readerterm.ui.screens.help import HelpScreen
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.article_list import ArticleList
from readerterm.ui.widgets.feed_list import FeedList
from readerterm.ui.widgets.reader import ReaderPane


async def test_navigate_open_marks_read_and_updates_counts(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        unread_before = library.subscriptions.total_unread()
        await pilot.press("j", "j", "k", "enter")
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        opened = library.reading.article_ids()[1]
        reader = app.screen.query_one(ReaderPane)
        assert articles.cursor == 1
        assert reader.article is not None and reader.article.id == opened
        assert library.reading.article(opened).read
        assert library.subscriptions.total_unread() == unread_before - 1
        feeds = app.screen.query_one(FeedList)
        assert row_text(feeds, 0).split()[-1] == str(unread_before - 1)
        header = text_of(app.screen.query_one("#article-header"))
        article = library.reading.article(opened)
        assert article.title in header
        assert article.feed_title in header and "min read" in header
        assert article.url is not None and article.url in header


@pytest.mark.parametrize(("size", "beside"), [((200, 50), True), ((100, 30), False)])
async def test_key_points_beside_the_body_when_wide(
    library: Library, size: tuple[int, int], beside: bool
) -> None:
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        points = app.screen.query_one("#key-points").region
        body = app.screen.query_one("#article-body").region
        assert points.width > 0 and points.height > 0
        assert body.width > 0 and body.height > 0
        if beside:
            assert points.right <= body.x
            assert points.width < body.width
            assert points.y < body.bottom and body.y < points.bottom  # rows overlap
        else:
            assert points.bottom <= body.y
        shown = str(app.screen.query_one("#key-points-text", Static).content)
        assert shown  # a rich renderable; the points themselves:
        article = app.screen.query_one(ReaderPane).article
        assert article is not None and len(article.key_points) == 3
        assert article.key_points_origin == "feed"


async def test_toggle_read_and_star_write_the_store(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        await pilot.press("m")
        assert library.reading.article(first).read
        await pilot.press("m")
        assert not library.reading.article(first).read
        await pilot.press("s")
        assert library.reading.article(first).starred
        assert "★" in row_text(app.screen.query_one(ArticleList), 0)
        await pilot.press("s")
        assert not library.reading.article(first).starred


async def test_in_an_empty_list_the_keys_act_on_the_story_on_screen(library: Library) -> None:
    # The Later list is empty and says "l puts a story there": l puts the story open in
    # the reader there (it did nothing); with no story on screen, a key says so.
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        first = library.reading.article_ids()[0]
        await pilot.press("enter", "4")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.article_list.focus()
        await pilot.pause()
        assert screen.article_list.row_count == 0 and screen.target_note() == "Story:"
        await pilot.press("l")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert library.reading.article(first).later
        assert screen.article_list.ids == [first]
        await pilot.press("3")  # Starred: empty; and now no story in the reader either
        await pilot.pause()
        screen.reader.show_article(None)
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert status_message(app) == "No story here to act on."


async def test_next_unread_skips_read_articles(library: Library) -> None:
    ids = library.reading.article_ids()
    library.reading.set_read(ids[1], True)
    library.reading.set_read(ids[2], True)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # opens ids[0]
        await pilot.press("n")
        await pilot.pause()
        reader = app.screen.query_one(ReaderPane)
        assert reader.article is not None and reader.article.id == ids[3]
        assert app.screen.query_one(ArticleList).cursor == 3
        assert library.reading.article(ids[3]).read


async def test_space_opens_then_pages_the_body(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("space")
        await pilot.pause()
        reader = app.screen.query_one(ReaderPane)
        assert reader.article is not None and reader.article.id == library.reading.article_ids()[0]
        assert reader.body.scroll_y == 0
        await pilot.press("space")
        await pilot.pause()
        assert reader.body.scroll_y > 0


async def test_state_persists_after_quit(db_path: Path, library: Library) -> None:
    app = make_app(library)
    first = library.reading.article_ids()[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "s", "q")
        await pilot.pause()
    assert app.return_code == 0
    library.close()
    reopened = Library.open_at(db_path)
    try:
        article = reopened.reading.article(first)
        assert article.read and article.starred
    finally:
        reopened.close()


async def test_hostile_titles_show_literally(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(200, 50)) as pilot:
        feeds = app.screen.query_one(FeedList)
        hostile_index = next(i for i in range(feeds.row_count) if "[bold]x" in row_text(feeds, i))
        assert row_text(feeds, hostile_index).strip().startswith("[bold]x[/]…")  # literal
        feeds.focus()
        feeds.move_cursor(hostile_index)
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        assert articles.row_count == 1
        assert HOSTILE_TITLE in row_text(articles, 0)
        # The list's border shows the feed's title as text: escaped in its markup form,
        # so no click action hides in it.
        assert "\\[@click=app.quit]" in (articles.border_title or "")
        # Clicking the row opens it: the title's fake click action must do nothing.
        await pilot.click(ArticleList, offset=(6, 1))  # row 0, inside the border
        await pilot.pause()
        assert app.is_running
        header = text_of(app.screen.query_one("#article-header"))
        assert header.startswith(HOSTILE_TITLE)


async def test_help_lists_every_binding(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        ids = {row[2] for row in app.screen.rows}
        for binding_id in (
            "cursor-down",
            "open-article",
            "next-unread",
            "toggle-read",
            "toggle-star",
            "open-in-browser",
            "refresh",
            "refresh-all",
            "quit",
            "help",
            "page-or-next",
        ):
            assert binding_id in ids
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_config_keys_remap_and_bad_entries_do_not_crash(library: Library) -> None:
    from readerterm.config import Config

    config = Config(keys={"toggle-read": "x", "no-such-binding": "y", "toggle-star": ",,"})
    app = make_app(library, config)
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        await pilot.press("x")
        assert library.reading.article(first).read
        await pilot.press("m")  # no longer bound
        assert library.reading.article(first).read


async def test_links_only_open_through_links_module(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str | None, tuple[str, ...]]] = []

    def fake_open(url: str | None, command: tuple[str, ...], *_: object) -> None:
        opened.append((url, tuple(command)))

    monkeypatch.setattr(decisions, "open_in_browser", fake_open)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter", "o")
        article = app.screen.query_one(ReaderPane).article
        assert article is not None
        assert opened == [(article.url, ())]
        from textual.widgets import Markdown

        markdown = app.screen.query_one("#article-markdown", Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.org/x"))
        await pilot.pause()
        assert opened[-1][0] == "https://example.org/x"


async def test_bad_link_is_a_notification(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("enter")
        await settle(pilot)  # the story shows once converted, on a thread
        from textual.widgets import Markdown

        markdown = app.screen.query_one("#article-markdown", Markdown)
        markdown.post_message(Markdown.LinkClicked(markdown, "javascript:alert(1)"))
        await pilot.pause()
        assert app.is_running
        assert any("not an http(s) link" in n.message for n in app._notifications)


async def test_tab_moves_focus_between_panes(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.focused, ArticleList)
        await pilot.press("enter", "tab")
        assert app.focused is not None and app.focused.id == "article-body"
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(app.focused, FeedList)


async def test_unknown_theme_and_notice_are_notifications(library: Library) -> None:
    from readerterm.config import Config
    from readerterm.ui.app import ReaderTermApp

    app = ReaderTermApp(
        library, Config(theme="no-such-theme"), refresh_on_start=False, notice="[b]Wrote[/b] x"
    )
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert "[b]Wrote[/b] x" in messages  # shown as plain text
        told = "Unknown theme 'no-such-theme' in the config ([settings] theme); using"
        assert any(m.startswith(told) and "lists every theme" in m for m in messages)
        assert app.theme == "textual-dark"


async def test_an_unknown_theme_names_the_config_file(library: Library, tmp_path: Path) -> None:
    from readerterm.config import Config
    from readerterm.ui.app import ReaderTermApp

    path = tmp_path / "config.toml"
    path.write_text('[settings]\ntheme = "nordd"\n', encoding="utf-8")
    app = ReaderTermApp(library, Config(theme="nordd"), config_path=path, refresh_on_start=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        told = f"Unknown theme 'nordd' in {path} ([settings] theme); using textual-dark."
        assert any(n.message.startswith(told) for n in app._notifications)


async def test_an_unknown_theme_read_again_is_not_called_a_change(
    library: Library, tmp_path: Path
) -> None:
    from readerterm.config import Config, FilterRule
    from readerterm.ui.app import ReaderTermApp

    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")
    app = ReaderTermApp(library, Config(), config_path=path, refresh_on_start=False)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        theme = app.theme
        app.apply_config(Config(theme="nordd"), True)
        await pilot.pause()
        told = [n.message for n in app._notifications]
        assert app.theme == theme and any(m.startswith("Unknown theme 'nordd'") for m in told)
        assert not any(m.startswith("Config read again") for m in told), told
        app.apply_config(Config(theme="nord", filters=(FilterRule(words=("x",)),)), True)
        await app.workers.wait_for_complete()  # (the filters hide the hostile story first)
        await pilot.pause()
        told = [n.message for n in app._notifications]
        said = "Config read again: theme, filters (1 story hidden, 0 shown again)."
        assert app.theme == "nord" and said in told, told


async def test_a_search_for_markup_is_searched_for(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"[/] [@click=app.quit]", "enter")
        await pilot.pause()
        assert app.is_running
        articles = app.screen.query_one(ArticleList)
        assert "\\[/]" in (articles.border_title or "")


async def test_a_key_turns_over_the_state_shown_not_one_another_reader_stored(
    library: Library, db_path: Path
) -> None:
    # Another reader starred the story; this one still showed it unstarred, and `s` (meant
    # to star it) unstarred it, without a word.
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        story = articles.highlighted_id
        assert story is not None and not articles.shown_row(story).starred  # type: ignore[union-attr]
        other = Library.open_at(db_path, offline=True)
        try:
            other.reading.set_starred(story, True)
        finally:
            other.close()
        await pilot.press("s")
        await pilot.pause()
        (row,) = library.reading.article_rows([story])
        assert row.starred  # starred, as the user who saw it unstarred meant
        # The next look at the store (a refresh, a timer) draws the rows again.
        other = Library.open_at(db_path, offline=True)
        try:
            other.reading.set_read(story, True)
        finally:
            other.close()
        app.screen.listing.sync_from_library(ids=False)
        await pilot.pause()
        articles.row_at(articles.cursor)  # (drawn again)
        shown = articles.shown_row(story)
        assert shown is not None and shown.read
