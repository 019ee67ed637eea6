"""Issue 6, storage and processes: a refresh killed with SIGKILL, and two processes
writing the same database at once.

The refreshes are real `python -m readerterm refresh` processes against a local HTTP
server, with READERTERM_*_DIR pointing into a temporary directory (the `home` fixture in
conftest.py); the test process reads and writes the same database through its own Store,
as the TUI would. Unusable databases are tested in test_unusable_databases.py, a full disk
while writing in test_full_disk_writes.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from child import WAIT, database
from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer, Request, Route

FEEDS = 30
ITEMS_PER_VERSION = 3
KILLS = 20


# --- a local server whose documents change with each run ------------------------------------


@dataclass
class Versions:
    """Which version of the documents the server hands out (bumped before each run)."""

    current: int = 0
    delay: float = 0.0
    """Upper bound of a random per-request delay, so a refresh takes a while."""


def document(feed: int, version: int, server: LocalServer) -> bytes:
    """Version `version` of feed `feed`: three items of its own, and a live item that
    every version rewrites. A complete update adds the three and retitles the live one."""
    items = [(f"f{feed}-v{version}-{i}", f"Story {i} of version {version}") for i in range(3)] + [
        (f"f{feed}-live", f"Live report, version {version}")
    ]
    entries = "".join(
        f"<item><guid>{guid}</guid><title>{escape(title)}</title>"
        f"<link>{server.url(f'/story/{guid}')}</link>"
        f"<description>{escape(title)}: the details, at some length.</description></item>"
        for guid, title in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed} v{version}</title>'
        f"<link>{server.base_url}/</link>{entries}</channel></rss>"
    ).encode()


def serve(server: LocalServer, versions: Versions, rng: random.Random) -> list[str]:
    def responder(feed: int) -> object:
        def answer(_: Request) -> Route:
            delay = rng.uniform(0, versions.delay) if versions.delay else 0.0
            return Route(body=document(feed, versions.current, server), delay=delay)

        return answer

    paths = [f"/feed{n}.xml" for n in range(FEEDS)]
    for n, path in enumerate(paths):
        server.add(path, responder(n))  # type: ignore[arg-type]
    return [server.url(path) for path in paths]


def start_refresh(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`readerterm refresh` in its own process group (so its worker processes die with it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "readerterm", "refresh", "--json", "--no-pages"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate(timeout=WAIT)


# --- (a) kill -9 during a refresh, twenty times ---------------------------------------------


def check_feeds_whole(store: Store, served: int) -> dict[int, int]:
    """Every feed holds complete versions only, and its live item and title agree with
    the newest one; returns feed id -> newest version stored."""
    newest = {}
    for feed in store.subscriptions.feeds():
        n = int(feed.url.rsplit("feed", 1)[1].split(".")[0])
        ids = store.views.query_ids(ArticleFilter(feed_id=feed.id, show_hidden=True))
        rows = [a for a in (store.articles.article(i) for i in ids) if a is not None]
        versions: dict[int, int] = {}
        live = None
        for article in rows:
            name = article.guid.rsplit("/", 1)[-1]  # feedparser may resolve a guid as a URL
            if name == f"f{n}-live":
                live = article
            else:
                version = int(name.split("-v")[1].split("-")[0])
                versions[version] = versions.get(version, 0) + 1
        assert live is not None, feed
        assert all(count == ITEMS_PER_VERSION for count in versions.values()), (feed, versions)
        top = max(versions)
        assert top <= served
        assert live.title == f"Live report, version {top}", (feed, top)
        assert feed.title == f"Feed {n} v{top}", (feed, top)
        newest[feed.id] = top
    return newest


def wait_for_updates(
    env: dict[str, str], process: subprocess.Popen[bytes], *, version: int, count: int
) -> None:
    """Poll (reading beside the writer, as WAL allows) until `count` feeds hold `version`,
    or the process has ended, or a generous time has passed."""
    deadline = time.monotonic() + WAIT
    connection = sqlite3.connect(database(env), timeout=WAIT)
    try:
        while process.poll() is None and time.monotonic() < deadline:
            done = connection.execute(
                "SELECT COUNT(*) FROM feeds WHERE title LIKE ?", (f"% v{version}",)
            ).fetchone()[0]
            if done >= count:
                return
            time.sleep(0.005)
    finally:
        connection.close()


def test_kill_during_refresh_twenty_times(http_server: LocalServer, home: dict[str, str]) -> None:
    rng = random.Random(6)
    versions = Versions()
    urls = serve(http_server, versions, rng)
    store = Store(database(home))
    for url in urls:
        store.subscriptions.add_feed(url, title=None, tags=(), now=_now())
    store.close()

    # A full run first: version 0 everywhere, and how long a refresh takes.
    started = time.monotonic()
    versions.delay = 0.2
    first = start_refresh(home)
    out, err = first.communicate(timeout=WAIT)
    duration = time.monotonic() - started
    assert first.returncode == 0, err.decode()
    assert {r["status"] for r in json.loads(out)} == {"updated"}

    decisions: dict[int, tuple[bool, bool]] = {}
    killed_while_running = 0
    progressed = set()
    for run in range(1, KILLS + 1):
        store = Store(database(home))
        ids = store.views.query_ids(ArticleFilter(show_hidden=True))
        for article_id in rng.sample(ids, 6):
            make_read, make_starred = rng.random() < 0.5, rng.random() < 0.5
            store.articles.set_flag([article_id], "read", make_read)
            store.articles.set_flag([article_id], "starred", make_starred)
            decisions[article_id] = (make_read, make_starred)
        store.close()

        versions.current = run
        process = start_refresh(home)
        if run % 2:  # any moment: starting up, fetching, parsing or writing
            time.sleep(rng.uniform(0.05, duration))
        else:  # in the middle of the writes, after a random number of feeds
            wait_for_updates(home, process, version=run, count=rng.randrange(FEEDS - 3))
            time.sleep(rng.uniform(0, 0.05))
        killed_while_running += process.poll() is None
        kill_group(process)

        store = Store(database(home))
        try:
            assert store.db.integrity_ok(), f"run {run}: integrity_check failed"
            newest = check_feeds_whole(store, served=run)
            progressed |= {feed_id for feed_id, top in newest.items() if top == run}
            read = store.articles.flags(list(decisions), "read")
            starred = store.articles.flags(list(decisions), "starred")
            for article_id, (want_read, want_starred) in decisions.items():
                assert (read[article_id], starred[article_id]) == (want_read, want_starred), (
                    f"run {run}: article {article_id} lost its state"
                )
        finally:
            store.close()
    print(
        f"\n{killed_while_running}/{KILLS} kills landed while the refresh ran "
        f"(a full refresh took {duration:.1f} s); {len(progressed)} feeds got a new version"
    )
    assert killed_while_running >= KILLS // 4  # the test means something (not all late)
    assert progressed  # some kills landed between writes, not only before them


# --- (b) a refresh in another process while this one marks articles read -----------------------


def test_refresh_and_triage_at_the_same_time_never_see_a_locked_database(
    http_server: LocalServer, home: dict[str, str]
) -> None:
    rng = random.Random(7)
    versions = Versions()
    urls = serve(http_server, versions, rng)
    library = Library(Store(database(home)), fetcher=Fetcher())
    try:
        for url in urls:
            library.subscriptions.subscribe(url)
        for feed in library.subscriptions.feeds():
            library.refresher.ingest_document(
                feed.id, document(int(feed.url.rsplit("feed", 1)[1][:-4]), 0, http_server)
            )
        ids = library.reading.article_ids()
        versions.current, versions.delay = 1, 0.05

        process = start_refresh(home)
        writes = 0
        expected: dict[int, bool] = {}
        deadline = time.monotonic() + WAIT
        while process.poll() is None and time.monotonic() < deadline:
            article_id = rng.choice(ids)
            value = rng.random() < 0.5
            library.reading.set_flag([article_id], "read", value)  # raises StoreError if locked
            library.reading.set_flag([article_id], "starred", not value)
            expected[article_id] = value
            writes += 2
        out, err = process.communicate(timeout=WAIT)

        assert process.returncode == 0, err.decode()
        assert b"locked" not in err and b"busy" not in err
        results = json.loads(out)
        assert len(results) == FEEDS
        assert {r["status"] for r in results} == {"updated"}, results
        read = library.store.articles.flags(list(expected), "read")
        starred = library.store.articles.flags(list(expected), "starred")
        assert all(read[i] == value and starred[i] != value for i, value in expected.items())
        assert library.store.db.integrity_ok()
        print(f"\n{writes} triage writes while another process refreshed {FEEDS} feeds")
        assert writes > 0
    finally:
        library.close()


def test_two_refreshes_at_the_same_time(http_server: LocalServer, home: dict[str, str]) -> None:
    """A refresh from cron while the reader refreshes too: both finish, neither sees a lock."""
    versions = Versions(delay=0.05)
    urls = serve(http_server, versions, random.Random(8))
    store = Store(database(home))
    for url in urls:
        store.subscriptions.add_feed(url, title=None, tags=(), now=_now())
    store.close()

    processes = [start_refresh(home) for _ in range(2)]
    outputs = [process.communicate(timeout=WAIT) for process in processes]

    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
        assert b"locked" not in err and b"busy" not in err
        assert {r["status"] for r in json.loads(out)} <= {"updated"}
    store = Store(database(home))
    try:
        assert store.db.integrity_ok()
        assert check_feeds_whole(store, served=0) == {
            feed.id: 0 for feed in store.subscriptions.feeds()
        }
        assert len(store.views.query_ids(ArticleFilter())) == FEEDS * (ITEMS_PER_VERSION + 1)
        # What both commands stored waits for the search index, once each, and a search
        # (which indexes the queue first) finds every article.
        assert store.search.pending_search_count() == FEEDS * (ITEMS_PER_VERSION + 1)
        store.search.index_pending(None)
        assert store.search.pending_search_count() == 0
        found = store.db.execute(
            "SELECT count(*) FROM article_search WHERE article_search MATCH 'details'"
        ).fetchone()[0]
        assert found == FEEDS * (ITEMS_PER_VERSION + 1)
    finally:
        store.close()


def _now() -> datetime:
    return datetime.now(UTC)
