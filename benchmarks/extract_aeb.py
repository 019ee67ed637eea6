"""Article text extraction on the Article Extraction Benchmark (AEB): readerterm vs trafilatura.

The corpus is scrapinghub's article-extraction-benchmark: 181 news pages (html/KEY.html.gz,
KEY being the sha256 named in ground-truth.json) and each page's reference `articleBody`.

Score, as the benchmark's own evaluate.py defines it (re-implemented here):
- text is split into tokens with the regex \\w+ (Unicode word characters; punctuation and
  markup symbols vanish);
- tokens are grouped into shingles of 4 consecutive tokens, counted as a bag (multiset);
- per page, tp = shingles in both (min of the counts), fp = extra predicted, fn = missed;
  the three are divided by their sum so that long pages weigh no more than short ones;
- precision and recall are averaged over pages (a page with nothing predicted has no
  precision; one with empty truth no recall), and F1 is the harmonic mean of the averages.
Published F1 with this metric: trafilatura 0.958, newspaper4k 0.949, Readability.js 0.947.

readerterm's text is what the reader shows: the page key points, then the markdown body,
with the markdown syntax taken out (links keep their text, never their URL). trafilatura's
row is its default `trafilatura.extract(html)`, computed in the same run on the same input.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

from readerterm.text.extract import from_page_html
from readerterm.text.keypoints import markdown_to_text

DEFAULT_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
SHINGLE = 4
_TOKEN = re.compile(r"\w+")


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(truth: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-token shingles, normalised to sum to 1."""
    expected, got = shingles(truth), shingles(predicted)
    tp = sum((expected & got).values())
    fp = sum((got - expected).values())
    fn = sum((expected - got).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for tp, fp, fn in counts:
        if fp == fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def readerterm_text(html: str, url: str | None) -> str:
    extracted = from_page_html(html, url=url)
    # Only the publisher's own points are page text; generated ones repeat body sentences.
    lines = list(extracted.key_points) if extracted.key_points_origin == "page" else []
    for line in extracted.body.split("\n"):
        line = re.sub(r"^\s*(?:#{1,6}\s|>\s?|[-*+]\s|\d{1,9}[.)]\s)", "", line)
        lines.append(markdown_to_text(line))
    return "\n".join(lines)


def trafilatura_text(html: str, url: str | None) -> str:
    return trafilatura.extract(html) or ""


SYSTEMS: dict[str, Callable[[str, str | None], str]] = {
    "readerterm": readerterm_text,
    "trafilatura": trafilatura_text,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Score readerterm's page extraction (body + page key points) and trafilatura's "
            "default extraction against the Article Extraction Benchmark's ground truth "
            "(4-token shingle precision/recall/F1, as the benchmark defines it), and print "
            "the median extraction time per page and readerterm's peak memory."
        )
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=DEFAULT_CORPORA,
        help=f"folder holding aeb/ground-truth.json and aeb/html/ (default: {DEFAULT_CORPORA})",
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument(
        "--worst", type=int, default=0, help="list the N pages where readerterm trails most"
    )
    args = parser.parse_args(argv)

    root = args.corpora / "aeb"
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file():
        print(f"error: {truth_path} not found (use --corpora)", file=sys.stderr)
        return 1
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    keys = sorted(truth)[: args.limit] if args.limit else sorted(truth)
    pages = {
        key: gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()).decode(
            "utf-8", errors="replace"
        )
        for key in keys
    }

    counts: dict[str, list[tuple[float, float, float]]] = {name: [] for name in SYSTEMS}
    timings: dict[str, list[float]] = {name: [] for name in SYSTEMS}
    for key in keys:
        url = truth[key].get("url")
        for name, extract in SYSTEMS.items():
            started = time.perf_counter()
            text = extract(pages[key], url)
            timings[name].append((time.perf_counter() - started) * 1000)
            counts[name].append(page_counts(truth[key].get("articleBody", ""), text))

    # Memory on its own pass: tracemalloc slows allocation down.
    tracemalloc.start()
    for key in keys:
        from_page_html(pages[key], url=truth[key].get("url"))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"Article Extraction Benchmark: {len(keys)} pages, 4-token shingles")
    print(f"{'system':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'median ms':>10}")
    for name in SYSTEMS:
        precision, recall, f1 = scores(counts[name])
        median = statistics.median(timings[name])
        print(f"{name:<12} {precision:>9.3f} {recall:>7.3f} {f1:>6.3f} {median:>10.1f}")
    print(f"readerterm peak memory (tracemalloc, one page at a time): {peak / 2**20:.1f} MiB")

    if args.worst:
        gaps = []
        for number, key in enumerate(keys):
            ours = scores([counts["readerterm"][number]])[2]
            theirs = scores([counts["trafilatura"][number]])[2]
            gaps.append((ours - theirs, key))
        for gap, key in sorted(gaps)[: args.worst]:
            print(f"  {gap:+.3f} {key} {truth[key].get('url')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
