"""compress.drop_connective also drops a signpost in the writer's voice ("In particular,",
"Needless to say,"), but only with its comma: the same words can start the news itself."""

from __future__ import annotations

import pytest

from readerterm.text.compress import compress, drop_connective


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "In particular, the programme wanted viewers who had never seen the films.",
            "The programme wanted viewers who had never seen the films.",
        ),
        (
            "Needless to say, the fans were disappointed to see the champion lose.",
            "The fans were disappointed to see the champion lose.",
        ),
        (
            "At the same time, managers at the agency received bonuses of up to £3,500.",
            "Managers at the agency received bonuses of up to £3,500.",
        ),
        (
            "Sadly, the dog died after the fire at the farm.",
            "The dog died after the fire at the farm.",
        ),
    ],
)
def test_a_signpost_with_its_comma_is_dropped(sentence: str, expected: str) -> None:
    assert drop_connective(sentence) == expected
    assert compress(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Incredibly rare birds were spotted in the garden of a house in Kent.",
        "As a result of the storm, the coast road was closed all week.",
        "Sadly missed by his family, the soldier was buried on Friday.",
        "Luckily, he won.",  # too short alone
    ],
)
def test_the_same_words_without_the_comma_stay(sentence: str) -> None:
    assert drop_connective(sentence) == sentence
