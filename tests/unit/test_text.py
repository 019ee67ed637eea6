"""text.py: terminal escapes and invisible controls never survive cleaning."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readerterm.text.safe import clean_line, clean_text

ESC = "\x1b"
ST = ESC + "\\"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        # CSI: colours, clear screen, cursor movement, private modes
        (f"{ESC}[31mred{ESC}[0m", "red"),
        (f"a{ESC}[2Jb", "ab"),
        (f"a{ESC}[10;20Hb", "ab"),
        (f"a{ESC}[?1049hb", "ab"),
        ("a\x9b31mb", "ab"),  # 8-bit CSI
        # OSC 8 hyperlinks (ST or BEL terminated), window titles
        (f"{ESC}]8;;https://evil.example/{ST}click{ESC}]8;;{ST}", "click"),
        (f"{ESC}]8;;https://evil.example/\x07click{ESC}]8;;\x07", "click"),
        (f"{ESC}]0;pwned title\x07text", "text"),
        ("\x9d0;title\x9ctext", "text"),  # 8-bit OSC ... ST
        # DCS, SOS, PM, APC strings
        (f"a{ESC}P1$qm{ST}b", "ab"),
        (f"a{ESC}_apc payload{ST}b", "ab"),
        (f"a{ESC}^pm{ST}b", "ab"),
        (f"a{ESC}Xsos{ST}b", "ab"),
        ("a\x90dcs\x9cb", "ab"),
        # other two-character escapes (reset, index, charset)
        (f"a{ESC}Db", "ab"),
        (f"a{ESC}Mb", "ab"),
        # an unterminated OSC swallows the rest rather than leaking it
        (f"safe{ESC}]8;;https://evil.example/ hidden", "safe"),
        # a lone ESC at the end
        (f"end{ESC}", "end"),
    ],
)
def test_escape_sequences_are_removed(dirty: str, clean: str) -> None:
    assert clean_line(dirty) == clean
    assert clean_text(dirty) == clean


def test_c0_and_c1_controls_are_removed() -> None:
    c0 = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\x1b")
    # C1 without the introducers of CSI and of string sequences (tested above)
    c1 = "".join(chr(c) for c in range(0x80, 0xA0) if c not in (0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F))
    assert clean_line(f"a{c0}b{c1}c\x7fd") == "abcd"
    assert clean_text(f"a{c0}b{c1}c\x7fd") == "abcd"


@pytest.mark.parametrize(
    "mark",
    [
        "\u202a",  # LRE
        "\u202b",  # RLE
        "\u202c",  # PDF
        "\u202d",  # LRO
        "\u202e",  # RLO
        "\u2066",  # LRI
        "\u2067",  # RLI
        "\u2068",  # FSI
        "\u2069",  # PDI
        "\u200e",  # LRM
        "\u200f",  # RLM
        "\u200b",  # zero width space
        "\u200c",  # ZWNJ
        "\u200d",  # ZWJ
        "\u2060",  # word joiner
        "\ufeff",  # BOM / ZWNBSP
        "\u2028",  # line separator
        "\u2029",  # paragraph separator
    ],
)
def test_bidi_and_zero_width_marks_are_removed(mark: str) -> None:
    assert clean_line(f"invoice{mark}fdp.exe") == "invoicefdp.exe"
    assert clean_text(f"invoice{mark}fdp.exe") == "invoicefdp.exe"


def test_clean_text_keeps_newlines_and_paragraphs() -> None:
    text = "First line\nsecond line\n\nNew paragraph"
    assert clean_text(text) == text


def test_clean_text_normalises_line_ends_and_squeezes_blank_lines() -> None:
    assert clean_text("a\r\nb\rc\n\n\n\n\nd  \n") == "a\nb\nc\n\nd"


def test_clean_text_keeps_tabs_and_inner_spaces() -> None:
    assert clean_text("  code:\tx  =  1") == "code:\tx  =  1"


def test_clean_line_folds_onto_one_line() -> None:
    assert clean_line("  A\ttitle\n\nwith\r\nbreaks\u00a0and  spaces ") == (
        "A title with breaks and spaces"
    )
    # Every space Python's split() knows is one: narrow no-break, medium math, ogham.
    assert clean_line("a\u202f\u202fb \u205f c\u1680d") == "a b c d"


@pytest.mark.parametrize("empty", ["", None])
def test_empty_values(empty: str | None) -> None:
    assert clean_line(empty) == ""
    assert clean_text(empty or "") == ""


def test_markup_is_not_touched() -> None:
    """Cleaning is about terminal safety; Textual markup is neutralised by never being
    interpreted, so it must survive literally."""
    title = "[@click=app.quit]Quit[/] [bold]x[/] [link=https://e.org]y[/link] \\"
    assert clean_line(title) == title


def test_ordinary_unicode_survives() -> None:
    text = "Café — naïve 東京 Ελλάδα 🎉 עברית"
    assert clean_line(text) == text
    assert clean_text(text) == text


def _unsafe(ch: str, *, allow: str) -> bool:
    if ch in allow:
        return False
    if ch == "\x1b" or unicodedata.category(ch) == "Cc":
        return True
    return ch in "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u2060\ufeff" or (
        "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
    )


_HOSTILE = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(
            ["\x1b", "[", "]", "\\", "\x07", "\x9b", "\x9d", "\x90", "\x9c", "P", "8", ";", "m"]
        ),
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(_HOSTILE)
def test_property_no_control_character_survives(text: str) -> None:
    line = clean_line(text)
    assert not any(_unsafe(ch, allow="") for ch in line)
    assert line == line.strip()
    multi = clean_text(text)
    assert not any(_unsafe(ch, allow="\n\t") for ch in multi)


@settings(max_examples=200, deadline=None)
@given(_HOSTILE)
def test_property_cleaning_is_idempotent(text: str) -> None:
    assert clean_line(clean_line(text)) == clean_line(text)
    assert clean_text(clean_text(text)) == clean_text(text)
