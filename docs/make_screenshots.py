"""Take the screenshots in docs/screenshots/ from the real app on the demo data.

    uv run python docs/make_screenshots.py

Each picture is an SVG written by Textual's App.save_screenshot after pressing the keys a
reader would press; the clock is fixed so ages read the same every time.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from readerterm.config import Config
from readerterm.demo.seed import seed_demo
from readerterm.library import Library
from readerterm.ui.app import ReaderTermApp

FOLDER = Path(__file__).with_name("screenshots")
NOW = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)

OPEN_SEED_STORY = ("j", "j", "enter")
"""The third story of the list: "Vesmark and Orlan agree to reopen Strait of Kessel ..."."""

# name, terminal size, keys pressed after start
SHOTS: tuple[tuple[str, tuple[int, int], Sequence[str]], ...] = (
    ("main", (200, 50), OPEN_SEED_STORY),
    ("narrow", (100, 30), OPEN_SEED_STORY),
    ("small", (80, 24), OPEN_SEED_STORY),  # opening a story there zooms the reader
    ("triage", (120, 36), ("t",)),
    ("search", (160, 40), ("slash", *"bank", "enter")),
    ("help", (120, 40), ("question_mark",)),
)


async def take(name: str, size: tuple[int, int], keys: Sequence[str], folder: Path) -> Path:
    with tempfile.TemporaryDirectory(prefix="readerterm-shot-") as data:
        library = Library.open_at(Path(data) / "readerterm.db", offline=True)
        try:
            seed_demo(library)
            app = ReaderTermApp(library, Config(), refresh_on_start=False, now=lambda: NOW)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
                await app.workers.wait_for_complete()
                await pilot.pause(0.3)
                target = folder / f"{name}.svg"
                app.save_screenshot(filename=target.name, path=str(folder))
        finally:
            library.close()
    return target


async def main() -> int:
    FOLDER.mkdir(exist_ok=True)
    for name, size, keys in SHOTS:
        print(f"wrote {await take(name, size, keys, FOLDER)}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
