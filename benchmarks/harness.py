"""The app as `readerterm` runs it, inside a benchmark's process, with the watches the
benchmarks read: the frames it draws (FrameWatch), garbage-collector pauses (GcPauses),
event-loop stalls (LoopLag) and where the loop was during one (StallWatch). Its driver
renders every frame to terminal sequences and throws them away (null_terminal_driver).
Used by startup.py, reader.py and responsiveness.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CONFIG_TEXT = "[settings]\nrefresh_on_start = false\n"
"""The config the app is opened with (responsiveness.py adds its sync section)."""


def use_this_tree() -> None:
    """Import readerterm from the tree this file lives in (not whatever is installed)."""
    if str(REPO / "src") not in sys.path:
        sys.path.insert(0, str(REPO / "src"))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: list[float]) -> float:
    import statistics

    return float(statistics.median(values)) if values else 0.0


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(title: str, rows: list[tuple[str, str, str, str]]) -> None:
    """rows: (figure, measured, target, verdict)."""
    width = max(len(r[0]) for r in rows)
    print(f"\n{title}")
    print(f"  {'figure':<{width}}  {'median':>12}  {'target':>10}  ")
    for name, value, target, ok in rows:
        print(f"  {name:<{width}}  {value:>12}  {target:>10}  {ok}")


def profile_text(profiler: Any, top: int = 30) -> str:
    """A pyinstrument profile as a call tree, then the functions with the most self time
    (the tree hides library frames; the flat list shows where Textual spends it)."""
    tree = profiler.output_text(unicode=True, show_all=False)
    flat = profiler.output_text(unicode=True, flat=True).splitlines()
    return tree + "\nfunctions by self time:\n" + "\n".join(flat[: top + 8]) + "\n"


class FrameWatch:
    """Timestamps of the frames the app draws, with a way to wait for a frame that
    satisfies a condition. Installed as the app's post_display_hook, which Textual calls
    after every frame it sends to the driver."""

    def __init__(self) -> None:
        self.frames = 0
        self.last: float = 0.0
        self._waiting: tuple[Callable[[], bool], asyncio.Future[float]] | None = None

    def __call__(self) -> None:
        now = time.perf_counter()
        self.frames += 1
        self.last = now
        if self._waiting is not None:
            condition, future = self._waiting
            if not future.done() and condition():
                future.set_result(now)
                self._waiting = None

    def expect(self, condition: Callable[[], bool]) -> asyncio.Future[float]:
        """A future that gets the time of the first frame after which `condition` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiting = (condition, future)
        return future


def null_terminal_driver() -> type[Any]:
    """A driver that behaves as a terminal of a fixed size for Textual (not headless, so
    every frame is rendered to escape sequences) but throws the output away."""
    from textual.drivers.headless_driver import HeadlessDriver

    class NullTerminalDriver(HeadlessDriver):
        written = 0

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            NullTerminalDriver.written += len(data)

    return NullTerminalDriver


class GcPauses:
    """Durations of garbage collections while enabled (gc.callbacks)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._started = 0.0
        self.enabled = False

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self.enabled:
            self.pauses.append((info["generation"], time.perf_counter() - self._started))

    def install(self) -> None:
        import gc

        gc.callbacks.append(self)


class LoopLag:
    """Event-loop stalls: a task that asks to wake every `period` seconds and records how
    late each wake-up is (a 10 ms tick that runs 60 ms late saw a 60 ms stall)."""

    def __init__(self, period: float = 0.01) -> None:
        self.period = period
        self.samples: list[tuple[float, float]] = []
        """(time woken, lateness in seconds)."""
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            due = time.perf_counter() + self.period
            await asyncio.sleep(self.period)
            now = time.perf_counter()
            self.samples.append((now, max(0.0, now - due)))

    def between(self, start: float, end: float) -> list[float]:
        """Lateness of the wake-ups in [start, end] (seconds)."""
        return [late for woke, late in self.samples if start <= woke <= end]


def open_app(database: Path, work: Path) -> tuple[Any, dict[str, float]]:
    """The app as `readerterm` builds it over `database` (no refresh at start), with the
    moments of each step (monotonic)."""
    moments: dict[str, float] = {}
    use_this_tree()
    from readerterm.config import load_config
    from readerterm.library import Library

    moments["core imported"] = time.monotonic()
    config_file = work / "config.toml"
    config_file.write_text(CONFIG_TEXT)
    config = load_config(config_file)
    library = Library.open_at(database)
    library.subscriptions.add_config_feeds(config.feeds)
    library.settings.configure(config)
    moments["library open"] = time.monotonic()
    from readerterm.ui.app import ReaderTermApp

    moments["ui imported"] = time.monotonic()
    seed_now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    app = ReaderTermApp(library, config, refresh_on_start=False, now=lambda: seed_now)
    app.driver_class = null_terminal_driver()
    moments["app built"] = time.monotonic()
    return app, moments


class Launched:
    """A running app (in this event loop) whose first screen with article rows is drawn."""

    def __init__(self, app: Any, watch: FrameWatch, task: asyncio.Future[Any]) -> None:
        self.app = app
        self.watch = watch
        self.task = task

    @property
    def articles(self) -> Any:
        from readerterm.ui.widgets.article_list import ArticleList

        return self.app.screen.query_one(ArticleList)

    async def quiet(self, seconds: float = 0.3, limit: float = 30.0) -> float:
        """Wait until no frame was drawn for `seconds`; returns the last frame's time."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            since = time.perf_counter() - max(self.watch.last, 0.0)
            if since >= seconds:
                break
            await asyncio.sleep(seconds - since + 0.001)
        return self.watch.last

    async def close(self) -> None:
        self.app.exit()
        await self.task


async def launch(
    database: Path, work: Path, size: tuple[int, int], moments: dict[str, float]
) -> Launched:
    """Build and run the app; return once its first screen with article rows is drawn
    (moments gets "first screen")."""
    app, built = open_app(database, work)
    moments.update(built)
    from readerterm.ui.widgets.article_list import ArticleList

    watch = FrameWatch()
    app.post_display_hook = watch
    painted = {"rows": False}
    render_row = ArticleList.render_row

    def spy(self: Any, index: int, width: int, selected: bool) -> Any:
        painted["rows"] = True
        return render_row(self, index, width, selected)

    ArticleList.render_row = spy  # type: ignore[method-assign]
    first_rows = watch.expect(lambda: painted["rows"])
    task = asyncio.ensure_future(app.run_async(headless=False, size=size))
    try:
        done, _ = await asyncio.wait({first_rows, task}, timeout=60, return_when="FIRST_COMPLETED")
        if first_rows not in done:
            if task.done():
                task.result()  # raises what the app raised
            raise RuntimeError("no article rows were drawn within 60 s")
    finally:
        ArticleList.render_row = render_row  # type: ignore[method-assign]
    moments["first screen"] = time.monotonic() - (time.perf_counter() - first_rows.result())
    return Launched(app, watch, task)


class StallWatch:
    """Where the event loop is when it stalls: a thread that looks every 5 ms, and when the
    loop's 10 ms tick is over 40 ms late, records the loop thread's stack (innermost frames
    in this project or Textual), once per stall."""

    def __init__(self, lag: LoopLag) -> None:
        self.lag = lag
        self.loop_thread = threading.get_ident()
        self.stacks: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        self.collections: list[tuple[int, float]] = []
        """(generation, ms) of each garbage collection over 5 ms."""
        self._gc_started = 0.0
        gc.callbacks.append(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        elif (spent := (time.perf_counter() - self._gc_started) * 1000) > 5:
            self.collections.append((info["generation"], spent))

    def _watch(self) -> None:
        recorded_for: float | None = None
        while not self._stop.wait(0.005):
            if not self.lag.samples:
                continue
            last_tick = self.lag.samples[-1][0]
            if time.perf_counter() - last_tick < 0.05 or recorded_for == last_tick:
                continue
            recorded_for = last_tick
            frame = sys._current_frames().get(self.loop_thread)
            lines = []
            while frame is not None and len(lines) < 14:
                code = frame.f_code
                if code.co_filename.startswith("<frozen"):
                    frame = frame.f_back
                    continue
                lines.append(
                    f"{code.co_filename.rsplit('/', 2)[-1]}:{frame.f_lineno} {code.co_name}"
                )
                frame = frame.f_back
            self.stacks["\n    ".join(lines)] += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(1)
        gc.callbacks.remove(self._gc)

    def report(self) -> str:
        collections = ", ".join(f"gen{g} {ms:.0f} ms" for g, ms in self.collections)
        return f"garbage collections over 5 ms: {collections or 'none'}\n\n" + "\n\n".join(
            f"{count} stalls at:\n    {stack}" for stack, count in self.stacks.most_common()
        )
