"""The responsiveness benchmark's figures and tables (benchmarks/responsiveness.py runs
the app and measures; this turns each run's raw samples into the medians it prints,
with the targets beside them)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from harness import median, percentile, print_table, verdict

TARGET_STALL_MS = 50.0
TARGET_KEY_MEDIAN_MS = 50.0


def figures(phase: dict[str, Any]) -> dict[str, float]:
    keys = [x * 1000 for x in phase["latencies"]]
    stalls = [x * 1000 for x in phase["stalls"]]
    return {
        "seconds": phase["seconds"],
        "start_delay": phase["start_delay"],
        "stall_max": max(stalls, default=0.0),
        "stall_p99": percentile(stalls, 0.99),
        "over_50": float(sum(1 for s in stalls if s > TARGET_STALL_MS)),
        "key_median": median(keys),
        "key_p95": percentile(keys, 0.95),
        "key_max": max(keys, default=0.0),
        "keys": float(len(keys)),
        "missed": float(phase["missed"]),
        "failed": float(phase["failed_feeds"]),
    }


def report(args: argparse.Namespace, runs: list[dict[str, Any]], seeded: int) -> None:
    what = (
        f"sync ({args.sync}) with a local FreshRSS holding {args.feeds} feeds x {args.items} items"
        if args.sync
        else f"refresh of {args.feeds} feeds x {args.items} items "
        f"({args.latency * 1000:.0f} ms latency)"
    )
    print(
        f"\nresponsiveness: {what} over a {seeded}-article cache, terminal "
        f"{args.width}x{args.height}, a Down key every {args.gap:g} ms; median of "
        f"{len(runs)} run(s); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    for phase in ("cold", "indexing", "warm"):
        samples = [
            figures(run["cold"]["indexing"] if phase == "indexing" else run[phase]) for run in runs
        ]
        if phase == "indexing":
            _print_indexing(args, samples, runs)
            continue

        def med(key: str, samples: list[dict[str, float]] = samples) -> float:
            return median([s[key] for s in samples])

        label = {
            (False, "cold"): "cold refresh (every feed 200, new articles)",
            (False, "warm"): "warm refresh (every feed 304)",
            (True, "cold"): "first sync (the server's articles all new here)",
            (True, "warm"): "second sync (nothing new but the m keys' decisions)",
        }[bool(args.sync), phase]
        rows = [
            (
                "sync and feeds that failed" if args.sync else "feeds that failed",
                f"{med('failed'):.0f} of {args.feeds}",
                "0",
                verdict(med("failed") == 0),
            ),
            (
                f"{'sync' if args.sync else 'refresh'} window (R to worker end)",
                f"{med('seconds'):.2f} s",
                "",
                "",
            ),
            (
                "  of which R -> refresh worker running",
                f"{med('start_delay') * 1000:.0f} ms",
                "",
                "",
            ),
            *_stall_and_key_rows(med),
            ("key -> frame, max", f"{med('key_max'):.0f} ms", "", ""),
            (
                "keys timed (none drawn within 10 s)",
                f"{med('keys'):.0f} ({med('missed'):.0f})",
                "",
                "",
            ),
        ]
        print_table(label, rows)
        errors = [e for run in runs for e in run[phase]["errors"]]
        if errors:
            print(f"  note: feeds failed, e.g. {errors[0]}")


def _stall_and_key_rows(med: Callable[[str], float]) -> list[tuple[str, str, str, str]]:
    """The rows every window reports: stalls, ticks over 50 ms, and key latency."""
    return [
        (
            "longest event-loop stall",
            f"{med('stall_max'):.0f} ms",
            f"<= {TARGET_STALL_MS:g} ms",
            verdict(med("stall_max") <= TARGET_STALL_MS),
        ),
        ("stall p99 (10 ms ticks)", f"{med('stall_p99'):.0f} ms", "", ""),
        ("ticks stalled over 50 ms", f"{med('over_50'):.0f}", "0", ""),
        (
            "key -> frame, median",
            f"{med('key_median'):.1f} ms",
            f"<= {TARGET_KEY_MEDIAN_MS:g} ms",
            verdict(med("key_median") <= TARGET_KEY_MEDIAN_MS),
        ),
        ("key -> frame, p95", f"{med('key_p95'):.1f} ms", "", ""),
    ]


def _print_indexing(
    args: argparse.Namespace, samples: list[dict[str, float]], runs: list[dict[str, Any]]
) -> None:
    def med(key: str) -> float:
        return median([s[key] for s in samples])

    left = max(run["cold"]["indexing"]["left"] for run in runs)
    rows = [
        ("indexing window (until nothing waits)", f"{med('seconds'):.2f} s", "", ""),
        ("stories still waiting after 60 s", f"{left}", "0", verdict(left == 0)),
        *_stall_and_key_rows(med),
        ("Down keys timed (m keys between)", f"{med('keys'):.0f}", "", ""),
    ]
    after = "the first sync" if args.sync else "the cold refresh"
    print_table(f"search indexing after {after} (Down, and m every 5th key)", rows)
