"""The config is read again while the reader runs: on ctrl+r, and when the file changes
on disk. Keys, theme, filters, feeds and saved searches take effect; a broken edit keeps
the config in use and a notification says why."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest
from seeding import NOW
from ui_app import settle, until

from readerterm.config import load_config
from readerterm.library import Library
from readerterm.ui import reload
from readerterm.ui.app import ReaderTermApp
from readerterm.ui.screens.main import MainScreen

START = '[settings]\nrefresh_on_start = false\ntheme = "textual-dark"\n'


async def read_again(pilot: Any, config_file: Path, text: str) -> None:
    """Write `text` as the config, press ctrl+r and wait for the reading to be over."""
    config_file.write_text(text)
    await pilot.press("ctrl+r")
    await settle(pilot)


def app_over(library: Library, config_file: Path) -> ReaderTermApp:
    return ReaderTermApp(
        library,
        load_config(config_file),
        config_path=config_file,
        refresh_on_start=False,
        now=lambda: NOW,
    )


async def test_ctrl_r_reads_keys_theme_searches_and_feeds_again(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On a loaded machine the file watcher (every 2 s) read the edit before ctrl+r did,
    # which then said "nothing changed", and the watcher's notice expired (5 s) before
    # the end: ctrl+r alone reads the file here, and its notices stay.
    monkeypatch.setattr("readerterm.ui.app.CHECK_SECONDS", 3600.0)
    monkeypatch.setattr(ReaderTermApp, "NOTIFICATION_TIMEOUT", 3600.0)
    config_file = tmp_path / "config.toml"
    config_file.write_text(START)
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen: MainScreen = app.screen  # type: ignore[assignment]
        refreshed: list[list[int] | None] = []
        screen.start_refresh = lambda ids, quiet=False: refreshed.append(ids)  # type: ignore[method-assign]
        config_file.write_text(
            START.replace("textual-dark", "nord")
            + '\n[keys]\ntoggle-later = "L"\n'
            + '\n[searches]\nplans = "officials plan"\n'
            + '\n[[feeds]]\nurl = "https://example.org/new.xml"\ntitle = "New feed"\n'
            + '\n[[filters]]\ntitle = "story 3"\n'
        )
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.theme == "nord"
        first = library.reading.article_ids()[0]
        await pilot.press("L")
        assert library.reading.article(first).later
        titles = [entry.title for entry in screen.feed_list.entries]
        assert "plans" in titles and "New feed" in titles
        new_feed = next(f for f in library.subscriptions.feeds() if f.title == "New feed")
        assert refreshed == [[new_feed.id]]  # the new feed is fetched at once
        assert [rule.words for rule in library.settings.filters] == [("story", "3")]
        await app.workers.wait_for_complete()  # the filter is applied on the writer's thread
        await settle(pilot)
        hidden = [
            row.title
            for row in library.reading.article_rows(screen.article_list.ids)
            if "story 3" in row.title.lower()
        ]
        assert hidden == []  # stored stories the new filter matches leave the list
        messages = [n.message for n in app._notifications]
        assert messages == [
            "Config read again: keys, theme, filters (3 stories hidden, 0 shown again), "
            "feeds, saved searches."
        ]


async def test_changed_filters_are_one_notice_with_what_they_hid(
    tmp_path: Path, library: Library
) -> None:
    """It was two: "Config read again: filters." then "Filters: 2 stories hidden, 0 shown
    again."; taking the filter out shows them again, said the same way."""
    config_file = tmp_path / "config.toml"
    config_file.write_text(START)
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await read_again(pilot, config_file, START + '\n[[filters]]\ntitle = "World story 1"\n')
        await read_again(pilot, config_file, START)
        await read_again(pilot, config_file, START + '\n[[filters]]\ntitle = "no such words"\n')
        assert [n.message for n in app._notifications] == [
            "Config read again: filters (1 story hidden, 0 shown again).",
            "Config read again: filters (0 stories hidden, 1 shown again).",
            "Config read again: filters.",
        ]


async def test_a_reading_during_the_filter_pass_says_the_filters_too(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second reading while the first one's filters were being applied replaced that
    pass, and the notice of the filters was never shown."""
    monkeypatch.setattr("readerterm.ui.app.CHECK_SECONDS", 3600.0)
    monkeypatch.setattr(ReaderTermApp, "NOTIFICATION_TIMEOUT", 3600.0)
    applying = library.settings.apply_filters
    started, go_on = threading.Event(), threading.Event()

    def held_filter_pass(*args: Any, **kwargs: Any) -> Any:
        # (held until the second reading is in: on a loaded machine the first pass, left
        # to run, could end before it, and the test would not test what it says)
        started.set()
        go_on.wait(30)
        return applying(*args, **kwargs)

    monkeypatch.setattr(library.settings, "apply_filters", held_filter_pass)
    config_file = tmp_path / "config.toml"
    config_file.write_text(START)
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        config_file.write_text(START + '\n[[filters]]\ntitle = "World story 1"\n')
        await pilot.press("ctrl+r")
        await until(pilot, started.is_set)
        config_file.write_text(
            START + '\n[[filters]]\ntitle = "World story 1"\n\n[keys]\ntoggle-later = "L"\n'
        )
        await pilot.press("ctrl+r")  # while the first reading's filters are applied
        await until(pilot, lambda: app.config.keys.get("toggle-later") == "L")
        go_on.set()
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["Config read again: keys, filters."]


async def test_an_edit_on_disk_is_read_without_a_key(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reload, "CHECK_SECONDS", 0.05)
    monkeypatch.setattr("readerterm.ui.app.CHECK_SECONDS", 0.05)
    config_file = tmp_path / "config.toml"
    config_file.write_text(START)
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30)) as pilot:
        config_file.write_text(START + '\n[keys]\ntoggle-read = "x"\n')
        for _ in range(40):
            await asyncio.sleep(0.05)
            await pilot.pause()
            if app.config.keys:
                break
        assert app.config.keys == {"toggle-read": "x"}
        first = library.reading.article_ids()[0]
        await pilot.press("x")
        assert library.reading.article(first).read


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        ("[settings\n", "invalid TOML"),
        ('[keys]\ntoggle-read = "x"\nstop-pages = "x"\n', "line 5: [keys] toggle-read = 'x'"),
        # A feed URL with a space in it crashed the reader (a traceback, on ctrl+r).
        ('[[feeds]]\nurl = "http://127.0.0.1:18940/my feed.xml"\n', "a space or control"),
    ],
)
async def test_a_broken_edit_keeps_the_old_config_and_says_why(
    tmp_path: Path, library: Library, broken: str, reason: str
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(START + '[keys]\ntoggle-later = "L"\n')
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await read_again(pilot, config_file, START + broken)
        assert app.config.keys == {"toggle-later": "L"}
        first = library.reading.article_ids()[0]
        await pilot.press("L")
        assert library.reading.article(first).later
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and reason in errors[-1].message and str(config_file) in errors[-1].message
        assert "The config in use is kept." in errors[-1].message


async def test_the_saved_search_on_show_follows_its_edit(tmp_path: Path, library: Library) -> None:
    # Its query edited, the list kept the old results; renamed, the pane kept its old title.
    config_file = tmp_path / "config.toml"
    config_file.write_text(START + '\n[searches]\nmine = "feed:World"\n')
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen: MainScreen = app.screen  # type: ignore[assignment]
        await settle(pilot)
        screen.feed_list.select_key("search:mine")
        await settle(pilot)
        before = list(screen.article_list.ids)
        await read_again(pilot, config_file, START + '\n[searches]\nmine = "feed:Science"\n')
        shown = {row.feed_title for row in library.reading.article_rows(screen.article_list.ids)}
        assert before and shown == {"Science"}
        await read_again(pilot, config_file, START + '\n[searches]\nyours = "feed:Science"\n')
        assert screen.entry_key == "all" and screen.article_list.border_title == "All articles"


async def test_a_feed_taken_out_of_the_config_says_it_stays(
    tmp_path: Path, library: Library
) -> None:
    # "Config read again: feeds." and the feed stayed, without a word on why.
    feed = '\n[[feeds]]\nurl = "https://example.org/new.xml"\n'
    config_file = tmp_path / "config.toml"
    config_file.write_text(START + feed)
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen: MainScreen = app.screen  # type: ignore[assignment]
        screen.start_refresh = lambda ids, quiet=False: None  # type: ignore[method-assign]
        await settle(pilot)
        await read_again(pilot, config_file, START)
        told = [n.message for n in app._notifications]
        said = "A feed taken out of the config stays subscribed"
        assert any(m.startswith(said) for m in told), told


async def test_while_the_file_has_an_error_the_status_line_says_so_and_its_fix_is_told(
    tmp_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fixed on disk, the file was taken without a word (only ctrl+r said "nothing
    changed"), while the notice of the error could still show; left broken, nothing said
    so once that notice went."""
    from screen_text import text_of

    monkeypatch.setattr("readerterm.ui.app.CHECK_SECONDS", 0.05)
    monkeypatch.setattr(ReaderTermApp, "NOTIFICATION_TIMEOUT", 3600.0)
    config_file = tmp_path / "config.toml"
    config_file.write_text(START)
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        counts = app.screen.query_one("#status-counts")
        await settle(pilot)
        assert "config has an error" not in text_of(counts)
        config_file.write_text(START + "refresh_minutes = 3000\n")
        await until(pilot, lambda: "config has an error" in text_of(counts))
        assert text_of(counts).startswith("config has an error · ")
        config_file.write_text(START + "refresh_minutes = 30\n")
        fixed = "Config read again: the error is fixed; nothing else changed."
        await until(pilot, lambda: fixed in [n.message for n in app._notifications])
        assert fixed in [n.message for n in app._notifications]
        assert "config has an error" not in text_of(counts)


async def test_a_feed_removed_before_and_listed_again_says_why_it_stays_out(
    tmp_path: Path, library: Library
) -> None:
    """Listed again in the config, a feed the config had added and the user removed was
    met with "Config read again: feeds." and nothing else."""
    from readerterm.config import FeedConfig

    url = "https://example.org/lwn.xml"
    library.subscriptions.add_config_feeds([FeedConfig(url=url)])
    await library.subscriptions.remove_feed(library.subscriptions.find_feed(url).id)
    config_file = tmp_path / "config.toml"
    config_file.write_text(START)
    app = app_over(library, config_file)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await read_again(pilot, config_file, START + f'\n[[feeds]]\nurl = "{url}"\ntitle = "LWN"\n')
        told = [n.message for n in app._notifications]
        note = (
            "Not subscribed again: LWN was removed before, and a feed the config added stays "
            "removed: press a (or run `readerterm add URL`) to add it back."
        )
        assert note in told, told
        assert url not in [feed.url for feed in library.subscriptions.feeds()]
        await pilot.press("ctrl+r")  # read again, unchanged: said once, not at each reading
        await settle(pilot)
        assert [n.message for n in app._notifications].count(note) == 1
