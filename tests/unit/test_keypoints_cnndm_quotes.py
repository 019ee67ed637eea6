"""The benchmark's CNN/DailyMail text (benchmarks/cnndm_text.py) pairs the corpus's lone
single quotes, so a quote opens on its own sentence rather than sticking to the end of the
one before, as a reader would see it in a feed or page."""

from __future__ import annotations

from scripts import load_script


def test_an_opening_quote_starts_its_own_sentence() -> None:
    text = (
        "He will run for the Jamaican team . ' I 'm happy to be part of it . I am fit , '"
        " said Bolt . The team will be named soon ."
    )
    assert load_script("benchmarks/cnndm_text.py").detokenize(text) == (
        "He will run for the Jamaican team. 'I'm happy to be part of it. I am fit,' said "
        "Bolt. The team will be named soon."
    )


def test_colon_quotes_possessives_and_curly_quotes() -> None:
    detokenize = load_script("benchmarks/cnndm_text.py").detokenize
    assert detokenize("Carragher said : ' I do n't think so . '") == (
        "Carragher said: 'I don't think so.'"
    )
    assert detokenize("Rodgers ' future is in doubt , he said .") == (
        "Rodgers' future is in doubt, he said."
    )
    assert detokenize("He is feeling ' better and better ' now .") == (
        "He is feeling 'better and better' now."
    )
    assert detokenize("Murray ’ s ‘ down-to-earth ’ list .") == "Murray’s ‘down-to-earth’ list."
