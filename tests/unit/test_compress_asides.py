"""compress.drop_asides and its use in key points: a relative clause between commas or a
closing clause of circumstance is dropped from a point only when its words matter less to
the article than the rest of the sentence's."""

from __future__ import annotations

from collections.abc import Callable

from readerterm.text.compress import ASIDE_MIN_WORDS, drop_asides
from readerterm.text.keypoints import key_points


def by_words(central: set[str]) -> Callable[[str], float]:
    """A weight: the share of a text's words that are in `central`."""

    def weight(text: str) -> float:
        words = [w.strip(".,").lower() for w in text.split()]
        return sum(w in central for w in words) / max(len(words), 1)

    return weight


SENTENCE = (
    "The goalkeeper, who once played for a village side in Cornwall, signed a new contract "
    "with the club on Friday."
)
SHORTER = "The goalkeeper signed a new contract with the club on Friday."


def test_a_relative_clause_that_matters_less_is_dropped() -> None:
    weight = by_words({"goalkeeper", "signed", "contract", "club", "friday"})
    assert drop_asides(SENTENCE, weight) == SHORTER


def test_a_relative_clause_that_matters_more_stays() -> None:
    weight = by_words({"village", "side", "cornwall", "played"})
    assert drop_asides(SENTENCE, weight) == SENTENCE


def test_a_closing_clause_of_circumstance() -> None:
    sentence = (
        "The singer from Leeds won the national talent final on Saturday, after beating "
        "her rivals in a phone vote."
    )
    weight = by_words({"singer", "won", "national", "talent", "final"})
    assert drop_asides(sentence, weight) == (
        "The singer from Leeds won the national talent final on Saturday."
    )
    assert drop_asides(sentence, by_words({"rivals", "phone", "vote"})) == sentence


def test_what_is_left_still_stands_alone() -> None:
    sentence = "The mayor, who was elected in a landslide last year, resigned."
    weight = by_words({"mayor", "resigned"})
    short = "The mayor resigned."
    assert len(short.split()) < ASIDE_MIN_WORDS
    assert drop_asides(sentence, weight) == sentence


def test_restrictive_clauses_quotes_and_capitals_are_left_alone() -> None:
    weight = by_words({"police"})
    for sentence in (
        "The man who stole the painting was arrested by police in Leeds on Monday.",
        "Police said the man, who 'had no idea', would appear in court on Monday morning.",
        "The minister met the King, Whose visit was planned, at the palace in the morning.",
    ):
        assert drop_asides(sentence, weight) == sentence


# A story whose second sentence carries an aside about a side matter: a village club the
# rest of the story never mentions.
STORY = [
    "The city's football club has signed goalkeeper Tom Reyes on a three-year contract, "
    "ending a search for a first-choice keeper that lasted all winter.",
    "Reyes, who once played for a village side in Cornwall, joins the club from a "
    "second-division rival for a fee of two million pounds.",
    "The club's manager, who had tried to sign the goalkeeper twice before, said the "
    "contract was the most important signing of the season for the club.",
    "The goalkeeper will train with the club this week and could play on Saturday against "
    "the league leaders, the manager said after the signing.",
    "Supporters have called for a new goalkeeper since the club's regular keeper was "
    "injured in October and the club conceded 30 goals in ten games.",
]


def test_key_points_drop_the_aside_that_matters_less() -> None:
    points = key_points(" ".join(STORY), limit=3)
    assert (
        "Reyes joins the club from a second-division rival for a fee of two million pounds."
        in points
    )
    assert not any("Cornwall" in point for point in points)


PARTICIPLE = (
    "The striker scored twice in the cup final against the league leaders on Sunday, "
    "prompting fresh talk of a move abroad this summer."
)


def test_a_closing_participle_clause_that_matters_less_is_dropped() -> None:
    weight = by_words({"striker", "scored", "cup", "final", "league", "leaders", "sunday"})
    assert drop_asides(PARTICIPLE, weight) == (
        "The striker scored twice in the cup final against the league leaders on Sunday."
    )
    assert drop_asides(PARTICIPLE, by_words({"talk", "move", "abroad", "summer"})) == PARTICIPLE


def test_a_short_participle_clause_stays() -> None:
    sentence = "The man was led out of a van and attacked by a masked man, wielding a cleaver."
    assert drop_asides(sentence, by_words({"man", "van"})) == sentence


def test_a_relative_clause_closing_the_sentence() -> None:
    sentence = (
        "Under his stewardship the club won two league titles and the cup, which is still "
        "the only piece of silverware in its museum."
    )
    weight = by_words({"stewardship", "club", "won", "league", "titles", "cup"})
    assert drop_asides(sentence, weight) == (
        "Under his stewardship the club won two league titles and the cup."
    )
    assert drop_asides(sentence, by_words({"silverware", "museum", "piece"})) == sentence


def test_a_participle_clause_never_takes_a_second_predicate_with_it() -> None:
    sentence = (
        "The coach took charge of the club last summer, signing a two-year deal with the "
        "board, and is now six games away from the league title."
    )
    assert drop_asides(sentence, by_words({"coach", "charge", "club", "summer"})) == sentence


OPENING = (
    "Speaking in the US where he is promoting his autobiography, the strategist revealed he "
    "is not resident for tax purposes in the UK."
)


def test_an_opening_participle_clause_that_matters_less_is_dropped() -> None:
    weight = by_words({"strategist", "revealed", "resident", "tax", "uk."})
    assert drop_asides(OPENING, weight) == (
        "The strategist revealed he is not resident for tax purposes in the UK."
    )
    assert drop_asides(OPENING, by_words({"us", "promoting", "autobiography"})) == OPENING


def test_an_opening_attribution_or_a_name_is_no_participle_clause() -> None:
    weight = by_words({"teen", "claims", "car", "night", "school"})
    attributed = (
        "According to the affidavit, seen by the newspaper, the teen claims the meeting took "
        "place in her car late at night across the road from another school."
    )
    assert drop_asides(attributed, weight) == attributed
    named = (
        "Manning said on Monday that he would, if asked, return to the school for one more night."
    )
    assert drop_asides(named, weight) == named


def test_a_place_or_a_name_ending_in_ing_is_no_participle_clause() -> None:
    weight = by_words({"bank", "rates", "raised", "inflation", "prices", "rose"})
    for sentence in (
        "Beijing in the past week, prices rose faster than at any time since the spring.",
        "Fleming at the Bank of England, who raised rates, said inflation would stay high.",
        "Reading at the weekend, a town of 170,000, saw prices rise faster than London.",
    ):
        assert drop_asides(sentence, weight) == sentence
