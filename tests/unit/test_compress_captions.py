"""compress.drop_restated_caption: a photo caption run into the front of the sentence it
restates goes, and the sentence starts again where its first words come again."""

from __future__ import annotations

from readerterm.text.compress import compress, drop_restated_caption
from readerterm.text.keypoints import key_points

GLUED = (
    "An agent's sniper rifle (similar to the one pictured) was stolen from a hotel car park "
    "An agent's sniper rifle was ripped out of his car's window and stolen from a hotel car "
    "park in the city."
)
SENTENCE = (
    "An agent's sniper rifle was ripped out of his car's window and stolen from a hotel car "
    "park in the city."
)


def test_a_caption_that_restates_its_sentence_is_dropped() -> None:
    assert drop_restated_caption(GLUED) == SENTENCE
    assert compress(GLUED) == SENTENCE


def test_a_sentence_without_a_repeat_or_too_short_after_it_stays() -> None:
    assert drop_restated_caption(SENTENCE) == SENTENCE
    short = "The man said the man was here and the man was gone by noon."
    assert drop_restated_caption(short) == short


def test_key_points_show_the_sentence_without_its_caption() -> None:
    story = " ".join(
        [
            GLUED,
            "The rifle was inside a hard case and was secured to a safe in the truck with "
            "padlocks and chains while the car was parked at the hotel.",
            "Police believe the thief broke the rear window, tied a rope around the case and "
            "used another vehicle to pull it free of the safe.",
            "The agency said it was working with local police to find the rifle and asked "
            "anyone who saw the theft to come forward with information.",
        ]
        * 3
    )
    points = key_points(story)
    assert points[0] == SENTENCE
