"""Search latency at 100,000 articles (issue 4): the query the UI runs for what is typed.

Opens a copy of the seeded cache (benchmarks/seed.py: 100,000 articles over 300 feeds,
indexed for search) with readerterm's Library and times what `/` in the reader runs for a
search (MainScreen.show_search): `Library.reading.search` parses the text into a view ranked by
relevance (or by date when it holds no free words) and `Library.reading.query` returns the ids of
the result list, for a set of query shapes: common and rare words, prefixes, phrases,
operators typed as words, the query syntax (feed:, tag:, is:, after:/before:) and mixes.
Each query runs once to warm SQLite's page cache, then --runs times; the table gives the
median per query, the number of results, and the median and worst over all queries.
Target: 100 ms.

Run:  uv run python benchmarks/search.py [--articles N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from readerterm.library import Library  # noqa: E402
from readerterm.models import ArticleFilter  # noqa: E402
from seed import seed_data_dir  # noqa: E402

QUERIES = [
    "the",
    "new",
    "government",
    "market report",
    "sa*",
    "gov*",
    "officials said",
    '"city state"',
    "zzzzunknown",
    "AND",
    "NEAR(",
    "is:unread",
    "is:starred",
    "is:later",
    "is:unread market",
    "after:2026-11-01",
    "before:2024-01-01 data",
    "tag:politics",
    "feed:(12)",
    "tag:tech is:unread study",
]
TARGET_MS = 100.0


def _search(library: Library, text: str) -> list[int]:
    view = library.reading.search(text, base=ArticleFilter(sort="rank")).view
    if not view.words.strip():
        view = replace(view, sort="date")
    return library.reading.query(view)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="cache size (100,000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (7)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="readerterm-search-") as folder:
        database = seed_data_dir(Path(folder), articles=args.articles)
        library = Library.open_at(database, offline=True)
        try:
            rows: list[tuple[str, float, int]] = []
            for query in QUERIES:
                found = _search(library, query)  # warms the page cache
                times = []
                for _ in range(args.runs):
                    started = time.perf_counter()
                    _search(library, query)
                    times.append((time.perf_counter() - started) * 1000)
                rows.append((query, statistics.median(times), len(found)))
        finally:
            library.close()

    print(f"\nsearch at {args.articles:,} articles, median of {args.runs} runs per query")
    print(f"{'query':<28}{'ms':>9}{'results':>10}")
    for query, ms, count in rows:
        print(f"{query:<28}{ms:9.1f}{count:10,}")
    medians = [ms for _, ms, _ in rows]
    worst_query, worst_ms, _ = max(rows, key=lambda row: row[1])
    overall = statistics.median(medians)
    print(
        f"\nmedian over {len(rows)} queries: {overall:.1f} ms;"
        f" worst: {worst_ms:.1f} ms ({worst_query})"
    )
    verdict = "ok" if worst_ms <= TARGET_MS else "MISSED"
    print(f"target: every query within {TARGET_MS:.0f} ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
