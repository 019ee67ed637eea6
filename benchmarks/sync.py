"""Sync benchmark: `readerterm sync` against a real FreshRSS on this machine (issue 17).

Before anything is timed: feeds are generated (benchmarks/feedgen.py, 100 feeds x 100
items by default, 3 of them Atom, dated back from now so FreshRSS's archiving keeps every
item), served from 127.0.0.1 by the tests' HTTP server (tests/testserver.py), and a FreshRSS
(tests/freshrss.py: the upstream tree run by PHP's built-in server with SQLite) subscribes
to all of them with one OPML import through its Google Reader API, which fetches each
feed once; FreshRSS is refreshed again (tests/freshrss.py `refresh`) until it holds every
item. An unmeasured first sync then fills the measured processes' bytecode cache
(pycache_env.py) and warms the server.

Then, for each run and each service (`greader`, `fever`), in a fresh readerterm data
directory whose config.toml has only the `[sync]` table (password in
READERTERM_SYNC_PASSWORD), three `readerterm sync --json` processes are timed:

- first sync: every subscription and every article into the empty cache;
- nothing new: the same command again (right after a first sync the server's list of
  items from 10 minutes before the last sync is the whole reading list: its ids are
  listed again and all found known);
- 500 decisions: `readerterm mark read` on 500 unread articles (the ids of `readerterm
  articles --json --unread --limit 500`), then the sync that sends them.

Between the first two, "index s" times `readerterm articles --search WORD`, which indexes
for search what the sync stored before it answers (not part of the sync, as after
`readerterm refresh`).

Figures per process: wall (start to exit, Python's start-up and imports included), "sync s"
and "waiting" from the --json report (seconds and server_seconds: the time in the sync,
and the share of it spent waiting on the server), CPU (user + system of the readerterm
process and anything it starts, from wait4), "CPU/1k" per 1,000 new articles, peak RSS
(its ru_maxrss), "server CPU" (user + system of FreshRSS's PHP processes over the same
window: on a 2-CPU machine the two share the cores) and the HTTP requests FreshRSS
logged (Fever lists items 50 at a time, contents included, and marks one item per
request). Medians over --runs runs, each run's row below its median. Targets: CPU <= 0.3 s
per 1,000 articles and RSS <= 150 MB on the first sync, nothing new <= 0.5 s, 500
decisions <= 2 s (wall).

Run:  uv run python benchmarks/sync.py             (100 feeds x 100 items, 3 runs)
      uv run python benchmarks/sync.py --quick     (20 feeds x 50 items, 1 run)
      uv run python benchmarks/sync.py --services greader --profile /tmp/sync-profile.txt
            (cProfile of one more first sync, in the driver with the store's jobs inline)
PHP and the FreshRSS tree are needed (see ../shared/servers/freshrss/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from freshrss import FreshRSS, FreshRSSUnavailable  # noqa: E402
from freshrss_feeds import FreshRSSWithFeeds, say  # noqa: E402
from harness import verdict  # noqa: E402
from pycache_env import child_environment  # noqa: E402

SERVICES = ("greader", "fever")
DECISIONS = 500
TARGET_CPU_PER_1000 = 0.3
TARGET_RSS_MB = 150.0
TARGET_NOTHING_NEW_S = 0.5
TARGET_PUSH_S = 2.0
PHASES = ("first sync", "nothing new", f"{DECISIONS} decisions")


# --- the measured processes --------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    seconds: float
    """The sync's own time, from its report."""
    waiting: float
    """Of `seconds`, waiting on the server."""
    server_cpu: float
    requests: float
    count: float
    """New articles (first sync) or decisions sent."""

    @property
    def cpu_per_1000(self) -> float:
        return self.cpu / (self.count / 1000) if self.count else 0.0


READERTERM = [sys.executable, "-m", "readerterm"]
MEASURE = """\
import json, os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(sys.argv[1], "w") as out:
    cpu = usage.ru_utime + usage.ru_stime
    json.dump([os.waitstatus_to_exitcode(status), wall, cpu, usage.ru_maxrss], out)
"""
"""Runs a command and writes its exit status, wall time, CPU and peak RSS (KB). A small
process of its own starts it: Linux counts into a process's peak RSS that of the
process it was forked from (until its exec), and the driver holds every feed."""


class Reader:
    """`readerterm` run as a user runs it, in a data directory of its own."""

    def __init__(self, home: Path, world: FreshRSSWithFeeds, service: str) -> None:
        self.home = home
        self.world = world
        for name in ("config", "data", "cache"):
            (home / name).mkdir(parents=True)
        (home / "config" / "config.toml").write_text(world.sync_table(service))
        self.env = child_environment()
        self.env.pop("READERTERM_OFFLINE", None)
        self.env.update(
            READERTERM_CONFIG_DIR=str(home / "config"),
            READERTERM_DATA_DIR=str(home / "data"),
            READERTERM_CACHE_DIR=str(home / "cache"),
            READERTERM_SYNC_PASSWORD=world.password,
        )

    def run(self, *args: str) -> str:
        completed = subprocess.run(
            [*READERTERM, *args], env=self.env, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise RuntimeError(f"readerterm {args[0]} failed: {completed.stderr[-2000:]}")
        return completed.stdout

    def sync(self) -> Sample:
        """One `readerterm sync --json`, measured."""
        out, usage = self.home / "sync.out", self.home / "sync.usage"
        world = self.world
        server_cpu, requests = world.cpu_seconds(), world.requests_logged()
        with out.open("wb") as stdout:
            command = [*READERTERM, "sync", "--json"]
            measure = [sys.executable, "-I", "-S", "-c", MEASURE, str(usage), *command]
            subprocess.run(measure, env=self.env, stdout=stdout, stderr=subprocess.STDOUT)
        server_cpu = world.cpu_seconds() - server_cpu
        requests = world.requests_logged() - requests
        status, wall, cpu, rss_kb = json.loads(usage.read_text())
        text = out.read_text(errors="replace")
        try:
            report: dict[str, Any] = json.loads(text[text.index("{") :])
        except ValueError:
            report = {"ok": False, "error": text[-2000:]}
        if status != 0 or not report.get("ok"):
            raise RuntimeError(f"readerterm sync failed: {report.get('error')}")
        return Sample(
            wall=wall,
            cpu=cpu,
            rss_mb=rss_kb / 1024,
            seconds=float(report["seconds"]),
            waiting=float(report["server_seconds"]),
            server_cpu=server_cpu,
            requests=requests,
            count=int(report["new_articles"]) or int(report["sent"]),
        )


def _one_run(world: FreshRSSWithFeeds, home: Path, service: str) -> tuple[list[Sample], float]:
    """The three measured syncs of one service in a fresh data directory, and "index s"."""
    reader = Reader(home, world, service)
    first = reader.sync()
    started = time.perf_counter()
    reader.run("articles", "--search", "zzqx", "--limit", "1")
    index_s = time.perf_counter() - started
    again = reader.sync()
    listed = json.loads(reader.run("articles", "--json", "--unread", "--limit", str(DECISIONS)))
    reader.run("mark", "read", *(str(article["id"]) for article in listed))
    push = reader.sync()
    return [first, again, push], index_s


def _profile(world: FreshRSSWithFeeds, home: Path, service: str, target: Path) -> None:
    """One more first sync, in this process with the store's jobs run inline (as the
    writer's thread runs them, but on this one, so cProfile sees them), into `target`."""
    import asyncio
    import cProfile
    import pstats

    import readerterm.sync.fever
    import readerterm.sync.greader  # noqa: F401  (imported before the profile starts)
    from readerterm.store import Store
    from readerterm.sync.engine import SyncEngine
    from readerterm.sync.protocol import open_service

    url = world.server.greader_url if service == "greader" else world.server.fever_url
    account = (service, url, world.server.user)
    home.mkdir(parents=True)

    async def sync() -> None:
        store = Store(home / "readerterm.db")
        client = open_service(service, url, world.server.user, world.password)

        async def inline(job: Any) -> Any:
            return job(store)

        try:
            clock = partial(datetime.now, UTC)
            await SyncEngine(client, inline, account=account, clock=clock).run()
        finally:
            await client.aclose()
            store.close()

    profiler = cProfile.Profile()
    profiler.runcall(asyncio.run, sync())
    with target.open("w") as out:
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
    say(f"profile of a first sync ({service}, store jobs inline) in {target}")


# --- the report ----------------------------------------------------------------------------------


def _row(name: str, s: Sample, per_1000: bool) -> str:
    share = s.waiting / s.seconds * 100 if s.seconds else 0.0
    per = f"{s.cpu_per_1000:8.3f}" if per_1000 else f"{'-':>8}"
    return (
        f"{name:<26}{s.wall:7.2f}{s.seconds:8.2f}{share:8.0f}%{s.cpu:7.2f}{per}"
        f"{s.rss_mb:8.0f}{s.server_cpu:8.2f}{s.requests:9.0f}{s.count:8.0f}"
    )


def _median(samples: list[Sample]) -> Sample:
    values = {
        f.name: statistics.median(getattr(s, f.name) for s in samples) for f in fields(Sample)
    }
    return Sample(**values)


def _report(
    args: argparse.Namespace,
    samples: dict[str, list[list[Sample]]],
    index: dict[str, list[float]],
    version: str,
) -> None:
    print(
        f"\nsync: {args.feeds} feeds x {args.items} items ({args.feeds * args.items:,} articles)"
        f" on FreshRSS {version} (PHP built-in server, SQLite) on this machine; median of "
        f"{args.runs} run(s); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'':<26}{'wall s':>7}{'sync s':>8}{'waiting':>9}{'CPU s':>7}{'CPU/1k':>8}"
        f"{'RSS MB':>8}{'server':>8}{'requests':>9}{'count':>8}"
    )
    medians: dict[tuple[str, int], Sample] = {}
    for service, runs in samples.items():
        for phase, name in enumerate(PHASES):
            median = medians[service, phase] = _median([run[phase] for run in runs])
            print(_row(f"{service} {name}", median, phase == 0))
            if len(runs) > 1:
                for number, run in enumerate(runs, 1):
                    print(_row(f"  run {number}", run[phase], phase == 0))
        times = ", ".join(f"{t:.2f}" for t in index[service])
        print(f"{'':<26}index s after the first sync: {statistics.median(index[service]):.2f}"
              f" (runs: {times})")  # fmt: skip
    print(
        "(sync s, waiting: from the sync's --json report; server: FreshRSS's CPU s; count: "
        "new articles, or decisions sent)"
    )
    print("\ntargets (medians):")
    for service in samples:
        first, again, push = (medians[service, phase] for phase in range(3))
        beyond = (first.cpu - again.cpu) / (first.count / 1000) if first.count else 0.0
        print(
            f"  {service}: first sync CPU <= {TARGET_CPU_PER_1000:g} s / 1,000 articles: "
            f"{first.cpu_per_1000:.3f} s {verdict(first.cpu_per_1000 <= TARGET_CPU_PER_1000)}"
            f" ({beyond:.3f} s beyond a nothing-new sync's {again.cpu:.2f} s);"
            f" peak RSS <= {TARGET_RSS_MB:g} MB: {first.rss_mb:.0f} MB "
            f"{verdict(first.rss_mb <= TARGET_RSS_MB)}"
        )
        print(
            f"  {service}: nothing new <= {TARGET_NOTHING_NEW_S:g} s: {again.wall:.2f} s "
            f"{verdict(again.wall <= TARGET_NOTHING_NEW_S)}; {DECISIONS} decisions <= "
            f"{TARGET_PUSH_S:g} s: {push.wall:.2f} s ({push.count:.0f} sent) "
            f"{verdict(push.wall <= TARGET_PUSH_S and push.count == DECISIONS)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--feeds", type=int, default=100, help="feeds on the server (100)")
    parser.add_argument("--items", type=int, default=100, help="items per feed (100)")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (3)")
    parser.add_argument("--quick", action="store_true", help="20 feeds x 50 items, 1 run")
    parser.add_argument(
        "--services", default=",".join(SERVICES), help="comma-separated (greader,fever)"
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile of one more first sync")
    args = parser.parse_args(argv)
    if args.quick:
        args.feeds, args.items, args.runs = 20, 50, 1
    services = [name.strip() for name in args.services.split(",") if name.strip()]
    if not services or any(name not in SERVICES for name in services):
        parser.error(f"--services takes {' and '.join(SERVICES)}")
    samples: dict[str, list[list[Sample]]] = {service: [] for service in services}
    index: dict[str, list[float]] = {service: [] for service in services}
    try:
        world = FreshRSSWithFeeds(args.feeds, args.items).start()
    except FreshRSSUnavailable as error:
        parser.exit(2, f"{error}\n")
    with world, tempfile.TemporaryDirectory(prefix="rt-sync-bench-") as tmp:
        root = Path(tmp)
        say("warm-up (unmeasured): a first sync ...")
        Reader(root / "warm-up", world, services[0]).sync()
        for run in range(args.runs):
            for service in services:
                syncs, index_s = _one_run(world, root / f"{service}-{run}", service)
                samples[service].append(syncs)
                index[service].append(index_s)
                for phase, (name, sample) in enumerate(zip(PHASES, syncs, strict=True)):
                    say(f"run {run + 1}: {_row(f'{service} {name}', sample, phase == 0)}")
        if args.profile:
            _profile(world, root / "profile", services[0], Path(args.profile))
        version = _freshrss_version(world.server)
    _report(args, samples, index, version)
    return 0


def _freshrss_version(server: FreshRSS) -> str:
    for line in (server.home / "app" / "constants.php").read_text().splitlines():
        if line.startswith("const FRESHRSS_VERSION"):
            return line.split("'")[1]
    return "?"


if __name__ == "__main__":
    raise SystemExit(main())
