"""extract.py: what surrounds a story on its page or in its feed item and never reaches the
body (promos, related links, bylines, date lines, photo credits, calls to action)."""

from __future__ import annotations

import re

import pytest
from extract_samples import PAGE, PARAGRAPHS, assert_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from readerterm.text.extract import (
    from_feed_html,
    from_page_html,
)

RAW_TAG = re.compile(r"(?<!\\)<[A-Za-z/!?]")


# --- calls to action around the story ------------------------------------------------------


def test_promos_and_related_links_are_dropped_from_the_body() -> None:
    html = (
        PARAGRAPHS
        + "<p>Sign up for our daily newsletter to get the latest news.</p>"
        + "<p><strong>Read more:</strong> <a href='/b'>Ferry timetable announced</a></p>"
        + "<h3>Related stories</h3><ul><li><a href='/c'>Bridge history in pictures</a></li>"
        + "<li><a href='/d'>Five other bridges that closed</a></li></ul>"
        + "<p>Advertisement</p><p>© 2024 The Daily. All rights reserved.</p>"
    )
    body = from_feed_html(html, base_url="https://news.example/").body
    for promo in ("newsletter", "Read more", "Related", "Bridge history", "Advertisement", "©"):
        assert promo not in body, promo
    assert body.endswith("help with the cost of the closure.")


def test_bylines_date_lines_and_photo_credits_left_as_paragraphs_are_dropped() -> None:
    html = (
        "<p>By Priya Nair | Updated 14:05 GMT</p><p>BY JANE DOE AND JOHN ROE</p>"
        + "<p>Updated: 5 March 2024, 14:05</p>"
        + PARAGRAPHS
        + "<p>By the end of the year, the bridge will reopen.</p>"
        + "<p>By Monday the ferry was full.</p>"
        + "<p>Photo: A fallen tree blocks a road near Truro</p>"
        + "<p>Photograph by Ben Cole for The Daily</p>"
    )
    body = from_feed_html(html).body
    for gone in ("Priya Nair", "JANE DOE", "14:05", "fallen tree", "Ben Cole"):
        assert gone not in body, gone
    assert body.startswith("The city")
    assert "By the end of the year, the bridge will reopen." in body
    assert "By Monday the ferry was full." in body


@pytest.mark.parametrize(
    "line",
    ["By José Álvarez", "By Jane Doe, BBC News", "By Jane Doe - Reuters", "Photo by Ben Cole/AP"],
)
def test_bylines_in_any_alphabet_and_with_their_paper_are_dropped(line: str) -> None:
    assert line not in from_feed_html(f"<p>{line}</p>{PARAGRAPHS}").body


@pytest.mark.parametrize(
    "paragraph",
    [
        "Pictures by local children were auctioned for charity, raising £4,000.",
        "Published 12 novels, she died in 2001 aged 88.",
        "By Train",
        "By The Numbers",
    ],
)
def test_sentences_and_headings_that_open_like_a_byline_or_credit_stay(paragraph: str) -> None:
    assert paragraph.rstrip(".") in from_feed_html(f"{PARAGRAPHS}<p>{paragraph}</p>").body


def test_a_short_block_of_odd_spaces_is_checked_for_promos_quickly() -> None:
    # Two words as str.split() counts them, 100,000 characters: a date-line pattern with
    # two adjacent \s* took minutes on it (no timing asserted: this returns).
    block = "<p>Updated" + "\u202f" * 100_000 + "x</p>"
    assert from_feed_html(PARAGRAPHS + block).body.startswith("The city")


def test_long_paragraphs_that_mention_subscribers_stay() -> None:
    text = (
        "<p>Subscribers to the streaming service grew by two million in the quarter, the "
        "company said on Tuesday, beating the forecasts of analysts who had expected a slower "
        "year after price rises in Europe and the United States.</p>"
    )
    assert "Subscribers to the streaming service" in from_feed_html(text).body


def test_key_points_box_outside_the_main_text_is_found_in_the_raw_page() -> None:
    box = (
        "<div class='key-points'><ul><li>The old bridge closes for six months.</li>"
        "<li>A ferry will carry pedestrians.</li></ul></div>"
    )
    page = PAGE.format(key_points="").replace("<main>", box + "<main>")
    result = from_page_html(page)
    assert result.key_points_origin == "page"
    assert result.key_points == (
        "The old bridge closes for six months.",
        "A ferry will carry pedestrians.",
    )
    assert "A ferry will carry pedestrians." not in result.body


FRAGMENTS = st.sampled_from(
    [
        "<p>", "</p>", "<ul>", "<li>", "</li>", "</ul>", "<script>", "</script>", "<b>", "</b>",
        "<a href='javascript:x()'>", "<a href='/rel'>", "</a>", "<img src=x onerror=y>",
        "&#27;[31m", "&lt;script&gt;", "\x1b]0;t\x07", "\u202e", "\x9b2J", "&amp;", "[", "]",
        "*", "_", "#", "> ", "1. ", "`", "\n", " ", "word", "Key points", "<h2>", "</h2>",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_any_feed_html_gives_safe_text(html: str) -> None:
    result = from_feed_html(html, base_url="https://news.example/")
    # No tag can reach the markdown: every "<" of the text is escaped.
    assert not RAW_TAG.search(result.body), result.body
    assert "javascript:" not in result.body
    for text in (result.body, *result.key_points):  # key points are plain text
        assert_safe(text)
        assert "\u202e" not in text
