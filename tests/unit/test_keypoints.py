"""keypoints.py and sentences.py: sentence splitting, boilerplate, ranking."""

from __future__ import annotations

import pytest

from readerterm.text.compress import (
    compress,
    drop_connective,
    drop_picture_notes,
)
from readerterm.text.extract import from_plain_text
from readerterm.text.keypoints import (
    LONG_ARTICLE_POINTS,
    MAX_POINTS,
    MIN_POINTS,
    WORD_BUDGET,
    is_boilerplate,
    key_points,
    markdown_to_text,
    strip_dateline,
)
from readerterm.text.sentences import split_sentences

STORY = [
    "The city council voted on Tuesday to close the old bridge for repairs after engineers "
    "found deep cracks in two of its supporting piers.",
    "Traffic will be diverted through the northern ring road for at least six months while "
    "the bridge is closed, the council said.",
    "A temporary ferry service will carry pedestrians across the river during the bridge "
    "repairs, starting next week.",
    "Local businesses near the bridge said they feared losing customers during the closure "
    "and asked the council for help.",
    "Engineers said the bridge piers had been weakened by decades of flooding and that the "
    "repairs could not wait another winter.",
    "The council will publish a timetable for the bridge works next month after talks with "
    "the regional transport authority.",
]


def body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def from_story(point: str) -> bool:
    """The point is one of STORY's sentences, as shortened for display."""
    return point in {compress(sentence) for sentence in STORY}


# --- segmentation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in Washington. They talked.",
            ["Mr. Smith met Dr. Jones in Washington.", "They talked."],
        ),
        (
            "The U.S. economy grew 2.5% in the first quarter. Shares rose $3.50 to close at 10.",
            [
                "The U.S. economy grew 2.5% in the first quarter.",
                "Shares rose $3.50 to close at 10.",
            ],
        ),
        (
            "J. K. Rowling wrote it in Edinburgh. It sold well.",
            ["J. K. Rowling wrote it in Edinburgh.", "It sold well."],
        ),
        (
            '"We will not stop," she said. "Never." The crowd cheered.',
            ['"We will not stop," she said.', '"Never."', "The crowd cheered."],
        ),
        (
            "The meeting ended at 10 p.m. on Monday. Gen. Milley left early.",
            ["The meeting ended at 10 p.m. on Monday.", "Gen. Milley left early."],
        ),
        (
            "The team 's coach did n't comment . `` We won , '' he said . Fans cheered .",
            ["The team 's coach did n't comment .", "`` We won , '' he said .", "Fans cheered ."],
        ),
        ("", []),
        ("   \n\n ", []),
        ("No final stop", ["No final stop"]),
        (
            # A photo caption that lost its full stop, run into the next sentence.
            "Police traced the camera back to the man A Pennsylvania man was arrested. "
            "He denies it.",
            [
                "Police traced the camera back to the man",
                "A Pennsylvania man was arrested.",
                "He denies it.",
            ],
        ),
        (
            "He took vitamin A supplements. She earned a grade A result in May.",
            ["He took vitamin A supplements.", "She earned a grade A result in May."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# --- boilerplate ----------------------------------------------------------------------------


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


def test_key_points_never_pick_boilerplate() -> None:
    text = body(
        "*The old bridge seen from the river at dawn on Tuesday morning.*",
        "Subscribe to our newsletter to get the latest stories in your inbox every day.",
        *STORY,
        "Read more: How the bridge came to be built in the first place.",
        "Jane Doe is a senior correspondent at The Daily covering transport and cities.",
        "Views expressed are the author's own and do not reflect those of this paper.",
    )
    points = key_points(text)
    assert MIN_POINTS <= len(points) <= MAX_POINTS
    for point in points:
        assert from_story(point)


# --- ranking --------------------------------------------------------------------------------


def test_points_are_in_article_order_within_the_budget() -> None:
    points = key_points(body(*STORY))
    assert MIN_POINTS <= len(points) <= MAX_POINTS
    shortened = [compress(sentence) for sentence in STORY]
    order = [shortened.index(p) for p in points]
    assert order == sorted(order)
    # The lead is always in; no more points than the budget calls for.
    assert order[0] == 0
    words = sum(len(p.split()) for p in points)
    assert words - len(points[-1].split()) / 2 <= WORD_BUDGET


def test_long_sentences_make_fewer_points_and_never_fewer_than_two() -> None:
    long_story = [
        sentence[:-1] + ", and the council said that more details of the plan and of its cost "
        "would follow once the engineers had finished their survey of the bridge."
        for sentence in STORY
    ]
    points = key_points(body(*long_story))
    assert len(points) == MIN_POINTS
    assert len(key_points(body(*STORY))) > MIN_POINTS


def test_limit() -> None:
    assert len(key_points(body(*STORY), limit=2)) == 2
    assert key_points(body(*STORY), limit=0) == ()


def test_long_articles_get_more_room() -> None:
    filler = [
        f"Paragraph {n} adds more detail about the bridge, the river, the council and the "
        f"people of the town who cross it on the way to work every morning and evening, "
        f"with figure {n} for the record."
        for n in range(40)
    ]
    points = key_points(body(*STORY, *filler))
    short = key_points(body(*STORY))
    assert sum(len(p.split()) for p in points) > sum(len(p.split()) for p in short)
    assert len(points) >= len(short)
    assert len(points) <= LONG_ARTICLE_POINTS


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
    assert quote not in key_points(text)


def test_direct_quotes_lose_to_reported_facts() -> None:
    quote = "'We cannot wait another winter for the bridge repairs,' the chief engineer said."
    text = body(STORY[0], quote, *STORY[1:4])
    assert quote not in key_points(text)


def test_tokenized_and_detokenized_text_rank_alike() -> None:
    tokenized = " ".join(sentence.replace(",", " ,").replace(".", " .") for sentence in STORY)
    plain = from_plain_text(" ".join(STORY))
    assert from_plain_text(tokenized).key_points == plain.key_points


# --- shortening for display -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "But the council will publish a timetable next month.",
            "The council will publish a timetable next month.",
        ),
        (
            "However, the lingering smoke was picked up by winds.",
            "The lingering smoke was picked up by winds.",
        ),
        (
            "In the meantime a billboard has been erected near the house.",
            "A billboard has been erected near the house.",
        ),
        ("And so it goes.", "And so it goes."),  # too short alone
        (
            "Andrew Smith was elected mayor on Tuesday.",
            "Andrew Smith was elected mayor on Tuesday.",
        ),  # a name, not "And"
    ],
)
def test_leading_connective_is_dropped(sentence: str, expected: str) -> None:
    assert drop_connective(sentence) == expected


def test_picture_notes_are_dropped() -> None:
    assert drop_picture_notes("Paul Merson (pictured) said he had been wrong.") == (
        "Paul Merson said he had been wrong."
    )
    assert drop_picture_notes("Smith (far right, with his wife) met Jones (left) in May.") == (
        "Smith met Jones in May."
    )
    kept = "The club (Everton) paid £20m (about $25m) for him."
    assert drop_picture_notes(kept) == kept


def test_compress_applies_every_rule_and_never_empties() -> None:
    sentence = "LONDON (Reuters) - But the bank (pictured) raised its main rate to 5%, it said."
    # Attributions stay: who says a thing is part of the news.
    assert compress(sentence) == "The bank raised its main rate to 5%, it said."
    for sentence in ("", "Yes.", "But no, he said.", "(pictured)", "And, officials said."):
        assert compress(sentence) == sentence
