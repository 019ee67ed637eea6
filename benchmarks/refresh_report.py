"""The refresh benchmark's samples, their medians and the report with its targets
(benchmarks/refresh.py runs the processes and measures them)."""

from __future__ import annotations

import argparse
import os
import statistics
from dataclasses import dataclass, field

from harness import verdict

TARGET_COLD_S = 3.0
TARGET_COLD_RATIO = 0.4
TARGET_WARM_S = 1.0
TARGET_RSS_MB = 150.0


@dataclass
class Sample:
    wall_s: float
    cpu_s: float
    """The process and its workers."""
    rss_self_mb: float
    rss_workers_mb: list[float] = field(default_factory=list)
    refresh_s: float | None = None
    index_s: float | None = None
    """Indexing for search what the refresh stored: afterwards, in a process of its own
    (as the reader does in the background, or a command before its search)."""
    cpu_main_s: float | None = None
    """The main process alone (where the event loop runs)."""
    requests: dict[str, int] = field(default_factory=dict)
    note: str = ""

    @property
    def rss_total_mb(self) -> float:
        return self.rss_self_mb + sum(self.rss_workers_mb)


def median_sample(samples: list[Sample]) -> Sample:
    def med(values: list[float]) -> float:
        return float(statistics.median(values))

    workers = max((len(s.rss_workers_mb) for s in samples), default=0)
    return Sample(
        wall_s=med([s.wall_s for s in samples]),
        cpu_s=med([s.cpu_s for s in samples]),
        rss_self_mb=med([s.rss_self_mb for s in samples]),
        rss_workers_mb=[
            med([s.rss_workers_mb[i] for s in samples if len(s.rss_workers_mb) > i])
            for i in range(workers)
        ],
        refresh_s=(
            med([s.refresh_s for s in samples if s.refresh_s is not None])
            if any(s.refresh_s is not None for s in samples)
            else None
        ),
        index_s=(
            med([s.index_s for s in samples if s.index_s is not None])
            if any(s.index_s is not None for s in samples)
            else None
        ),
        cpu_main_s=(
            med([s.cpu_main_s for s in samples if s.cpu_main_s is not None])
            if any(s.cpu_main_s is not None for s in samples)
            else None
        ),
        requests=samples[-1].requests,
        note="; ".join(sorted({s.note for s in samples if s.note})),
    )


def sample_row(name: str, s: Sample) -> str:
    refresh = f"{s.refresh_s:11.2f}" if s.refresh_s is not None else f"{'-':>11}"
    index = f"{s.index_s:8.2f}" if s.index_s is not None else f"{'-':>8}"
    workers = f"{len(s.rss_workers_mb)} x {max(s.rss_workers_mb):3.0f}" if s.rss_workers_mb else "-"
    main = f"{s.cpu_main_s:7.2f}" if s.cpu_main_s is not None else f"{'-':>7}"
    requests = " ".join(f"{k}:{v}" for k, v in sorted(s.requests.items()))
    return (
        f"{name:<16}{s.wall_s:8.2f} {refresh}{index}{s.cpu_s:8.2f}{main}{s.rss_self_mb:9.0f}"
        f"{workers:>11}{s.rss_total_mb:9.0f}   {requests}"
    )


def print_report(
    args: argparse.Namespace,
    rows: dict[str, Sample],
    newsboat_note: str | None,
) -> None:
    print(
        f"\nrefresh: {args.feeds} feeds x {args.items} items ({args.atom} Atom), "
        f"{(args.feeds + args.per_host - 1) // args.per_host} hosts x {args.per_host} feeds, "
        f"{args.latency * 1000:.0f} ms latency; median of {args.runs} run(s); "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{'':<16}{'wall s':>8}{'refresh() s':>12}{'index s':>8}{'CPU s':>8}{'main':>7}"
        f"{'RSS MB':>9}"
        f"{'workers':>11}"
        f"{'total':>9}   requests by status"
    )
    for name, sample in rows.items():
        print(sample_row(name, sample))
        if sample.note:
            print(f"{'':<16}note: {sample.note}")
    if newsboat_note:
        print(f"newsboat: {newsboat_note}")
    cold, warm = rows["readerterm cold"], rows["readerterm warm"]
    print("\ntargets (wall = whole process):")
    print(f"  cold <= {TARGET_COLD_S:g} s: {cold.wall_s:.2f} s {verdict(cold.wall_s <= 3.0)}")
    if "newsboat cold" in rows:
        nb_cold, nb_warm = rows["newsboat cold"], rows["newsboat warm"]
        ratio = cold.wall_s / nb_cold.wall_s
        print(
            f"  cold < {TARGET_COLD_RATIO:g} x newsboat: {ratio:.2f} x "
            f"{verdict(ratio < TARGET_COLD_RATIO)}   "
            f"(warm {warm.wall_s / nb_warm.wall_s:.2f} x, CPU cold "
            f"{cold.cpu_s / max(nb_cold.cpu_s, 1e-9):.2f} x, peak RSS "
            f"{cold.rss_total_mb / max(nb_cold.rss_total_mb, 1e-9):.2f} x)"
        )
    else:
        print(f"  cold < {TARGET_COLD_RATIO:g} x newsboat: not measured (no newsboat)")
    print(f"  warm <= {TARGET_WARM_S:g} s: {warm.wall_s:.2f} s {verdict(warm.wall_s <= 1.0)}")
    peak = max(cold.rss_total_mb, warm.rss_total_mb)
    print(
        f"  peak RSS <= {TARGET_RSS_MB:g} MB (main + workers): {peak:.0f} MB "
        f"{verdict(peak <= TARGET_RSS_MB)}"
    )
