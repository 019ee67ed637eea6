"""Issue 20: zero-width joiners and non-joiners are kept where they join letters or emoji
(Persian, Indic, emoji sequences) and removed where they can only hide or spoof."""

from __future__ import annotations

import pytest

from readerterm.text.safe import clean_line, clean_text, is_clean_line

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one family emoji, not three people
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with its ZWNJ
DEVANAGARI = "\u0915\u094d\u200d\u0937"  # a half form: consonant, virama, ZWJ, consonant


@pytest.mark.parametrize("text", [FAMILY, PERSIAN, DEVANAGARI, f"News {FAMILY} today"])
def test_joiners_inside_words_and_emoji_stay(text: str) -> None:
    assert clean_line(text) == text
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("\u200dBreaking\u200d", "Breaking"),  # at the ends of a title
        ("pay\u200dpal", "paypal"),  # inside ASCII: a spoof
        ("click \u200c here", "click here"),  # beside a space
        (f"\u200d{FAMILY}\u200d", FAMILY),
    ],
)
def test_joiners_that_can_only_hide_or_spoof_go(text: str, cleaned: str) -> None:
    assert clean_line(text) == cleaned


def test_a_url_or_name_to_check_holds_no_joiner_at_all() -> None:
    assert not is_clean_line("https://example.org/\u200dfeed")
    assert not is_clean_line(PERSIAN)
    assert is_clean_line("https://example.org/feed")
