"""`d` hides a story (and marks it read); `H` shows dismissed and filtered stories where
they belong in the list. The cursor stays on its story, but a story revealed just above
it must show too: kept at its place on screen, a cursor on the list's first row left the
story revealed above it scrolled off."""

from __future__ import annotations

from screen_text import status_message
from ui_app import main_screen, make_app

from readerterm.library import Library
from readerterm.models import ArticleFilter


async def test_a_story_revealed_above_the_cursor_is_on_screen(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = main_screen(pilot).article_list
        first, second = articles.ids[:2]
        await pilot.press("d")  # the first story goes; the cursor is on the next one
        await pilot.pause()
        assert articles.highlighted_id == second and articles.cursor == 0
        await pilot.press("H")
        await pilot.pause()
        assert articles.ids[:2] == [first, second]
        assert articles.highlighted_id == second  # the cursor keeps its story
        assert round(articles.scroll_offset.y) == 0  # ... and the dismissed one shows


async def test_revealing_many_keeps_the_cursor_on_screen(library: Library) -> None:
    """A list that grows past its pane's height: the cursor was left below the last row
    (Textual refused the scroll, the list having had no scroll bar until then)."""
    ids = library.reading.query(ArticleFilter())  # in the list's order
    library.reading.set_flag(ids[:12], "dismissed", True)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = main_screen(pilot).article_list
        assert articles.highlighted_id == ids[12]
        await pilot.press("H")
        await pilot.pause()
        height = articles.scrollable_content_region.height
        assert height < 12  # (more revealed than the pane holds)
        top = round(articles.scroll_offset.y)
        assert articles.highlighted_id == ids[12] and articles.cursor == 12
        assert top == 12 - height + 1  # the cursor on the last row, the rest above it


async def test_d_marks_the_story_read_and_u_takes_both_back(library: Library) -> None:
    """d only hid the story: it stayed unread, so a sync server's unread count never
    reached zero, while triage mode's d marked it read."""
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = main_screen(pilot).article_list
        target = articles.highlighted_id
        assert target is not None and not library.reading.article(target).read
        await pilot.press("d")
        await pilot.pause()
        stored = library.reading.article(target)
        assert stored.dismissed and stored.read
        await pilot.press("u")  # one step: hidden and read both taken back
        await pilot.pause()
        stored = library.reading.article(target)
        assert not stored.dismissed and not stored.read
        assert status_message(app) == "Undone: dismissed 1 article."
