"""Key points against CNN/DailyMail highlights: readerterm vs Lead-3, in the same run.

Each article (detokenized by cnndm_text, one paragraph: the corpus keeps no breaks) goes
through readerterm.text.extract.from_plain_text, exactly as `readerterm extract` reads a
plain-text file. Its key points, one a line, are scored against the highlights with Google's
rouge-score: ROUGE-1, ROUGE-2, ROUGE-Lsum F1 (x100, stemming on), and the share of
highlights matched by a point (ROUGE-L F1 >= 0.8 with some point: the editor's sentence
picked, give or take a few words). Lead-3 is the first three sentences of the same body,
split by the same segmenter, so the two rows differ only in which sentences are chosen.

Rules are tuned on the even-indexed stories and kept only if they also help on the
odd-indexed ones; both halves are printed, with readerterm's lead over Lead-3 in each, and
the stories of 300 words or more (three points) apart from the shorter ones (fewer), as
the two groups behave differently. --ceiling K adds the best that picking can do with the
lead kept: the lead and the other points (as many as readerterm gives) chosen among the
first K sentences by their ROUGE against the highlights (an oracle, so not a system).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from rouge_score import rouge_scorer

from cnndm_text import load
from readerterm.text.extract import from_plain_text
from readerterm.text.keypoints import FULL_STORY_WORDS, key_points, markdown_to_text
from readerterm.text.sentences import split_sentences

DEFAULT_CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
METRICS = ("rouge1", "rouge2", "rougeLsum")
SYSTEMS = ("readerterm", "Lead-3")
MATCH = 0.8


def lead(body_markdown: str, count: int) -> list[str]:
    """The body's first `count` sentences."""
    sentences: list[str] = []
    for paragraph in body_markdown.split("\n\n"):
        sentences.extend(split_sentences(markdown_to_text(paragraph)))
        if len(sentences) >= count:
            break
    return sentences[:count]


def lead3(body_markdown: str) -> list[str]:
    return lead(body_markdown, 3)


def ceiling(
    scorer: rouge_scorer.RougeScorer, reference: list[str], body: str, points: int, first: int
) -> list[str]:
    """The lead and `points` - 1 of the next `first` - 1 sentences, the set with the best
    ROUGE-1 + ROUGE-2 F1 against the highlights (an oracle: it reads the highlights)."""
    sentences = lead(body, first)
    if points <= 1 or len(sentences) <= 1:
        return sentences[: max(points, 0)]
    target = "\n".join(reference)
    best: list[str] = []
    best_value = -1.0
    for others in combinations(sentences[1:], min(points - 1, len(sentences) - 1)):
        chosen = [sentences[0], *others]
        scores = scorer.score(target, "\n".join(chosen))
        value = scores["rouge1"].fmeasure + scores["rouge2"].fmeasure
        if value > best_value:
            best, best_value = chosen, value
    return best


@dataclass(frozen=True, slots=True)
class Row:
    """One system on one story."""

    rouge: tuple[float, float, float]
    matched: int
    highlights: int
    points: int
    words: int


def score(scorer: rouge_scorer.RougeScorer, reference: list[str], points: Sequence[str]) -> Row:
    scores = scorer.score("\n".join(reference), "\n".join(points))
    rouge = (scores["rouge1"].fmeasure, scores["rouge2"].fmeasure, scores["rougeLsum"].fmeasure)
    matched = sum(
        1
        for highlight in reference
        if any(scorer.score(highlight, point)["rougeL"].fmeasure >= MATCH for point in points)
    )
    words = sum(len(point.split()) for point in points)
    return Row(rouge, matched, len(reference), len(points), words)


def table(rows: dict[str, list[Row]], parts: list[tuple[str, Sequence[int]]]) -> None:
    print(
        f"{'stories':<9} {'system':<11} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} "
        f"{'matched':>8} {'points':>7} {'words':>6} {'empty':>6}"
    )
    for label, indexes in parts:
        if not indexes:
            continue
        figures: dict[str, tuple[float, ...]] = {}
        for name in rows:
            part = [rows[name][i] for i in indexes]
            r1, r2, rl = (100 * statistics.fmean(row.rouge[k] for row in part) for k in range(3))
            matched = 100 * sum(row.matched for row in part) / sum(row.highlights for row in part)
            points = statistics.fmean(row.points for row in part)
            words = statistics.fmean(row.words for row in part)
            empty = sum(1 for row in part if not row.points)
            figures[name] = (r1, r2, rl, matched, points, words)
            print(
                f"{label:<9} {name:<11} {r1:>8.2f} {r2:>8.2f} {rl:>8.2f} {matched:>7.1f}% "
                f"{points:>7.2f} {words:>6.1f} {empty:>6}"
            )
        ours, baseline = figures[SYSTEMS[0]], figures[SYSTEMS[1]]
        gain = [a - b for a, b in zip(ours, baseline, strict=True)]
        print(
            f"{'':<9} {'difference':<11} {gain[0]:>+8.2f} {gain[1]:>+8.2f} {gain[2]:>+8.2f} "
            f"{gain[3]:>+7.1f}%"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Score readerterm's generated key points and the Lead-3 baseline against the "
            "highlights of cnndm-dev.jsonl: ROUGE-1/2/Lsum F1 (rouge-score, stemming), the "
            f"share of highlights matched by a point (ROUGE-L >= {MATCH}), on the whole set "
            "and on its even- and odd-indexed halves; then the median time per story."
        )
    )
    parser.add_argument(
        "--corpora",
        type=Path,
        default=DEFAULT_CORPORA,
        help=f"folder holding cnndm-dev.jsonl (default: {DEFAULT_CORPORA})",
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N stories")
    parser.add_argument("--show", type=int, default=0, help="print the points of N stories")
    parser.add_argument(
        "--ceiling",
        type=int,
        default=0,
        metavar="K",
        help="also print the oracle row: the lead kept, the other points the best among the "
        "first K sentences by ROUGE against the highlights",
    )
    args = parser.parse_args(argv)

    path = args.corpora / "cnndm-dev.jsonl"
    if not path.is_file():
        print(f"error: {path} not found (use --corpora)", file=sys.stderr)
        return 1
    stories = load(path, args.limit)
    scorer = rouge_scorer.RougeScorer([*METRICS, "rougeL"], use_stemmer=True)
    bodies = [from_plain_text(story.article).body for story in stories]

    # Speed first, on its own (tracemalloc slows allocation down several times).
    # Best of 3 runs per story, to keep other load on the machine out of the figure.
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

    names = [*SYSTEMS, f"ceiling-{args.ceiling}"] if args.ceiling > 1 else list(SYSTEMS)
    rows: dict[str, list[Row]] = {name: [] for name in names}
    for number, (story, body) in enumerate(zip(stories, bodies, strict=True)):
        reference = split_sentences(story.highlights)  # rougeLsum wants a sentence a line
        points = key_points(body)
        chosen = [points, lead3(body)]
        if args.ceiling > 1:
            chosen.append(ceiling(scorer, reference, body, len(points), args.ceiling))
        for name, picked in zip(names, chosen, strict=True):
            rows[name].append(score(scorer, reference, picked))
        if number < args.show:
            print(f"--- {story.id}")
            for point in points:
                print(f"  * {point}")
            print("  reference: " + " | ".join(reference))

    count = len(stories)
    full = [i for i in range(count) if words[i] >= FULL_STORY_WORDS]
    short = [i for i in range(count) if words[i] < FULL_STORY_WORDS]
    print(
        f"CNN/DailyMail dev: {count} stories; ROUGE F1 x100 (rouge-score, stemming); "
        f"matched: highlights with a point at ROUGE-L >= {MATCH}"
    )
    table(
        rows,
        [
            ("all", range(count)),
            ("even", range(0, count, 2)),  # tuned on
            ("odd", range(1, count, 2)),  # confirmed on
            (f">={FULL_STORY_WORDS}w", full),  # three points
            (f"<{FULL_STORY_WORDS}w", short),  # fewer
        ],
    )
    print(
        f"key points: median {statistics.median(timings):.2f} ms per story (median "
        f"{statistics.median(words):.0f} words, max {max(timings):.2f} ms), "
        f"{per_thousand:.2f} ms per 1,000 words"
    )
    print(f"peak memory while ranking (tracemalloc): {peak / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
