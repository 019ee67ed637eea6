"""Issue 20, local disks: the reader's keys on a database it cannot write.

On a full disk (RLIMIT_FSIZE 0 with SIGXFSZ ignored, as in test_full_disk_reading.py) and
on a read-only database file, every key that writes (open an unread story, read, star,
later, dismiss, undo, mark all read, triage decisions) shows one warning, the reader keeps
running and showing the story, and no row is shown in a state that was not stored.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from storage_helpers import read_only
from test_full_disk_reading import (
    TOP_STORY,
    fingerprint,
    make_database,
    on_a_full_disk,
)

from child import database, readerterm_env, run_python


@pytest.fixture
def home(tmp_path: Path) -> Iterator[dict[str, str]]:
    environment = readerterm_env(tmp_path, TZ="UTC")
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text("[settings]\nrefresh_on_start = false\n", encoding="utf-8")
    make_database(database(environment))
    yield environment


KEYS = textwrap.dedent(
    """
    import asyncio, json, sys
    from readerterm.config import Config
    from readerterm.library import Library
    from readerterm.paths import default_paths
    from readerterm.ui.app import ReaderTermApp
    from readerterm.ui.screens import unsaved

    unsaved.QUIET_SECONDS = 3600.0  # a slow machine's burst is still one burst

    def shown(articles, article_id):
        row = articles.row_at(articles.ids.index(article_id))
        return {"read": row.read, "starred": row.starred, "later": row.later}

    async def until(check, seconds=30.0):
        # wait for check() (a loaded machine is slow), at most `seconds`
        deadline = asyncio.get_running_loop().time() + seconds
        while not check() and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)

    def settled(app):
        if type(app.screen).__name__ != "MainScreen":
            return True
        return app.screen.reader.article is not None  # (every key list opens a story)

    async def main(keys):
        library = Library.open(default_paths(), offline=True)
        app = ReaderTermApp(library, Config(), refresh_on_start=False)
        seen = {}
        # Every note as it is posted: a loaded machine may take longer than a note stays.
        notes = []
        post = app.notify

        def recorded(message, *, title="", severity="information", **options):
            notes.append((title, message, severity))
            return post(message, title=title, severity=severity, **options)

        app.notify = recorded
        try:
            async with app.run_test(size=(120, 40), notifications=True) as pilot:
                await until(lambda: app.screen.article_list.highlighted_id is not None)
                articles = app.screen.article_list
                target = articles.highlighted_id
                for key in keys:
                    await pilot.press(key)
                    if key == "t":  # triage comes once its first story is converted
                        await until(lambda: type(app.screen).__name__ == "TriageScreen")
                    await pilot.pause(0.05)
                await until(lambda: settled(app) and notes)
                await pilot.pause(1.0)  # (a second warning, if any, has time to come)
                seen["screen"] = type(app.screen).__name__
                if seen["screen"] == "MainScreen":
                    story = app.screen.reader.article
                    seen["opened"] = None if story is None else story.title
                    seen["shown"] = shown(app.screen.article_list, target)
                row = library.reading.article_rows([target])[0]
                seen["stored"] = {"read": row.read, "starred": row.starred, "later": row.later}
                seen["notes"] = notes
                seen["running"] = app.is_running
        finally:
            library.close()
        print(json.dumps(seen))

    asyncio.run(main(json.loads(sys.argv[1])))
    """
)

MAIN_KEYS = ["enter", "m", "m", "s", "s", "s", "l", "d", "u", "M", "enter"]
"""Open the newest (unread) story, then every triage key of the main screen, some twice,
and mark the whole list read (Enter confirms)."""

TRIAGE_KEYS = ["t", "r", "s", "l", "d", "r", "u"]


def press(env: dict[str, str], keys: list[str], *, full_disk: bool) -> dict[str, object]:
    args = ["-c", KEYS, json.dumps(keys)]
    result = on_a_full_disk(env, *args) if full_disk else run_python(env, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    seen: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def warnings_of(seen: dict[str, object]) -> list[str]:
    notes = seen["notes"]
    assert isinstance(notes, list)
    return [message for title, message, severity in notes if severity == "warning"]


def assert_one_warning(seen: dict[str, object], path: Path) -> None:
    warnings = warnings_of(seen)
    assert len(warnings) == 1, seen["notes"]
    assert warnings[0].startswith(f"{path}: "), warnings[0]
    assert "cannot write the database" in warnings[0] or "read-only" in warnings[0]
    assert "\n" not in warnings[0]
    assert ("Not saved", warnings[0], "warning") in [tuple(n) for n in seen["notes"]]  # type: ignore[union-attr]


UNCHANGED = {"read": False, "starred": False, "later": False}


def test_the_main_screen_keys_on_a_full_disk(home: dict[str, str]) -> None:
    before = fingerprint(database(home))

    seen = press(home, MAIN_KEYS, full_disk=True)

    assert seen["running"] is True and seen["screen"] == "MainScreen"
    assert seen["opened"] == TOP_STORY  # the story stays on show
    assert seen["stored"] == UNCHANGED
    assert seen["shown"] == UNCHANGED  # the row is not drawn read or starred
    assert_one_warning(seen, database(home))
    assert fingerprint(database(home)) == before


def test_triage_mode_keys_on_a_full_disk(home: dict[str, str]) -> None:
    before = fingerprint(database(home))

    seen = press(home, TRIAGE_KEYS, full_disk=True)

    assert seen["running"] is True and seen["screen"] == "TriageScreen"
    assert seen["stored"] == UNCHANGED
    assert_one_warning(seen, database(home))
    assert fingerprint(database(home)) == before


def test_the_main_screen_keys_on_a_read_only_database(home: dict[str, str]) -> None:
    path = database(home)
    before = fingerprint(path)

    with read_only(path):
        seen = press(home, MAIN_KEYS, full_disk=False)

    assert seen["running"] is True and seen["screen"] == "MainScreen"
    assert seen["opened"] == TOP_STORY
    assert seen["stored"] == UNCHANGED
    assert seen["shown"] == UNCHANGED
    assert_one_warning(seen, path)
    assert fingerprint(path) == before
