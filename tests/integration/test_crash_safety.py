"""Issue 6, storage and process: killed refreshes, two processes at once, damaged or
unusable databases, a full disk.

The refreshes are real `python -m readerterm refresh` processes against a local HTTP
server, with READERTERM_*_DIR pointing into a temporary directory; the test process reads
and writes the same database through its own Store, as the TUI would.
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
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from prerequisites import missing
from readerterm.errors import StoreError
from readerterm.library import Library
from readerterm.models import ArticleFilter, RefreshStatus, Validators
from readerterm.net.fetch import Fetcher
from readerterm.store import SCHEMA_VERSION, Store
from testserver import LocalServer, Request, Route

FEEDS = 30
ITEMS_PER_VERSION = 3
KILLS = 20
WAIT = 60.0
"""Generous limit for anything we poll for (a subprocess finishing)."""


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


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment for a readerterm subprocess whose files all live under tmp_path."""
    env = dict(os.environ)
    for kind in ("CONFIG", "DATA", "CACHE"):
        env[f"READERTERM_{kind}_DIR"] = str(tmp_path / kind.lower())
    env.pop("READERTERM_OFFLINE", None)
    env["NO_COLOR"] = "1"
    yield env


def database(env: dict[str, str]) -> Path:
    return Path(env["READERTERM_DATA_DIR"]) / "readerterm.db"


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


# --- (c) databases that cannot be used: a clear message, the file left as it was -------------


def run(env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readerterm", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], *names: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    message = result.stderr.strip()
    assert message.count("\n") == 0, message
    assert message.startswith("readerterm: "), message
    assert "Traceback" not in result.stderr, result.stderr
    for name in names:
        assert name in message, (name, message)


def make_database(env: dict[str, str]) -> Path:
    """A real database with a feed and its articles, checkpointed into the main file."""
    path = database(env)
    library = Library(Store(path))
    feed = library.subscriptions.subscribe("https://news.test/feed.xml")
    library.refresher.ingest_document(
        feed.id,
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        + b"".join(
            f"<item><guid>{i}</guid><title>Story {i}</title>"
            f"<description>{'Words and more words. ' * 40}</description></item>".encode()
            for i in range(40)
        )
        + b"</channel></rss>",
    )
    library.close()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def test_a_file_that_is_not_a_database(home: dict[str, str]) -> None:
    path = database(home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"these are not the bytes of an SQLite database\n" * 200)
    before = path.read_bytes()

    result = run(home, "feeds")

    assert_clean_failure(result, str(path), "not a database")
    assert path.read_bytes() == before


def test_a_database_with_damaged_pages(home: dict[str, str]) -> None:
    path = make_database(home)
    data = bytearray(path.read_bytes())
    page = 4096
    damaged = [
        start
        for start in range(0, len(data), page)
        if b"Words and more words" in data[start : start + page]
    ]
    assert damaged
    for start in damaged:  # the pages holding article texts; the schema stays readable
        data[start : start + page] = b"\xa5" * page
    path.write_bytes(bytes(data))

    result = run(home, "articles", "--json")

    assert_clean_failure(result, str(path))
    assert path.read_bytes() == bytes(data)


def test_a_database_from_a_newer_readerterm(home: dict[str, str]) -> None:
    path = make_database(home)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    before = path.read_bytes()

    result = run(home, "feeds")

    assert_clean_failure(result, str(path), "newer readerterm")
    assert path.read_bytes() == before


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files or folders unwritable, even for root (chmod, plus `chattr +i` as root)."""
    modes = {p: p.stat().st_mode for p in paths}
    immutable: list[Path] = []
    try:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        if os.geteuid() == 0:
            for p in paths:
                done = subprocess.run(["chattr", "+i", str(p)], capture_output=True, check=False)
                if done.returncode != 0:
                    missing("running as root, chattr +i must work to make a file read-only")
                immutable.append(p)
        yield
    finally:
        for p in immutable:
            subprocess.run(["chattr", "-i", str(p)], capture_output=True, check=False)
        for p, mode in modes.items():
            p.chmod(mode)


def test_a_read_only_database_file(home: dict[str, str]) -> None:
    path = make_database(home)
    before = path.read_bytes()

    with read_only(path):
        listing = run(home, "feeds")
        removal = run(home, "remove", "1")

    # Reading a read-only database may work; if it does not, it fails cleanly.
    if listing.returncode == 0:
        assert "News" in listing.stdout and listing.stderr == ""
    else:
        assert_clean_failure(listing, str(path))
    assert_clean_failure(removal, str(path))
    assert path.read_bytes() == before


def test_a_search_in_a_read_only_database_answers_from_what_is_indexed(
    home: dict[str, str],
) -> None:
    path = make_database(home)  # its 40 stories still wait for the search index
    with read_only(path):
        result = run(home, "articles", "--search", "words")

    if result.returncode == 0:  # SQLite could read it: the search answers, and says why not all
        assert "40 stories could not be indexed for search" in result.stderr, result.stderr
        assert "read-only" in result.stderr
        assert "Traceback" not in result.stderr
    else:
        assert_clean_failure(result, str(path))


def test_a_read_only_data_folder(home: dict[str, str]) -> None:
    path = make_database(home)
    before = path.read_bytes()
    for extra in path.parent.glob("readerterm.db-*"):
        extra.unlink()

    with read_only(path.parent):
        result = run(home, "feeds")

    assert_clean_failure(result, str(path))
    assert path.read_bytes() == before


def test_a_missing_data_folder_is_created(home: dict[str, str], tmp_path: Path) -> None:
    home = {**home, "READERTERM_DATA_DIR": str(tmp_path / "not" / "yet" / "there")}

    result = run(home, "feeds")

    assert result.returncode == 0, result.stderr
    assert "No feeds yet" in result.stdout
    assert database(home).exists()


@pytest.mark.parametrize("where", ["under-a-file", "a-file", "unwritable-parent"])
def test_a_data_folder_that_cannot_be_made(
    home: dict[str, str], tmp_path: Path, where: str
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be\n")
    parent = tmp_path / "locked"
    parent.mkdir()
    data_dir = {
        "under-a-file": blocker / "data",
        "a-file": blocker,
        "unwritable-parent": parent / "data",
    }[where]
    home = {**home, "READERTERM_DATA_DIR": str(data_dir)}

    with read_only(parent):
        result = run(home, "feeds")

    assert_clean_failure(result, str(data_dir))
    assert blocker.read_text() == "a file where a folder should be\n"
    assert not (parent / "data").exists()


# --- (d) a full disk ----------------------------------------------------------------------


def reason_after(message: str, path: Path) -> str:
    """The part of an error message after the file it names (the file name, a test's
    temporary folder, may itself hold words such as "full")."""
    assert f"{path}: " in message, message
    return message.split(f"{path}: ", 1)[1]


def fill_up(store: Store) -> None:
    """Let the database grow no further than it is now (SQLite's max_page_count)."""
    connection: sqlite3.Connection = store.db  # the only way in: a per-connection limit
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")


def big_update(count: int, version: str) -> bytes:
    items = "".join(
        f"<item><guid>{version}-{i}</guid><title>Story {i} {version}</title>"
        f"<description>{(f'Paragraph {i} of a long story. ' * 200)}</description></item>"
        for i in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News {version}</title>'
        f"{items}</channel></rss>"
    ).encode()


def test_a_full_disk_fails_the_write_and_keeps_what_was_there(tmp_path: Path) -> None:
    library = Library(Store(tmp_path / "readerterm.db"))
    try:
        feed = library.subscriptions.subscribe("https://news.test/feed.xml")
        library.refresher.ingest_document(feed.id, big_update(5, "old"))
        before = library.reading.article_ids(feed_id=feed.id)
        library.reading.set_read(before[0], True)
        fill_up(library.store)

        with pytest.raises(StoreError) as caught:
            library.refresher.ingest_document(feed.id, big_update(30, "new"))

        message = str(caught.value)
        assert str(tmp_path / "readerterm.db") in message
        assert "database or disk is full" in reason_after(message, tmp_path / "readerterm.db")
        assert "Traceback" not in message and "\n" not in message
        assert library.reading.article_ids(feed_id=feed.id) == before
        assert library.subscriptions.feed(feed.id).title == "News old"
        assert library.reading.article(before[0]).read
        assert library.store.db.integrity_ok()
    finally:
        library.close()


async def test_a_full_disk_during_refresh_fails_that_feed_clearly(
    http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.route("/feed.xml", big_update(5, "old"))
    library = Library(Store(tmp_path / "readerterm.db"), fetcher=Fetcher())
    try:
        feed = library.subscriptions.subscribe(http_server.url("/feed.xml"))
        [first] = [r async for r in library.refresher.refresh()]
        assert first.status is RefreshStatus.UPDATED
        before = library.reading.article_ids(feed_id=feed.id)
        http_server.route("/feed.xml", big_update(30, "new"))
        # A refresh writes through its own connection (the store writer's thread).
        await library.writer.run(fill_up)

        [result] = [r async for r in library.refresher.refresh()]

        assert result.status is RefreshStatus.FAILED
        reason = reason_after(result.error or "", tmp_path / "readerterm.db")
        assert "database or disk is full" in reason, result.error
        assert "Traceback" not in (result.error or "")
        assert library.reading.article_ids(feed_id=feed.id) == before
        assert library.store.subscriptions.validators(feed.id) == Validators()
        assert library.store.db.integrity_ok()
    finally:
        await library.aclose()
        library.close()


LIMITED_FILE_SIZE = """\
import resource, runpy, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
sys.argv[0] = "readerterm"
runpy.run_module("readerterm", run_name="__main__", alter_sys=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_a_disk_that_fills_during_a_cli_refresh(
    http_server: LocalServer, home: dict[str, str]
) -> None:
    http_server.route("/feed.xml", big_update(5, "old"))
    library = Library(Store(database(home)))
    feed = library.subscriptions.subscribe(http_server.url("/feed.xml"))
    library.refresher.ingest_document(feed.id, big_update(5, "old"))
    library.store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    library.close()
    http_server.route("/feed.xml", big_update(30, "new"))

    result = subprocess.run(
        [sys.executable, "-c", LIMITED_FILE_SIZE, str(64 << 10), "refresh", "--no-pages"],
        env=home,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )

    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    failure = next(line for line in result.stdout.splitlines() if "FAILED" in line)
    reason = reason_after(failure, database(home))
    assert "disk" in reason, failure
    assert "cannot rollback" not in reason, failure
    store = Store(database(home))
    try:
        assert store.db.integrity_ok()
        assert len(store.views.query_ids(ArticleFilter(feed_id=feed.id))) == 5
        assert store.subscriptions.feeds()[0].title == "News old"
    finally:
        store.close()


def _now() -> datetime:
    return datetime.now(UTC)
