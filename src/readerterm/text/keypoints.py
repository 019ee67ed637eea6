"""Pick an article's key points from its own sentences (extractive, no model, pure Python).

The body (markdown) is read into paragraphs, split into sentences, cleared of what never
makes a point (readerterm.text.keypoint_rules: bylines, bios, captions, quotes cut from
their speaker, prompts, questions to the reader), shortened for display
(readerterm.text.compress: datelines, picture notes, restated captions, leading connectives
and signposts, the role after a person's age), then ranked
by signals that news summarisation research keeps finding useful:

- position: news puts the gist first (the "Lead-3" baseline is hard to beat), but for
  a teaser lead whose words the article never comes back to (keypoint_rules.is_teaser);
- centrality: how much of the rest of the article a sentence shares words with
  (TF-IDF cosine against the article minus the sentence);
- style: very short or long sentences, quotes, captions and sentences that lean on the one
  before make poor points out of context.

Points are chosen greedily, skipping any too similar to one already chosen (maximal
marginal relevance) and any from a paragraph that already gave one: an editor writes the
lead, then the next developments, which open paragraphs of their own, not three sentences
of the opening paragraph. (Text with no paragraph breaks, such as the CNN/DailyMail
benchmark's, has no such bound.) A full story gets three points, as publishers' own
bullets do; a short one fewer. They are returned in article order, each without an aside
that matters less to the article than the rest of its sentence (compress.drop_asides).

Measured on CNN/DailyMail (benchmarks/keypoints_cnndm.py): the third point a 300-word story
gets costs ROUGE there (its new words match the highlights less often than the two
before), and no ranking signal tried (numbers, new names, likeness to the lead, shorter
sentences, the next sentences only) picked better than position and centrality on both
halves of the dev set; shortening the chosen points, and dropping captions and teaser
leads, is what paid.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .compress import compress, drop_asides, strip_dateline
from .keypoint_rules import is_boilerplate, is_teaser, quotes_its_speaker
from .safe import clean_line
from .sentences import split_sentences

__all__ = ["is_boilerplate", "key_points", "markdown_to_text", "points_wanted", "strip_dateline"]

# Three points from FULL_STORY_WORDS words on; two from SHORT_STORY_WORDS; one below.
POINTS = 3
FULL_STORY_WORDS = 300
SHORT_STORY_WORDS = 120
# One point a paragraph where the candidates come from as many paragraphs as there are
# points to give; never all of them from one paragraph where they come from several.
PER_PARAGRAPH = 1
PER_PARAGRAPH_FEW = 2
CANDIDATE_WORDS = 1500
# A body whose points would hold more than this share of its words (a brief of two
# sentences) gets none: they would only say it twice.
COVERED = 0.5


def points_wanted(words: int) -> int:
    """How many points a story of `words` words gets."""
    if words >= FULL_STORY_WORDS:
        return POINTS
    return 2 if words >= SHORT_STORY_WORDS else 1


# --- markdown to plain paragraphs -------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d{1,9}[.)])\s+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_TABLE_ROW = re.compile(r"^\s*\|")
_IMAGE = re.compile(r"!\[((?:\\.|[^\]\\])*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_EMPHASIS = re.compile(r"(?<!\\)(?:\*+|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9]))")
_BACKTICKS = re.compile(r"(?<!\\)`+")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_WHOLE_EMPHASIS = re.compile(r"^\s*(\*{1,3}|_{1,3})(?=\S).*\S\1\s*$", re.DOTALL)
_WHOLE_LINK = re.compile(r"^\s*\[(?:\\.|[^\]\\])*\]\([^)]*\)\s*[.:]?\s*$")


def markdown_to_text(markdown: str) -> str:
    """Inline markdown (links, emphasis, escapes, code spans) to plain text on one line."""
    text = _IMAGE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _BACKTICKS.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = _ESCAPED.sub(r"\1", text)
    return clean_line(text)


def _paragraphs(markdown: str) -> list[str]:
    """Prose paragraphs of a markdown body as plain text; headings, code, tables, captions
    (a paragraph all in italics or bold), link-only lines and short list items are left out."""
    blocks: list[list[str]] = [[]]
    in_fence = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
            blocks.append([])
            continue
        if in_fence:
            continue
        if not line.strip() or _HEADING.match(line) or _RULE.match(line) or _TABLE_ROW.match(line):
            blocks.append([])
            continue
        if _SETEXT_UNDERLINE.match(line) and blocks[-1]:
            blocks[-1] = []  # the line before was a heading
            blocks.append([])
            continue
        if _LIST_ITEM.match(line):
            blocks.append([_LIST_ITEM.sub("", line, count=1)])
            blocks[-1].append("\x00item")
            blocks.append([])
            continue
        blocks[-1].append(_QUOTE.sub("", line))

    paragraphs: list[str] = []
    for block in blocks:
        is_item = "\x00item" in block
        lines = [line for line in block if line != "\x00item"]
        raw = " ".join(line.strip() for line in lines).strip()
        if not raw or _WHOLE_EMPHASIS.match(raw) or _WHOLE_LINK.match(raw):
            continue
        text = markdown_to_text(raw)
        if is_item and (len(text.split()) < 8 or text[-1:] not in ".!\"'”’"):
            continue  # menus, related links, fragments
        if text:
            paragraphs.append(text)
    return paragraphs


# --- ranking ----------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves said says say told according new one two just like get got s t"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def _terms(sentence: str) -> list[str]:
    """Content words, lower-cased, with a light plural/possessive fold."""
    terms = []
    for word in _WORD.findall(sentence.lower()):
        word = word.replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if word in _STOPWORDS or len(word) < 2:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        terms.append(word)
    return terms


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    """Position among all the article's sentences."""
    paragraph: int
    text: str
    vector: dict[str, float]
    norm: float
    score: float


def _cosine(a: dict[str, float], norm_a: float, b: dict[str, float], norm_b: float) -> float:
    if not norm_a or not norm_b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0.0) for term, weight in a.items()) / (norm_a * norm_b)


# Tuned on CNN/DailyMail dev articles; kept few and coarse on purpose.
_POSITION_WEIGHT = 1.0
_CENTRALITY_WEIGHT = 1.0
_REDUNDANCY_WEIGHT = 0.9
_POSITION_DECAY = 0.25
_NEAR_DUPLICATE = 0.6


def _position_score(index: int) -> float:
    return 1.0 / (1.0 + _POSITION_DECAY * index)


def _length_factor(words: int) -> float:
    if words < 8:
        return 0.6
    if words > 45:
        return max(0.5, 1.0 - (words - 45) / 60)
    return 1.0


_QUOTE_MARKS = "\"“”‘’'«»"
_DANGLING_TEXT = """
    he she it they his her its their them this these those that but and so however also
    then there such which who i we you
"""
_DANGLING_STARTS = frozenset(_DANGLING_TEXT.split())
_QUOTED_FACTOR = 0.5
# "'We will win,' the coach said." A quote with its attribution: colour, rarely the gist.
_DIRECT_QUOTE = re.compile(
    r"""^["“‘'].{8,}[,.!?]\s?["”’']\s*,?\s+(?:\S+\s+){0,4}?
        (?:said|says|told|added|adds|reads|wrote|writes|explained|insisted|asked|tweeted)\b""",
    re.VERBOSE,
)
_DANGLING_FACTOR = 0.5
# "I", "we", "my" in a sentence that names no speaker: a quote running on from the sentence
# before, or an opinion; a reader can't tell who speaks. (Not the lead, which a columnist
# may write in the first person; not a quote with its speaker, 'Carragher said: "I ..."';
# not "the us", the country in a lower-cased text.) Penalising those cost 0.43 / 0.40
# ROUGE-1/2 on the dev set (even half 0.33 / 0.33, odd 0.53 / 0.47).
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Mm]y|[Oo]ur|[Mm]e)\b|(?<!\bthe\s)\b[Uu]s\b")
FIRST_PERSON_FACTOR = 0.6


# Photo captions that slipped into the text: "Smith, left, and Jones, right, at the ...".
# Prose can read the same ("a goalkeeper, centre back"), so it is only a penalty.
_CAPTION_HINT = re.compile(
    r",\s(?:left|right|above|below|cent(?:re|er)|top|bottom|inset|pictured)\b"
)
_CAPTION_FACTOR = 0.6
_SPEECH_LABEL = re.compile(r"^[^:]*\b(?:said|says|told|added|wrote|writes|explained|insisted)\b")


# "The crucial question was whether ...", "The key measurement is ...": a sentence that
# sets up what the next ones say; out of context it says nothing.
_SETUP = re.compile(
    r"""^The\s(?:key|crucial|main|big|real|central|only|obvious|next|first)\s
        (?:question|measurement|issue|point|problem|test|challenge|answer|difference)s?\s
        (?:is|was|are|were|remains?|remained)\b""",
    re.VERBOSE,
)
_SETUP_FACTOR = 0.5


def _style_factor(sentence: str, *, lead: bool = False) -> float:
    """Penalise sentences that read badly out of context: direct quotes, likely captions,
    sentences that open on a pronoun or connective pointing back at something earlier, ones
    that only set up the next, and first-person ones that name no speaker (but the lead)."""
    factor = _SETUP_FACTOR if _SETUP.match(sentence) else 1.0
    if _CAPTION_HINT.search(sentence) and not _SPEECH_LABEL.match(sentence):
        factor *= _CAPTION_FACTOR
    if _DIRECT_QUOTE.match(sentence):
        factor *= _QUOTED_FACTOR
    elif not lead and _FIRST_PERSON.search(sentence) and not quotes_its_speaker(sentence):
        factor *= FIRST_PERSON_FACTOR
    first = sentence.split(maxsplit=1)[0].lower().strip(_QUOTE_MARKS + ",")
    if first in _DANGLING_STARTS:
        factor *= _DANGLING_FACTOR
    return factor


def key_points(body_markdown: str, *, limit: int | None = None) -> tuple[str, ...]:
    """The body's best sentences as key points, in article order (empty for no body)."""
    paragraphs = _paragraphs(body_markdown)
    if not paragraphs:
        return ()
    words = sum(len(p.split()) for p in paragraphs)
    wanted = points_wanted(words) if limit is None else limit
    if wanted <= 0:
        return ()
    units, kept = _sentences(paragraphs)
    if not kept:
        return ()
    candidates, frequency = _candidates(units, kept)

    def weight(text: str) -> float:
        """How many of the article's sentences share the text's words, per word."""
        return sum(frequency[term] for term in _terms(text)) / max(len(text.split()), 1)

    points = tuple(
        point
        for c in _choose(candidates, wanted)
        if (point := clean_line(drop_asides(c.text, weight)))
    )
    if limit is None and sum(len(p.split()) for p in points) > COVERED * words:
        return ()  # a brief: its points would say it all again
    return points


def _sentences(paragraphs: list[str]) -> tuple[list[str], list[tuple[int, int, str]]]:
    """The article's units for term statistics, and the sentences that may make a point
    as (unit index, paragraph number, text shortened for display)."""
    # Sentences far down a long article almost never win against the lead, so only the
    # first CANDIDATE_WORDS words are split into candidates (this bounds the time); the
    # rest still counts, paragraph by paragraph, in the article's term statistics.
    units: list[str] = []
    kept: list[tuple[int, int, str]] = []
    last = len(paragraphs) - 1
    seen_words = 0
    for number, paragraph in enumerate(paragraphs):
        if seen_words > CANDIDATE_WORDS:
            units.append(paragraph)
            continue
        seen_words += len(paragraph.split())
        sentences = split_sentences(paragraph)
        for place, sentence in enumerate(sentences, start=1):
            index = len(units)
            units.append(sentence)
            text = strip_dateline(sentence)
            ends_body = number == last and place == len(sentences)
            if not is_boilerplate(text, last_paragraph=number == last, ends_body=ends_body):
                kept.append((index, number, compress(text)))
    return units, kept


def _candidates(
    units: list[str], kept: list[tuple[int, int, str]]
) -> tuple[list[_Candidate], Counter[str]]:
    """Each sentence's TF-IDF vector (over the article's own sentences) and its score; and
    in how many of the article's units each term occurs."""
    term_lists = [_terms(text) for text in units]
    document_frequency: Counter[str] = Counter()
    for terms in term_lists:
        document_frequency.update(set(terms))
    count = len(units)
    idf = {term: math.log((count + 1) / (df + 0.5)) for term, df in document_frequency.items()}
    total: Counter[str] = Counter()
    for terms in term_lists:
        total.update(terms)

    total_square = sum((n * idf[t]) ** 2 for t, n in total.items())
    candidates: list[_Candidate] = []
    for place, (index, paragraph, text) in enumerate(kept):
        tf = Counter(term_lists[index] if text == units[index] else _terms(text))
        vector = {term: n * idf.get(term, 1.0) for term, n in tf.items()}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        rest = {term: (total[term] - tf[term]) * idf[term] for term in vector}
        # |article minus sentence|, from |article| without walking the whole vocabulary.
        rest_square = total_square - sum(
            (total[t] * idf[t]) ** 2 - ((total[t] - n) * idf[t]) ** 2 for t, n in tf.items()
        )
        rest_norm = math.sqrt(max(rest_square, 0.0))
        centrality = _cosine(vector, norm, rest, rest_norm)
        # A teaser lead, whose words the article does not come back to, has no lead's place.
        teaser = place == 0 and is_teaser(tf, document_frequency, count)
        position = 0.0 if teaser else _position_score(index)
        score = (
            (_POSITION_WEIGHT * position + _CENTRALITY_WEIGHT * centrality)
            * _length_factor(len(text.split()))
            * _style_factor(text, lead=place == 0)
        )
        candidates.append(_Candidate(index, paragraph, text, vector, norm, score))
    return candidates, document_frequency


def _per_paragraph(paragraphs: int, wanted: int) -> int:
    """How many points one paragraph may give, when the candidates come from `paragraphs`."""
    if paragraphs >= wanted:
        return PER_PARAGRAPH
    return PER_PARAGRAPH_FEW if paragraphs > 1 else wanted


def _choose(candidates: list[_Candidate], wanted: int) -> list[_Candidate]:
    """Greedy selection with maximal marginal relevance, spread over the paragraphs:
    PER_PARAGRAPH point a paragraph when candidates come from `wanted` paragraphs or more,
    PER_PARAGRAPH_FEW when from fewer; returned in article order."""
    chosen: list[_Candidate] = []
    taken: Counter[int] = Counter()  # points per paragraph
    cap = _per_paragraph(len({c.paragraph for c in candidates}), wanted)
    # Each candidate keeps its highest similarity to anything chosen so far, updated
    # against the newest choice only.
    closest = dict.fromkeys(range(len(candidates)), 0.0)
    while closest and len(chosen) < wanted:
        best_slot, best_value = -1, -math.inf
        for slot, similarity in closest.items():
            candidate = candidates[slot]
            if similarity >= _NEAR_DUPLICATE or taken[candidate.paragraph] >= cap:
                continue
            value = candidate.score - _REDUNDANCY_WEIGHT * similarity
            if value > best_value:
                best_slot, best_value = slot, value
        if best_slot < 0:
            break
        pick = candidates[best_slot]
        chosen.append(pick)
        taken[pick.paragraph] += 1
        del closest[best_slot]
        for slot in closest:
            other = candidates[slot]
            similarity = _cosine(other.vector, other.norm, pick.vector, pick.norm)
            if similarity > closest[slot]:
                closest[slot] = similarity
    chosen.sort(key=lambda c: c.index)
    return chosen
