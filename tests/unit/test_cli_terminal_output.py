"""Issue 20: what the commands write to a terminal (readerterm.cli.output): each line
cleaned as feed text is, columns kept; errors on one short line; JSON with nothing raw."""

from __future__ import annotations

import json

from readerterm.cli.output import MAX_MESSAGE, json_text, message, terminal_text

PAYLOAD = "\x1b]0;PWNED\x07\x1b]52;c;eA==\x07\x1b[2J\x9b31m\x9d0;x\x9c\u202e\u2066\x7f"


def test_lines_keep_their_columns_and_lose_the_payload() -> None:
    text = f"   1      0/3      {PAYLOAD}News  <http://a.example/>\n  - {PAYLOAD}point\n\nend"
    assert terminal_text(text) == "   1      0/3      News  <http://a.example/>\n  - point\n\nend"


def test_a_carriage_return_cannot_overwrite_a_line() -> None:
    assert "\r" not in terminal_text("Title\rFAKE")


def test_plain_text_and_joined_emoji_are_kept() -> None:
    text = "  Zürich – 東京 👨‍👩‍👧\n\n    indented"
    assert terminal_text(text) == text


def test_an_error_is_one_clean_short_line() -> None:
    shown = message(RuntimeError(f"bad {PAYLOAD}bytes\nsecond line " + "x " * 5000))
    assert shown.startswith("bad bytes second line x") and "\n" not in shown
    assert len(shown) == MAX_MESSAGE and shown.endswith("…")
    assert all(ch.isprintable() for ch in shown)


def test_json_escapes_c1_bidi_and_lone_surrogates_and_keeps_the_values() -> None:
    value = {"title": f"A{PAYLOAD}\ud800\U000e0041\u2028Z", "plain": "Zürich 東京"}
    text = json_text(value)
    assert text.isprintable() and text.isascii() is False  # readable text stays readable
    assert json.loads(text) == value
    assert "Zürich 東京" in text
