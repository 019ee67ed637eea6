"""Shortening a key point never drops the news itself: a death or an injury, a number, a
denial, an attribution, or a sentence that only looks like a caption or a role."""

from __future__ import annotations

import pytest

from readerterm.text.compress import compress, drop_asides, drop_restated_caption
from readerterm.text.keypoint_rules import is_boilerplate


def weighs_nothing(text: str) -> float:
    """An article that repeats none of the aside's words: every aside would go."""
    return 0.0 if "," in text[:3] else 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "The man was stabbed in the street outside the pub and taken to hospital, where he "
        "later died.",
        "A car bomb exploded near a busy market in central Baghdad on Sunday, killing at least "
        "24 people and wounding 60 others.",
        "The minister was accused of having misled parliament about the contract, which she "
        "had repeatedly denied doing.",
        "The company plans to cut jobs at its factories across the country next year, "
        "according to a leaked memo seen by a newspaper.",
        "The storm brought down trees and power lines across the county overnight, leaving "
        "thousands of homes without electricity.",
    ],
)
def test_an_aside_that_carries_the_news_stays(sentence: str) -> None:
    assert drop_asides(sentence, weighs_nothing) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The number of people who have died rose to 40 on Sunday, and the number of people "
        "in hospital is expected to rise this week.",
        "One of the men was not armed, police said, while one of the men had a knife and "
        "threatened the staff.",
        "İstanbul police say the suspect fled the scene on foot and İstanbul police say he "
        "has not been found.",
    ],
)
def test_a_sentence_repeating_its_opening_words_is_no_caption(sentence: str) -> None:
    assert drop_restated_caption(sentence) == sentence


def test_a_restated_caption_with_a_picture_note_is_dropped() -> None:
    sentence = (
        "A rifle (pictured) was stolen from a car A rifle was stolen from an agent's car "
        "parked outside a hotel on Tuesday night."
    )
    assert compress(sentence) == (
        "A rifle was stolen from an agent's car parked outside a hotel on Tuesday night."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Tom Smith, 24, a teacher at the school, not a student, was arrested on Monday night.",
        "Tom Lee, 30, a plumber from Leeds, his wife Ann and their son were killed in the crash.",
        "Liverpool, 64, a point behind Chelsea, have three games left to play this season.",
    ],
)
def test_a_role_is_dropped_only_between_a_name_with_an_age_and_its_verb(sentence: str) -> None:
    assert compress(sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The verdict: guilty on all counts after a trial that lasted six weeks.",
        "Update: the death toll has risen to 40 as rescuers reach the valley.",
        "The result: a 40 per cent rise in the number of cases since last spring.",
        "Not guilty: the jury cleared him of all charges after two days of talks.",
        "Bottom line: the council will have to find the money from its reserves.",
    ],
)
def test_news_with_a_label_is_not_a_caption(sentence: str) -> None:
    assert not is_boilerplate(sentence)
