"""Shorten a sentence for display as a key point, keeping its claim.

Key points are read out of context, beside the article, so words that only make sense
inside the article are dropped: a leading dateline ("LONDON (Reuters) -"), a caption run
into the sentence it restates, picture notes ("(pictured left)"), a connective pointing
back at the sentence before ("But", "However,"), a signpost in the writer's voice ("In
particular,", "Sadly,") and the role that follows a person's age ("Jane Doe, 24, a teacher
from Leeds, was ..." -> "Jane Doe, 24, was ..."), as DailyMail's own bullets shorten it.
Attributions ("..., police said.", "..., according to ...") stay: who says a thing is part
of the news.
Each rule leaves the sentence unchanged when the result would be too short to stand alone.

A chosen point may also lose an aside (drop_asides): a relative clause between commas
(", who has lived in Britain for 20 years,") or closing the sentence, a closing clause of
circumstance (", after beating her rival in the final."), a closing participle clause of
six words or more (", prompting fresh talk of a move abroad.", ", including theft and
assault.") or an opening one ("Speaking in the US where he is promoting his book, "),
but only when its words matter less to the article than the rest of the sentence's do.
Editors' bullets are about half as long as the sentences they come from, and drop such
asides first; dropping them whatever they hold loses news as often as it saves words
(measured on CNN/DailyMail highlights). An aside that carries the news itself (a negation
or denial, a death, an injury, a crime) always stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable

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
    r"""^(?:(?:and|but|so|yet|or|still|also|now|however|meanwhile|moreover|furthermore|
        besides|instead|indeed|in\s+fact|in\s+addition|in\s+the\s+meantime|nevertheless|
        nonetheless|additionally|then|even\s+so|after\s+all|of\s+course)\b,?\s+
      # the writer's voice, not the news; only with their comma ("Sadly, ...", but not
      # "Incredibly rare birds ...", "As a result of the storm, ...")
      | (?:in\s+particular|at\s+the\s+same\s+time|needless\s+to\s+say|for\s+(?:example|
        instance)|as\s+a\s+result|in\s+other\s+words|on\s+the\s+other\s+hand|likewise|
        similarly|luckily|(?:un)?fortunately|interestingly|incredibly|remarkably|sadly|
        tragically|thankfully|what['’]s\s+more|what\s+is\s+more),\s+)""",
    re.IGNORECASE | re.VERBOSE,
)

# ", who has lived in Britain for 20 years, was ..." : a relative clause that only adds.
_RELATIVE = re.compile(r""",\s(?:who|which|whose)\s[^,;:()"“”‘’\[\]]{3,120}?,\s(?=[a-z])""")
# "..., which is still the club's only European trophy." : the same, closing the sentence.
_RELATIVE_END = re.compile(r""",\s(?:who|which|whose|whom)\s[^;:"“”‘’]{3,120}?(?=[.!]$)""")
# "..., after beating her rival in the final." : how or when, closing the sentence.
_CLOSING = re.compile(
    r""",\s(?:after|while|as|before|despite|following|with)\s[^,;:"“”‘’()]{8,100}?(?=[.!]$)"""
)
# "..., prompting fresh talk of a move abroad." / "..., including assault and theft." : a
# closing participle clause, often a consequence or a list the gist can do without.
_PARTICIPLE = re.compile(
    r""",\s(?!according\s)[a-z]{2,}ing\s(?:(?!,\s(?:and|but|or)\s)[^;:"“”‘’]){3,200}?(?=[.!]$)"""
)
# ... but only one of this many words or more: a short one ("wielding a knife") is
# usually the point itself and saves little.
PARTICIPLE_MIN_WORDS = 6
# "Speaking in the US where he is promoting his book, Mr Axelrod revealed ..." : an opening
# participle clause, how or where the subject came to act; the sentence starts on its
# subject without it. Only where a preposition, an article or an object follows the -ing
# word ("Speaking to", "Using a"), so that a name ("Manning said, ...") is never taken for
# one; never "According to" (who says it), nor prepositions that end in -ing ("During",
# "Including", "Regarding"...), nor places and names in the news that end so ("Beijing in
# the past week, ...", "Fleming at the Bank of England, ...": the subject itself).
_LEADING_PARTICIPLE = re.compile(
    r"""^(?!(?:According|During|Including|Excluding|Regarding|Concerning|Notwithstanding|
        Pending|Barring|Considering|Nothing|Something|Everything|Anything|
        Beijing|Nanjing|Reading|Woking|Ealing|Worthing|Kettering|Barking|Epping|Stirling|
        Fleming|Manning|Browning|Golding|Downing|Sterling|Kipling|Harding|Redding|Darling)
        \b)
        [A-Z][a-z]+ing\s
        (?:a|an|the|to|in|on|at|with|for|from|about|after|into|over|through|up|out|off|
        down|back|by|as|his|her|their|its|our|my|this|that|these|those|him|them|it|us)\s
        [^,;:"“”‘’()]{3,100}?,\s(?=[A-Za-z])""",
    re.VERBOSE,
)
# An aside is dropped only if what is left keeps this many words.
ASIDE_MIN_WORDS = 8
# "Kaitlyn Granado, 24, a teacher at a high school in Irving, was arrested ...": the role
# after a person's age, ahead of the verb; the name and age stay (DailyMail's way of
# introducing someone, which its own bullets shorten to "Name, 24, was ...").
_ROLE_AFTER_AGE = re.compile(
    r"""\b[A-Z][a-z'’-]+\s[A-Z][A-Za-z'’-]+,\s\d\d
        (?P<role>,\s(?:a|an)\s(?:(?!\b(?:who|whom|whose|which|and|or)\b)[^,;:()"“”‘’]){3,80}?)
        ,\s(?=(?:was|is|has|had|were|are|will|would|could|can|must|may|might|said|says|
        told|tells|[a-z]{3,}ed)\b)""",
    re.VERBOSE,
)
_AGE_THEN_ROLE = re.compile(r",\s\d\d,\s(?:a|an)\s")
# Words someone said are kept, even in an aside.
_QUOTED = re.compile(r"""(?:^|\s)["“‘']""")
# ... and so is an aside that carries the news itself, however little the rest of the
# article repeats it: a negation or denial, a death, an injury, a crime ("..., killing at
# least 24 people.", "..., which she has denied.", "..., leaving thousands without power.").
# (A number alone does not keep an aside: ", including 12 children." goes as editors' bullets
# drop it; keeping such asides cost 0.21/0.15 ROUGE-1/2 on both halves of the dev set.)
_NEWS_ITSELF = re.compile(
    r"""\b(?:not|no|never|none|nobody|nothing|neither|nor|without|\w+n['’]t|
        den(?:y|ies|ied|ial)|die[ds]?|dying|dead|deaths?|fatal\w*|kill\w*|murder\w*|
        wound\w*|injur\w*|shot|stabbed|hurt|missing|arrest\w*|charged|convicted|jailed|
        sentenced)\b""",
    re.IGNORECASE | re.VERBOSE,
)


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


# A caption restating its sentence is kept only if this many of the sentence's first words
# come again, and what follows them keeps RESTATED_MIN_WORDS words.
RESTATED_HEAD_WORDS = 4
RESTATED_MIN_WORDS = 8


def drop_restated_caption(sentence: str) -> str:
    """Drop a photo caption run into the front of the sentence it restates ("A rifle was
    stolen from a car A rifle was stolen from an agent's car ..."), as pages do when the
    caption loses its own line: the sentence starts again where its first words come
    again, capitalised, right after a word that ends no clause (the words themselves, not
    a lower-cased copy: "the number of people ... and the number of people" is no caption)."""
    words = sentence.split()
    if len(words) < RESTATED_HEAD_WORDS + RESTATED_MIN_WORDS or not words[0][:1].isupper():
        return sentence
    head = words[:RESTATED_HEAD_WORDS]
    for start in range(RESTATED_HEAD_WORDS, len(words) - RESTATED_MIN_WORDS + 1):
        before = words[start - 1]
        if words[start : start + RESTATED_HEAD_WORDS] == head and before[-1:].isalnum():
            return " ".join(words[start:])
    return sentence


def compress(sentence: str) -> str:
    """All the rules above, in order: a shorter sentence with the same claim."""
    text = strip_dateline(sentence)
    text = drop_picture_notes(text)
    text = drop_restated_caption(text)
    return drop_role_after_age(drop_connective(text))


def drop_asides(sentence: str, weight: Callable[[str], float]) -> str:
    """Drop a relative clause between commas, then one closing the sentence, a closing
    clause of circumstance and a closing participle clause, each only if `weight` (how
    much a piece of text matters to the article, per word) rates it below the rest of the
    sentence."""
    text = sentence
    asides = (
        (_RELATIVE, " "),
        (_RELATIVE_END, ""),
        (_CLOSING, ""),
        (_PARTICIPLE, ""),
        (_LEADING_PARTICIPLE, ""),
    )
    for pattern, glue in asides:
        match = pattern.search(text)
        if not match or _QUOTED.search(match.group()) or _NEWS_ITSELF.search(match.group()):
            continue
        if pattern is _PARTICIPLE and len(match.group().split()) < PARTICIPLE_MIN_WORDS:
            continue
        rest = text[: match.start()] + glue + text[match.end() :]
        if not match.start():
            rest = rest[:1].upper() + rest[1:]  # the subject now opens the sentence
        if len(rest.split()) >= ASIDE_MIN_WORDS and weight(match.group()) < weight(rest):
            text = rest
    return text


def drop_role_after_age(sentence: str) -> str:
    """Drop the role that follows a person's age ("Jane Doe, 24, a teacher at a school in
    Leeds, was ...") when what is left keeps ASIDE_MIN_WORDS words: only after a first name
    and a surname, and only when a verb follows the role (not "..., not a student," or
    "..., his wife"); not in a list of people, where each keeps their role."""
    if len(_AGE_THEN_ROLE.findall(sentence)) != 1:
        return sentence
    match = _ROLE_AFTER_AGE.search(sentence)
    if not match or _QUOTED.search(match.group("role")):
        return sentence
    rest = sentence[: match.start("role")] + sentence[match.end("role") :]
    return rest if len(rest.split()) >= ASIDE_MIN_WORDS else sentence


def _stands_alone(text: str) -> bool:
    return len(text.split()) >= MIN_WORDS and any(ch.isalpha() for ch in text)
