"""compress.drop_role_after_age: a key point keeps a person's name and age but not the role
written between the age and the verb ("Jane Doe, 24, a teacher from Leeds, was ..."), as
news editors' bullets do; a list of people, a quote or a number that is not an age stays."""

from __future__ import annotations

from readerterm.text.compress import compress, drop_role_after_age
from readerterm.text.keypoints import key_points

ARRESTED = (
    "Kaitlyn Granado, 24, a teacher at a high school in Irving, was first arrested on "
    "March 19 for having a relationship with a student, and was released on bail."
)
SHORTER = (
    "Kaitlyn Granado, 24, was first arrested on March 19 for having a relationship with a "
    "student, and was released on bail."
)


def test_the_role_after_an_age_is_dropped() -> None:
    assert drop_role_after_age(ARRESTED) == SHORTER
    assert compress(ARRESTED) == SHORTER


def test_each_person_in_a_list_keeps_their_role() -> None:
    sentence = (
        "Tom Smith, 24, a student, and Jane Jones, 25, a nurse, were found in the car "
        "on Sunday morning."
    )
    assert drop_role_after_age(sentence) == sentence


def test_a_number_that_is_not_an_age_stays() -> None:
    sentence = "He scored 24, a club record, and won the game for his side in the final."
    assert drop_role_after_age(sentence) == sentence
    sentence = "The total rose to 1,024, a record for the month, officials said on Monday."
    assert drop_role_after_age(sentence) == sentence


def test_a_quoted_role_stays() -> None:
    sentence = "Ann Lee, 31, a 'proud mother of three', was named the winner on Friday night."
    assert drop_role_after_age(sentence) == sentence


def test_what_is_left_must_stand_alone() -> None:
    sentence = "Ann Lee, 31, a nurse from a small village in Kent, was fined."
    assert drop_role_after_age(sentence) == sentence


def test_key_points_show_the_name_and_age_without_the_role() -> None:
    body = "\n\n".join(
        [
            ARRESTED,
            "Police said the student told a school counsellor about the relationship, "
            "which began in the autumn, and the school called officers the same day.",
        ]
    )
    points = key_points(body)
    assert points[0] == SHORTER
