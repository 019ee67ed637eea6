"""Split plain text into sentences with a maintained, rule-based segmenter (no download).

nupunkt is Punkt with its model shipped inside the package, no dependencies and no data
to fetch. Measured on CNN/DailyMail articles, per 1,000 words: nupunkt 0.8 ms, syntok
4.7 ms, pysbd about 20 ms (and pysbd fails on text that is already split into tokens,
"said .", returning a few run-on sentences). nupunkt handles abbreviations, initials,
decimals and quotes in the cases tested. Sentences are sliced from the input by offset,
so their text is the input's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache


@cache
def _segmenter() -> Callable[[str], list[tuple[int, int]]]:
    """nupunkt's tokenizer, imported on first use (the import takes ~60 ms)."""
    import nupunkt

    tokenizer = nupunkt.load("default")

    def spans(text: str) -> list[tuple[int, int]]:
        return [(int(start), int(end)) for start, end in tokenizer.span_tokenize(text)]

    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, in order, stripped."""
    if not text.strip():
        return []
    sentences = []
    for start, end in _segmenter()(text):
        sentence = text[start:end].strip()
        if sentence:
            sentences.append(sentence)
    return _merge_orphans(_split_run_ons(sentences))


# A photo caption that lost its full stop runs into the next sentence: "... trace back to
# the man A Pennsylvania man was arrested ...". An all-lower-case word followed by "A" or
# "An" and a capitalised word is almost never one sentence.
_RUN_ON = re.compile(r"(\b[a-z][a-z0-9]*) (?=(?:A|An) [A-Z][a-z])")


def _split_run_ons(sentences: list[str]) -> list[str]:
    split: list[str] = []
    for sentence in sentences:
        if " A " in sentence or " An " in sentence:
            # Sentences are cleaned text: they hold no NUL of their own.
            split.extend(part for part in _RUN_ON.sub("\\1\0", sentence).split("\0") if part)
        else:
            split.append(sentence)
    return split


def _merge_orphans(sentences: list[str]) -> list[str]:
    """Glue fragments with no letters or digits (a lone closing quote) to the sentence before."""
    merged: list[str] = []
    for sentence in sentences:
        if merged and not any(ch.isalnum() for ch in sentence):
            merged[-1] = f"{merged[-1]} {sentence}"
        else:
            merged.append(sentence)
    return merged
