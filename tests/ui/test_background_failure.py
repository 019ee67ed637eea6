"""An unexpected failure in background work is shown as one cleaned, plain-text line."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from ui_app import make_app

from readerterm.library import Library


async def test_a_background_failure_is_shown_cleaned(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
        raise RuntimeError("\x1b]0;window title\x07bad [bold]reply[/bold]\x1b[2J from a server")
        yield  # (an async generator, as the refresher's is)

    monkeypatch.setattr(library.refresher, "refresh", broken)
    monkeypatch.setattr(library.network, "offline", False)
    app = make_app(library)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        app.screen.start_refresh(None)
        for _ in range(100):
            await pilot.pause(0.05)
            if app._notifications:
                break
        messages = [note.message for note in app._notifications]
    failed = [m for m in messages if "failed" in m]
    assert failed, messages
    assert "\x1b" not in failed[0] and "\x07" not in failed[0]
    assert "bad [bold]reply[/bold]" in failed[0]  # shown as written, not as markup
