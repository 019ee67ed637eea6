"""The app as the tests build it, and a library whose refresh is scripted: imported by
name (`from ui_app import make_app`), not from conftest, which other test folders also
have."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from seeding import NOW

from readerterm.config import Config
from readerterm.library import Library
from readerterm.library.refresh import Refresher
from readerterm.models import RefreshResult, RefreshStatus
from readerterm.store import Store
from readerterm.ui.app import ReaderTermApp
from readerterm.ui.screens.main import MainScreen
from readerterm.ui.screens.triage import TriageScreen


def main_screen(pilot: Any) -> MainScreen:
    """The main screen, which must be on top."""
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def settle(pilot: Any) -> None:
    """Let workers end and the screen catch up, three times over (a finished worker may
    start the next: a story opened, then converted)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Any, check: Callable[[], object], seconds: float = 30.0) -> None:
    """Pause until check() is true, at most `seconds` (a loaded machine is slow)."""
    deadline = time.monotonic() + seconds
    while not check() and time.monotonic() < deadline:
        await pilot.pause(0.02)


async def open_triage(pilot: Any) -> None:
    """Press t and wait for triage mode: it comes once its first story is converted on a
    thread, which a press does not wait for (keys pressed before went to the main screen)."""
    await pilot.press("t")
    await until(pilot, lambda: isinstance(pilot.app.screen, TriageScreen))


def make_app(library: Library, config: Config | None = None) -> ReaderTermApp:
    """The app as the CLI builds it, with a fixed clock and no refresh at start."""
    return ReaderTermApp(library, config or Config(), refresh_on_start=False, now=lambda: NOW)


class ScriptedRefresher:
    """A refresh that reads prepared documents instead of the network: feeds with a
    document get it ingested, every other feed fails with the library's `error`."""

    def __init__(self, library: ScriptedLibrary, real: Refresher) -> None:
        self.library = library
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def refresh(
        self,
        feed_ids: Sequence[int] | None = None,
        *,
        due_only: bool = False,
        at_once: int = 64,
    ) -> AsyncIterator[RefreshResult]:
        lib = self.library
        lib.at_once = [*lib.at_once, at_once]
        for feed in lib.subscriptions.feeds():
            if feed_ids is not None and feed.id not in feed_ids:
                continue
            document = lib.documents.get(feed.url)
            if document is None:
                lib.store.subscriptions.record_failure(feed.id, lib.error, now=NOW)
                yield RefreshResult(
                    feed.id, feed.url, feed.title, RefreshStatus.FAILED, error=lib.error
                )
            else:
                yield self.real.ingest_document(feed.id, document)


class ScriptedLibrary(Library):
    """A real library whose refresh is scripted (see ScriptedRefresher)."""

    error = "connection refused by 127.0.0.1"

    def __init__(self, store: Store, **options: Any) -> None:
        super().__init__(store, **options)
        self.documents: dict[str, bytes] = {}
        self.at_once: list[int] = []
        self.refresher = ScriptedRefresher(self, self.refresher)  # type: ignore[assignment]
