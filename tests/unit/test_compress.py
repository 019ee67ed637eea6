"""compress.py: shortening a point for display (connectives, picture notes, every rule at
once); the asides, captions, roles and signposts have files of their own."""

from __future__ import annotations

import pytest

from readerterm.text.compress import compress, drop_connective, drop_picture_notes


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "But the council will publish a timetable next month.",
            "The council will publish a timetable next month.",
        ),
        (
            "What’s more, the hedge now seems likely to stay as it is.",
            "The hedge now seems likely to stay as it is.",
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
