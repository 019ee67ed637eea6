"""Key points checked on text kept aside from tuning: the seed story's stand-in (issue 19),
and the CNN/DailyMail benchmark's de-tokenised text ranking as the plain text does."""

from __future__ import annotations

import html
import re
from importlib import resources
from types import ModuleType

from keypoint_stories import STORY

from readerterm.text.extract import from_feed_html, from_plain_text
from scripts import load_script

# --- the seed story, kept aside ---------------------------------------------------------
# Issue 19 names a seed story (a ~390-word report in seven paragraphs, a bio, three
# publisher bullets); no such story is in the repository. Its stand-in is the first story
# of the demo World feed: a report with a mediator, an author bio and three bullets. Never
# tuned on: the check reads only the body, as if the feed had no bullets.

_STOP_TEXT = "a an and the of to in on at for from by with as is are was were has have"
_STOP = frozenset(_STOP_TEXT.split())


def _content_words(text: str) -> set[str]:
    return {
        w for w in re.findall(r"[a-z0-9$][a-z0-9.$,'’-]*[a-z0-9]|[a-z0-9]", text.lower())
    } - _STOP


def seed_story() -> tuple[list[str], str]:
    """The stand-in's publisher bullets and its body without them."""
    feed = resources.files("readerterm.demo").joinpath("feeds", "world.xml").read_text("utf-8")
    match = re.search(r"<content:encoded><!\[CDATA\[(.*?)\]\]>", feed, re.DOTALL)
    assert match
    listed = re.match(r"\s*<ul>(.*?)</ul>", match.group(1), re.DOTALL)
    assert listed
    bullets = [html.unescape(b) for b in re.findall(r"<li>(.*?)</li>", listed.group(1))]
    return bullets, match.group(1)[listed.end() :]


def bullets_found(bullets: list[str], points: tuple[str, ...]) -> list[str]:
    """Bullets with a point holding at least half of their words (bullets are rewritten)."""
    return [
        bullet
        for bullet in bullets
        if any(
            len(_content_words(bullet) & _content_words(p)) * 2 >= len(_content_words(bullet))
            for p in points
        )
    ]


def test_seed_story_from_its_body_alone() -> None:
    bullets, page = seed_story()
    extracted = from_feed_html(page)
    assert extracted.key_points_origin == "generated"
    assert len(extracted.key_points) == 3
    assert bullets_found(bullets, extracted.key_points)[:1] == bullets[:1]  # the lead
    assert not any("correspondent" in point for point in extracted.key_points)  # the bio


def test_seed_story_two_of_three_bullets() -> None:
    # The lead, and the checkpoint on the island the third bullet describes (its other
    # half, the 40 officers, is the next sentence's): a near thing, at exactly half.
    bullets, page = seed_story()
    found = bullets_found(bullets, from_feed_html(page).key_points)
    assert len(found) >= 2


# --- the CNN/DailyMail benchmark's own text ----------------------------------------------


def cnndm_text() -> ModuleType:
    """benchmarks/cnndm_text.py, which undoes the corpus's PTB tokens (readerterm does not)."""
    return load_script("benchmarks/cnndm_text.py")


def test_benchmark_detokenizes_the_corpus_text() -> None:
    detokenize = cnndm_text().detokenize
    text = (
        "( CNN ) The team 's coach said he did n't expect the 2 - 0 win . `` We played well , '' "
        "he said -lrb- after the match -rrb- . Fans cheered ."
    )
    plain = detokenize(text)
    for expected in ("team's coach", "didn't", "win.", "(after the match)"):
        assert expected in plain
    assert "-lrb-" not in plain
    normal = 'He said: "It\'s fine." (Really.) Costs rose 2.5% to $3.50.'
    assert detokenize(normal) == normal


def test_tokenized_and_detokenized_text_rank_alike() -> None:
    tokenized = " ".join(sentence.replace(",", " ,").replace(".", " .") for sentence in STORY)
    plain = from_plain_text(" ".join(STORY))
    assert from_plain_text(cnndm_text().detokenize(tokenized)).key_points == plain.key_points
