"""The command line run in-process for the CLI unit tests (test_cli.py, test_cli_files.py):
`offline_home`, the autouse fixture `paths` that gives each test of a module importing it
a home of its own with the network off; running a command; seeding or reading the library
the commands use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from in_process import run_main, use_home
from readerterm.library import Library
from readerterm.paths import Paths

DATA = Path(__file__).parent / "data"
FEED = "https://daily.example.org/feed.xml"


@pytest.fixture(autouse=True, name="paths")
def offline_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    return use_home(tmp_path, monkeypatch, network=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, *argv)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    return json.loads(out)


def seed(paths: Paths, name: str = "rss20_content.xml", url: str = FEED) -> int:
    library = Library.open(paths, offline=True)
    try:
        feed = library.subscriptions.subscribe(url, tags=["local"])
        library.refresher.ingest_document(feed.id, (DATA / name).read_bytes())
        return feed.id
    finally:
        library.close()


def stored_urls(paths: Paths) -> list[str]:
    if not paths.database.exists():
        return []
    library = Library.open(paths, offline=True)
    try:
        return [feed.url for feed in library.subscriptions.feeds()]
    finally:
        library.close()
