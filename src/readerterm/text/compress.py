"""Shorten a sentence for display as a key point, keeping its claim.

Key points are read out of context, beside the article, so words that only make sense
inside the article are dropped: a leading dateline ("LONDON (Reuters) -"), picture notes
("(pictured left)") and a connective pointing back at the sentence before ("But",
"However,"). Attributions ("..., police said.") stay: who says a thing is part of the news.
Each rule leaves the sentence unchanged when the result would be too short to stand alone.
"""

from __future__ import annotations

import re

# A rule never leaves fewer words than this.
MIN_WORDS = 5

# "WASHINGTON (Reuters) -", "Rome (CNN)", "LONDON —".
_DATELINE_PREFIX = re.compile(
    r"""^(?:
          (?:[A-Z][\w.'’-]*(?:[\s,]+[A-Z][\w.'’-]*){0,4},?\s*)?
          \(\s*(?:[A-Z][A-Za-z.&]*(?:\s+[A-Z][A-Za-z.&]*){0,3})\s*\)\s*(?:--|[-–—:])?\s*
        | [A-Z][A-Z.'’]+(?:[\s,]+[A-Z][A-Za-z.'’]+){0,3}\s*(?:--|[-–—])\s+
        )(?=[A-Z"“'‘])""",
    re.VERBOSE,
)

# "(pictured)", "(left)", "(far right, with his wife)": notes about a photo the reader of
# a key point cannot see.
_PICTURE_NOTE = re.compile(
    r"""\s*\(\s*(?:pictured|picture|photo|photographed|file\s+photo|shown|seen|above|below|
        left|right|centre|center|middle|top|bottom|inset|far\s+(?:left|right)|
        (?:second|third)\s+(?:from\s+)?(?:left|right)|l-r|r-l|front|back|main|inset)
        \b[^()]{0,80}\)""",
    re.IGNORECASE | re.VERBOSE,
)

_CONNECTIVE = re.compile(
    r"""^(?:and|but|so|yet|or|still|also|now|however|meanwhile|moreover|furthermore|
        besides|instead|indeed|in\s+fact|in\s+addition|in\s+the\s+meantime|nevertheless|
        nonetheless|additionally|then|even\s+so|after\s+all|of\s+course)\b,?\s+""",
    re.IGNORECASE | re.VERBOSE,
)

# ", officials said." / ", the council said on Monday." / ", according to the police."
# The speaker is a few words with no comma; the claim before it is kept.


def strip_dateline(sentence: str) -> str:
    """Drop a leading dateline ("LONDON (Reuters) -") from a sentence."""
    stripped = _DATELINE_PREFIX.sub("", sentence, count=1)
    return stripped if _stands_alone(stripped) else sentence


def drop_picture_notes(sentence: str) -> str:
    """Drop "(pictured)", "(left)" and other notes about a photo."""
    if "(" not in sentence:
        return sentence
    stripped = _PICTURE_NOTE.sub("", sentence)
    return stripped if _stands_alone(stripped) else sentence


def drop_connective(sentence: str) -> str:
    """Drop a leading "But", "And", "However," and capitalise what follows."""
    match = _CONNECTIVE.match(sentence)
    if not match:
        return sentence
    rest = sentence[match.end() :]
    if not rest[:1].isalpha() or not _stands_alone(rest):
        return sentence
    return rest[0].upper() + rest[1:]


def compress(sentence: str) -> str:
    """All the rules above, in order: a shorter sentence with the same claim."""
    text = strip_dateline(sentence)
    text = drop_picture_notes(text)
    return drop_connective(text)


def _stands_alone(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and any(ch.isalpha() for ch in text)
