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
    (re.compile(r" ?’ ?(s|re|ve|ll|d|m|t)\b"), r"’\1"),  # "Murray ’ s" (curly quotes)
    (re.compile(r"‘ "), "‘"),
    (re.compile(r" ’"), "’"),
    (re.compile(r"(?<=[.,!?;:]) '(?=\s|$)"), "'"),
    (re.compile(r" ([.,;:?!%])(?=\s|$|[\"'”’)])"), r"\1"),
    (re.compile(r"([(\[{$£€#]) "), r"\1"),
    (re.compile(r" ([)\]}])"), r"\1"),
    (re.compile(r"(\d) ([.,]) (\d)"), r"\1\2\3"),
)


# A lone ' is an opening or a closing quote, or a plural possessive ("the players ' union").
_CONTRACTIONS = frozenset({"'s", "'re", "'ve", "'ll", "'d", "'m", "'t"})
_SPEECH_AFTER = frozenset({"said", "says", "added", "told", "he", "she", "they", "it", "we"})


def _quote_roles(tokens: list[str]) -> list[str]:
    """Each token, with a lone ' marked as opening ("'\x01") or closing ("\x02'").

    The corpus keeps single quotes as separate tokens without saying which way they face;
    left as they were, the opening quote of a sentence sticks to the end of the one before
    ("team.' I'm happy ...") and a reader would see a quote without its opening mark. The
    quotes are paired in order, with two sure signs: after a colon a quote opens, and before
    "said"/"he" after punctuation it closes; a lone ' after a plural noun with a lower-case
    word next, outside a quote, is a possessive."""
    out: list[str] = []
    inside = False
    for number, token in enumerate(tokens):
        before = tokens[number - 1] if number else ""
        after = tokens[number + 1] if number + 1 < len(tokens) else ""
        if token != "'":
            if token[:1] == "'" and token[1:2].isalpha() and token.lower() not in _CONTRACTIONS:
                inside = True  # a quote the tokenizer left on its word
            elif token[-1:] == "'" and token[-2:-1].isalnum():
                inside = False
            out.append(token)
            continue
        if before == ":":
            opening = True
        elif before in {",", ".", "!", "?"} and after.lower() in _SPEECH_AFTER:
            opening = False
        elif not inside and before[-1:] == "s" and after[:1].islower():
            out.append("\x02'")  # a possessive: no quote opened or closed
            continue
        else:
            opening = not inside
        inside = opening
        out.append("'\x01" if opening else "\x02'")
    return out


def _pair_quotes(text: str) -> str:
    joined = " ".join(_quote_roles(text.split(" ")))
    return (
        joined.replace("'\x01 ", "'").replace(" \x02'", "'").replace("\x01", "").replace("\x02", "")
    )


def detokenize(text: str) -> str:
    """Undo PTB-style tokenization ("team 's", "draw .", "-lrb-") as far as is sensible."""
    text = _pair_quotes(text)
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
