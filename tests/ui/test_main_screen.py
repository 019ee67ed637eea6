"""Pilot tests of the main screen against a real Library over a temp SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from seeding import HOSTILE_TITLE, UNREACHABLE
from textual.widgets import Static

from conftest import ScriptedLibrary, make_app
from readerterm.library import FEEDS_IN_FLIGHT_WHILE_READING, Library
from readerterm.ui.screens import decisions
from readerterm.ui.screens.help import HelpScreen
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.article_list import ArticleList
from readerterm.ui.widgets.feed_list import FeedList
from readerterm.ui.widgets.reader import ReaderPane


def text_of(widget: object) -> str:
    """The plain text a Static shows (its Content)."""
    content = widget.content  # type: ignore[attr-defined]
    return str(getattr(content, "plain", content))


def row_text(widget: FeedList | ArticleList, index: int) -> str:
    """What the list draws for row `index` (it must be on screen)."""
    y = index - round(widget.scroll_offset.y)
    return widget.render_line(y).text


def screen_of(app: object) -> MainScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, MainScreen)
    return screen


async def test_panes_fill_from_the_cache(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        feeds = app.screen.query_one(FeedList)
        articles = app.screen.query_one(ArticleList)
        titles = [row_text(feeds, i).strip() for i in range(feeds.row_count)]
        assert [t.rsplit(" ", 1)[0].strip() for t in titles[:5]] == [
            "All articles",
            "Unread",
            "Starred",
            "Later",
            "Today",
        ]
        assert row_text(feeds, 0).split()[-1] == str(library.subscriptions.total_unread())
        # Tags group their feeds (Science is in two groups), untagged feeds come last.
        assert [t.split()[0] for t in titles[5:]] == [
            "#",
            "World",
            "#",
            "Science",
            "#",
            "Science",
            "Tech",
            "[bold]x[/]",
            "Unreachable",
        ]
        assert titles[5].startswith("# news") and titles[7].startswith("# science")
        assert list(articles.ids) == library.reading.article_ids()
        first = library.reading.article_rows([articles.ids[0]])[0]
        assert first.title[:30] in row_text(articles, 0)
        assert row_text(articles, 0).rstrip().endswith("30m")  # 0.5 h before the fixed clock
        assert app.screen.query_one(ReaderPane).article is None
        assert not screen_of(app).refreshing


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
        assert "[bold]x[/] [@click=" in row_text(feeds, hostile_index)
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


async def test_failed_refresh_marks_the_feed(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        feeds = app.screen.query_one(FeedList)
        unreachable = next(f for f in library.subscriptions.feeds() if f.url == UNREACHABLE)
        index = next(i for i, e in enumerate(feeds.entries) if e.feed_id == unreachable.id)
        feeds.focus()
        feeds.move_cursor(index)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        feed = next(f for f in library.subscriptions.feeds() if f.url == UNREACHABLE)
        assert feed.error
        assert row_text(feeds, index).startswith("! ")
        status = text_of(app.screen.query_one("#status-message"))
        assert "Unreachable" in status and feed.error in status
        messages = [n.message for n in app._notifications]
        assert any(feed.error in message for message in messages)


async def test_refresh_streams_new_articles_and_keeps_the_cursor(
    scripted_library: ScriptedLibrary,
) -> None:
    lib = scripted_library
    app = make_app(lib)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("j", "j")
        articles = app.screen.query_one(ArticleList)
        kept = articles.highlighted_id
        count = articles.row_count
        await pilot.press("R")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert articles.row_count == count + 2
        assert articles.highlighted_id == kept
        failed = [f for f in lib.subscriptions.feeds() if f.error]
        assert len(failed) == len(lib.subscriptions.feeds()) - 1
        pane = app.screen.query_one(FeedList)
        failed_ids = {f.id for f in failed}
        marked = [row_text(pane, i).startswith("! ") for i in range(pane.row_count)]
        assert marked == [e.feed_id in failed_ids for e in pane.entries]
        assert any(marked)
        messages = " ".join(n.message for n in app._notifications)
        assert "2 new articles" in messages
        assert "connection refused" in messages
        assert not screen_of(app).refreshing
    # Fewer feeds at once than a command: answers coming together stall the reader less.
    assert lib.at_once == [FEEDS_IN_FLIGHT_WHILE_READING] and FEEDS_IN_FLIGHT_WHILE_READING < 64


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


async def test_offline_refuses_to_refresh(db_path: Path, library: Library) -> None:
    library.close()
    offline = Library.open_at(db_path, offline=True)
    app = make_app(offline)
    try:
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.press("R")
            await pilot.pause()
            assert not screen_of(app).refreshing
            assert any("Offline" in n.message for n in app._notifications)
    finally:
        offline.close()


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


async def test_hundred_thousand_articles_page_in_only_what_is_visible() -> None:
    from fake_library import BigFakeLibrary
    from seeding import NOW

    from readerterm.config import Config
    from readerterm.ui.app import ReaderTermApp

    fake = BigFakeLibrary(100_000)
    app = ReaderTermApp(fake, Config(), refresh_on_start=False, now=lambda: NOW)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.screen.query_one(ArticleList)
        assert articles.row_count == 100_000
        await pilot.press("end")
        await pilot.pause()
        assert articles.cursor == 99_999
        assert "Story number 100000" in row_text(articles, 99_999)
        await pilot.press("k", "k", "pageup")
        await pilot.pause()
        assert max(fake.row_requests) <= ArticleList.PAGE_SIZE
        assert sum(fake.row_requests) <= 4 * ArticleList.PAGE_SIZE


async def test_refresh_on_start_streams_into_the_filled_panes(
    scripted_library: ScriptedLibrary,
) -> None:
    from seeding import NOW

    from readerterm.config import Config
    from readerterm.ui.app import ReaderTermApp
    from readerterm.ui.messages import FeedRefreshed, RefreshFinished, RefreshStarted

    seen: list[object] = []
    app = ReaderTermApp(scripted_library, Config(), refresh_on_start=True, now=lambda: NOW)
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        unique = list({id(m): m for m in seen}.values())  # a hook may see a message twice
        started = [m for m in unique if isinstance(m, RefreshStarted)]
        assert [m.feed_count for m in started] == [len(scripted_library.subscriptions.feeds())]
        assert len([m for m in unique if isinstance(m, FeedRefreshed)]) == started[0].feed_count
        assert len([m for m in unique if isinstance(m, RefreshFinished)]) == 1
        assert app.screen.query_one(ArticleList).row_count == len(
            scripted_library.reading.article_ids()
        )


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
        assert any("no-such-theme" in m for m in messages)
        assert app.theme == "textual-dark"


def test_split_body_keeps_every_character_and_cuts_at_paragraphs() -> None:
    from readerterm.ui.widgets.reader import split_body

    body = "\n\n".join(f"Paragraph {i} " + "word " * 50 for i in range(100))
    chunks = split_body(body, 1_000)
    assert "".join(chunks) == body
    assert len(chunks) > 5
    assert all(chunk.startswith("\n\n") for chunk in chunks[1:])
    assert split_body("short") == ["short"]


async def test_long_body_is_rendered_in_chunks_as_the_reader_scrolls() -> None:
    from dataclasses import replace

    from fake_library import BigFakeLibrary
    from seeding import NOW
    from textual.widgets import Markdown

    from readerterm.config import Config
    from readerterm.models import Article
    from readerterm.text.safe import clean_text
    from readerterm.ui.app import ReaderTermApp

    body = "\n\n".join(
        f"## Part {i}\n\n" + "A sentence of the long story. " * 30 for i in range(120)
    )

    class LongLibrary(BigFakeLibrary):
        def article(self, article_id: int) -> Article:
            return replace(super().article(article_id), body=body, words=len(body.split()))

    app = ReaderTermApp(LongLibrary(10), Config(), refresh_on_start=False, now=lambda: NOW)  # type: ignore[arg-type]
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        markdown = app.screen.query_one("#article-markdown", Markdown)
        # Only what is near the screen is rendered at first; the rest follows the scroll.
        assert len(markdown.source) < len(body)
        reader_body = app.screen.query_one("#article-body")
        expected = clean_text(body)  # the reader shows bodies cleaned for the terminal
        for _ in range(300):
            if markdown.source == expected and len(markdown.children) >= 240:
                break
            reader_body.scroll_end(animate=False)
            await pilot.pause(0.02)
        assert markdown.source == expected
        assert len(markdown.children) == 240  # 120 headings + 120 paragraphs, none twice


async def test_a_search_for_markup_is_searched_for(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash", *"[/] [@click=app.quit]", "enter")
        await pilot.pause()
        assert app.is_running
        articles = app.screen.query_one(ArticleList)
        assert "\\[/]" in (articles.border_title or "")


async def test_a_long_list_draws_its_position_a_click_jumps_and_a_drag_moves(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        articles = app.screen.query_one(ArticleList)
        height = articles.scrollable_content_region.height
        assert articles.row_count > height  # the list overflows: a bar shows where we are
        assert articles.thumb_rows() == (0, max(1, round(height * height / articles.row_count)))
        # The bar is the last cell of every row; its thumb and track look different.
        first, last = articles.render_line(0), articles.render_line(height - 1)
        assert first.cell_length == last.cell_length == articles.row_width
        assert list(first)[-1].style != list(last)[-1].style
        # A click at the foot of the bar (content origin is inside the border) jumps to
        # the last article, and the thumb follows it down.
        await pilot.click(ArticleList, offset=(articles.row_width, height))
        await pilot.pause()
        assert articles.cursor == articles.row_count - 1
        thumb = articles.thumb_rows()
        assert thumb is not None and thumb[1] == height
        # Dragging along the bar back to its top brings the cursor to the first article.
        await pilot.mouse_down(ArticleList, offset=(articles.row_width, height))
        await pilot.hover(ArticleList, offset=(articles.row_width, 1))
        await pilot.mouse_up(ArticleList, offset=(articles.row_width, 1))
        await pilot.pause()
        assert articles.cursor == 0
        assert articles.thumb_rows() == (0, thumb[1] - thumb[0])


async def test_an_empty_list_says_which_list_it_is_and_the_key_that_fills_it(
    library: Library,
) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen: MainScreen = app.screen  # type: ignore[assignment]
        await pilot.press("3")  # Starred: nothing starred in the seeded library
        await pilot.pause()
        first_line = screen.article_list.render_line(0).text
        assert "No starred stories: s stars the one under the cursor." in first_line
        await pilot.press("4")
        await pilot.pause()
        assert "Nothing on the Later list: l puts a story there." in (
            screen.article_list.render_line(0).text
        )
        await pilot.press("slash")
        for key in "zzqxj":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        text = screen.article_list.render_line(0).text
        assert "No stories match this search (escape closes it)." in text


async def test_what_an_empty_list_says_wraps_in_a_narrow_pane(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen: MainScreen = app.screen  # type: ignore[assignment]
        await pilot.press("3")
        await pilot.pause()
        shown = " ".join(screen.article_list.render_line(y).text.strip() for y in range(3))
        assert "No starred stories: s stars the one under the cursor." in shown
