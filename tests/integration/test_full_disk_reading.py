"""Issue 20, local disks: a disk with no free space left still lets the user read.

The full disk is simulated without root: each command runs in a child process whose
RLIMIT_FSIZE is 0 with SIGXFSZ ignored, so every write of a file byte fails (EFBIG, which
SQLite reports as "disk I/O error", exactly as it reports ENOSPC). Before the fix, every
read-only command failed with "cannot write the database (disk I/O error)": SQLite could
not size the -shm file a WAL database shares between readers. The database is left as a
cleanly closed one is (no -wal, no -shm), which is the case that failed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from child import database, full_disk, readerterm_env, run_python, run_readerterm
from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.store import Store

STORIES = 12
# Listed first: the items carry no date, so the list keeps the feed's own order.
TOP_STORY = "Story 0"


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str]]:
    environment = readerterm_env(tmp_path)
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text("[settings]\nrefresh_on_start = false\n", encoding="utf-8")
    make_database(database(environment))
    yield environment


def make_database(path: Path) -> None:
    """A real cache with one feed of STORIES stories, indexed, the last two read, then
    closed as readerterm closes it: checkpointed, with no -wal or -shm file left."""
    library = Library(Store(path))
    feed = library.subscriptions.subscribe("https://news.test/feed.xml")
    library.refresher.ingest_document(
        feed.id,
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        + b"".join(
            f"<item><guid>{i}</guid><title>Story {i}</title><link>https://news.test/{i}</link>"
            f"<description>{'Words and more words. ' * 20}</description></item>".encode()
            for i in range(STORIES)
        )
        + b"</channel></rss>",
    )
    library.store.search.index_pending(None)
    oldest_two = library.reading.article_ids()[-2:]
    library.store.articles.set_flag(oldest_two, "read", True)
    library.close()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in path.parent.glob(path.name + "-*"):
        extra.unlink()


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def on_a_full_disk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` where no byte of a file can be written."""
    return run_python(env, *args, limit=full_disk)


def readerterm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_readerterm(env, *args, limit=full_disk)


def test_the_simulation_refuses_every_file_write(home: dict[str, str], tmp_path: Path) -> None:
    script = f"open({str(tmp_path / 'probe')!r}, 'wb', buffering=0).write(b'x')"
    result = on_a_full_disk(home, "-c", script)
    assert result.returncode == 1
    assert "File too large" in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["feeds"], "News"),
        (["feeds", "--json"], '"title": "News"'),
        (["articles"], TOP_STORY),
        (["articles", "--json", "--unread"], f'"title": "{TOP_STORY}"'),
        (["articles", "--search", "words", "--limit", "3"], "Story"),
        (["export"], "https://news.test/feed.xml"),
    ],
    ids=["feeds", "feeds-json", "articles", "articles-json", "search", "export"],
)
def test_read_only_commands_work_on_a_full_disk(
    home: dict[str, str], args: list[str], expected: str
) -> None:
    before = fingerprint(database(home))

    result = readerterm(home, *args)

    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert result.stderr == ""
    assert fingerprint(database(home)) == before


def test_articles_are_all_listed_on_a_full_disk(home: dict[str, str]) -> None:
    result = readerterm(home, "articles", "--json")

    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    assert len(listed) == STORIES
    assert sum(1 for item in listed if item["read"]) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["mark", "read", *(str(i) for i in range(1, STORIES + 1))],
        ["mark", "star", "1", "2"],
        ["remove", "1"],
    ],
    ids=["mark-read", "mark-star", "remove"],
)
def test_a_write_on_a_full_disk_says_so_in_one_line(home: dict[str, str], args: list[str]) -> None:
    before = fingerprint(database(home))

    result = readerterm(home, *args)

    assert result.returncode == 1
    message = result.stderr.strip()
    assert "Traceback" not in result.stderr, result.stderr
    assert "\n" not in message, message
    assert message.startswith(f"readerterm: {database(home)}: "), message
    assert "cannot write the database" in message
    assert "disk full" in message
    assert fingerprint(database(home)) == before


def test_reading_beside_a_running_reader_on_a_full_disk(home: dict[str, str]) -> None:
    """The other common case: the reader is open (its -shm exists, sized) when the disk
    fills, and a command reads meanwhile."""
    running = Store(database(home))
    try:
        assert len(running.views.query_ids(ArticleFilter())) == STORIES  # -shm made, sized
        result = readerterm(home, "articles", "--unread")
    finally:
        running.close()

    assert result.returncode == 0, result.stderr
    assert TOP_STORY in result.stdout
    assert result.stderr == ""


READER = textwrap.dedent(
    """
    import asyncio, json, sys
    from readerterm.config import Config
    from readerterm.library import Library
    from readerterm.paths import default_paths
    from readerterm.ui.app import ReaderTermApp

    async def main(open_unread):
        library = Library.open(default_paths(), offline=True)
        app = ReaderTermApp(library, Config(), refresh_on_start=False)
        seen = {}
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                for _ in range(300):  # the list loads off the loop: slow on a loaded machine
                    if app.screen.article_list.ids:
                        break
                    await pilot.pause(0.1)
                articles = app.screen.article_list
                seen["rows"] = len(articles.ids)
                read = [row.id for row in library.reading.article_rows(articles.ids) if row.read]
                unread = [i for i in articles.ids if i not in read]
                target = unread[0] if open_unread else read[0]
                app.screen.open_article(target)
                for _ in range(300):
                    await pilot.pause(0.1)
                    shown = app.screen.reader.article
                    if shown is not None and shown.id == target:
                        break
                shown = app.screen.reader.article
                seen["opened"] = shown.title if shown is not None and shown.id == target else None
                seen["running"] = app.is_running
                await pilot.press("q")
        finally:
            library.close()
        print(json.dumps(seen))

    asyncio.run(main(sys.argv[1] == "unread"))
    """
)


def run_reader(env: dict[str, str], which: str) -> dict[str, object]:
    result = on_a_full_disk({**env, "TZ": "UTC"}, "-c", READER, which)
    assert result.returncode == 0, result.stderr[-3000:]
    seen: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_the_reader_lists_and_opens_a_story_on_a_full_disk(home: dict[str, str]) -> None:
    before = fingerprint(database(home))

    seen = run_reader(home, "read")

    assert seen["rows"] == STORIES
    assert isinstance(seen["opened"], str) and seen["opened"].startswith("Story ")
    assert seen["running"] is True
    assert fingerprint(database(home)) == before


def test_the_reader_opens_an_unread_story_on_a_full_disk(home: dict[str, str]) -> None:
    seen = run_reader(home, "unread")

    assert isinstance(seen["opened"], str) and seen["opened"].startswith("Story ")


def test_a_first_start_on_a_full_disk_says_the_database_cannot_be_made(
    home: dict[str, str], tmp_path: Path
) -> None:
    fresh = {**home, "READERTERM_DATA_DIR": str(tmp_path / "fresh")}
    (tmp_path / "fresh").mkdir()

    result = readerterm(fresh, "feeds")

    assert result.returncode == 1
    message = result.stderr.strip()
    assert "Traceback" not in result.stderr and "\n" not in message, result.stderr
    assert "the database must be created, and it cannot be written" in message
    assert "disk full" in message
