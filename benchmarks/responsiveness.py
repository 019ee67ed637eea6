"""Responsiveness benchmark: event-loop stalls and key latency in the TUI while a refresh
of 300 feeds runs (issue 5, measurement 4).

The feeds come from benchmarks/perfserver.py (the refresh benchmark's server and
generator: 300 feeds x 50 items, 10 Atom, on 75 loopback addresses, 50 ms per response,
304 for conditional GETs). The cache is a copy of the seeded 100,000-article cache
(benchmarks/seed.py) whose feeds are moved to the server's URLs (Store.subscriptions.move_feed), so
the app starts with a full list and the refresh brings 15,000 new articles (cold:
every feed answers 200), then, refreshed again, nothing new (warm: every feed 304).

Each run is a new process that runs ReaderTermApp as benchmarks/startup.py does (real
frames, output thrown away). Once the first screen is drawn it presses R (refresh all)
and, until the refresh has finished (its worker ended), sends a Down key every --gap ms,
as the terminal driver delivers keys. Measured in that window:

- stalls: a task that asks to wake every 10 ms records how late each wake-up is; the
  longest and the 99th percentile;
- keys: from a key's post to the end of the first frame with the cursor on the next
  article (inside the app; no Pilot waits): median, 95th percentile and worst.

After the cold refresh it goes on until the 15,000 new stories are indexed for search
(the reader does that in the background once a refresh is over), pressing m (mark read,
a write that waits for the index batch under way) every fifth key, and reports the same
figures for that window.

With --sync (issue 17: "the responsiveness benchmark, run over a sync"), the same feeds
are generated, served from 127.0.0.1 and held by a real FreshRSS on this machine, set up
before anything is timed as benchmarks/sync.py does (freshrss_feeds.py); the app's
config gets a `[sync]` table for it (`greader`, or `fever` with --sync fever; the password
in READERTERM_SYNC_PASSWORD), and the seeded cache's feeds are moved to the same URLs. R
then runs what it runs with sync on: a sync (which binds the 300 subscriptions to the
cached feeds by URL and stores the server's 15,000 articles), then a refresh of the feeds
not on the server (none here). The windows are the same: the first sync, the indexing
after it, and a second sync with nothing new (it sends what the m keys queued, if any).

Figures are medians over --runs processes; targets beside them.

Run:  uv run python benchmarks/responsiveness.py            (300 feeds, 3 runs)
      uv run python benchmarks/responsiveness.py --quick    (40 feeds x 10, 5,000 articles)
      uv run python benchmarks/responsiveness.py --sync [fever]   (R syncs with FreshRSS)
      uv run python benchmarks/responsiveness.py --profile /tmp/resp-profile
            (pyinstrument must be installed: the cold refresh of the first run)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import (  # noqa: E402
    Launched,
    LoopLag,
    StallWatch,
    launch,
    profile_text,
    use_this_tree,
)
from responsiveness_report import figures, report  # noqa: E402

# --- the measured process ----------------------------------------------------------------


def _refreshing(launched: Launched) -> bool:
    return any(w.group == "refresh" and w.is_running for w in launched.app.workers)


async def _one_refresh(
    launched: Launched, gap: float, lag: LoopLag, *, through_indexing: bool = False
) -> dict[str, Any]:
    """Press R, then keep pressing Down until the refresh worker ends. With
    `through_indexing`, go on while the stored stories are indexed for search, pressing m
    (mark read: a write that waits for the index batch under way) every fifth key."""
    from textual import events

    app = launched.app
    articles = launched.articles
    articles.focus()
    await launched.quiet(0.2)
    started = time.perf_counter()
    app.post_message(events.Key("R", "R"))
    while not _refreshing(launched):
        await asyncio.sleep(0.001)
        if time.perf_counter() - started > 30:
            raise RuntimeError("R did not start a refresh within 30 s")
    began = time.perf_counter()
    latencies, missed = await _press_keys(launched, gap, lambda: _refreshing(launched))
    ended = time.perf_counter()
    stalls = lag.between(started, ended)
    phase: dict[str, Any] = {}
    if through_indexing:
        deadline = ended + 60
        index_latencies, index_missed = await _press_keys(
            launched,
            gap,
            lambda: app.library.reading.search_pending() > 0 and time.perf_counter() < deadline,
            mark_every=5,
        )
        indexed = time.perf_counter()
        phase = {
            "seconds": indexed - ended,
            "start_delay": 0.0,
            "failed_feeds": 0,
            "errors": [],
            "latencies": index_latencies,
            "missed": index_missed,
            "stalls": lag.between(ended, indexed),
            "left": app.library.reading.search_pending(),
        }
    await launched.quiet(0.5)
    feeds = app.library.subscriptions.feeds()
    errors = [f"{feed.url}: {feed.error}" for feed in feeds if feed.error]
    synced = app.library.syncing.status() if app.library.syncing.enabled else None
    if synced is not None and synced.last_error:
        errors.insert(0, f"sync: {synced.last_error}")
    return {
        "seconds": ended - started,
        "start_delay": began - started,
        "failed_feeds": len(errors),
        "errors": errors[:3],
        "latencies": latencies,
        "missed": missed,
        "stalls": stalls,
        "rows": articles.row_count,
        "status": str(getattr(app.screen, "_progress", "")),
        "indexing": phase,
    }


async def _press_keys(
    launched: Launched, gap: float, going_on: Callable[[], bool], *, mark_every: int = 0
) -> tuple[list[float], int]:
    """Down every `gap` seconds while `going_on()`, timing each to its frame; with
    `mark_every`, every so many keys an m (untimed) instead."""
    from textual import events

    app = launched.app
    articles = launched.articles
    latencies: list[float] = []
    missed = pressed = 0
    while going_on():
        pressed += 1
        if mark_every and pressed % mark_every == 0:
            app.post_message(events.Key("m", "m"))
            await asyncio.sleep(gap)
            continue
        before = articles.highlighted_id
        drawn = launched.watch.expect(lambda before=before: articles.highlighted_id != before)
        sent = time.perf_counter()
        app.post_message(events.Key("down", None))
        try:
            latencies.append(await asyncio.wait_for(drawn, 10) - sent)
        except TimeoutError:
            missed += 1
        await asyncio.sleep(gap)
    return latencies, missed


async def _child(args: argparse.Namespace) -> dict[str, Any]:
    if args.sync_config:
        import harness

        # open_app writes this as the app's config.toml: add the [sync] table.
        harness.CONFIG_TEXT += Path(args.sync_config).read_text()
    moments: dict[str, float] = {}
    launched = await launch(
        Path(args.database), Path(args.work), (args.width, args.height), moments
    )
    await launched.quiet(0.5)
    lag = LoopLag()
    lag.start()
    watchdog = StallWatch(lag) if args.stacks else None
    profiler = None
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
    cold = await _one_refresh(launched, args.gap / 1000, lag, through_indexing=True)
    if profiler is not None:
        profiler.stop()
        Path(args.profile).mkdir(parents=True, exist_ok=True)
        (Path(args.profile) / "cold.txt").write_text(profile_text(profiler))
    # Let page fetches that follow a refresh finish (or give up) before the warm one.
    deadline = time.perf_counter() + 30
    while any(w.is_running for w in launched.app.workers) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    if watchdog is not None:
        watchdog.stop()
        Path(args.stacks).write_text(watchdog.report())
    warm = await _one_refresh(launched, args.gap / 1000, lag)
    await lag.stop()
    await launched.close()
    return {"cold": cold, "warm": warm}


def _run_child(args: argparse.Namespace) -> int:
    use_this_tree()
    result = asyncio.run(_child(args))
    Path(args.out).write_text(json.dumps(result))
    return 0


# --- the driver ------------------------------------------------------------------------------


def _point_feeds_at(database: Path, urls: list[str]) -> None:
    """Move the seeded cache's feeds to the server's URLs (and forget their validators)."""
    use_this_tree()
    from readerterm.store import Store

    store = Store(database)
    try:
        feeds = store.subscriptions.feeds()
        if len(feeds) < len(urls):
            raise RuntimeError(f"the seeded cache has {len(feeds)} feeds, {len(urls)} needed")
        for feed, url in zip(feeds, urls, strict=False):
            store.subscriptions.move_feed(feed.id, url)
        for feed in feeds[len(urls) :]:
            store.subscriptions.remove_feed(feed.id)
        store.db.execute("UPDATE feeds SET etag = NULL, last_modified = NULL")
    finally:
        store.close()


def _one_run(
    args: argparse.Namespace, database: Path, urls: list[str], run: int, sync: Any = None
) -> dict[str, Any]:
    """One measured process over a copy of the cache; `sync`: the FreshRSSWithFeeds that
    R syncs with (None: R refreshes the feeds from the server at `urls`)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rt-responsive-") as tmp:
        work = Path(tmp)
        copy = work / "readerterm.db"
        shutil.copyfile(database, copy)
        _point_feeds_at(copy, urls)
        out = work / "result.json"
        command = [
            sys.executable, str(Path(__file__).resolve()), "--_child",
            "--database", str(copy), "--work", str(work), "--out", str(out),
            "--width", str(args.width), "--height", str(args.height), "--gap", str(args.gap),
        ]  # fmt: skip
        if args.profile and run == 0:
            command += ["--profile", args.profile]
        if args.stacks and run == 0:
            command += ["--stacks", args.stacks]
        env = None
        if sync is not None:
            (work / "sync.toml").write_text(sync.sync_table(args.sync))
            command += ["--sync-config", str(work / "sync.toml")]
            env = dict(os.environ, READERTERM_SYNC_PASSWORD=sync.password)
        completed = subprocess.run(command, capture_output=True, text=True, env=env)
        if completed.returncode != 0 or not out.exists():
            tail = (completed.stdout + completed.stderr)[-3000:]
            raise RuntimeError(f"the measured process failed:\n{tail}")
        result: dict[str, Any] = json.loads(out.read_text())
    return result


def _serve(args: argparse.Namespace) -> tuple[list[str], Any, Callable[[], None]]:
    """The feeds' URLs, the FreshRSSWithFeeds that R syncs with (None: R refreshes the feeds
    from perfserver), and what stops serving them."""
    if args.sync:
        from freshrss_feeds import FreshRSSWithFeeds

        print(f"setting up FreshRSS with {args.feeds} feeds ...", file=sys.stderr)
        world = FreshRSSWithFeeds(args.feeds, args.items, args.atom).start()
        return world.feed_urls, world, world.stop
    from perfserver import feed_urls, start_server_for

    print(f"starting the feed server ({args.feeds} feeds) ...", file=sys.stderr)
    server, port = start_server_for(args)

    def stop() -> None:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)

    return feed_urls(args.feeds, port, args.per_host), None, stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--feeds", type=int, default=300, help="feeds served (300)")
    parser.add_argument("--items", type=int, default=50, help="items per feed (50)")
    parser.add_argument("--atom", type=int, default=10, help="how many feeds are Atom (10)")
    parser.add_argument("--per-host", type=int, default=4, help="feeds per address (4)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--articles", type=int, default=100_000, help="seeded articles (100,000)")
    parser.add_argument("--runs", type=int, default=3, help="processes (3)")
    parser.add_argument("--gap", type=float, default=50, help="ms between Down keys (50)")
    parser.add_argument("--width", type=int, default=200, help="terminal columns (200)")
    parser.add_argument("--height", type=int, default=50, help="terminal lines (50)")
    parser.add_argument("--quick", action="store_true", help="40 feeds x 10, 5,000 articles")
    parser.add_argument("--fresh", action="store_true", help="rebuild the seeded cache")
    parser.add_argument("--profile", metavar="DIR", help="pyinstrument profile of a cold refresh")
    parser.add_argument(
        "--stacks", metavar="FILE", help="the loop's stack at each stall of a cold refresh"
    )
    parser.add_argument(
        "--sync",
        nargs="?",
        const="greader",
        choices=("greader", "fever"),
        metavar="SERVICE",
        help="R syncs with a local FreshRSS holding the feeds (greader, the default, or fever)",
    )
    parser.add_argument("--sync-config", help=argparse.SUPPRESS)
    parser.add_argument("--_child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        return _run_child(args)
    seed_feeds = 300
    if args.quick:
        args.feeds, args.items, args.atom, args.articles, args.runs = 40, 10, 2, 5_000, 1
        seed_feeds = 50
    seed_feeds = max(seed_feeds, args.feeds)
    from seed import cached_database

    database = cached_database(articles=args.articles, feeds=seed_feeds, fresh=args.fresh)
    urls, sync, stop = _serve(args)
    runs = []
    try:
        for run in range(args.runs):
            result = _one_run(args, database, urls, run, sync)
            runs.append(result)
            for phase in ("cold", "warm"):
                f = figures(result[phase])
                print(
                    f"run {run + 1} {phase}: {f['seconds']:.2f} s, stall max "
                    f"{f['stall_max']:.0f} ms p99 {f['stall_p99']:.0f} ms, key median "
                    f"{f['key_median']:.1f} ms p95 {f['key_p95']:.1f} ms ({f['keys']:.0f} keys)",
                    file=sys.stderr,
                )
                if result[phase]["failed_feeds"]:
                    print(
                        f"  {result[phase]['failed_feeds']} feeds failed, e.g. "
                        + "; ".join(result[phase]["errors"]),
                        file=sys.stderr,
                    )
    finally:
        stop()
    report(args, runs, args.articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
