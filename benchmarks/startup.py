"""Start-up benchmark: first full screen of the TUI over a 100,000-article cache, peak
RSS, and the time from a cursor key to the next frame drawn (issue 5, measurement 2).

Each run is a new process (`python benchmarks/startup.py --_child ...`) started on a copy
of the seeded cache (benchmarks/seed.py). The child opens the library, loads a config
(refresh at start off), and runs ReaderTermApp as `readerterm` does, except that its
driver throws the terminal output away (Textual still renders every frame to terminal
sequences, as it would for a terminal of --size). The figures:

- first screen: from the parent's clock just before it starts the process (so Python's
  own start-up and every import count) to the end of the first frame that contains rows
  of the article list. time.monotonic() is one system-wide clock, so the child's
  timestamps compare with the parent's. The child also reports when its first line ran
  (interpreter start), when readerterm and Textual were imported, and the first frame.
- cursor: the app is sent `--moves` Down keys, as the terminal driver delivers them
  (App.post_message(events.Key)); each is timed from the post to the end of the first
  frame that shows the cursor on its new row, inside the app (none of Pilot's idle waits).
  Keys come --gap ms apart, like a held key. Garbage-collector pauses during the moves
  are recorded too (gc.callbacks).
- peak RSS: the child's ru_maxrss at the end.

Bytecode: an installed readerterm runs from compiled bytecode (pip compiles it at install
time; otherwise Python writes __pycache__ on the first start). A shell that sets
PYTHONDONTWRITEBYTECODE (this machine's does) would make every child compile Textual, Rich
and readerterm from source, ~0.4 s of the start on 2 cores. So the children run with
their own bytecode cache (PYTHONPYCACHEPREFIX under /tmp, filled by an unmeasured warm-up
run), nothing written into the tree or the venv. --cold-bytecode measures the old way.

Runs are made with and without gc.freeze() after the first screen (--gc both|on|off).
Figures are medians over --runs runs, targets beside them.

Run:  uv run python benchmarks/startup.py              (100,000 articles, 3 runs)
      uv run python benchmarks/startup.py --quick      (5,000 articles, 1 run)
      uv run python benchmarks/startup.py --profile /tmp/startup-profile
            (pyinstrument must be installed: writes startup.txt and moves.txt)
"""

from __future__ import annotations

import time

_CHILD_STARTED = time.monotonic()  # the first thing the child does (after the docstring)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from harness import (  # noqa: E402
    FrameWatch,
    GcPauses,
    launch,
    median,
    null_terminal_driver,
    percentile,
    print_table,
    profile_text,
    verdict,
)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_FIRST_SCREEN_S = 0.5
TARGET_CURSOR_MEDIAN_MS = 10.0
TARGET_CURSOR_P95_MS = 25.0
TARGET_RSS_MB = 150.0


# --- the measured process ----------------------------------------------------------------


async def _child(args: argparse.Namespace) -> dict[str, Any]:
    import gc
    import resource

    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
    moments = {"interpreter ready": _CHILD_STARTED}
    size = (args.width, args.height)
    launched = await launch(Path(args.database), Path(args.work), size, moments)
    app, watch = launched.app, launched.watch
    if profiler is not None:
        profiler.stop()
        (Path(args.profile) / "startup.txt").write_text(profile_text(profiler))
    result: dict[str, Any] = {"moments": moments, "frames_to_first": watch.frames}

    await asyncio.sleep(0.3)  # let start-up work (timers, workers) settle
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    pauses = GcPauses()
    pauses.install()
    articles = launched.articles
    if profiler is not None:
        profiler = type(profiler)(interval=0.0005, async_mode="disabled")
        profiler.start()
    latencies: list[float] = []
    from textual import events

    pauses.enabled = True
    for _ in range(args.moves):
        target = articles.cursor + 1
        drawn = watch.expect(lambda target=target: articles.cursor == target)
        sent = time.perf_counter()
        app.post_message(events.Key("down", None))
        latencies.append(await asyncio.wait_for(drawn, 5) - sent)
        await asyncio.sleep(args.gap / 1000)
    pauses.enabled = False
    if profiler is not None:
        profiler.stop()
        (Path(args.profile) / "moves.txt").write_text(profile_text(profiler))
    result.update(
        latencies=latencies,
        cursor=articles.cursor,
        rows=articles.row_count,
        gc_pauses=pauses.pauses,
        rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    await launched.close()
    return result


async def _minimal_child(args: argparse.Namespace) -> dict[str, Any]:
    """The floor: a Textual app with one Static, same driver and size."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("hello " * 400)

    app = Minimal()
    app.driver_class = null_terminal_driver()
    watch = FrameWatch()
    app.post_display_hook = watch
    first = watch.expect(lambda: True)
    task = asyncio.ensure_future(app.run_async(headless=False, size=(args.width, args.height)))
    drawn = await asyncio.wait_for(first, 30)
    moments = {"first screen": time.monotonic() - (time.perf_counter() - drawn)}
    app.exit()
    await task
    return {"moments": moments}


def _run_child(args: argparse.Namespace) -> int:
    child = _minimal_child if args.minimal else _child
    result = asyncio.run(child(args))
    Path(args.out).write_text(json.dumps(result))
    return 0


# --- the driver ------------------------------------------------------------------------------


def child_environment(cold_bytecode: bool) -> dict[str, str]:
    """The measured process's environment: a private bytecode cache, unless cold."""
    from pycache_env import child_environment as environment

    return environment(cold_bytecode)


def _one_run(
    args: argparse.Namespace, database: Path, gc_freeze: bool, run: int, minimal: bool = False
) -> dict[str, Any]:
    import os
    import shutil
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rt-startup-") as tmp:
        work = Path(tmp)
        copy = work / "readerterm.db"
        shutil.copyfile(database, copy)
        out = work / "result.json"
        command = [
            sys.executable, str(Path(__file__).resolve()), "--_child",
            "--database", str(copy), "--work", str(work), "--out", str(out),
            "--width", str(args.width), "--height", str(args.height),
            "--moves", str(args.moves), "--gap", str(args.gap),
        ]  # fmt: skip
        if gc_freeze:
            command.append("--gc-freeze")
        if minimal:
            command.append("--minimal")
        elif args.profile and run == 0:
            where = Path(args.profile) / ("gc-freeze" if gc_freeze else "default")
            where.mkdir(parents=True, exist_ok=True)
            command += ["--profile", str(where)]
        log = work / "child.log"
        with log.open("wb") as sink:
            started = time.monotonic()
            process = subprocess.Popen(
                command,
                stdout=sink,
                stderr=subprocess.STDOUT,
                env=child_environment(args.cold_bytecode),
            )
            _, status, usage = os.wait4(process.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not out.exists():
            raise RuntimeError(f"the measured process failed:\n{log.read_text()[-3000:]}")
        result: dict[str, Any] = json.loads(out.read_text())
    result["started"] = started
    result["rss_wait4_mb"] = usage.ru_maxrss / 1024
    return result


def _summary(results: list[dict[str, Any]]) -> dict[str, float]:
    def since_start(name: str) -> list[float]:
        return [r["moments"][name] - r["started"] for r in results]

    latencies = [[x * 1000 for x in r["latencies"]] for r in results]
    gc_max = [max((p for _, p in r["gc_pauses"]), default=0.0) * 1000 for r in results]
    gen2 = [sum(1 for g, _ in r["gc_pauses"] if g == 2) for r in results]
    return {
        "interpreter": median(since_start("interpreter ready")),
        "core": median(since_start("core imported")),
        "library": median(since_start("library open")),
        "ui": median(since_start("ui imported")),
        "first": median(since_start("first screen")),
        "cursor_median": median([median(x) for x in latencies]),
        "cursor_p95": median([percentile(x, 0.95) for x in latencies]),
        "cursor_max": median([max(x) for x in latencies]),
        "rss": median([r["rss_mb"] for r in results]),
        "gc_max": median(gc_max),
        "gen2": median([float(g) for g in gen2]),
        "rows": float(results[0]["rows"]),
    }


def _report(
    args: argparse.Namespace, summaries: dict[str, dict[str, float]], minimal_s: float
) -> None:
    import os

    any_summary = next(iter(summaries.values()))
    print(
        f"\nstartup: {int(any_summary['rows'])} articles listed ({args.articles} seeded over "
        f"{args.feeds} feeds), terminal {args.width}x{args.height}, {args.moves} Down keys "
        f"{args.gap:g} ms apart; median of {args.runs} run(s); {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}; bytecode "
        f"{'compiled at every start (--cold-bytecode)' if args.cold_bytecode else 'cached'}"
    )
    for label, s in summaries.items():
        rows = [
            ("process start -> interpreter ready", f"{s['interpreter']:.3f} s", "", ""),
            ("  -> readerterm core imported", f"{s['core']:.3f} s", "", ""),
            ("  -> library open (config loaded)", f"{s['library']:.3f} s", "", ""),
            ("  -> Textual + UI imported", f"{s['ui']:.3f} s", "", ""),
            (
                "first full screen (article rows drawn)",
                f"{s['first']:.3f} s",
                f"<= {TARGET_FIRST_SCREEN_S:g} s",
                verdict(s["first"] <= TARGET_FIRST_SCREEN_S),
            ),
            ("  (floor: one-Static Textual app, same run)", f"{minimal_s:.3f} s", "", ""),
            (
                "cursor key -> frame, median",
                f"{s['cursor_median']:.1f} ms",
                f"<= {TARGET_CURSOR_MEDIAN_MS:g} ms",
                verdict(s["cursor_median"] <= TARGET_CURSOR_MEDIAN_MS),
            ),
            (
                "cursor key -> frame, p95",
                f"{s['cursor_p95']:.1f} ms",
                f"<= {TARGET_CURSOR_P95_MS:g} ms",
                verdict(s["cursor_p95"] <= TARGET_CURSOR_P95_MS),
            ),
            ("cursor key -> frame, max", f"{s['cursor_max']:.1f} ms", "", ""),
            (
                "peak RSS",
                f"{s['rss']:.0f} MB",
                f"<= {TARGET_RSS_MB:g} MB",
                verdict(s["rss"] <= TARGET_RSS_MB),
            ),
            ("longest GC pause during the moves", f"{s['gc_max']:.1f} ms", "", ""),
            ("full (gen 2) collections during the moves", f"{s['gen2']:.0f}", "", ""),
        ]
        print_table(label, rows)


def _driver(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(HERE))
    from seed import cached_database

    database = cached_database(articles=args.articles, feeds=args.feeds, fresh=args.fresh)
    variants = {"off": [False], "on": [True], "both": [False, True]}[args.gc]
    if not args.cold_bytecode:
        # Unmeasured: fills the bytecode cache (again after a source file changed).
        warm_up = argparse.Namespace(**{**vars(args), "moves": 1, "profile": None})
        _one_run(warm_up, database, False, 1)
        _one_run(warm_up, database, False, 1, minimal=True)
    summaries: dict[str, dict[str, float]] = {}
    for gc_freeze in variants:
        label = "gc.freeze() after the first screen" if gc_freeze else "as shipped (no gc.freeze)"
        results = []
        for run in range(args.runs):
            result = _one_run(args, database, gc_freeze, run)
            results.append(result)
            one = _summary([result])
            print(
                f"run {run + 1} ({label}): first screen {one['first']:.3f} s, cursor median "
                f"{one['cursor_median']:.1f} ms p95 {one['cursor_p95']:.1f} ms max "
                f"{one['cursor_max']:.1f} ms, RSS {one['rss']:.0f} MB",
                file=sys.stderr,
            )
        summaries[label] = _summary(results)
    floor = [_one_run(args, database, False, run, minimal=True) for run in range(args.runs)]
    minimal_s = median([r["moments"]["first screen"] - r["started"] for r in floor])
    _report(args, summaries, minimal_s)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=100_000, help="articles (100,000)")
    parser.add_argument("--feeds", type=int, default=300, help="feeds (300)")
    parser.add_argument("--runs", type=int, default=3, help="runs per variant (3)")
    parser.add_argument("--moves", type=int, default=200, help="Down keys timed (200)")
    parser.add_argument("--gap", type=float, default=20, help="ms between keys (20)")
    parser.add_argument("--width", type=int, default=200, help="terminal columns (200)")
    parser.add_argument("--height", type=int, default=50, help="terminal lines (50)")
    parser.add_argument(
        "--gc", choices=("both", "off", "on"), default="both", help="gc.freeze() variants (both)"
    )
    parser.add_argument("--quick", action="store_true", help="5,000 articles, 1 run, 50 moves")
    parser.add_argument("--fresh", action="store_true", help="rebuild the seeded cache")
    parser.add_argument(
        "--cold-bytecode",
        action="store_true",
        help="run with PYTHONDONTWRITEBYTECODE=1 (every module compiled from source)",
    )
    parser.add_argument(
        "--profile", metavar="DIR", help="pyinstrument profiles of the first run into DIR"
    )
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--gc-freeze", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--minimal", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        return _run_child(args)
    if args.quick:
        args.articles, args.feeds, args.runs, args.moves = 5_000, 50, 1, 50
    return _driver(args)


if __name__ == "__main__":
    raise SystemExit(main())
