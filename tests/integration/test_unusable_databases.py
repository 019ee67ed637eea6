"""Issue 6, storage and processes: databases that cannot be used (not a database, damaged
pages, from a newer readerterm, read-only, a data folder that cannot be made) give a
one-line message and leave the file as it was; a missing data folder is created.

Each case runs `python -m readerterm` in a child process whose files live under a
temporary directory (the `home` fixture in conftest.py).
"""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from storage_helpers import read_only

from child import WAIT, database
from readerterm.library import Library
from readerterm.store import SCHEMA_VERSION, Store


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
    assert "No feeds yet" in result.stderr
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
