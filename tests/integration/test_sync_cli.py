"""Issue 17 from the command line: `readerterm sync`, `mark`, `show`, `feeds --json` and
`add` with sync on, against a real FreshRSS; and SIGKILL at any point of a sync.

Each command is a real `python -m readerterm` process with its files under a temporary
directory and the password in READERTERM_SYNC_PASSWORD.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from contextlib import aclosing
from pathlib import Path

from child import readerterm_env, run_readerterm
from freshrss import WRONG_PASSWORD, FreshRSS, sample_feed
from readerterm.store import Store
from readerterm.sync import open_service
from testserver import LocalServer

pytest_plugins = ["freshrss"]

KILLS = 12


def home(tmp_path: Path, server: FreshRSS, kind: str = "greader") -> dict[str, str]:
    """The environment of a readerterm whose config syncs with `server`."""
    env = readerterm_env(tmp_path, READERTERM_SYNC_PASSWORD=server.api_password)
    url = server.greader_url if kind == "greader" else server.fever_url
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[settings]\nrefresh_on_start = false\n\n[sync]\nservice = "{kind}"\n'
        f'url = "{url}"\nusername = "{server.user}"\n',
        encoding="utf-8",
    )
    return env


def run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return run_readerterm(env, *command, timeout=120)


async def subscribe_on_server(server: FreshRSS, url: str) -> None:
    async with aclosing(
        open_service("greader", server.greader_url, server.user, server.api_password)
    ) as remote:
        await remote.login()
        await remote.subscribe(url, None, None)


def test_sync_mark_show_and_feeds_from_the_command_line(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    env = home(tmp_path, freshrss)
    feeds.route("/cli.xml", sample_feed("cli", 3))
    # The server files a feed in one folder: a second tag was dropped without a word.
    refused = run(env, "add", feeds.url("/cli.xml"), "--tag", "Tools", "--tag", "Weekend")
    assert refused.returncode != 0 and refused.stdout == ""
    assert refused.stderr == (
        "readerterm: the sync server files a feed in one folder: give one tag, not 2"
        " (Tools, Weekend)\n"
    )
    added = run(env, "add", feeds.url("/cli.xml"), "--tag", "Tools")
    assert added.returncode == 0, added.stderr
    cli_url = feeds.url("/cli.xml")
    told = f"Subscribed on the sync server to Feed cli ({cli_url}): 3 articles.\n"
    assert added.stdout == told  # (it said "not fetched: offline")
    synced = run(env, "sync", "--json")
    assert synced.returncode == 0, synced.stderr
    report = json.loads(synced.stdout)
    assert report["ok"] is True and report["error"] is None and report["server_seconds"] >= 0
    assert report["queued"] == 0

    listed = json.loads(run(env, "articles", "--json").stdout)
    mine = [a for a in listed if a["feed"] == "Feed cli"]
    assert len(mine) == 3
    first = str(mine[0]["id"])
    marked = run(env, "mark", "read", first, "999999")
    assert marked.returncode == 1  # one id does not exist
    assert marked.stdout.strip() == "1 article marked read (sent at the next sync)"
    assert "no article with id 999999" in marked.stderr
    assert "; 1 decision waiting" in run(env, "feeds").stdout  # ("1 decisions")
    synced_plain = run(env, "sync", "--no-pages").stdout
    assert re.match(r"Synced in \d+\.\d s: 0 new articles, 1 decision sent\b", synced_plain), (
        synced_plain
    )

    shown = run(env, "show", "--json", first)
    story = json.loads(shown.stdout)
    assert story["title"] == mine[0]["title"] and story["read"] is True
    assert "what happened" in story["body"] and story["key_points_origin"] in ("generated", None)
    plain = run(env, "show", first).stdout
    assert plain.startswith(f"{mine[0]['title']}\n\n") and "what happened" in plain  # as extract

    feed = next(
        f for f in json.loads(run(env, "feeds", "--json").stdout) if f["title"] == "Feed cli"
    )
    assert feed["synced"] is True and feed["last_sync"] and feed["sync_error"] is None
    assert feed["tags"] == ["Tools"]
    # (it read "Synced with reader at http://...": the user name taken for the server)
    assert f"Synced with {freshrss.greader_url} as {freshrss.user} at " in run(env, "feeds").stdout


def test_a_wrong_password_and_fever_refusals_are_one_line(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    env = home(tmp_path, freshrss)
    env["READERTERM_SYNC_PASSWORD"] = "wrong-password-123"
    failed = run(env, "sync")
    assert failed.returncode == 1
    refused = f"FreshRSS at {freshrss.greader_url} refused user {freshrss.user} (401)"
    expected = f"readerterm: {refused}: {WRONG_PASSWORD}"
    assert failed.stderr.strip() == expected
    assert "wrong-password-123" not in failed.stdout + failed.stderr
    feeds_json = json.loads(run(env, "feeds", "--json").stdout)
    assert feeds_json == []

    fever = home(tmp_path / "fever", freshrss, "fever")
    refused = run(fever, "add", feeds.url("/anything.xml"))
    assert refused.returncode == 1
    assert "Fever API cannot add feeds" in refused.stderr and "Traceback" not in refused.stderr


def test_no_password_says_how_to_give_one(freshrss: FreshRSS, tmp_path: Path) -> None:
    env = home(tmp_path, freshrss)
    del env["READERTERM_SYNC_PASSWORD"]
    failed = run(env, "sync")
    assert failed.returncode == 1
    assert "password_command" in failed.stderr and "READERTERM_SYNC_PASSWORD" in failed.stderr


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=60)


def queue(database: Path) -> list[tuple[int, str, str]]:
    store = Store(database)
    try:
        rows = store.db.execute("SELECT seq, remote_id, action FROM sync_queue ORDER BY seq")
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]
    finally:
        store.close()


def test_sigkill_at_any_point_of_a_sync_loses_and_reorders_nothing(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    rng = random.Random(17)
    for n in range(4):
        feeds.route(f"/kill{n}.xml", sample_feed(f"kill{n}", 40))
    for n in range(4):
        asyncio.run(subscribe_on_server(freshrss, feeds.url(f"/kill{n}.xml")))
    env = home(tmp_path, freshrss)
    database = tmp_path / "data" / "readerterm.db"
    started = time.monotonic()
    assert run(env, "sync", "--no-pages").returncode == 0
    duration = time.monotonic() - started

    wanted: dict[str, tuple[bool, bool]] = {}
    killed_while_running = 0
    reach = duration * 1.2  # the latest moment a kill is sent, after the sync starts
    for _ in range(KILLS):
        store = Store(database)
        try:
            rows = store.db.execute(
                "SELECT id, remote_id FROM articles WHERE remote_id IS NOT NULL"
            ).fetchall()
            for article_id, remote in rng.sample(rows, 25):
                read, starred = rng.random() < 0.5, rng.random() < 0.5
                store.articles.set_flag([article_id], "read", read)
                store.articles.set_flag([article_id], "starred", starred)
                wanted[remote] = (read, starred)
        finally:
            store.close()
        before = queue(database)
        process = subprocess.Popen(
            [sys.executable, "-m", "readerterm", "sync", "--no-pages"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.0, reach))
        landed = process.poll() is None
        killed_while_running += landed
        if not landed:  # (a sync of the queue alone is shorter than the first, and a loaded
            reach *= 0.7  # machine varies: aim earlier, so that kills keep landing in it)
        kill_group(process)
        store = Store(database)
        try:
            assert store.db.integrity_ok()
        finally:
            store.close()
        after = queue(database)
        # What is left is what was queued, from some point on: sent in order, none lost.
        assert after == before[len(before) - len(after) :]

    final = run(env, "sync", "--no-pages")
    assert final.returncode == 0, final.stderr
    assert queue(database) == []

    async def server_side() -> tuple[set[str], set[str]]:
        async with aclosing(
            open_service("greader", freshrss.greader_url, freshrss.user, freshrss.api_password)
        ) as remote:
            await remote.login()
            return await remote.unread_ids(), await remote.starred_ids()

    unread, starred = asyncio.run(server_side())
    for remote, (read, star) in wanted.items():
        assert (remote not in unread, remote in starred) == (read, star), remote
    print(f"\n{killed_while_running}/{KILLS} kills landed while the sync ran ({duration:.2f} s)")
    assert killed_while_running >= KILLS // 4


def test_with_sync_on_the_config_feeds_are_not_added(freshrss: FreshRSS, tmp_path: Path) -> None:
    env = home(tmp_path, freshrss)
    config = tmp_path / "config" / "config.toml"
    config.write_text(
        config.read_text() + '\n[[feeds]]\nurl = "https://example.org/feed.xml"\n',
        encoding="utf-8",
    )
    listed = run(env, "--offline", "feeds", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []  # the server holds the subscriptions


def test_sync_without_a_sync_table_names_the_config_file(tmp_path: Path) -> None:
    """It said "add a [sync] table to config.toml", leaving the user to find which."""
    env = readerterm_env(tmp_path)
    config = tmp_path / "elsewhere" / "mine.toml"
    config.parent.mkdir()
    config.write_text("[settings]\nrefresh_on_start = false\n", encoding="utf-8")
    failed = run(env, "--config", str(config), "sync")
    assert failed.returncode == 1
    assert failed.stderr.strip() == (
        f"readerterm: sync is not set up: add a [sync] table (service, url, username) to "
        f"{config}; docs/sync.md in readerterm's source shows one"
    )
    default = tmp_path / "config" / "config.toml"  # (none written yet: named all the same)
    assert f"to {default};" in run(env, "sync").stderr
