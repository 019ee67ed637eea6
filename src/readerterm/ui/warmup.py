"""What the reader does once its first screen is drawn, for speed: the garbage collector
is told that what is loaded lives as long as the app (measured: GC pauses of ~120 ms down
to ~6 ms during a refresh), and the Markdown widget is imported on a thread before the
first story is opened. `uv run python benchmarks/responsiveness.py` shows both."""

from __future__ import annotations

import gc

GC_THRESHOLDS = (5_000, 10, 100)
"""Python's defaults are (700, 10, 10). After gc.freeze the full collection compares what
survived with a now small total and runs every fraction of a second during a refresh
(measured: ~55 full collections of 15-50 ms in a 10 s refresh). Collecting the young
generation every 5,000 allocations and the old one ten times less often keeps the pauses
rare; what is freed by reference counting (nearly everything) is freed as before."""


def import_markdown_widget() -> None:
    """The reader's Markdown widget (markdown-it, Pygments: ~30-110 ms to import) is left
    out of the first screen and loaded on a thread after it, before the first article."""
    from textual.widgets import Markdown  # noqa: F401  (Textual loads it on first use)


def freeze_garbage_collector() -> None:
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
