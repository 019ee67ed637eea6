"""A photo caption kept as text never makes a key point, also when its label is written
in sentence case ("Neat trick: the trio ..."), as DailyMail writes them; a speaker's colon
and a sentence that explains after a colon stay."""

from __future__ import annotations

import pytest

from readerterm.text.keypoint_rules import is_boilerplate
from readerterm.text.keypoints import key_points


@pytest.mark.parametrize(
    "sentence",
    [
        "Neat trick: the trio are seen performing their stunt together in the park.",
        "Don't judge: people tend to think I can not do anything at all.",
        "Unhappy customer: the reporter leaving the towing company on Thursday.",
        "Emotional day: a person holds a portrait during a march in the town.",
    ],
)
def test_a_sentence_case_caption_is_rejected(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "He said: the club would appeal against the ban next week.",
        "It was simple: the club had run out of money by the spring.",
        "Smith insists: the deal is done and the fee has been agreed.",
        "The reason is simple: the club had run out of money by the spring.",
        "The council said: 'We will publish a timetable next month.'",
    ],
)
def test_a_speaker_or_an_explanation_after_a_colon_stays(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_a_caption_in_a_story_never_becomes_a_point() -> None:
    story = (
        "Neat trick: the two border collies are seen performing their balancing act on camera. "
        "A pair of border collies were caught on camera performing a balancing act on their "
        "owner's back. Using a human as their base, the two dogs stood on their hind legs for "
        "a minute. The owner, a dog trainer, said the act took two years of daily practice to "
        "learn. He now hopes to take the dogs to a national talent show in the summer. "
    ) * 4
    points = key_points(story)
    assert points
    assert not any(point.startswith("Neat trick") for point in points)


@pytest.mark.parametrize(
    "sentence",
    [
        "Border collie Ace is seen on top of his owner and trainer's lap.",
        "They are pictured together in February 2008 on a campaign aircraft in Idaho.",
        "Wilshere, the England international, is pictured in training for Arsenal last week.",
        "The pair are also seen with their owner and trainer at the beach.",
        "Will Smith is seen here rapping the theme during the show's title sequence.",
    ],
)
def test_a_sentence_describing_its_photo_in_the_present_is_rejected(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister is seen as the favourite to lead the party after the election.",
        "The drug is shown to cut the risk of a second stroke by half, the study found.",
        "In one of the images the victim is seen blindfolded and kneeling on the floor.",
        "Still images of the leader are also shown during the short video, police said.",
        "The striker was seen leaving the ground with his agent on Tuesday night.",
        "Inflation is seen peaking at 5.2 percent in the third quarter, economists said.",
        "The central bank is seen raising rates by a quarter point on Thursday.",
        "The move is seen by analysts as a bid to win back younger voters.",
        "The documentary is shown on BBC Two on Sunday at 9pm.",
        "The pattern is seen in about one in five patients with the disease.",
        "He is pictured as a hero by his supporters in the north of the country.",
        "The move is seen with suspicion by investors across the region, analysts said.",
        "China is seen posing the biggest risk to the recovery next year, the survey found.",
        "Hiring is seen here as the main drag on growth in the coming months.",
        "The new rate is seen alongside a rise in wages across the public sector.",
    ],
)
def test_a_judgement_a_finding_or_a_named_image_stays(sentence: str) -> None:
    assert not is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Harbour board chair Dame Ellen Marsh, who is calling for a new sea wall.",
        "Striker Tom Aldous, whose contract runs out in the summer.",
        "museum director jan de vries, who wants the paintings returned.",
        "The Old Mill Bakery, who have baked for the village since 1902.",
    ],
)
def test_a_name_and_its_relative_clause_alone_is_a_caption(sentence: str) -> None:
    assert is_boilerplate(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Police arrested a 34-year-old man, who was later released on bail.",
        "Officers found the missing walker, who had spent two nights on the hill.",
        "He thanked the firefighters, who worked through the night to save the mill.",
        "The mayor will meet the protesters, who have camped outside since Monday.",
        "Fans cheered the returning captain, who scored twice in the second half.",
        "She was rescued by a passing fisherman, who saw her clinging to the buoy.",
        "The council owns the land, which it bought from the railway in 1960.",
    ],
)
def test_a_sentence_with_a_verb_before_its_relative_clause_stays(sentence: str) -> None:
    assert not is_boilerplate(sentence)


def test_a_name_and_clause_caption_never_becomes_the_lead_point() -> None:
    story = (
        "Harbour board chair Dame Ellen Marsh, who is calling for a new sea wall. "
        "The harbour town will get a new sea wall after storms flooded its streets twice "
        "this winter, the council announced on Monday. The wall will cost four million "
        "pounds and take two years to build. Residents had campaigned for the wall since the "
        "first flood, when water reached the doors of the school. The harbour board said work "
        "would start in the spring once the fishing season ends. "
    ) * 3
    points = key_points(story)
    assert points
    assert not any(point.startswith("Harbour board chair") for point in points)
