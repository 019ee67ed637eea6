"""Issue 17: sync with a real FreshRSS when it goes wrong. A wrong password changes
nothing, a mistyped user name keeps the decisions waiting for the right one, a server
that stops mid-sync loses nothing, and the password is never written to disk. The
FreshRSS server and the feeds it fetches are as in test_sync.py; what the sync tests
share is in sync_devices.py.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from sync_devices import (
    KINDS,
    device,
    serve_and_subscribe,
    server_password,  # noqa: F401  (the autouse fixture `password`)
    server_states,
    stories,
    url_of,
)

from freshrss import WRONG_PASSWORD, FreshRSS, start_or_skip
from readerterm.config import Config, SyncConfig
from readerterm.sync import SyncError
from testserver import LocalServer

pytest_plugins = ["freshrss"]


@pytest.mark.parametrize("kind", KINDS)
async def test_a_wrong_password_changes_nothing(
    freshrss: FreshRSS,
    feeds: LocalServer,
    tmp_path: Path,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = await serve_and_subscribe(freshrss, feeds, f"password-{kind}", 2)
    library = device(tmp_path / "rt.db", freshrss, kind)
    try:
        await library.syncing.sync()
        library.reading.set_read(stories(library, url)[f"password-{kind} story 0"], True)
        before = (library.reading.article_ids(), library.subscriptions.feeds())
        monkeypatch.setenv("READERTERM_SYNC_PASSWORD", "not-the-password")
        with pytest.raises(SyncError) as raised:
            await library.syncing.sync()
        endpoint = url_of(freshrss, kind)
        refused = f"FreshRSS at {endpoint} refused user {freshrss.user} (401)"
        assert str(raised.value) == f"{refused}: {WRONG_PASSWORD}"
        assert (library.reading.article_ids(), library.subscriptions.feeds()) == before
        status = library.syncing.status()
        assert status is not None and status.queued == 1
        assert status.last_error == str(raised.value)
    finally:
        library.close()


@pytest.mark.parametrize("kind", KINDS)
async def test_a_mistyped_user_name_keeps_the_decisions_waiting(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path, kind: str
) -> None:
    # A sync as another user dropped the queue before signing in: the refused one lost
    # every decision waiting for the right one.
    url = await serve_and_subscribe(freshrss, feeds, f"typo-{kind}", 2)
    library = device(tmp_path / "rt.db", freshrss, kind)
    try:
        await library.syncing.sync()
        story = stories(library, url)[f"typo-{kind} story 0"]
        library.reading.set_read(story, True)
        library.reading.set_starred(story, True)
        right = SyncConfig(kind, url_of(freshrss, kind), freshrss.user)
        library.settings.configure(Config(sync=replace(right, username=freshrss.user + "x")))
        with pytest.raises(SyncError):
            await library.syncing.sync()
        status = library.syncing.status()
        assert status is not None and status.queued == 2
        # Shown with the last account's status: the error says whose sign-in failed.
        assert status.username == freshrss.user
        assert (status.last_error or "").startswith(f"as {freshrss.user}x at {right.url}: ")
        library.settings.configure(Config(sync=right))
        await library.syncing.sync()
        assert await server_states(freshrss, library, [story]) == [(True, True)]
    finally:
        library.close()


async def test_a_server_that_stops_mid_sync_loses_nothing(
    feeds: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_or_skip()  # its own: this test stops it
    monkeypatch.setenv("READERTERM_SYNC_PASSWORD", server.api_password)
    try:
        url = await serve_and_subscribe(server, feeds, "stopping", 3)
        library = device(tmp_path / "rt.db", server)
        await library.syncing.sync()
        ids = sorted(stories(library, url).values())
        library.reading.mark_read(ids[:2])
        cached = library.reading.article_ids()

        def stop_before_sending(step: str, done: int, total: int) -> None:
            if step == "sending":
                server.stop(purge=False)

        with pytest.raises(SyncError) as raised:
            await library.syncing.sync(stop_before_sending)
        assert "Traceback" not in str(raised.value) and server.api_password not in str(raised.value)
        status = library.syncing.status()
        assert status is not None and status.queued == 2 and status.last_error
        assert library.reading.article_ids() == cached

        server.restart()  # the next sync sends what waited
        assert (await library.syncing.sync()).sent == 2
        assert await server_states(server, library, ids) == [(True, False)] * 2 + [(False, False)]
        library.close()
    finally:
        server.stop()


def test_the_password_is_never_written(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path, password: str
) -> None:
    asyncio.run(serve_and_subscribe(freshrss, feeds, "secret", 1))
    library = device(tmp_path / "data" / "rt.db", freshrss)
    try:
        asyncio.run(library.syncing.sync())
    finally:
        library.close()
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


async def test_a_password_written_into_the_url_is_never_stored(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    """The sync refuses such a URL and says so without the password; but the failed
    attempt was recorded with the URL as written, and `readerterm feeds` showed it."""
    secret = "UrlPw@Se/cret-55"  # ("@" and "/" kept part of it: "Se/cret-55@host")
    pieces = ("UrlPw", "Se/cret", "cret-55")
    await serve_and_subscribe(freshrss, feeds, "in-url", 1)
    library = device(tmp_path / "data" / "rt.db", freshrss)
    try:
        await library.syncing.sync()  # an account synced once: the next one is another
        host = freshrss.greader_url.split("//", 1)[1]
        written = f"http://{freshrss.user}:{secret}@{host}"
        library.settings.configure(Config(sync=SyncConfig("greader", written, freshrss.user)))
        with pytest.raises(SyncError) as raised:
            await library.syncing.sync()
        status = library.syncing.status()
        assert status is not None and status.last_error is not None
        for piece in pieces:
            assert piece not in str(raised.value) and piece not in status.last_error
        assert freshrss.greader_url in status.last_error
    finally:
        library.close()
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert not any(piece.encode() in path.read_bytes() for piece in pieces), path
