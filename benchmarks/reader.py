"""Reader benchmark: time to show an article of 20,000 words with its key points
(issue 5, measurement 3).

Each run is a new process on a copy of the seeded cache (benchmarks/seed.py; it holds one
story of 20,000 words with five key points). The child runs ReaderTermApp as
benchmarks/startup.py does (real frames, output thrown away), waits for the first screen,
moves the list cursor onto the long story and sends Enter, as the terminal driver would.
Timed from the key's post:

- first chunk: the end of the first frame in which the reader shows that story's
  key points and the first block of its body (a body block is on screen);
- fully rendered: the end of the last frame drawn while the rest of the body is appended
  (no frame for 0.3 s and the reader's body worker finished);
- the longest event-loop stall between the key and full rendering (a 10 ms ticker), and
  how many keys would wait behind it.

The first open of a process pays one-off costs (Markdown parser set-up, first widgets of
each kind); the story is then opened --repeats more times (another story in between)
and those are reported as "again". Medians over --runs processes.

Run:  uv run python benchmarks/reader.py              (100,000-article cache, 3 runs)
      uv run python benchmarks/reader.py --quick      (5,000-article cache, 1 run)
      uv run python benchmarks/reader.py --profile /tmp/reader-profile
            (pyinstrument must be installed: the first open of the first run)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402
    Launched,
    LoopLag,
    launch,
    median,
    print_table,
    profile_text,
    use_this_tree,
    verdict,
)

TARGET_SHOW_MS = 200.0
LONG_GUID = "bench:long-article"  # seed.LONG_GUID (not imported: the child stays light)


def _article_ids(launched: Launched) -> tuple[int, int]:
    """The long story's id and another story's id (from the store the app uses)."""
    store = launched.app.library.store
    long_id = store.db.execute("SELECT id FROM articles WHERE guid = ?", (LONG_GUID,)).fetchone()
    if long_id is None:
        raise RuntimeError("the seeded cache has no long story; rebuild it with --fresh")
    other = store.db.execute(
        "SELECT a.id FROM articles a JOIN article_texts t ON t.article_id = a.id"
        " WHERE t.words BETWEEN 600 AND 1000 ORDER BY a.sort_at DESC LIMIT 1"
    ).fetchone()
    return int(long_id[0]), int(other[0])


def _reader_state(launched: Launched, article_id: int) -> dict[str, Any]:
    """What the reader shows now: its article, whether a body block and the key points
    are among the widgets on screen, and whether the body worker still runs."""
    from textual.widgets import Markdown

    app = launched.app
    screen = app.screen
    try:
        markdown = screen.query_one("#article-markdown", Markdown)
        key_points = screen.query_one("#key-points-text")
    except Exception:
        return {"open": False}
    reader = markdown.parent
    while reader is not None and not hasattr(reader, "article"):
        reader = reader.parent
    article = getattr(reader, "article", None)
    visible = screen._compositor.visible_widgets
    blocks = [child for child in markdown.children if child in visible]
    busy = any(worker.group == "reader-body" and worker.is_running for worker in app.workers)
    return {
        "open": article is not None and article.id == article_id,
        "body_on_screen": bool(blocks),
        "points_on_screen": key_points in visible,
        "busy": busy,
        "blocks": len(markdown.children),
    }


async def _open_once(launched: Launched, article_id: int, lag: LoopLag) -> dict[str, float]:
    from textual import events

    articles = launched.articles
    articles.focus()
    articles.select_article(article_id)
    await launched.quiet(0.2)

    def first_shown() -> bool:
        state = _reader_state(launched, article_id)
        return bool(state["open"] and state["body_on_screen"] and state["points_on_screen"])

    shown = launched.watch.expect(first_shown)
    sent = time.perf_counter()
    launched.app.post_message(events.Key("enter", None))
    first = await asyncio.wait_for(shown, 30)
    while _reader_state(launched, article_id)["busy"]:
        await asyncio.sleep(0.005)
    last = await launched.quiet(0.3)
    stalls = lag.between(sent, last)
    state = _reader_state(launched, article_id)
    return {
        "first_ms": (first - sent) * 1000,
        "full_ms": (max(last, first) - sent) * 1000,
        "stall_ms": max(stalls, default=0.0) * 1000,
        "blocks": float(state["blocks"]),
    }


async def _child(args: argparse.Namespace) -> dict[str, Any]:
    moments: dict[str, float] = {}
    launched = await launch(
        Path(args.database), Path(args.work), (args.width, args.height), moments
    )
    lag = LoopLag()
    lag.start()
    long_id, other_id = _article_ids(launched)
    await launched.quiet(0.3)
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
    opens = [await _open_once(launched, long_id, lag)]
    if profiler is not None:
        profiler.stop()
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        (Path(args.profile) / "first-open.txt").write_text(profile_text(profiler))
    for _ in range(args.repeats):
        await _open_once(launched, other_id, lag)
        opens.append(await _open_once(launched, long_id, lag))
    await lag.stop()
    await launched.close()
    return {"opens": opens}


def _run_child(args: argparse.Namespace) -> int:
    use_this_tree()
    result = asyncio.run(_child(args))
    Path(args.out).write_text(json.dumps(result))
    return 0


def _one_run(args: argparse.Namespace, database: Path, run: int) -> dict[str, Any]:
    import shutil
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rt-reader-") as tmp:
        work = Path(tmp)
        copy = work / "readerterm.db"
        shutil.copyfile(database, copy)
        out = work / "result.json"
        command = [
            sys.executable, str(Path(__file__).resolve()), "--_child",
            "--database", str(copy), "--work", str(work), "--out", str(out),
            "--width", str(args.width), "--height", str(args.height),
            "--repeats", str(args.repeats),
        ]  # fmt: skip
        if args.profile and run == 0:
            command += ["--profile", args.profile]
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode != 0 or not out.exists():
            tail = (completed.stdout + completed.stderr)[-3000:]
            raise RuntimeError(f"the measured process failed:\n{tail}")
        result: dict[str, Any] = json.loads(out.read_text())
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--articles", type=int, default=100_000, help="seeded articles (100,000)")
    parser.add_argument("--feeds", type=int, default=300, help="seeded feeds (300)")
    parser.add_argument("--runs", type=int, default=3, help="processes (3)")
    parser.add_argument("--repeats", type=int, default=3, help="opens after the first (3)")
    parser.add_argument("--width", type=int, default=200, help="terminal columns (200)")
    parser.add_argument("--height", type=int, default=50, help="terminal lines (50)")
    parser.add_argument("--quick", action="store_true", help="5,000-article cache, 1 run")
    parser.add_argument("--fresh", action="store_true", help="rebuild the seeded cache")
    parser.add_argument("--profile", metavar="DIR", help="pyinstrument profile of the first open")
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        return _run_child(args)
    if args.quick:
        args.articles, args.feeds, args.runs, args.repeats = 5_000, 50, 1, 2
    from seed import cached_database

    database = cached_database(articles=args.articles, feeds=args.feeds, fresh=args.fresh)
    firsts: list[dict[str, float]] = []
    agains: list[dict[str, float]] = []
    for run in range(args.runs):
        opens = _one_run(args, database, run)["opens"]
        firsts.append(opens[0])
        agains.extend(opens[1:])
        print(
            f"run {run + 1}: "
            + "; ".join(
                f"first chunk {o['first_ms']:.0f} ms, full {o['full_ms']:.0f} ms, "
                f"stall {o['stall_ms']:.0f} ms"
                for o in opens
            ),
            file=sys.stderr,
        )

    def figure(samples: list[dict[str, float]], key: str) -> float:
        return median([s[key] for s in samples])

    import os

    print(
        f"\nreader: a story of 20,000 words with 5 key points, terminal {args.width}x"
        f"{args.height}; medians of {args.runs} run(s) ({len(agains)} repeat opens); "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    for label, samples in (("first open in the process", firsts), ("opened again", agains)):
        if not samples:
            continue
        first = figure(samples, "first_ms")
        rows = [
            (
                "Enter -> key points + first body chunk drawn",
                f"{first:.0f} ms",
                f"<= {TARGET_SHOW_MS:g} ms",
                verdict(first <= TARGET_SHOW_MS),
            ),
            (
                "Enter -> fully rendered (last frame)",
                f"{figure(samples, 'full_ms'):.0f} ms",
                "",
                "",
            ),
            (
                "longest event-loop stall while rendering",
                f"{figure(samples, 'stall_ms'):.0f} ms",
                "",
                "",
            ),
            ("Markdown blocks mounted", f"{figure(samples, 'blocks'):.0f}", "", ""),
        ]
        print_table(label, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
