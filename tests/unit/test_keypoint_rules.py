"""keypoint_rules.py, as key points use it: boilerplate, bios, captions and quotes without
their speaker never make a point; news sentences, datelines and attributed quotes do."""

from __future__ import annotations

import pytest
from keypoint_stories import FULL_STORY, NEVER, STORY, body, from_story

from readerterm.text.keypoints import POINTS, is_boilerplate, key_points


@pytest.mark.parametrize(
    "sentence",
    [
        "Jane Doe is a research scholar at the Institute of Peace and Conflict Studies.",
        "John Smith is a senior fellow at the Atlantic Council and a former diplomat.",
        "Views expressed are the author's own and do not reflect those of this paper.",
        "The opinions expressed in this commentary are solely those of the writer.",
        "Subscribe to our newsletter to get the latest stories in your inbox every day.",
        "Sign up for our free daily briefing and never miss a story again.",
        "Read more: How the bridge came to be built in the first place.",
        "Continue reading the rest of this story on our website today.",
        "The damaged bridge pier seen from the river (Photo: Jane Doe/The Daily).",
        "Photograph: John Smith/Getty Images for the city council press office.",
        "What do you think about the closure of the old bridge over the river?",
        "Would you take the ferry to work if the bridge closes next month?",
        "Let us know your views about the bridge in the comments below.",
        "PUBLISHED: 12:01 EST, 5 March 2024 | UPDATED: 14:22 EST, 5 March 2024",
        "Tuesday, March 5, 2024, 10:00 a.m.",
        "Reporting by Jane Doe; editing by John Smith and Mary Major.",
        "Copyright 2024 The Daily News Company, all rights reserved worldwide.",
        "Too short.",
    ],
)
def test_boilerplate_is_rejected(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize("sentence", STORY)
def test_news_sentences_are_not_boilerplate(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_bio_pattern_only_counts_with_a_role_or_at_the_end() -> None:
    sentence = "Maria Lopez is a mother of three from the town of Springfield in Ohio."
    assert not is_boilerplate(sentence)
    assert is_boilerplate(sentence, last_paragraph=True)


@pytest.mark.parametrize(
    "sentence",
    [
        # Captions kept as text: a short capitalised label, then the picture described.
        "Arrival: Two members of the gang can be seen entering the building at night.",
        "Pictured Here: The first train of the day crosses the new section of track.",
        # Quotes that name no speaker.
        "'We have never seen cracks like these in any bridge we look after.'",
        "“The buses were late every morning and full every evening,” and nobody came.",
        # The end of a quote begun in the sentence before, its speaker left there.
        "These things happen when a bridge is a hundred years old.'",
        "Rocket landed on droneship, but too hard for survival.”",
        # A caption that lost its full stop, split from the sentence it ran into.
        "Kevin Pietersen takes a moment to reflect ahead of a team photo shoot for Surrey",
    ],
)
def test_captions_and_quotes_without_a_speaker_are_rejected(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "LONDON: The bank raised its main interest rate to five per cent on Thursday.",
        "'We have never seen cracks like these in any bridge,' the chief engineer said.",
        "“Roots,” the epic miniseries about a slave and his family, had 100 million viewers.",
        "'Just been watching the game, did you miss the coach,' Merson wrote on Twitter.",
        "The reason was simple: the bridge piers had been weakened by decades of flooding.",
        # The end of a quote with its speaker after it.
        "I am fit, healthy and ready to run,' said Bolt after the team was named.",
    ],
)
def test_datelines_titles_and_attributed_quotes_are_kept(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_an_unfinished_sentence_makes_a_point_only_where_the_body_ends() -> None:
    teaser = "Officials say the storm could bring ten inches of rain to the coast by Friday"
    assert is_boilerplate(teaser)  # mid-body: a caption, a link, a heading
    assert not is_boilerplate(teaser, ends_body=True)  # a teaser cut short
    assert key_points(teaser, limit=1) == (teaser,)
    caption = "The old bridge seen from the river at dawn on a grey Tuesday morning"
    points = key_points(body(f"{caption} {STORY[0]}", *STORY[1:]), limit=len(STORY))
    assert points
    assert not any(caption in point for point in points)


def test_sentences_ending_in_another_scripts_full_stop_are_finished() -> None:
    for stop in ("।", "。", "۔"):
        story = [f"{sentence.rstrip('.')}{stop}" for sentence in STORY]
        points = key_points(body(*story), limit=2)
        assert points and points[0] == story[0]


def test_key_points_never_pick_boilerplate() -> None:
    text = body(
        "*The old bridge seen from the river at dawn on Tuesday morning.*",
        "Subscribe to our newsletter to get the latest stories in your inbox every day.",
        *STORY,
        "Read more: How the bridge came to be built in the first place.",
        "Jane Doe is a senior correspondent at The Daily covering transport and cities.",
        "Views expressed are the author's own and do not reflect those of this paper.",
    )
    points = key_points(text, limit=POINTS)
    assert len(points) == POINTS
    for point in points:
        assert from_story(point)


def test_full_story_never_gives_its_caption_quote_promo_or_bio() -> None:
    points = key_points(body(*FULL_STORY), limit=len(FULL_STORY))
    assert points
    for point in points:
        assert not any(point in junk or junk in point for junk in NEVER)
