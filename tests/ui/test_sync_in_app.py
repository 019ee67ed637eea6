"""R in the reader with sync on: the stories of a real FreshRSS come in, a decision taken
in the reader reaches the server at the next R, and the status line says how the last
sync went."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from screen_text import status_message
from seeding import NOW, rss, story
from ui_app import until

from freshrss import FreshRSS
from readerterm.config import Config, SyncConfig
from readerterm.library import Library
from readerterm.sync import open_service
from readerterm.ui.app import ReaderTermApp
from testserver import LocalServer

pytest_plugins = ["freshrss"]


def status_text(app: ReaderTermApp) -> str:
    return " ".join(
        str(getattr(widget.content, "plain", widget.content))
        for widget in app.screen.query("StatusLine Static")
    )


async def wait_for_sync(app: ReaderTermApp, pilot: object) -> None:
    for _ in range(600):  # up to 30 s: a loaded machine makes FreshRSS slow
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        if re.search(r"(synced|sync failed) \d\d:\d\d", status_text(app)):
            break
    # The refresh worker ends; other workers may be cancelled by newer ones, as they are
    # meant to be (an exclusive list re-read), so they are not waited for.
    for _ in range(200):
        if not any(w.group == "refresh" and w.is_running for w in app.workers):
            break
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def test_r_syncs_and_a_decision_reaches_the_server(
    freshrss: FreshRSS, http_server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READERTERM_SYNC_PASSWORD", freshrss.api_password)
    http_server.route(
        "/app.xml", rss("In the app", [story(i, "In the app", hours_ago=i + 1) for i in range(3)])
    )
    async with aclosing(
        open_service("greader", freshrss.greader_url, freshrss.user, freshrss.api_password)
    ) as remote:
        await remote.login()
        await remote.subscribe(http_server.url("/app.xml"), None, "Apps")
    config = Config(sync=SyncConfig("greader", freshrss.greader_url, freshrss.user))
    library = Library.open_at(tmp_path / "rt.db")
    library.settings.configure(config)
    try:
        app = ReaderTermApp(library, config, refresh_on_start=False, now=lambda: NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            assert "not synced yet" in status_text(app)
            await pilot.press("R")
            await wait_for_sync(app, pilot)
            assert "synced" in status_text(app) and "failed" not in status_text(app)
            # What the sync did, on the status line (a notice covered the story read).
            said = "Synced: 3 new articles, 1 feed added."
            assert status_message(app) == said
            ids = library.reading.article_ids()
            assert len(ids) == 3
            await pilot.press("enter")  # open the first story: it is read
            await pilot.pause()
            assert library.syncing.status().queued == 1  # type: ignore[union-attr]
            async with aclosing(
                open_service("greader", freshrss.greader_url, freshrss.user, freshrss.api_password)
            ) as remote:  # a star on the web: said as taken from the server
                await remote.login()
                await remote.set_starred([(await remote.item_ids(None))[-1]], True)
            await pilot.press("R")
            await wait_for_sync(app, pilot)
            said = "Synced: 0 new articles, 1 decision sent, 1 change from the server."
            assert status_message(app) == said
        status = library.syncing.status()
        assert status is not None and status.queued == 0 and status.last_error is None
        async with aclosing(
            open_service("greader", freshrss.greader_url, freshrss.user, freshrss.api_password)
        ) as remote:
            await remote.login()
            assert len(await remote.unread_ids()) == 2
    finally:
        library.close()


@asynccontextmanager
async def started_with(sync: SyncConfig, tmp_path: Path) -> AsyncIterator[tuple[Any, Library]]:
    """The reader started with `sync` (refresh at start on), once its start-up sync is over:
    the app (notifications kept) and its library."""
    config = Config(sync=sync)
    library = Library.open_at(tmp_path / "rt.db")
    library.settings.configure(config)
    try:
        app = ReaderTermApp(library, config, refresh_on_start=True, now=lambda: NOW)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await wait_for_sync(app, pilot)
            yield app, library
    finally:
        library.close()


async def test_the_reader_syncs_when_it_starts(
    freshrss: FreshRSS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sync's first note reaches the status line before any key: it once came before
    # the line was built and the start-up sync died on it ("No nodes match ...").
    monkeypatch.setenv("READERTERM_SYNC_PASSWORD", freshrss.api_password)
    sync = SyncConfig("greader", freshrss.greader_url, freshrss.user)
    async with started_with(sync, tmp_path) as (app, library):
        told = [n.message for n in app._notifications]
        assert re.search(r"synced \d\d:\d\d", status_text(app)), status_text(app)
        assert not any("No nodes" in message or "failed" in message for message in told)
        # Every feed is the server's: the sync's own note, no "0 feeds refreshed" after it.
        assert not any("feeds refreshed" in message for message in told), told
        status = library.syncing.status()
        assert status is not None and status.last_success is not None


NO_PASSWORD = SyncConfig(
    "greader", "http://127.0.0.1:9/api/greader.php", "reader", ("no-such-password-manager-xyz",)
)
"""A sync that stops at its password command, before any request: no server needed."""


async def test_a_password_command_that_fails_is_a_failed_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No server needed: the sync stops at the password, before any request.
    monkeypatch.delenv("READERTERM_SYNC_PASSWORD", raising=False)
    sync = NO_PASSWORD
    async with started_with(sync, tmp_path) as (app, library):
        assert re.search(r"sync failed \d\d:\d\d", status_text(app)), status_text(app)
        told = " ".join(n.message for n in app._notifications)
        assert "'no-such-password-manager-xyz' was not found" in told
        status = library.syncing.status()
        assert status is not None and "was not found" in (status.last_error or "")


async def test_a_failing_sync_is_told_once_until_r_asks_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The timer's sync failing as the last one did put the same notice over the story
    # every refresh_minutes; the status line says "sync failed" meanwhile.
    monkeypatch.delenv("READERTERM_SYNC_PASSWORD", raising=False)
    sync = NO_PASSWORD
    config = Config(sync=sync)
    library = Library.open_at(tmp_path / "rt.db")
    library.settings.configure(config)
    syncs: list[object] = []
    real_sync = library.syncing.sync

    async def counted_sync(*args: Any, **kwargs: Any) -> Any:
        syncs.append(args)
        try:
            return await real_sync(*args, **kwargs)
        finally:
            syncs.append("done")

    monkeypatch.setattr(library.syncing, "sync", counted_sync)
    try:
        app = ReaderTermApp(library, config, refresh_on_start=True, now=lambda: NOW)
        told: list[str] = []
        notify = app.notify

        def kept(message: str, **options: Any) -> None:
            if options.get("title") == "Sync failed":
                told.append(message)
            notify(message, **options)

        monkeypatch.setattr(app, "notify", kept)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await wait_for_sync(app, pilot)
            await until(pilot, lambda: syncs.count("done") == 1)
            assert len(told) == 1 and "was not found" in told[0], told
            app.screen._refresh_on_timer()
            await until(pilot, lambda: syncs.count("done") == 2)
            await pilot.pause(0.2)
            assert len(told) == 1
            assert re.search(r"sync failed \d\d:\d\d", status_text(app)), status_text(app)
            await pilot.press("R")
            await until(pilot, lambda: len(told) == 2, seconds=10)
            assert told[1] == told[0]
    finally:
        library.close()
