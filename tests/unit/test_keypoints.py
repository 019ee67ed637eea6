"""keypoints.py: how many points and from where, ranking, datelines and markdown out of a
point. What never makes a point is in test_keypoint_rules.py, the seed story in
test_keypoints_seed.py, shortening in test_compress.py."""

from __future__ import annotations

import pytest
from keypoint_stories import FULL_STORY, NEVER, STORY, body, paragraph_of

from readerterm.text import keypoints
from readerterm.text.compress import compress
from readerterm.text.keypoints import (
    FULL_STORY_WORDS,
    POINTS,
    SHORT_STORY_WORDS,
    key_points,
    markdown_to_text,
    points_wanted,
    strip_dateline,
)

# --- how many points, and from where ------------------------------------------------------


def test_points_wanted() -> None:
    assert points_wanted(FULL_STORY_WORDS) == points_wanted(5000) == POINTS == 3
    assert points_wanted(FULL_STORY_WORDS - 1) == points_wanted(SHORT_STORY_WORDS) == 2
    assert points_wanted(SHORT_STORY_WORDS - 1) == points_wanted(0) == 1


def test_a_full_story_gets_three_points_a_short_one_fewer() -> None:
    assert len(key_points(body(*FULL_STORY))) == 3
    long_story = [*FULL_STORY[:-1]] * 6  # about 2,000 words: still three
    assert len(key_points(body(*long_story))) == 3
    assert sum(len(s.split()) for s in STORY) < FULL_STORY_WORDS
    assert len(key_points(body(*STORY))) == 2
    assert len(key_points(body(*STORY[:3]))) == 1


def test_points_open_on_the_lead_in_article_order() -> None:
    for story in (STORY, FULL_STORY):
        points = key_points(body(*story))
        assert points[0] == compress(story[0].split(". ")[0].rstrip(".") + ".")
        order = [paragraph_of(p, story) for p in points]
        assert order == sorted(order)


def test_points_spread_past_the_first_paragraph(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first paragraph holds three strong sentences; an editor takes its lead, then the
    # next developments, from the paragraphs after it.
    paragraphs = [p for p in FULL_STORY if p not in NEVER]
    points = key_points(body(*paragraphs))
    places = [paragraph_of(p, paragraphs) for p in points]
    assert places[0] == 0
    assert len(set(places)) == len(places) == POINTS
    # Two paragraphs for three points: one of them gives two, never three.
    two = key_points(body(*paragraphs[:2]), limit=POINTS)
    places = [paragraph_of(p, paragraphs[:2]) for p in two]
    assert places[0] == 0
    assert sorted(places.count(n) for n in (0, 1)) == [1, 2]
    # The rule at work: without it, the first paragraph gives all three.
    monkeypatch.setattr(keypoints, "PER_PARAGRAPH", POINTS)
    assert {paragraph_of(p, paragraphs) for p in key_points(body(*paragraphs))} == {0}


def test_one_paragraph_gives_all_the_points() -> None:
    # Plain text with no paragraph breaks (the CNN/DailyMail benchmark's): no cap.
    assert len(key_points(" ".join(p for p in FULL_STORY if p not in NEVER))) == 3


def test_a_brief_gets_no_points_that_would_only_repeat_it() -> None:
    brief = body(STORY[0], STORY[1])  # two sentences: a point would be half of it
    assert key_points(brief) == ()
    assert len(key_points(brief, limit=1)) == 1  # asked for, it still gets one
    assert len(key_points(body(*STORY[:3]))) == 1


def test_setup_and_pronoun_sentences_lose_to_ones_that_say_something() -> None:
    lead = "Astronomers have found a comet travelling too fast to have formed around the Sun."
    story = [
        lead,
        "The key measurement is the shape of the comet's orbit around the Sun.",
        "They were clever, heavy and slightly awkward to carry up to the telescope.",
        "The comet will pass closest to Earth in March at a distance of 190 million km.",
    ]
    points = key_points(body(" ".join(story)), limit=2)
    assert points == (lead, story[3])


def test_first_person_weighs_less_only_where_no_one_is_named_as_its_speaker() -> None:
    lead = "The club lost its appeal against a points deduction at the sports tribunal on Monday."
    unnamed = "The ruling was wrong, and I expect the club to win the next appeal in the spring."
    named = "The club's chairman said: 'I expect us to win the next appeal in the spring.'"
    filler = "The tribunal heard the case over two days in a hotel conference room in the city."
    points = key_points(body(" ".join([lead, unnamed, named, filler])), limit=2)
    assert points == (lead, named)


def test_a_first_person_lead_stays_the_lead() -> None:
    # A columnist's opening: still the story's lead, as the issue asks.
    lead = "I spoke to the boxer for an hour this week about the fight he wants next summer."
    rest = [
        "The champion has kept in shape and weighs twelve stone seven despite a year away.",
        "His promoter expects a contract for a fight in London to be signed in the spring.",
    ]
    assert key_points(body(" ".join([lead, *rest])), limit=2)[0] == lead


def test_the_us_in_lower_case_text_is_no_first_person() -> None:
    assert keypoints._style_factor("Smith moved to the us in 2010 and runs a firm there.") == 1
    assert keypoints._style_factor("Smith told us the company would move to a new site.") < 1


def test_limit() -> None:
    assert len(key_points(body(*STORY), limit=3)) == 3
    assert key_points(body(*STORY), limit=0) == ()


def test_near_duplicates_are_skipped() -> None:
    lead = STORY[0]
    twin = lead.replace("Tuesday", "Wednesday")
    points = key_points(body(lead, twin, *STORY[1:]))
    assert not (lead in points and twin in points)


def test_dateline_is_dropped_from_points() -> None:
    assert strip_dateline("LONDON (Reuters) - The bank raised rates on Thursday.") == (
        "The bank raised rates on Thursday."
    )
    assert strip_dateline("Rome (CNN) Italy is coping with a wave of migrants.") == (
        "Italy is coping with a wave of migrants."
    )
    assert strip_dateline("WASHINGTON — The Senate passed the bill late on Friday.") == (
        "The Senate passed the bill late on Friday."
    )
    unchanged = "Paul Merson (pictured) said he was wrong about the player."
    assert strip_dateline(unchanged) == unchanged


def test_markdown_is_stripped_from_points() -> None:
    text = body(
        "## A heading that is not a point",
        "The city council [voted](https://x.example/v) on **Tuesday** to close the old "
        "bridge for repairs after engineers found deep \\*cracks\\* in two piers.",
        "```\ncode block sentence that must never be picked as a key point.\n```",
        *STORY[1:],
    )
    points = key_points(text)
    assert points[0] == (
        "The city council voted on Tuesday to close the old bridge for repairs after "
        "engineers found deep *cracks* in two piers."
    )
    assert not any("heading" in p or "code block" in p for p in points)


def test_markdown_to_text() -> None:
    assert markdown_to_text("a [link](http://x/y_(z)) and **bold** \\_x\\_ `code`") == (
        "a link and bold _x_ code"
    )


def test_empty_bodies() -> None:
    assert key_points("") == ()
    assert key_points("   \n\n") == ()
    assert key_points("## Only a heading") == ()
    assert key_points("Short.") == ()


def test_promo_fragments_and_captions_lose_to_story_sentences() -> None:
    caption = (
        "Council engineers, left, and the mayor, right, inspect the cracked pier of the "
        "old bridge on Tuesday morning."
    )
    text = body(
        STORY[0],
        "Scroll down for video of the bridge inspection and the cracked pier.",
        caption,
        *STORY[1:],
    )
    points = key_points(text)
    assert not any("Scroll down" in p for p in points)
    assert caption not in points


def test_first_person_quotes_lose_to_reported_facts() -> None:
    # The second sentence of a quote, cut from its speaker.
    quote = "'We have never seen cracks like these in any bridge we look after in the region."
    text = body(STORY[0], quote, *STORY[1:4])
    assert quote not in key_points(text, limit=3)


def test_direct_quotes_lose_to_reported_facts() -> None:
    quote = "'We cannot wait another winter for the bridge repairs,' the chief engineer said."
    text = body(STORY[0], quote, *STORY[1:4])
    assert quote not in key_points(text, limit=3)
