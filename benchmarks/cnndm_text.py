"""CNN/DailyMail text as the corpus ships it, made readable: PTB tokens undone.

The corpus is tokenized ("team 's", "draw .", "-lrb-"); readers never see such text, so
undoing it is the benchmark's job, not the product's. Undone before the text reaches
readerterm, so the figures measure readerterm on text as a feed or page would give it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_DETOKENIZE = (
    (re.compile(r"-lrb-", re.IGNORECASE), "("),
    (re.compile(r"-rrb-", re.IGNORECASE), ")"),
    (re.compile(r"-lsb-", re.IGNORECASE), "["),
    (re.compile(r"-rsb-", re.IGNORECASE), "]"),
    (re.compile(r"-lcb-", re.IGNORECASE), "{"),
    (re.compile(r"-rcb-", re.IGNORECASE), "}"),
    (re.compile(r"``\s*"), "\u201c"),
    (re.compile(r"\s*''"), "\u201d"),
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", re.IGNORECASE), r"\1"),
    (re.compile(r"(?<=[.,!?;:]) '(?=\s|$)"), "'"),
    (re.compile(r" ([.,;:?!%])(?=\s|$|[\"'”’)])"), r"\1"),
    (re.compile(r"([(\[{$£€#]) "), r"\1"),
    (re.compile(r" ([)\]}])"), r"\1"),
    (re.compile(r"(\d) ([.,]) (\d)"), r"\1\2\3"),
)


def detokenize(text: str) -> str:
    """Undo PTB-style tokenization ("team 's", "draw .", "-lrb-") as far as is sensible."""
    for pattern, replacement in _DETOKENIZE:
        text = pattern.sub(replacement, text)
    return re.sub(r"[ \t]{2,}", " ", text)


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    article: str
    """Detokenized, one paragraph (the corpus keeps no paragraph breaks)."""
    highlights: str
    """Detokenized, the publisher's bullets run together as sentences."""


def load(path: Path, limit: int | None = None) -> list[Story]:
    """The stories of a cnndm-*.jsonl file (`article`, `highlights`), detokenized."""
    stories = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line:
            continue
        record = json.loads(line)
        stories.append(
            Story(
                id=str(record.get("id", number)),
                article=detokenize(record["article"]),
                highlights=detokenize(record["highlights"]),
            )
        )
    return stories[:limit] if limit else stories
