"""Sync from the command line when the account changes, and decisions that stay here,
against a real FreshRSS with two users.

A user who queues decisions as one FreshRSS user and then syncs as another must not see
them (nor anything read or starred here under the first user) arrive in the second
user's account. The sync as the second stops and says what waits for the first; only
`sync --switch-account` drops that queue, and says so. A story whose
feed is not on the server is marked here only, and `mark` says so rather than promising
a sync that never sends it.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from contextlib import aclosing
from pathlib import Path

import pytest

from child import readerterm_env, run_readerterm
from freshrss import FreshRSS, sample_feed
from readerterm.config import Config, SyncConfig
from readerterm.library import Library
from readerterm.store import Store
from readerterm.sync import SyncError, open_service
from testserver import LocalServer

pytest_plugins = ["freshrss"]


def configure(env: dict[str, str], server: FreshRSS | None) -> dict[str, str]:
    """Write the config: sync as `server`'s user (None: no sync); returns the env
    carrying that user's password."""
    config = Path(env["READERTERM_CONFIG_DIR"]) / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    text = "[settings]\nrefresh_on_start = false\n"
    if server is not None:
        text += (
            f'\n[sync]\nservice = "greader"\nurl = "{server.greader_url}"\n'
            f'username = "{server.user}"\n'
        )
        env = {**env, "READERTERM_SYNC_PASSWORD": server.api_password}
    config.write_text(text, encoding="utf-8")
    return env


def run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    done = run_readerterm(env, *command, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def local_states(env: dict[str, str], feed: str) -> dict[str, tuple[bool, bool]]:
    """Title -> (read, starred) of one feed's stories here."""
    listed = json.loads(run(env, "articles", "--json").stdout)
    return {a["title"]: (a["read"], a["starred"]) for a in listed if a["feed"] == feed}


async def server_item_ids(server: FreshRSS, feed_url: str | None = None) -> dict[str, str]:
    """Title -> item id of the stories `server`'s user holds (subscribing first to
    `feed_url` when given)."""
    async with aclosing(
        open_service("greader", server.greader_url, server.user, server.api_password)
    ) as remote:
        await remote.login()
        if feed_url is not None:
            await remote.subscribe(feed_url, None, None)
        items = await remote.items(await remote.item_ids(None))
    return {item.title: item.id for item in items}


async def server_states(server: FreshRSS) -> dict[str, tuple[bool, bool]]:
    """Title -> (read, starred) of the stories as `server`'s user has them."""
    async with aclosing(
        open_service("greader", server.greader_url, server.user, server.api_password)
    ) as remote:
        await remote.login()
        items = await remote.items(await remote.item_ids(None))
    return {item.title: (item.read, item.starred) for item in items}


async def mark_on_server(server: FreshRSS, item_id: str) -> None:
    async with aclosing(
        open_service("greader", server.greader_url, server.user, server.api_password)
    ) as remote:
        await remote.login()
        await remote.set_read([item_id], True)


def test_another_account_gets_no_decision_nor_state_of_the_last(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    # As reported: 2 decisions queued as user A, then `readerterm sync` as user B said
    # "9 decisions sent": those 2 and every story read or starred here went into B's
    # account (a first sync's merge of cached states ran for the cache bound to A).
    second = freshrss.add_user("switcher", "switcher-api-password")
    feeds.route("/switch.xml", sample_feed("switch", 4))
    url = feeds.url("/switch.xml")
    asyncio.run(server_item_ids(freshrss, url))
    on_second = asyncio.run(server_item_ids(second, url))
    asyncio.run(mark_on_server(second, on_second["switch story 3"]))
    title = "Feed switch"

    env = configure(readerterm_env(tmp_path), freshrss)
    run(env, "sync", "--no-pages")
    ids = {a["title"]: str(a["id"]) for a in json.loads(run(env, "articles", "--json").stdout)}
    run(env, "mark", "read", ids["switch story 0"])
    assert json.loads(run(env, "sync", "--json", "--no-pages").stdout)["sent"] == 1
    run(env, "mark", "read", ids["switch story 1"])  # queued for the first user
    run(env, "mark", "star", ids["switch story 2"])

    env = configure(env, second)
    # The two were dropped at once, without a word before: now the sync stops and asks.
    refused = run_readerterm(env, "sync", "--no-pages", timeout=120)
    assert refused.returncode == 1 and not refused.stdout
    assert refused.stderr.startswith(
        f"readerterm: 2 decisions taken here wait for {freshrss.user} at {freshrss.greader_url},"
    ), refused.stderr
    assert "readerterm sync --switch-account" in refused.stderr
    assert "2 decisions waiting" in run(env, "feeds").stdout
    assert asyncio.run(server_states(second))["switch story 1"] == (False, False)

    synced = run(env, "sync", "--no-pages", "--switch-account").stdout
    assert "decision sent" not in synced and "decisions sent" not in synced
    assert "2 decisions for the previous account dropped" in synced
    never = (False, False)
    second_has = {f"switch story {n}": never for n in range(3)} | {"switch story 3": (True, False)}
    assert {t: s for t, s in asyncio.run(server_states(second)).items() if "switch" in t} == (
        second_has
    )
    assert local_states(env, title) == second_has  # the new account's states, taken
    assert " waiting" not in run(env, "feeds").stdout

    env = configure(env, freshrss)  # back: the first user never got the dropped two
    back = json.loads(run(env, "sync", "--json", "--no-pages").stdout)
    assert back["sent"] == 0 and back["dropped"] == 0
    first_has = {f"switch story {n}": never for n in range(1, 4)} | {
        "switch story 0": (True, False)
    }
    assert {t: s for t, s in asyncio.run(server_states(freshrss)).items() if "switch" in t} == (
        first_has
    )
    assert local_states(env, title) == first_has


async def test_a_switch_cut_short_still_sends_nothing_of_the_last_account(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stories bound to the last account stay marked as such until the new one's
    # states replace theirs: a sync stopped after the switch must not merge them later.
    second = freshrss.add_user("cutshort", "cutshort-api-password")
    feeds.route("/cut.xml", sample_feed("cut", 2))
    await server_item_ids(freshrss, feeds.url("/cut.xml"))
    await server_item_ids(second, feeds.url("/cut.xml"))
    library = Library(Store(tmp_path / "rt.db"))
    try:
        for server in (freshrss, second):
            monkeypatch.setenv("READERTERM_SYNC_PASSWORD", server.api_password)
            config = SyncConfig("greader", server.greader_url, server.user)
            library.settings.configure(Config(sync=config))
            if server is freshrss:
                await library.syncing.sync()
                listed = library.reading.article_rows(library.reading.article_ids())
                library.reading.mark_read([row.id for row in listed if "cut" in row.title])

        def cut_short(step: str, done: int, total: int) -> None:
            if step == "articles":
                raise SyncError("cut short")

        with pytest.raises(SyncError):
            await library.syncing.sync(cut_short, switch_account=True)
        report = await library.syncing.sync()
        assert report.sent == 0 and report.matched_articles == 2
        assert {t: s for t, s in (await server_states(second)).items() if "cut" in t} == {
            "cut story 0": (False, False),
            "cut story 1": (False, False),
        }
    finally:
        library.close()


def test_a_story_of_a_feed_not_on_the_server_is_marked_here_only(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    # `mark read` said "(sent at the next sync)" for it, and nothing was queued.
    feeds.route("/kept.xml", sample_feed("kept", 2))
    feeds.route("/shared.xml", sample_feed("shared", 2))
    asyncio.run(server_item_ids(freshrss, feeds.url("/shared.xml")))
    env = configure(readerterm_env(tmp_path), None)
    run(env, "add", feeds.url("/kept.xml"))  # fetched by readerterm, before sync was on
    env = configure(env, freshrss)
    assert "1 feed is not on the server" in run(env, "sync", "--no-pages").stdout
    ids = {a["title"]: str(a["id"]) for a in json.loads(run(env, "articles", "--json").stdout)}
    here, there = ids["kept story 0"], ids["shared story 0"]

    marked = run(env, "mark", "read", here).stdout.strip()
    assert marked == "1 article marked read (kept here: not on the sync server)"
    assert " waiting" not in run(env, "feeds").stdout
    both = run(env, "mark", "star", here, there).stdout.strip()
    assert both == (
        "2 articles starred (1 sent at the next sync; 1 kept here: not on the sync server)"
    )
    assert "1 decision waiting" in run(env, "feeds").stdout
    assert json.loads(run(env, "sync", "--json", "--no-pages").stdout)["sent"] == 1
    assert asyncio.run(server_states(freshrss))["shared story 0"] == (False, True)


def test_a_story_the_new_account_lacks_is_this_readers_own_again(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    """A story of the last account that the new one does not have stayed marked as the
    last account's; when its feed joined the new server later, what was read here since
    the switch gave way to the server's (unread) instead of being sent."""
    second = freshrss.add_user("latecomer", "latecomer-api-password")
    feeds.route("/late.xml", sample_feed("late", 2))
    url = feeds.url("/late.xml")
    asyncio.run(server_item_ids(freshrss, url))  # on the first account only
    env = configure(readerterm_env(tmp_path), freshrss)
    run(env, "sync", "--no-pages")
    env = configure(env, second)
    run(env, "sync", "--no-pages")  # the feed is not on this server: it stays here
    ids = {a["title"]: str(a["id"]) for a in json.loads(run(env, "articles", "--json").stdout)}
    marked = run(env, "mark", "read", ids["late story 0"]).stdout.strip()
    assert marked == "1 article marked read (kept here: not on the sync server)"
    asyncio.run(server_item_ids(second, url))  # the feed joins the new server
    run(env, "sync", "--no-pages")
    assert local_states(env, "Feed late")["late story 0"] == (True, False)
    assert asyncio.run(server_states(second))["late story 0"] == (True, False)


def test_the_same_server_written_another_way_is_the_same_account(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    """A trailing slash, "HTTP://" or a doubled slash reach the same FreshRSS, yet each
    was taken for another account: the decisions waiting were dropped ("1 decision for
    the previous account dropped") and never reached the server."""
    feeds.route("/spelled.xml", sample_feed("spelled", 2))
    asyncio.run(server_item_ids(freshrss, feeds.url("/spelled.xml")))
    env = configure(readerterm_env(tmp_path), freshrss)
    run(env, "sync", "--no-pages")
    ids = {a["title"]: str(a["id"]) for a in json.loads(run(env, "articles", "--json").stdout)}
    run(env, "mark", "star", ids["spelled story 0"])

    config = Path(env["READERTERM_CONFIG_DIR"]) / "config.toml"
    scheme, rest = freshrss.greader_url.split("://", 1)
    host, path = rest.split("/", 1)
    respelled = f"{scheme.upper()}://{host}//{path}/"
    config.write_text(
        config.read_text(encoding="utf-8").replace(freshrss.greader_url, respelled),
        encoding="utf-8",
    )
    synced = json.loads(run(env, "sync", "--json", "--no-pages").stdout)
    assert (synced["sent"], synced["dropped"]) == (1, 0)
    assert asyncio.run(server_states(freshrss))["spelled story 0"] == (False, True)


def test_what_counts_as_the_same_server_address() -> None:
    from readerterm.sync.hints import server_address

    base = server_address("http://127.0.0.1:8080/api/greader.php")
    for same in (
        "HTTP://127.0.0.1:8080/api/greader.php/",
        "http://localhost:8080//api/greader.php",
        " http://127.0.0.1:8080/api/greader.php ",
    ):
        assert server_address(same) == base, same
    for other in (
        "http://127.0.0.1:8081/api/greader.php",  # another port: another server
        "https://127.0.0.1:8080/api/greader.php",
        "http://127.0.0.1:8080/api/fever.php",
        "http://example.org:8080/api/greader.php",
    ):
        assert server_address(other) != base, other
    assert server_address("https://example.org:443/x") == server_address("https://EXAMPLE.org/x")
