"""Issue 20: `readerterm import FILE` (and `extract FILE`) read only a regular file of at
most 10 MiB: a FIFO, a device, a folder or a huge file gets a one-line message.

Each command is a real `python -m readerterm` process with a timeout (a FIFO with no
writer used to hang it for ever) and an address-space limit (/dev/zero used to be read
until a MemoryError traceback, gigabytes later).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from child import memory_cap, readerterm_env, run_readerterm

MEMORY = 2 * 1024**3
"""Address space a command may use: enough to run readerterm, not to read /dev/zero."""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return readerterm_env(tmp_path)


def readerterm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_readerterm(env, *args, limit=memory_cap(MEMORY))


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr[-2000:])
    message = result.stderr.strip()
    assert "Traceback" not in message and "\n" not in message, message[-2000:]
    for word in words:
        assert word in message, (word, message)


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "subscriptions.opml"
    os.mkfifo(path)
    return path


def huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.opml"
    with path.open("wb") as file:
        file.truncate(10 * 1024 * 1024 + 1)  # sparse: no disk space used
    return path


def test_import_refuses_a_fifo_without_waiting(env: dict[str, str], tmp_path: Path) -> None:
    path = fifo(tmp_path)
    assert_refused(readerterm(env, "import", str(path)), str(path), "not a regular file")


def test_import_refuses_dev_zero(env: dict[str, str]) -> None:
    assert_refused(readerterm(env, "import", "/dev/zero"), "/dev/zero", "not a regular file")


def test_import_refuses_a_link_to_dev_zero(env: dict[str, str], tmp_path: Path) -> None:
    link = tmp_path / "feeds.opml"
    link.symlink_to("/dev/zero")
    assert_refused(readerterm(env, "import", str(link)), "not a regular file")


def test_import_refuses_a_folder(env: dict[str, str], tmp_path: Path) -> None:
    assert_refused(
        readerterm(env, "import", str(tmp_path)), str(tmp_path), "not a regular file (a folder)"
    )


def test_import_refuses_a_file_over_10_mib(env: dict[str, str], tmp_path: Path) -> None:
    path = huge(tmp_path)
    assert_refused(readerterm(env, "import", str(path)), str(path), "larger than 10 MiB")


def test_import_missing_file(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "nope.opml"
    assert_refused(readerterm(env, "import", str(path)), "cannot read", "No such file")


def test_import_a_regular_file_still_works(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "mine.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="A" xmlUrl="https://a.example/feed.xml"/></body></opml>',
        encoding="utf-8",
    )
    result = readerterm(env, "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "Imported 1 feed;" in result.stdout


def test_extract_refuses_fifo_device_folder_and_huge_file(
    env: dict[str, str], tmp_path: Path
) -> None:
    sources = [str(fifo(tmp_path)), "/dev/zero", str(tmp_path), str(huge(tmp_path))]
    result = readerterm(env, "extract", *sources)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "not a regular file" in lines[0] and "not a regular file" in lines[1]
    assert "not a regular file (a folder)" in lines[2] and "larger than 10 MiB" in lines[3]
