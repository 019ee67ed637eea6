"""The small pure helpers behind ages, reading times and cut titles."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len

from readerterm.ui.formatting import age, fit, reading_time, stories

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (timedelta(seconds=20), "now"),
        (timedelta(minutes=5), "5m"),
        (timedelta(hours=3, minutes=59), "3h"),
        (timedelta(days=2, hours=1), "2d"),
        (timedelta(days=13), "13d"),
        (timedelta(days=15), "2w"),
        (timedelta(days=800), "2y"),
    ],
)
def test_age(delta: timedelta, expected: str) -> None:
    assert age(NOW - delta, NOW) == expected


def test_age_of_unknown_or_naive_dates() -> None:
    assert age(None, NOW) == ""
    assert age(datetime(2026, 11, 20, 11, 0), NOW) == "1h"  # naive means UTC


def test_reading_time_at_230_words_a_minute() -> None:
    assert reading_time(0) == ""
    assert reading_time(50) == "1 min read"
    assert reading_time(2300) == "10 min read"


def test_fit_cuts_with_an_ellipsis_and_pads() -> None:
    assert fit("abcdef", 4) == "abc…"
    assert fit("ab", 4) == "ab  "
    assert fit("日本語です", 5) == "日本…"
    assert fit("x", 0) == ""


def test_a_name_is_cut_between_words() -> None:
    """Feed names in the lists read "Harbour…", not "Harbour Le…"."""
    assert fit("Harbour Ledger — World", 10, at_word=True) == "Harbour…  "
    assert fit("Tideline: Climate & Energy", 22, at_word=True) == "Tideline: Climate…    "
    assert fit("Tideline: Climate & Energy", 10, at_word=True) == "Tideline… "
    # A first word under half the width: cut inside the word, as without at_word.
    assert fit("A Supercalifragilistic", 10, at_word=True) == fit("A Supercalifragilistic", 10)
    assert fit("Circuit Weekly", 14, at_word=True) == "Circuit Weekly"
    for name, width in (("日本語のニュース 速報です", 10), ("Tideline: Climate", 7)):
        assert cell_len(fit(name, width, at_word=True)) == width


def test_importing_the_ui_package_loads_no_textual() -> None:
    code = "import sys, readerterm.ui; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_stories_counts_in_words() -> None:
    # "1 story decided", "Filters: 1 story hidden": not "1 stories".
    assert [stories(n) for n in (0, 1, 2)] == ["0 stories", "1 story", "2 stories"]
