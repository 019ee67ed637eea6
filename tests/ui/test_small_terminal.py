"""A story on a small terminal: all its key points on screen with the start of its body,
the reader zoomed by opening it (Escape or z brings the lists back), and a footer that
keeps `?` and the most used keys. The story is the demo's seed story (see demo_story.py:
the repository has no "seed story" file; the demo's Strait of Kessel story, three
publisher key points of about 20 words, stands in for it)."""

from __future__ import annotations

from email.utils import format_datetime
from typing import Any

from demo_story import (
    DEMO_NOW,
    SEED_BODY_START,
    SEED_POINTS,
    demo_app,
    demo_library,
    open_seed_story,
)
from seeding import rss
from textual.widget import Widget
from textual.widgets import Label, Static

from readerterm.library import Library
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.article_header import fit_link
from readerterm.ui.widgets.key_footer import KeyFooter

__all__ = ["demo_library"]  # the fixture, used by name


def words(text: str) -> str:
    return " ".join(text.split())


def shown_text(widget: Widget) -> str:
    """What a widget draws, line by line, joined into one line of words."""
    return words(" ".join(widget.render_line(y).text for y in range(widget.size.height)))


def main_screen(app: Any) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def test_all_three_key_points_are_on_screen_at_80x24(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(app)
        assert screen.maximized is screen.reader  # opened zoomed, no second key
        points = screen.query_one("#key-points")
        text = screen.query_one("#key-points-text", Static)
        # The block is as tall as the points need: nothing is left to scroll to, and all
        # of it lies inside the screen, above the status line and the footer.
        assert points.max_scroll_y == 0
        assert text.region.bottom <= points.region.bottom <= screen.size.height - 2
        shown = shown_text(text)
        for point in SEED_POINTS:
            assert words(point) in shown
        # The body starts below them, with its first lines on screen.
        body = screen.reader.body
        assert body.region.y >= points.region.bottom
        assert body.region.height >= 5 and body.region.bottom <= screen.size.height - 2
        first_paragraph = screen.query_one("#article-markdown").children[0]
        assert shown_text(first_paragraph).startswith(SEED_BODY_START)


LONG_POINTS = tuple(
    f"Point {n}: the harbour authority said on Tuesday that the inspection queue at the "
    f"new checkpoint would be cleared by the weekend if the weather held and crews {n}."
    for n in (1, 2, 3)
)


async def test_longer_key_points_grow_their_block_before_the_body_takes_the_rest(
    demo_library: Library,
) -> None:
    """Three points of about 28 words each: the block grows to them, the body keeps room."""
    feed = demo_library.subscriptions.subscribe("https://example.org/long.xml")
    story = {
        "title": "Long points",
        "link": "https://example.org/long",
        "guid": "long-1",
        "author": "A. Writer",
        "date": format_datetime(DEMO_NOW),
        "content": "<ul>"
        + "".join(f"<li>{point}</li>" for point in LONG_POINTS)
        + "</ul>"
        + "<p>The body begins here. "
        + "More of the body follows. " * 200
        + "</p>",
    }
    demo_library.refresher.ingest_document(feed.id, rss("Long", [story]))
    assert all(len(point.split()) >= 28 for point in LONG_POINTS)
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        index = screen.article_list.index_of(
            next(
                row.id
                for row in demo_library.reading.article_rows(screen.article_list.ids)
                if row.title == "Long points"
            )
        )
        assert index is not None
        await pilot.press(*["j"] * index, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        points = screen.query_one("#key-points")
        assert points.max_scroll_y == 0
        shown = shown_text(screen.query_one("#key-points-text", Static))
        assert all(words(point) in shown for point in LONG_POINTS)
        assert screen.reader.body.region.height >= 5


async def test_all_key_points_show_unzoomed_at_100x30(demo_library: Library) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(app)
        assert screen.maximized is None  # 100x30 has room for the lists too
        points = screen.query_one("#key-points")
        assert points.max_scroll_y == 0
        shown = shown_text(screen.query_one("#key-points-text", Static))
        assert all(words(point) in shown for point in SEED_POINTS)
        assert screen.reader.body.region.height >= 5


async def test_escape_or_z_brings_the_lists_back_on_a_small_terminal(
    demo_library: Library,
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(app)
        assert screen.maximized is screen.reader
        assert screen.reader_has_focus()
        await pilot.press("escape")
        await pilot.pause()
        assert screen.maximized is None
        assert screen.focused is screen.article_list  # one pane at a time: the list
        await pilot.press("n")  # the next unread story opens zoomed again
        await pilot.pause()
        assert screen.maximized is screen.reader
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None and screen.focused is screen.article_list


async def test_the_footer_at_80x24_keeps_help_and_the_most_used_keys(
    demo_library: Library,
) -> None:
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await pilot.pause()
        footer = screen.query_one(KeyFooter)

        def keys_on_screen() -> dict[str, str]:
            shown = {}
            for key in footer.children:
                if isinstance(key, Label):
                    continue
                region = key.region
                if region.width and region.right <= 80:
                    shown[str(getattr(key, "key_display", ""))] = str(key.description)  # type: ignore[attr-defined]
            return shown

        shown = keys_on_screen()
        assert next(iter(shown)) == "?"
        for key in ("?", "n", "m", "s", "l", "d", "u", "t", "/"):
            assert key in shown, shown
        labels = [child for child in footer.children if isinstance(child, Label)]
        assert [str(label.content) for label in labels] == ["Row:"]
        await open_seed_story(pilot)  # zoomed: the reader has the focus
        await pilot.pause()
        labels = [child for child in footer.children if isinstance(child, Label)]
        assert [str(label.content) for label in labels] == ["Story:"]
        assert "?" in keys_on_screen()


async def test_the_header_breaks_between_facts_not_inside_one(demo_library: Library) -> None:
    """At 80 columns "Tideline: Climate & Energy · Callum Reyes · Mon 23 Nov 2026 21:15 ·
    3 min read" is two columns too long: the reading time goes to a line of its own; at 60
    the date goes too. Wider, the facts share one line."""
    title = "Offshore wind farm at Greyhaven Bank starts supplying power to 400,000 homes"
    rows = demo_library.reading.article_rows(demo_library.reading.article_ids())
    story_id = next(row.id for row in rows if row.title == title)
    facts = ["Tideline: Climate & Energy", "Callum Reyes", "Mon 23 Nov 2026 21:15", "3 min read"]
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        index = screen.article_list.index_of(story_id)
        assert index is not None
        await pilot.press(*["j"] * index, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = screen.query_one("#article-header", Static)

        def fact_lines() -> list[list[str]]:
            lines = [header.render_line(y).text.strip() for y in range(header.size.height)]
            return [
                line.split(" · ")
                for line in lines
                if "Callum" in line or "min read" in line or "Nov 2026" in line
            ]

        assert fact_lines() == [facts[:3], facts[3:]]
        for size, expected in (((60, 24), [facts[:2], facts[2:]]), ((200, 50), [facts])):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.pause()
            assert fact_lines() == expected, size


LONG_LINK = (
    "https://news.example.org/world/2026/12/07/"
    "harbour-clears-the-checkpoint-queue-before-the-storm"
)  # 94 characters: more than the header's 76 columns at 80x24, less than its 100 at 200x50


async def test_a_long_link_keeps_one_line_with_its_host_and_end(demo_library: Library) -> None:
    """A link longer than the header would fold anywhere (a URL has no space), even inside
    its host; it keeps one line, its host and the end of its path, and shows whole when
    the terminal is wide enough."""
    feed = demo_library.subscriptions.subscribe("https://example.org/links.xml")
    story = {"title": "Long link", "link": LONG_LINK, "guid": "link-1", "author": "A. Writer",
             "date": format_datetime(DEMO_NOW), "content": "<p>The body.</p>"}  # fmt: skip
    demo_library.refresher.ingest_document(feed.id, rss("Links", [story]))
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        rows = demo_library.reading.article_rows(screen.article_list.ids)
        index = screen.article_list.index_of(next(r.id for r in rows if r.title == "Long link"))
        assert index is not None
        await pilot.press(*["j"] * index, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        header = screen.query_one("#article-header", Static)

        def link_lines() -> list[str]:
            lines = [header.render_line(y).text.strip() for y in range(header.size.height)]
            return [line for line in lines if "example.org" in line or "storm" in line]

        (shown,) = link_lines()
        assert header.size.width < len(LONG_LINK)
        assert shown.startswith("https://news.example.org…") and shown.endswith("-the-storm")
        assert len(shown) <= header.size.width
        await pilot.resize_terminal(200, 50)
        await pilot.pause()
        await pilot.pause()
        assert header.size.width >= len(LONG_LINK)
        assert link_lines() == [LONG_LINK]


def test_a_link_without_room_for_its_path_keeps_its_host_or_the_end_of_it() -> None:
    assert fit_link(LONG_LINK, 30) == "https://news.example.org…"
    assert fit_link(LONG_LINK, 40, label=7) == "https://news.example.org…"  # after "Image: "
    # A host longer than the line keeps its end: the domain that owns it, not a lure.
    lure = "https://www.paypal.com.account-check.login-verify.evil.example/signin"
    assert fit_link(lure, 66) == "https://www.paypal.com.account-check.login-verify.evil.example…"
    assert fit_link(lure, 60) == "…www.paypal.com.account-check.login-verify.evil.example"
    assert fit_link(lure, 30) == "…eck.login-verify.evil.example"
    assert fit_link("no-scheme-and-very-long-text", 10) == "no-scheme…"
    assert fit_link("https://例え.jp/" + "記事" * 40, 40) == "https://例え.jp…" + "記事" * 6
    assert fit_link(LONG_LINK, None) == fit_link(LONG_LINK, len(LONG_LINK)) == LONG_LINK


async def test_the_lists_get_the_larger_share_of_a_small_terminal(demo_library: Library) -> None:
    """At 80x24 the feed pane showed only its five views, no feed: a small terminal reads a
    story zoomed, so the lists take three fifths of the height, the reader the rest."""
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        feeds, reader = screen.feed_list, screen.reader
        assert feeds.region.height > reader.region.height
        shown = shown_text(feeds)
        for feed in demo_library.subscriptions.feeds():
            assert words(feed.title)[:7] in shown, feed.title
        await pilot.resize_terminal(120, 40)  # not small: the reader has the larger share
        await pilot.pause()
        assert feeds.region.height < reader.region.height


async def test_keys_on_the_zoomed_story_show_their_effect_in_its_header(
    demo_library: Library,
) -> None:
    """Zoomed, no list is on screen: `s`, `l`, `m` changed the story with nothing to show
    for it. The header names the story's marks, and undo takes them off again."""
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(app)
        header = screen.query_one("#article-header", Static)
        assert screen.maximized is screen.reader
        assert not any(mark in shown_text(header) for mark in ("unread", "starred", "later"))
        await pilot.press("s", "l", "m")
        await pilot.pause()
        assert "● unread · ★ starred · ◷ later" in shown_text(header)
        story = screen.reader.article
        assert story is not None and demo_library.reading.article(story.id).starred
        await pilot.press("u", "u")
        await pilot.pause()
        shown = shown_text(header)
        assert "★ starred" in shown and "unread" not in shown and "later" not in shown
        await pilot.press("d")
        await pilot.pause()
        assert "✕ dismissed" in shown_text(header)


async def test_the_header_follows_marks_made_elsewhere(demo_library: Library) -> None:
    """A sync (or another reader) that stars the story on screen: the lists were read
    again after it, the header kept saying what it said before."""
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(app)
        header = screen.query_one("#article-header", Static)
        story = screen.reader.article
        assert story is not None and "starred" not in shown_text(header)
        elsewhere = Library.open_at(demo_library.store.path)
        try:
            elsewhere.reading.set_flag([story.id], "starred", True)
        finally:
            elsewhere.close()
        screen.listing.start_sync_off_loop()  # as after a sync or a refresh
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "★ starred" in shown_text(header)


async def test_a_story_brought_back_from_the_reader_returns_to_the_list(
    demo_library: Library,
) -> None:
    """`d` in the reader hid the story from the list; `d` again brought it back in the
    store and the header, but the list went on without it."""
    app = demo_app(demo_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seed_story(pilot)
        screen = main_screen(app)
        story = screen.reader.article
        assert story is not None and screen.reader_has_focus()
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert story.id not in screen.article_list.ids
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert story.id in screen.article_list.ids
        assert "dismissed" not in shown_text(screen.query_one("#article-header", Static))
