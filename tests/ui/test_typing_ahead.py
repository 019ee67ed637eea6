"""Keys typed quickly land where they were typed: a URL, Tab and tags typed at once after
`a` fill the add dialog's fields (not the lists behind it), and words typed at once after
`/` go into the search box (where `s` would otherwise star and `t` start triage), and
decisions typed at once after `t` go to triage mode (not to the lists behind it).

A terminal hands a burst of typing over in one read; `burst` posts the keys the same
way, all at once, without waiting for the app between them (Pilot's `press` waits)."""

from __future__ import annotations

from typing import Any

import pytest
from test_add_feed_dialog import DiscoveringLibrary, site_library
from textual import events
from textual.widgets import Input
from ui_app import make_app, until

from readerterm.library import Library
from readerterm.models import Article
from readerterm.ui.screens.add_feed import AddFeedScreen
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.screens.triage import TriageScreen

SPECIAL = {"tab": "\t", "enter": "\r"}
NAMES = {"/": "slash", ",": "comma", ".": "full_stop", ":": "colon"}


__all__ = ["site_library"]  # the fixture, used by name


def burst(app: Any, *parts: str) -> None:
    """Post keys as a terminal delivers fast typing: `tab` and `enter` by name, any other
    part as the characters typed."""
    for part in parts:
        if part in SPECIAL:
            app.post_message(events.Key(part, SPECIAL[part]))
            continue
        for character in part:
            app.post_message(events.Key(NAMES.get(character, character), character))


async def test_url_tab_and_tags_typed_at_once_land_in_their_fields(
    site_library: DiscoveringLibrary,
) -> None:
    app = make_app(site_library)
    async with app.run_test(size=(100, 30)) as pilot:
        url = "https://site.example/feed.xml"
        burst(app, "a", url, "tab", "news,tech")
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, AddFeedScreen)
        assert app.screen.query_one("#add-url", Input).value == url
        assert app.screen.query_one("#add-tags", Input).value == "news,tech"
        burst(app, "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert site_library.added == [url]
    assert site_library.subscriptions.find_feed(url).tags == ("news", "tech")


async def test_words_typed_at_once_after_slash_go_into_the_search_box(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        burst(app, "/storyst")
        for _ in range(5):
            await pilot.pause()
        assert not isinstance(app.screen, TriageScreen)
        assert app.screen.query_one("#search-input", Input).value == "storyst"
        await app.workers.wait_for_complete()
        assert not any(
            article.starred
            for article in map(library.reading.article, library.reading.article_ids())
        )


async def test_decisions_typed_at_once_after_t_go_to_triage_mode(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Triage mode shows once its first story is converted on a thread: `t k k s` typed
    before then moved the list's cursor (k) and starred its row (s)."""
    import asyncio

    converted = library.reading.open_article

    async def slow_conversion(article_id: int) -> Article:
        await asyncio.sleep(0.3)  # a long story, or a loaded machine
        return await converted(article_id)

    monkeypatch.setattr(library.reading, "open_article", slow_conversion)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        first = list(app.screen.article_list.ids)[:3]
        burst(app, "tkks")
        await until(pilot, lambda: isinstance(app.screen, TriageScreen))
        triage = app.screen
        await until(pilot, lambda: len(triage.steps) == 3)  # type: ignore[attr-defined]
        stored = [library.reading.article(article_id) for article_id in first]
        assert [story.read for story in stored] == [False, False, True]
        assert [story.starred for story in stored] == [False, False, True]
