"""Key points against CNN/DailyMail highlights: readerterm vs Lead-3, ROUGE F1 (x100).

Each article (tokenized text, as the corpus ships it) goes through
readerterm.text.extract.from_plain_text, exactly as `readerterm extract` would read a plain-text
file; its key points are joined with newlines and scored against the reference highlights
with Google's rouge-score (ROUGE-1, ROUGE-2, ROUGE-Lsum, stemming on). Lead-3 is the first
three sentences of the same detokenized body, split by the same segmenter, so the two rows
differ only in which sentences are chosen (readerterm's also shortened for display). The
table gives the whole set and each half of it, to tell a real gain from one tuned to
the articles at hand.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from rouge_score import rouge_scorer

from readerterm.text.extract import detokenize, from_plain_text
from readerterm.text.keypoints import key_points, markdown_to_text
from readerterm.text.sentences import segmenter_name, split_sentences

DEFAULT_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
METRICS = ("rouge1", "rouge2", "rougeLsum")
SYSTEMS = ("readerterm", "Lead-3")


def lead3(body_markdown: str) -> list[str]:
    sentences: list[str] = []
    for paragraph in body_markdown.split("\n\n"):
        sentences.extend(split_sentences(markdown_to_text(paragraph)))
        if len(sentences) >= 3:
            break
    return sentences[:3]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Score readerterm's generated key points and the Lead-3 baseline against the "
            "highlights of cnndm-dev.jsonl with ROUGE-1/2/Lsum F1 (rouge-score, stemming), and "
            "print the median key-point time per article and the peak memory."
        )
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=DEFAULT_CORPORA,
        help=f"folder holding cnndm-dev.jsonl (default: {DEFAULT_CORPORA})",
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument("--show", type=int, default=0, help="print the points of N articles")
    args = parser.parse_args(argv)

    path = args.corpora / "cnndm-dev.jsonl"
    if not path.is_file():
        print(f"error: {path} not found (use --corpora)", file=sys.stderr)
        return 1
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if args.limit:
        records = records[: args.limit]

    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    bodies = [from_plain_text(record["article"]).body for record in records]

    # Speed first, on its own (tracemalloc slows allocation down several times).
    # Best of 3 runs per article, to keep other load on the machine out of the figure.
    timings: list[float] = []
    for body in bodies:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            key_points(body)
            runs.append((time.perf_counter() - started) * 1000)
        timings.append(min(runs))
    words = [len(body.split()) for body in bodies]
    per_thousand = 1000 * sum(timings) / sum(words)
    tracemalloc.start()
    for body in bodies:
        key_points(body)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # Per article and system: ROUGE-1/2/Lsum F1 and the number of words chosen.
    rows: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in SYSTEMS}
    for number, (record, body) in enumerate(zip(records, bodies, strict=True)):
        # rougeLsum wants one sentence a line, in the reference too.
        reference = "\n".join(split_sentences(detokenize(record["highlights"])))
        points = key_points(body)
        for name, sentences in zip(SYSTEMS, (list(points), lead3(body)), strict=True):
            scores = scorer.score(reference, "\n".join(sentences))
            r1, r2, rl = (scores[metric].fmeasure for metric in METRICS)
            rows[name].append((r1, r2, rl, sum(len(s.split()) for s in sentences)))
        if number < args.show:
            print(f"--- {record.get('id', number)}")
            for point in points:
                print(f"  * {point}")
            print("  reference: " + reference.replace("\n", " | "))

    # The whole set, then each half (tune on one, confirm on the other).
    count = len(records)
    half = count // 2
    parts = [("all", 0, count)]
    if half:
        parts += [(f"0-{half - 1}", 0, half), (f"{half}-{count - 1}", half, count)]
    print(f"CNN/DailyMail dev: {count} articles, ROUGE F1 x100 (rouge-score, stemming)")
    print(
        f"{'articles':<9} {'system':<11} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} "
        f"{'words':>6} {'empty':>6}"
    )
    for label, first, stop in parts:
        for name in SYSTEMS:
            part = rows[name][first:stop]
            r1, r2, rl = (100 * statistics.fmean(row[k] for row in part) for k in range(3))
            mean_words = statistics.fmean(row[3] for row in part)
            empty = sum(1 for row in part if not row[3])
            print(
                f"{label:<9} {name:<11} {r1:>8.2f} {r2:>8.2f} {rl:>8.2f} "
                f"{mean_words:>6.1f} {empty:>6}"
            )
    print(
        f"key points ({segmenter_name()} segmenter): median {statistics.median(timings):.2f} ms "
        f"per article (median {statistics.median(words):.0f} words, max "
        f"{max(timings):.2f} ms), {per_thousand:.2f} ms per 1,000 words"
    )
    print(f"peak memory while ranking (tracemalloc): {peak / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
