"""Issue 20, local disks: what a start writes besides the stories, on a full disk.

A full disk is simulated as in test_full_disk_reading.py (RLIMIT_FSIZE 0, SIGXFSZ ignored).
A missing config (the starter config is written at the reader's first start) and a config
feed seen for the first time (subscribed at every command's start) must not stop reading:
the reader starts with what it has and says once what it could not write; the next start
with space writes it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_full_disk_reading import (
    STORIES,
    TOP_STORY,
    fingerprint,
    make_database,
    on_a_full_disk,
    readerterm,
)

from child import WAIT, database, readerterm_env

NEW_FEED = "https://later.test/feed.xml"


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A cache of one feed, and no config file yet."""
    environment = readerterm_env(tmp_path, READERTERM_OFFLINE="1")
    (tmp_path / "config").mkdir()
    make_database(database(environment))
    yield environment


def config_file(env: dict[str, str]) -> Path:
    return Path(env["READERTERM_CONFIG_DIR"]) / "config.toml"


def with_a_new_config_feed(env: dict[str, str]) -> None:
    config_file(env).write_text(
        f'[settings]\nrefresh_on_start = false\n\n[[feeds]]\nurl = "{NEW_FEED}"\ntitle = "Later"\n',
        encoding="utf-8",
    )


STARTING = textwrap.dedent(
    """
    import json
    import readerterm.ui

    seen = {}

    def run(library, config, *, config_path, refresh_on_start, notice):
        seen["notice"] = notice
        seen["feeds"] = sorted(feed.url for feed in library.subscriptions.feeds())
        seen["stories"] = len(library.reading.article_ids())
        seen["config_feeds"] = len(config.feeds)

    readerterm.ui.run = run  # everything the reader's start does, up to the app itself
    from readerterm.__main__ import main

    seen["code"] = main([])
    print(json.dumps(seen))
    """
)


def start_reader(env: dict[str, str], *, full_disk: bool) -> tuple[dict[str, object], str]:
    if full_disk:
        result = on_a_full_disk(env, "-c", STARTING)
    else:
        result = subprocess.run(
            [sys.executable, "-c", STARTING],
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
            stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    *said, last = result.stdout.strip().splitlines()
    seen: dict[str, object] = json.loads(last)
    seen["said"] = said  # what the reader printed once it was over
    return seen, result.stderr


def test_the_reader_starts_with_defaults_when_the_starter_config_cannot_be_written(
    home: dict[str, str],
) -> None:
    before = fingerprint(database(home))

    seen, stderr = start_reader(home, full_disk=True)

    assert seen["code"] == 0, stderr
    assert seen["stories"] == STORIES
    assert seen["config_feeds"] == 0  # the defaults
    notice = seen["notice"]
    assert isinstance(notice, str) and "\n" not in notice
    assert notice.startswith(f"{config_file(home)}: cannot write the config file: "), notice
    assert "default settings" in notice
    assert not config_file(home).exists()  # no empty file left to stand for the starter one
    assert fingerprint(database(home)) == before
    assert seen["said"] == []  # (no config to point to)

    seen, stderr = start_reader(home, full_disk=False)  # the disk has room again

    assert seen["code"] == 0, stderr
    assert isinstance(seen["notice"], str) and seen["notice"].startswith("Welcome!")
    # The path on a line of its own (a toast at 100x30 cut it as "config.t" / "oml").
    assert f"\n{config_file(home)}\n" in seen["notice"]
    # ... and said again once the reader is over: the notice lasts seconds.
    assert seen["said"] == [f"readerterm: your config is {config_file(home)}"]
    assert "[[feeds]]" in config_file(home).read_text(encoding="utf-8")


def test_a_command_reads_with_no_config_on_a_full_disk(home: dict[str, str]) -> None:
    result = readerterm(home, "feeds")

    assert result.returncode == 0, result.stderr
    assert "News" in result.stdout and result.stderr == ""
    assert not config_file(home).exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["feeds"], "News"),
        (["articles", "--unread"], TOP_STORY),
        (["export"], "https://news.test/feed.xml"),
    ],
    ids=["feeds", "articles", "export"],
)
def test_a_new_config_feed_does_not_stop_reading_on_a_full_disk(
    home: dict[str, str], args: list[str], expected: str
) -> None:
    with_a_new_config_feed(home)
    before = fingerprint(database(home))

    result = readerterm(home, *args)

    assert result.returncode == 0, result.stderr
    assert expected in result.stdout and NEW_FEED not in result.stdout
    warning = result.stderr.strip()
    assert "\n" not in warning and "Traceback" not in warning, result.stderr
    assert warning.startswith("readerterm: warning: the config's feed could not all be added")
    assert str(database(home)) in warning and "disk full" in warning
    assert warning.endswith("they are added at the next start that can write")
    assert fingerprint(database(home)) == before

    later = subprocess.run(
        [sys.executable, "-m", "readerterm", "feeds"],
        env=home,
        capture_output=True,
        text=True,
        timeout=WAIT,
        stdin=subprocess.DEVNULL,
    )
    assert later.returncode == 0 and later.stderr == "", later.stderr
    assert "Later" in later.stdout  # added, with its title, once the disk has room


def test_the_reader_starts_with_a_new_config_feed_on_a_full_disk(home: dict[str, str]) -> None:
    with_a_new_config_feed(home)

    seen, stderr = start_reader(home, full_disk=True)

    assert seen["code"] == 0, stderr
    assert seen["feeds"] == ["https://news.test/feed.xml"]
    assert seen["stories"] == STORIES
    notice = seen["notice"]
    assert isinstance(notice, str) and "\n" not in notice
    assert notice.startswith("Not saved: the config's feed could not all be added"), notice

    seen, stderr = start_reader(home, full_disk=False)

    assert seen["feeds"] == sorted(["https://news.test/feed.xml", NEW_FEED])
    assert seen["notice"] is None


RELOADING = textwrap.dedent(
    """
    import asyncio, json, sys
    from pathlib import Path
    from readerterm.config import Config, load_config
    from readerterm.library import Library
    from readerterm.paths import default_paths
    from readerterm.ui.app import ReaderTermApp

    async def main(edited):
        library = Library.open(default_paths(), offline=True)
        app = ReaderTermApp(library, Config(), refresh_on_start=False)
        seen = {}
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                await pilot.pause(0.3)
                for _ in range(2):  # read again twice: one warning
                    app.screen.apply_config(load_config(edited))
                    await pilot.pause(0.3)
                seen["notes"] = [(n.message, n.severity) for n in app._notifications]
                seen["feeds"] = sorted(feed.url for feed in library.subscriptions.feeds())
                seen["running"] = app.is_running
        finally:
            library.close()
        print(json.dumps(seen))

    asyncio.run(main(Path(sys.argv[1])))
    """
)


def test_a_config_read_again_with_a_new_feed_on_a_full_disk(
    home: dict[str, str], tmp_path: Path
) -> None:
    """The reader reads its config again (ctrl+r, or an edit on disk) while the disk is full."""
    edited = tmp_path / "edited.toml"
    edited.write_text(f'[[feeds]]\nurl = "{NEW_FEED}"\n', encoding="utf-8")
    config_file(home).write_text("[settings]\nrefresh_on_start = false\n", encoding="utf-8")

    result = on_a_full_disk({**home, "TZ": "UTC"}, "-c", RELOADING, str(edited))

    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["running"] is True
    assert seen["feeds"] == ["https://news.test/feed.xml"]
    warnings = [message for message, severity in seen["notes"] if severity == "warning"]
    assert len(warnings) == 1, seen["notes"]
    assert warnings[0].startswith("the config's feed could not all be added")
