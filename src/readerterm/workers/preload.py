"""Importing heavy modules on a thread before they are first used.

httpx, the parsers and trafilatura take 0.1 to 0.3 s each to import. Imported on a
thread, the import still holds the GIL, but in slices: the event loop keeps answering
keys instead of stopping for the whole import when the module is first used. Measured
when it came in: the reader's first refresh no longer stalled the loop for ~0.2 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import sys
from collections.abc import Sequence

HTTP_MODULES = ("readerterm.net.fetch",)
"""What the first request needs: httpx, h11 and readerterm's transport (~0.1 s)."""
PARSER_MODULES = ("readerterm.feeds.update",)
"""What parsing a feed document needs: lxml, feedparser (~50 ms)."""
SYNC_MODULES = (
    "readerterm.sync.engine",
    "readerterm.sync.greader",
    "readerterm.sync.fever",
    "httpcore",
    "anyio._backends._asyncio",
)
"""What a sync needs: its clients, httpx's own transport and anyio's asyncio backend."""
READING_MODULES = ("readerterm.text.extract",)
"""What opening a story needs: BeautifulSoup, markdownify, the sentence splitter."""


async def preload(*modules: str) -> None:
    """Import `modules` on a thread, those not imported yet. A module another thread is
    still importing counts as not imported: it sits in sys.modules from the start of its
    import, and importing it on the loop would wait there for the rest (the first page
    fetches after a cold refresh froze the reader for 0.2-0.5 s so: benchmarks/
    responsiveness.py, worst stall while indexing, median of four interleaved runs 249 ms
    before, 86 ms after)."""
    missing = [name for name in modules if not _imported(name)]
    if missing:
        await asyncio.to_thread(_import_all, missing)


def _imported(name: str) -> bool:
    """`name` is fully imported: the test import itself makes of a module it finds in
    sys.modules before it uses it."""
    module = sys.modules.get(name)
    if module is None:
        return False
    return not getattr(getattr(module, "__spec__", None), "_initializing", False)


def _import_all(names: Sequence[str]) -> None:
    for name in names:
        # A dependency's internals may move: then they load when used.
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


class Preloader:
    """One import on a thread, started once and awaited by whoever needs it first; a failed
    or cancelled import (or one from another event loop) is started again."""

    def __init__(self, *modules: str) -> None:
        self._modules = modules
        self._loading: asyncio.Future[None] | None = None

    def start(self) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        loading = self._loading
        failed = (
            loading is not None
            and loading.done()
            and (loading.cancelled() or loading.exception() is not None)
        )
        if loading is None or loading.get_loop() is not loop or failed:
            loading = self._loading = asyncio.ensure_future(preload(*self._modules))
        return loading
