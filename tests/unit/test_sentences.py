"""sentences.py: one segmenter (nupunkt, shipped with its model), run-on captions, orphans."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from readerterm.text.sentences import split_sentences


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
        (
            # The same after a month, and a caption or a link before "The".
            "She met the boy in January A Texas teacher was charged. "
            "A look at all of the charges The trial begins Tuesday. "
            "The squad posed for a photo for Surrey The event opens the season.",
            [
                "She met the boy in January",
                "A Texas teacher was charged.",
                "A look at all of the charges",
                "The trial begins Tuesday.",
                "The squad posed for a photo for Surrey",
                "The event opens the season.",
            ],
        ),
        (
            "He reads The Times on the train. The Who played The Kids Are Alright.",
            ["He reads The Times on the train.", "The Who played The Kids Are Alright."],
        ),
        (
            # Words nupunkt's model takes for abbreviations ("month.", "cap.", "found.").
            "She was found beaten last month. Police said a man was held. He won his 50th "
            "cap. Hart said it was an honour. The body was found. Kaitlyn Granado was held.",
            [
                "She was found beaten last month.",
                "Police said a man was held.",
                "He won his 50th cap.",
                "Hart said it was an honour.",
                "The body was found.",
                "Kaitlyn Granado was held.",
            ],
        ),
        (
            "It weighs approx. Ten tonnes of it were sold.",
            ["It weighs approx. Ten tonnes of it were sold."],
        ),
        # A letter after an article is no caption's end; "hon." and "tsp." are no full stops.
        ("She got an A grade in maths.", ["She got an A grade in maths."]),
        ("It runs from A to Z every day.", ["It runs from A to Z every day."]),
        ("They are the A team of the club.", ["They are the A team of the club."]),
        ("He told the hon. Member for Bath so.", ["He told the hon. Member for Bath so."]),
        ("Add two tsp. Sugar at the end.", ["Add two tsp. Sugar at the end."]),
        (
            # A caption run into a quote, or into a sentence opening on a pronoun or "In".
            "He won gold in London in 2012 'I hear the meet was fun,' he said. "
            "They avoided relegation They now have six games left. "
            "The couple married in a beach wedding In five seasons, he played 19 games.",
            [
                "He won gold in London in 2012",
                "'I hear the meet was fun,' he said.",
                "They avoided relegation",
                "They now have six games left.",
                "The couple married in a beach wedding",
                "In five seasons, he played 19 games.",
            ],
        ),
        # A quote its sentence introduces, a title in capitals, "the It girl" stay whole.
        (
            "Melissa told the station of the video's success 'It was completely unexpected.'",
            ["Melissa told the station of the video's success 'It was completely unexpected.'"],
        ),
        (
            "They sang the theme from sitcom 'The Fresh Prince of Bel-Air' at the party.",
            ["They sang the theme from sitcom 'The Fresh Prince of Bel-Air' at the party."],
        ),
        (
            "She was called 'The best player in the world' by fans.",
            ["She was called 'The best player in the world' by fans."],
        ),
        ("She became the It girl of the season.", ["She became the It girl of the season."]),
    ]
    + [
        # A quote a verb or a word like "headline" introduces, a title or a slogan that
        # closes without a stop of its own, a phrase with "It", "This", "In" in it.
        (sentence, [sentence])
        for sentence in (
            "He warned the crowd 'Do not come any closer to the fence' before the shots.",
            "The health secretary warned bosses 'We cannot go on like this,' as lists grew.",
            "She captioned the snap 'Loving life in the sun with my family' on Sunday.",
            "Fans chanted 'We want our money back now' during the match.",
            "Protesters held a sign reading 'Keep your hands off our NHS' outside.",
            "Kim starred in the hit show 'Keeping Up with the Kardashians' for years.",
            "Her favourite film is the classic 'Gone with the Wind' of course.",
            "The paper ran the headline 'Man bites dog in rural town' on Monday.",
            "She was a true It girl of the sixties.",
            "The show This is Us was renewed for a season.",
            "They read the novel In the Woods at school.",
        )
    ]
    + [
        (
            "He won gold in 2012 'I don't know how it happened,' he said.",
            ["He won gold in 2012", "'I don't know how it happened,' he said."],
        ),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a-" * 50_000,  # a word boundary at every letter
        "caption 'Abcd efg hij klm' " * 4_000,  # a quote after a caption, 4,000 times
        "caption 'Abcd efg hij klm " * 4_000,  # ... never closed
        "a-" * 50_000 + " The end",
        "word He is " * 10_000,
    ],
    ids=["hyphens", "quotes", "unclosed-quotes", "hyphens-then-The", "pronouns"],
)
def test_hostile_text_is_split_in_linear_time(text: str) -> None:
    # A page's text is a stranger's: the run-on patterns took 16 s on 100,000 characters
    # of "a-a-a-" (each search ran from every letter to the end) and 30 s on a quote
    # repeated 4,000 times; now a few hundredths of a second.
    started = time.process_time()
    split_sentences(text)
    assert time.process_time() - started < 1.5


def test_one_segmenter_and_no_fallback() -> None:
    # nupunkt is a hard dependency: the text package never reaches for another segmenter.
    code = (
        "import sys; from readerterm.text.sentences import split_sentences; "
        "assert split_sentences('One here. Two there.') == ['One here.', 'Two there.']; "
        "assert 'nupunkt' in sys.modules and 'syntok' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
