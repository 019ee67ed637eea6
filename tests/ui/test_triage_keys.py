"""Every triage key of the main screen, with the state checked in SQLite (through a
second connection) after each, and undo of each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from screen_text import status_message
from ui_app import make_app, until

from readerterm.library import Library
from readerterm.models import Article, ArticleFilter
from readerterm.ui.screens import decisions
from readerterm.ui.screens.dialogs import ConfirmScreen, TagScreen
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.widgets.article_list import ArticleList
from readerterm.ui.widgets.feed_list import FeedList


def stored(db_path: Path, article_id: int) -> Article:
    """The article as SQLite holds it, read through a separate connection."""
    other = Library.open_at(db_path)
    try:
        return other.reading.article(article_id)
    finally:
        other.close()


def all_count(app: Any) -> int:
    """The number beside "All articles" in the feed pane."""
    feeds = app.screen.query_one(FeedList)
    last = feeds.render_line(0).text.split()[-1]
    return int(last) if last.isdigit() else 0


def pane_counts(app: Any) -> dict[str, int | None]:
    """Each feed-pane entry's key and the count beside it."""
    return {entry.key: entry.unread for entry in app.screen.query_one(FeedList).entries}


def feed_count(app: Any, feed_id: int) -> int:
    feeds = app.screen.query_one(FeedList)
    entry = next(e for e in feeds.entries if e.feed_id == feed_id)
    return entry.unread or 0


@pytest.mark.parametrize(
    ("key", "flag"),
    [("m", "read"), ("s", "starred"), ("l", "later"), ("d", "dismissed")],
)
async def test_each_flag_key_writes_sqlite_and_undo_puts_it_back(
    db_path: Path, library: Library, key: str, flag: str
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        articles = app.screen.query_one(ArticleList)
        await pilot.press("j")
        target = articles.highlighted_id
        assert target is not None
        next_id = articles.ids[2]
        unread = all_count(app)
        await pilot.press(key)
        assert getattr(stored(db_path, target), flag) is True
        if flag == "dismissed":
            assert target not in articles.ids  # hidden at once, the cursor on the next one
            assert articles.highlighted_id == next_id and articles.cursor == 1
        else:
            assert articles.highlighted_id == target  # the cursor stays
        # Counts are right: reading or dismissing an unread article takes one off.
        assert all_count(app) == unread - (1 if flag in ("read", "dismissed") else 0)
        await pilot.press("u")
        await pilot.pause()
        assert getattr(stored(db_path, target), flag) is False
        assert articles.highlighted_id == target
        assert all_count(app) == unread
        assert status_message(app).startswith("Undone:")


async def test_toggle_keys_flip_back(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        for key, flag in (("m", "read"), ("s", "starred"), ("l", "later")):
            await pilot.press(key)
            assert getattr(stored(db_path, first), flag)
            await pilot.press(key)
            assert not getattr(stored(db_path, first), flag)


async def test_feed_counts_follow_reading(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_rows([library.reading.article_ids()[0]])[0]
        before = feed_count(app, first.feed_id)
        await pilot.press("m")
        assert feed_count(app, first.feed_id) == before - 1
        await pilot.press("enter", "j", "enter")  # opening marks read too
        await pilot.pause()
        second = library.reading.article_rows([library.reading.article_ids()[1]])[0]
        assert stored(db_path, second.id).read
        assert all_count(app) == library.subscriptions.total_unread()


async def test_starred_and_later_count_their_unread_stories(library: Library) -> None:
    # They showed no count at all, whatever they held; All, Unread and Today count unread.
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:

        def view_counts() -> dict[str, int | None]:
            counts = pane_counts(app)
            return {"starred": counts["starred"], "later": counts["later"]}

        assert view_counts() == {"starred": 0, "later": 0}
        await pilot.press("s", "j", "s", "l", "j", "l")
        assert view_counts() == {"starred": 2, "later": 2}
        await pilot.press("m")  # read: still on the Later list, no longer to read there
        assert view_counts() == {"starred": 2, "later": 1}
        await pilot.press("k", "s")
        assert view_counts() == {"starred": 1, "later": 1}


async def test_mark_above_cursor_read_and_undo(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        ids = library.reading.article_ids()
        await pilot.press("j", "j", "j", "A")
        assert [stored(db_path, i).read for i in ids[:5]] == [True, True, True, False, False]
        assert app.screen.query_one(ArticleList).cursor == 3
        assert all_count(app) == len(ids) - 3
        await pilot.press("u")
        assert not any(stored(db_path, i).read for i in ids[:3])
        assert all_count(app) == len(ids)


async def test_mark_all_read_asks_with_the_count_then_undo(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        ids = library.reading.article_ids()
        library.reading.set_read(ids[0], True)
        await pilot.press("M")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Mark {len(ids) - 1} unread articles" in app.screen.question
        await pilot.press("escape")  # cancel: nothing changes
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert not stored(db_path, ids[1]).read
        await pilot.press("M")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert all(stored(db_path, i).read for i in ids)
        assert all_count(app) == 0
        await pilot.press("u")  # one undo step for the whole list
        assert [stored(db_path, i).read for i in ids] == [True] + [False] * (len(ids) - 1)
        assert all_count(app) == len(ids) - 1


@pytest.mark.parametrize("key", ["M", "A"])
async def test_marking_in_an_empty_list_says_it_is_empty(library: Library, key: str) -> None:
    """M said every article was already read, A that nothing above the cursor was unread."""
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("4")  # the Later view: nothing is queued for later
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(ArticleList).ids == []
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)  # nothing to confirm
        assert status_message(app) == "This list is empty: nothing to mark."


async def test_next_and_previous_unread(library: Library) -> None:
    ids = library.reading.article_ids()
    library.reading.set_read(ids[1], True)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.screen.query_one(ArticleList)
        await pilot.press("n")  # nothing open yet: the cursor's own unread row opens
        assert articles.highlighted_id == ids[0]
        await pilot.press("n")  # row 1 is read, so row 2 is next
        assert articles.highlighted_id == ids[2]
        await pilot.press("j", "j", "p")  # from row 4 back to row 3
        assert articles.highlighted_id == ids[3]
        last_unread = library.reading.first_unread(ids[::-1])
        await pilot.press("p")  # rows 0 to 2 are read now: it wraps to the last unread one
        assert articles.highlighted_id == last_unread


async def test_open_copy_and_open_read(
    db_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str | None] = []
    monkeypatch.setattr(decisions, "open_in_browser", lambda url, *_: opened.append(url))
    app = make_app(library)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        first, second = library.reading.article_ids()[:2]
        await pilot.press("o")
        assert opened == [library.reading.article(first).url]
        assert not stored(db_path, first).read  # o only opens
        await pilot.press("j", "O")
        assert opened[-1] == library.reading.article(second).url
        assert stored(db_path, second).read
        await pilot.press("y")
        assert copied == [library.reading.article(second).url]
        await pilot.press("u")
        assert not stored(db_path, second).read


async def test_tag_an_article_from_the_keyboard(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        await pilot.press("T")
        await pilot.pause()
        assert isinstance(app.screen, TagScreen)
        await pilot.press(*"alpha,", "space", *"beta,alpha", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert stored(db_path, first).tags == ("alpha", "beta")
        assert library.reading.query(ArticleFilter(tag="beta")) == [first]
        assert status_message(app) == "Tags: alpha, beta (u undoes)."
        # The feed pane lists a tag given to stories only (it was reachable by search
        # alone), among the feeds' tags, with its unread stories.
        await until(pilot, lambda: "tag:alpha" in pane_counts(app))
        counts = pane_counts(app)
        assert (counts["tag:alpha"], counts["tag:beta"]) == (1, 1)
        keys = [key for key in counts if key.startswith("tag:")]
        assert keys == sorted(keys, key=str.casefold)
        await pilot.press("m")
        await until(pilot, lambda: pane_counts(app)["tag:alpha"] == 0)


async def test_the_tag_dialog_names_its_cancel_key_as_mapped(library: Library) -> None:
    from readerterm.config import Config

    for keys, named in (({}, "Escape cancels."), ({"close-dialog": "ctrl+g"}, "Ctrl+G cancels.")):
        app = make_app(library, Config(keys=keys))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("T")
            await pilot.pause()
            assert isinstance(app.screen, TagScreen)
            hint = str(app.screen.query_one("#tags-hint").render())
            assert hint.endswith(named), hint


async def test_tagging_is_an_undo_step(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        first = library.reading.article_ids()[0]
        library.reading.set_article_tags(first, ["old"])  # an undo step of its own
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("ctrl+u", *"new", "enter")  # ctrl+u empties the field
        await pilot.pause()
        assert stored(db_path, first).tags == ("new",)
        await pilot.press("s", "u")  # the star is undone first, then the tags
        assert not stored(db_path, first).starred
        assert stored(db_path, first).tags == ("new",)
        await pilot.press("u")
        await pilot.pause()
        assert stored(db_path, first).tags == ("old",)
        assert library.reading.query(ArticleFilter(tag="new")) == []
        assert status_message(app) == "Undone: tags set to new (they were old)."
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("enter")  # the same tags: no undo step, so u takes back the first
        await pilot.pause()
        await pilot.press("u")
        assert stored(db_path, first).tags == ()
        await pilot.pause()
        assert status_message(app) == "Undone: tags set to old (they were none)."


async def test_view_keys_sort_and_hidden(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        articles = app.screen.query_one(ArticleList)
        ids = library.reading.article_ids()
        await pilot.press("s", "j", "l", "j", "m")
        await pilot.press("3")
        assert list(articles.ids) == [ids[0]]
        await pilot.press("4")
        assert list(articles.ids) == [ids[1]]
        await pilot.press("2")
        assert ids[2] not in articles.ids and len(articles.ids) == len(ids) - 1
        await pilot.press("5")
        screen: Any = app.screen
        assert list(articles.ids) == library.reading.query(
            ArticleFilter(after=screen.base_view.after)
        )
        assert 0 < len(articles.ids) < len(ids)
        await pilot.press("1")
        assert list(articles.ids) == ids
        await pilot.press("S")
        assert list(articles.ids) == library.reading.query(ArticleFilter(sort="feed"))
        assert list(articles.ids) != ids
        await pilot.press("S", "d")
        assert ids[0] not in articles.ids
        await pilot.press("H")
        assert ids[0] in articles.ids
        articles.select_article(ids[0])
        await pilot.press("d")  # with hidden shown, d brings it back
        assert not stored(db_path, ids[0]).dismissed
        await pilot.press("H")
        assert ids[0] in articles.ids


async def test_feed_pane_l_is_later_and_right_chooses(db_path: Path, library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        feeds = app.screen.query_one(FeedList)
        articles = app.screen.query_one(ArticleList)
        await pilot.press("shift+tab")
        assert app.focused is feeds
        await pilot.press("l")
        assert stored(db_path, articles.ids[0]).later
        assert app.focused is feeds
        tech = next(i for i, e in enumerate(feeds.entries) if e.key == "tag:tech")
        feeds.move_cursor(tech)
        await pilot.pause()
        tagged = {f.id for f in library.subscriptions.feeds() if "tech" in f.tags}
        rows = library.reading.article_rows(list(articles.ids))
        assert rows and {row.feed_id for row in rows} == tagged
        await pilot.press("right")
        assert isinstance(app.focused, ArticleList)


async def test_a_console_browser_gets_the_terminal_while_the_reader_is_suspended(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import contextlib
    import shutil
    import subprocess
    from collections.abc import Iterator

    from readerterm.config import Config

    events: list[str] = []
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "run", lambda argv, **_: events.append(" ".join(argv)))
    app = make_app(library, Config(browser=("w3m",)))
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        url = library.reading.article(library.reading.article_ids()[0]).url
        # Pilot's terminal cannot be handed over: said so, and nothing runs.
        await pilot.press("o")
        assert events == []
        assert any("cannot be handed over" in n.message for n in app._notifications)

        @contextlib.contextmanager
        def suspend() -> Iterator[None]:
            events.append("suspended")
            yield
            events.append("resumed")

        monkeypatch.setattr(app, "suspend", suspend)
        await pilot.press("o")
        assert events == ["suspended", f"/usr/bin/w3m {url}", "resumed"]

        # A browser that cannot start: said so, and the reader is back.
        def cannot_start(argv: list[str], **_: object) -> None:
            raise OSError(8, "Exec format error")

        monkeypatch.setattr(subprocess, "run", cannot_start)
        await pilot.press("o")
        assert events[-2:] == ["suspended", "resumed"]
        assert any("could not start w3m" in n.message for n in app._notifications)

        # Not while feeds download: their deadlines would pass with the reader stopped.
        events.clear()
        app.screen.refreshing = True  # type: ignore[attr-defined]
        await pilot.press("o")
        assert events == []
        assert any(
            "feeds are downloading" in n.message and n.message.endswith("or copy the link with y")
            for n in app._notifications
        )
