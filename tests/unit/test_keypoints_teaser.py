"""A teaser lead, whose words the rest of the article never comes back to ("There would have
been no mercy in the dressing room."), ranks without the lead's place; a lead the story
builds on stays the first point."""

from __future__ import annotations

from collections import Counter

from keypoint_stories import FULL_STORY, LEAD, STORY, body

from readerterm.text.compress import compress
from readerterm.text.keypoint_rules import TEASER_MIN_UNITS, is_teaser
from readerterm.text.keypoints import key_points

# Fiction written for this test: an opening line about weather and moods, none of whose
# words the report after it uses again.
TEASER = "Nobody on the quiet seafront could remember a gloomier, wetter spring afternoon."


def test_is_teaser_counts_the_words_that_come_back() -> None:
    frequency = Counter({"bridge": 5, "council": 3, "gloomy": 1, "spring": 1, "mood": 1})
    units = TEASER_MIN_UNITS
    assert is_teaser(Counter({"gloomy": 1, "spring": 1, "mood": 1, "bridge": 1}), frequency, units)
    assert not is_teaser(Counter({"bridge": 2, "council": 1, "gloomy": 1}), frequency, units)
    # Repeats count: a word that comes back, used twice, weighs twice.
    twice = Counter({"bridge": 2, "gloomy": 1, "spring": 1, "mood": 1})
    assert not is_teaser(twice, frequency, units)
    assert not is_teaser(Counter(), frequency, units)


def test_a_brief_has_no_teaser() -> None:
    # In a few sentences, words have few places to come back in.
    frequency = Counter({"gloomy": 1, "spring": 1})
    assert not is_teaser(frequency, frequency, TEASER_MIN_UNITS - 1)
    assert key_points(body(TEASER + " " + STORY[0], *STORY[1:3]))[0] == TEASER


def test_a_teaser_lead_loses_its_place_to_the_news() -> None:
    story = [TEASER + " " + FULL_STORY[0], *FULL_STORY[1:]]
    points = key_points(body(*story))
    assert len(points) == 3
    assert TEASER not in points
    assert points[0] == compress(LEAD)


def test_a_lead_the_story_builds_on_stays_first() -> None:
    for story in (STORY, FULL_STORY):
        lead = story[0].split(". ")[0].rstrip(".") + "."
        assert key_points(body(*story))[0] == compress(lead)
