"""A triage decision the store refuses half way (a full disk after the first of its two
writes) is not counted as made, and u still takes back exactly what was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ui_app import make_app

from readerterm.errors import StoreError
from readerterm.library import Library
from readerterm.ui.screens.triage import TriageScreen

FULL = StoreError("cannot write the database (disk I/O error): is the disk full?")


def shown(app: Any, part: str) -> str:
    widget = app.screen.query_one(f"#triage-{part}")
    return str(getattr(widget.content, "plain", widget.content))


def counter(app: Any) -> str:
    return shown(app, "counter")


async def test_a_decision_refused_half_way_is_not_counted_and_undo_takes_back_its_part(
    db_path: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = library.reading.article_ids()
    first, second = ids[0], ids[1]
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("r")  # the first story read: one decision made
        await pilot.pause()
        assert "1 done" in counter(app)

        real_set_flag = library.reading.set_flag
        calls: list[str] = []

        def star_then_refuse(article_ids: list[int], flag: str, value: bool) -> Any:
            calls.append(flag)
            if len(calls) > 1:
                raise FULL  # "star" writes starred, then read: the second is refused
            return real_set_flag(article_ids, flag, value)  # type: ignore[arg-type]

        def undo_refused() -> None:
            raise FULL

        with monkeypatch.context() as full_disk:
            full_disk.setattr(library.reading, "set_flag", star_then_refuse)
            full_disk.setattr(library.reading, "undo", undo_refused)
            await pilot.press("s")
            await pilot.pause()
        assert calls == ["starred", "read"]
        assert app.screen.done == 1  # (what leaving triage reports as decided)
        assert "1 done" in counter(app) and "last: read" in counter(app)
        assert library.reading.article(second).starred  # written, and not taken back
        assert library.reading.article(second).title in shown(app, "title")

        # space again: u takes back the star, then the first story's read
        await pilot.press("u")
        await pilot.pause()
        assert not library.reading.article(second).starred
        assert library.reading.article(first).read
        await pilot.press("u")
        await pilot.pause()
        assert not library.reading.article(first).read
        assert "0 done" in counter(app)
