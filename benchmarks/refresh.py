"""Refresh benchmark: readerterm's real refresh path (and newsboat's, if installed).

Serves synthetic feeds (benchmarks/feedgen.py: 300 feeds x 50 items by default, 10 of them
Atom) from benchmarks/perfserver.py, which listens on 127.0.0.1 .. 127.0.0.75 (4 feeds per
address), waits 50 ms before every response and answers conditional GETs with 304. Then,
for each run:

- readerterm cold: a new process subscribes every feed (Library.subscriptions.subscribe) in an empty
  data dir and runs Library.refresher.refresh(), the code behind `readerterm refresh`, to the end;
- readerterm warm: a new process refreshes the same data dir again (every answer a 304);
- newsboat cold and warm, the same way, with `newsboat -x reload` and `reload-threads 8`
  (skipped with a note when newsboat is not on PATH, or with --no-newsboat). newsboat
  keeps no ETag/Last-Modified from a feed's first fetch, so an unmeasured reload runs
  between its cold and warm ones.

Each run is its own process, so "wall" includes Python's start-up and imports (as newsboat's
includes its own), from bytecode as an installed readerterm's are (see pycache_env.py; an
unmeasured warm-up run on 8 feeds fills the cache). "refresh()" is the time inside
Refresher.refresh alone. As after `readerterm refresh`, the stored articles then wait for the
search index; "index s" is the time another process takes to index them all afterwards
(what the reader does in the background, or a command's search before it answers), not
part of the wall time. CPU is user + system
time of the process and its worker processes ("main": the process alone, where the event
loop runs). RSS is the peak resident size of the main process, of each worker, and the sum
("total"). Figures are medians over --runs runs.

Run:  uv run python benchmarks/refresh.py            (the full layout, 3 runs)
      uv run python benchmarks/refresh.py --quick    (40 feeds x 10 items, 1 run)
A cold run that converts every article to markdown and key points at refresh time takes
minutes on two cores; use --runs 1 then.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from refresh_report import Sample, median_sample, print_report, sample_row  # noqa: E402

# --- the measured process (readerterm) ------------------------------------------------------


def _hwm_mb(pid: int | str) -> float:
    """Peak resident set of a live process, from /proc (0 where unavailable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _refresh_in_this_process(database: Path, urls: list[str]) -> dict[str, object]:
    import multiprocessing

    from readerterm.library import Library
    from readerterm.store import Store

    library = Library(Store(database))
    for url in urls:
        library.subscriptions.subscribe(url)
    statuses: Counter[str] = Counter()
    errors: list[str] = []
    new = 0
    started = time.perf_counter()
    async for result in library.refresher.refresh():
        statuses[result.status.value] += 1
        new += result.new_articles
        if result.error:
            errors.append(f"{result.feed_url}: {result.error}")
    refreshed = time.perf_counter() - started
    # As after `readerterm refresh`: what was stored waits for the search index, which the
    # reader builds in the background and a command's search before it answers.
    unindexed = library.reading.search_pending()
    workers = [_hwm_mb(child.pid) for child in multiprocessing.active_children() if child.pid]
    pages = len(library.pages.pages_to_fetch())
    await library.aclose()
    library.close()
    for child in multiprocessing.active_children():
        child.join(5)  # reaped, so the parent's wait4 counts their CPU time
    return {
        "refresh_s": refreshed,
        "unindexed": unindexed,
        "statuses": dict(statuses),
        "new_articles": new,
        "errors": errors[:5],
        "pages_to_fetch": pages,
        "rss_self_mb": _hwm_mb("self"),
        "cpu_self_s": _own_cpu_s(),
        "rss_workers_mb": workers,
    }


async def _index_in_this_process(database: Path) -> dict[str, object]:
    from readerterm.library import Library
    from readerterm.store import Store

    library = Library(Store(database))
    started = time.perf_counter()
    await library.writer.finish_indexing()
    report = {"index_s": time.perf_counter() - started}
    await library.aclose()
    library.close()
    return report


def _runner(args: argparse.Namespace) -> int:
    if args.index:
        report = asyncio.run(_index_in_this_process(Path(args.database)))
        Path(args.out).write_text(json.dumps(report))
        return 0
    urls = Path(args.urls).read_text().split() if args.subscribe else []
    if args.profile:
        from pyinstrument import Profiler  # only for --profile (not a project dependency)

        profiler = Profiler(async_mode="enabled", interval=0.0005)
        profiler.start()
    report = asyncio.run(_refresh_in_this_process(Path(args.database), urls))
    if args.profile:
        profiler.stop()
        Path(args.profile).parent.mkdir(parents=True, exist_ok=True)
        Path(args.profile).write_text(profiler.output_text(unicode=True, show_all=False))
    Path(args.out).write_text(json.dumps(report))
    return 0


# --- the driver ------------------------------------------------------------------------------


def _measure(command: list[str], log: Path, env: dict[str, str] | None = None) -> Sample:
    """Run a command to its end; wall time, and CPU and peak RSS from wait4."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{command[0]} exited with {process.returncode}:\n{tail}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _stats(port: int) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=10) as response:
        return dict(json.loads(response.read()))


def child_environment() -> dict[str, str]:
    from pycache_env import child_environment as environment

    return environment()


def _readerterm(work: Path, urls: Path, port: int, cold: bool, profile: Path | None) -> Sample:
    report = work / "report.json"
    command = [
        sys.executable, str(Path(__file__).resolve()), "--_runner",
        "--database", str(work / "readerterm.db"), "--urls", str(urls), "--out", str(report),
    ]  # fmt: skip
    if cold:
        command.append("--subscribe")
    if profile is not None:
        command += ["--profile", str(profile)]
    sample = _measure(command, work / "readerterm.log", child_environment())
    data = json.loads(report.read_text())
    sample.refresh_s = float(data["refresh_s"])
    if data["unindexed"]:
        indexer = [*command[:3], "--index", "--database", str(work / "readerterm.db")]
        subprocess.run([*indexer, "--out", str(report)], check=True, env=child_environment())
        sample.index_s = float(json.loads(report.read_text())["index_s"])
    sample.cpu_main_s = float(data["cpu_self_s"])
    sample.rss_self_mb = float(data["rss_self_mb"])
    sample.rss_workers_mb = [float(x) for x in data["rss_workers_mb"]]
    sample.requests = _stats(port)
    notes = []
    if data["errors"]:
        notes.append(f"{sum(1 for _ in data['errors'])}+ feeds failed: {data['errors'][0]}")
    if data["unindexed"]:
        notes.append(f"{data['unindexed']} articles wait for the search index (index s)")
    if data["pages_to_fetch"]:
        notes.append(f"{data['pages_to_fetch']} article pages would be fetched after")
    sample.note = "; ".join(notes)
    return sample


def _newsboat(work: Path, urls: Path, port: int) -> Sample:
    config = work / "newsboat.conf"
    if not config.exists():
        config.write_text("reload-threads 8\n")
    env = dict(os.environ, HOME=str(work), XDG_CONFIG_HOME=str(work), XDG_DATA_HOME=str(work))
    command = [
        "newsboat", "-x", "reload", "-u", str(urls), "-c", str(work / "cache.db"),
        "-C", str(config),
    ]  # fmt: skip
    sample = _measure(command, work / "newsboat.log", env)
    sample.requests = _stats(port)
    return sample


def _driver(args: argparse.Namespace) -> int:
    newsboat_note = None
    use_newsboat = not args.no_newsboat and shutil.which("newsboat") is not None
    if args.no_newsboat:
        newsboat_note = "skipped (--no-newsboat)"
    elif not use_newsboat:
        newsboat_note = "not on PATH, skipped (apt-get install newsboat to compare)"
    print(f"generating {args.feeds} feeds and starting the server ...", file=sys.stderr)
    from perfserver import start_server_for

    server, port = start_server_for(args)
    samples: dict[str, list[Sample]] = {}
    try:
        from perfserver import feed_urls

        with tempfile.TemporaryDirectory(prefix="rt-refresh-bench-") as tmp:
            root = Path(tmp)
            urls = root / "urls"
            urls.write_text("\n".join(feed_urls(args.feeds, port, args.per_host)) + "\n")
            _stats(port)
            # Unmeasured: fills the measured processes' bytecode cache (see pycache_env).
            warm_up = root / "warm-up"
            warm_up.mkdir()
            (warm_up / "urls").write_text("\n".join(urls.read_text().split()[:8]) + "\n")
            for cold in (True, False):
                _readerterm(warm_up, warm_up / "urls", port, cold, None)
            for run in range(args.runs):
                work = root / f"readerterm-{run}"
                work.mkdir()
                profile = Path(args.profile) if args.profile and run == 0 else None
                for cold in (True, False):
                    name = f"readerterm {'cold' if cold else 'warm'}"
                    where = None
                    if profile is not None:
                        where = profile.with_name(f"{profile.stem}-{name.split()[1]}.txt")
                    sample = _readerterm(work, urls, port, cold, where)
                    samples.setdefault(name, []).append(sample)
                    print(f"run {run + 1}: {sample_row(name, sample)}", file=sys.stderr)
                if use_newsboat:
                    work = root / f"newsboat-{run}"
                    work.mkdir()
                    for name in ("newsboat cold", "(prime)", "newsboat warm"):
                        sample = _newsboat(work, urls, port)
                        if name == "(prime)":
                            continue  # newsboat keeps no validators from a feed's first fetch
                        samples.setdefault(name, []).append(sample)
                        print(f"run {run + 1}: {sample_row(name, sample)}", file=sys.stderr)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)
    print_report(args, {name: median_sample(s) for name, s in samples.items()}, newsboat_note)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--feeds", type=int, default=300, help="number of feeds (300)")
    parser.add_argument("--items", type=int, default=50, help="items per feed (50)")
    parser.add_argument("--atom", type=int, default=10, help="how many feeds are Atom (10)")
    parser.add_argument("--per-host", type=int, default=4, help="feeds per address (4)")
    parser.add_argument(
        "--latency", type=float, default=0.05, help="seconds added to each response (0.05)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of (3)")
    parser.add_argument(
        "--quick", action="store_true", help="40 feeds x 10 items, 1 run (a smoke test)"
    )
    parser.add_argument("--no-newsboat", action="store_true", help="do not run newsboat")
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="profile the first run with pyinstrument (must be installed) into "
        "FILE-cold.txt and FILE-warm.txt",
    )
    parser.add_argument("--_runner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--urls", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--subscribe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--index", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._runner:
        return _runner(args)
    if args.quick:
        args.feeds, args.items, args.atom, args.runs = 40, 10, 2, 1
    if not 1 <= -(-args.feeds // args.per_host) <= 254:
        parser.error("feeds / per-host must need between 1 and 254 addresses")
    return _driver(args)


if __name__ == "__main__":
    raise SystemExit(main())
