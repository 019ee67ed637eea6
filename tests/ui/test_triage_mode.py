"""Triage mode (`t`): one story at a time, one key per decision, undo goes back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screen_text import status_message
from seeding import rss, story
from ui_app import make_app, open_triage

from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.ui.screens import decisions
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.screens.triage import TriageScreen, first_paragraph
from readerterm.ui.widgets.article_list import ArticleList


def shown(app: Any, part: str) -> str:
    widget = app.screen.query_one(f"#triage-{part}")
    return str(getattr(widget.content, "plain", widget.content))


def states(db_path: Path, ids: list[int]) -> list[tuple[bool, bool, bool, bool]]:
    other = Library.open_at(db_path)
    try:
        rows = {row.id: row for row in other.reading.article_rows(ids)}
        return [(rows[i].read, rows[i].starred, rows[i].later, rows[i].dismissed) for i in ids]
    finally:
        other.close()


async def test_ten_stories_one_key_each(
    db_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr(decisions, "open_in_browser", lambda url, *_: opened.append(url))
    ids = library.reading.article_ids()
    app = make_app(library)
    keys = ["r", "s", "l", "d", "k", "o", "space", "r", "s", "k"]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_triage(pilot)
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert shown(app, "counter").startswith(f"{len(ids)} left · 0 done")
        for number, key in enumerate(keys):
            assert library.reading.article(ids[number]).title in shown(app, "title")
            await pilot.press(key)
        pressed = 1 + len(keys)
        assert pressed == 11  # one key to enter, then exactly one per story
        assert shown(app, "counter").startswith(f"{len(ids) - 10} left · 10 done")
        assert "last: kept unread" in shown(app, "counter")
        assert opened == [library.reading.article(ids[5]).url]
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    read, star, later, gone = True, True, True, True
    no = False
    assert states(db_path, ids[:10]) == [
        (read, no, no, no),
        (read, star, no, no),
        (read, no, later, no),
        (read, no, no, gone),
        (no, no, no, no),
        (read, no, no, no),
        (read, no, no, no),
        (read, no, no, no),
        (read, star, no, no),
        (no, no, no, no),
    ]


async def test_undo_goes_back_one_story_and_restores_it(db_path: Path, library: Library) -> None:
    ids = library.reading.article_ids()
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_triage(pilot)
        await pilot.press("s", "d")
        assert library.reading.article(ids[2]).title in shown(app, "title")
        await pilot.press("u")
        assert library.reading.article(ids[1]).title in shown(app, "title")
        assert states(db_path, ids[:2]) == [(True, True, False, False), (False,) * 4]
        await pilot.press("u")
        assert library.reading.article(ids[0]).title in shown(app, "title")
        assert states(db_path, ids[:1]) == [(False,) * 4]
        assert shown(app, "counter").startswith(f"{len(ids)} left · 0 done")


@pytest.mark.parametrize("key", ["d", "s", "l"])
async def test_one_u_after_leaving_takes_back_a_whole_decision(
    db_path: Path, library: Library, key: str
) -> None:
    # Dismiss (or star, later) also marks read: after leaving triage, the first u took
    # back only "read" and the story stayed dismissed.
    ids = library.reading.article_ids()
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_triage(pilot)
        await pilot.press("r", key, "q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("u")
        await pilot.pause()
        assert states(db_path, ids[1:2]) == [(False,) * 4]
        assert states(db_path, ids[:1])[0][0] is True  # (the decision before stays)
        await pilot.press("u")
        await pilot.pause()
        assert states(db_path, ids[:1]) == [(False,) * 4]


async def test_leaving_puts_the_main_counts_right(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        unread = library.subscriptions.total_unread()
        await open_triage(pilot)
        await pilot.press("r", "r", "r", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert library.subscriptions.total_unread() == unread - 3
        feeds_line = app.screen.query_one("#feeds").render_line(0).text
        assert feeds_line.split()[-1] == str(unread - 3)
        articles = app.screen.query_one(ArticleList)
        assert articles.row_count == len(library.reading.article_ids())


async def test_the_end_of_triage_names_the_keys_and_counts_in_words(library: Library) -> None:
    # "1 story decided", not "1 stories"; the keys to leave and take back as mapped.
    from readerterm.config import Config

    keys = {"triage-leave": "x", "triage-undo": "b"}
    app = make_app(library, Config(keys=keys))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await open_triage(pilot)
        await pilot.press("r", "x")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert status_message(app) == "Triage: 1 story decided."
        # At the end of a short view (one unread story left in its feed):
        screen = app.screen
        feed = library.subscriptions.feeds()[0]
        unread = library.reading.article_ids(feed_id=feed.id, unread_only=True)
        for article_id in unread[1:]:
            library.reading.set_flag([article_id], "read", True)
        screen.feed_list.select_feed(feed.id)
        await pilot.pause()
        await open_triage(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert shown(app, "points") == "1 story decided. x goes back; b takes back."


async def test_the_end_of_triage_names_no_key_that_does_something_else(library: Library) -> None:
    # Triage's undo lost its key to keep: the end text named the main screen's u, which in
    # triage keeps a story unread.
    from readerterm.config import Config

    app = make_app(library, Config(keys={"triage-keep": "u"}))
    async with app.run_test(size=(100, 30)) as pilot:
        feed = library.subscriptions.feeds()[0]
        unread = library.reading.article_ids(feed_id=feed.id, unread_only=True)
        for article_id in unread[1:]:
            library.reading.set_flag([article_id], "read", True)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.feed_list.select_feed(feed.id)
        await pilot.pause()
        await open_triage(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert shown(app, "points") == "1 story decided. q goes back."
        # Nothing left to decide: the footer no longer offers the decision keys.
        from textual.widgets._footer import FooterKey

        offered = [key.action for key in app.screen.query(FooterKey)]
        assert "leave" in offered and not any(a.startswith("decide") for a in offered)


async def test_works_through_the_views_unread_only(library: Library) -> None:
    tech = next(f for f in library.subscriptions.feeds() if f.title == "Tech")
    tech_ids = library.reading.query(ArticleFilter(feed_id=tech.id))
    library.reading.set_read(tech_ids[0], True)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.feed_list.select_feed(tech.id)
        await pilot.pause()
        await open_triage(pilot)
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        assert app.screen.ids == tech_ids[1:]
        await pilot.press(*["r"] * len(tech_ids[1:]))
        assert "Nothing left" in shown(app, "title")
        await pilot.press("r")  # nothing more to decide: no crash, no change
        assert shown(app, "counter").startswith(f"0 left · {len(tech_ids) - 1} done")


async def test_twenty_stories_take_twenty_two_keys(db_path: Path, library: Library) -> None:
    extra = library.subscriptions.subscribe("https://example.org/more.xml")
    library.refresher.ingest_document(
        extra.id, rss("More", [story(50 + i, "More", hours_ago=100 + i) for i in range(6)])
    )
    ids = library.reading.query(ArticleFilter(unread=True))[:20]
    assert len(ids) == 20
    app = make_app(library)
    keys = ["t"] + ["r", "k", "s", "l", "d"] * 4 + ["q"]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert len(keys) == 22
    decided = states(db_path, ids)
    assert sum(1 for s in decided if s != (False,) * 4) == 16  # 4 of 20 kept unread


def test_first_paragraph_skips_lists_and_strips_links() -> None:
    body = (
        "## Heading\n\n- a list item that is long enough to count as prose here\n\n"
        "A [linked](https://x.example/) paragraph with **bold** words, long enough to show."
    )
    assert first_paragraph(body) == "A linked paragraph with bold words, long enough to show."
    assert first_paragraph("") == ""
    # A markdown escape showed its backslash ("Small 0\\.").
    escaped = "Small 0\\. A paragraph whose *stars* and 1\\. list mark are escaped \\_ here."
    assert (
        first_paragraph(escaped)
        == "Small 0. A paragraph whose stars and 1. list mark are escaped _ here."
    )
