"""extract.py: feed HTML, pages and plain text to markdown body and key points."""

from __future__ import annotations

import pytest
from extract_samples import PAGE, PARAGRAPHS, assert_safe

from readerterm.text.extract import (
    from_feed_html,
    from_page_html,
    from_plain_text,
    needs_page,
)

# --- feed HTML: the publisher's own key points ----------------------------------------------


def test_opening_list_becomes_feed_key_points_and_leaves_the_body() -> None:
    html = (
        "<ul><li>The old bridge closes for six months of repairs.</li>"
        "<li>Traffic goes through the northern ring road.</li>"
        "<li>A temporary ferry carries pedestrians.</li></ul>" + PARAGRAPHS
    )
    result = from_feed_html(html)
    assert result.key_points_origin == "feed"
    assert result.key_points == (
        "The old bridge closes for six months of repairs.",
        "Traffic goes through the northern ring road.",
        "A temporary ferry carries pedestrians.",
    )
    assert "old bridge closes" not in result.body
    assert result.body.startswith("The city council voted")


def test_opening_list_after_a_heading_and_inside_wrappers_counts() -> None:
    html = (
        "<div><div><h2>Bridge closes</h2><ol><li>The old bridge closes for repairs.</li>"
        "<li>Traffic goes through the ring road.</li></ol></div>" + PARAGRAPHS + "</div>"
    )
    result = from_feed_html(html)
    assert result.key_points_origin == "feed"
    assert result.key_points == (
        "The old bridge closes for repairs.",
        "Traffic goes through the ring road.",
    )
    assert "## Bridge closes" in result.body


def test_list_under_a_key_points_heading_anywhere_counts_and_heading_goes_too() -> None:
    html = (
        PARAGRAPHS[:200] + "</p><h3>Key points</h3><ul><li>The bridge shuts for six months.</li>"
        "<li>Pedestrians get a ferry service.</li></ul>" + PARAGRAPHS
    )
    result = from_feed_html(html)
    assert result.key_points == (
        "The bridge shuts for six months.",
        "Pedestrians get a ferry service.",
    )
    assert "Key points" not in result.body
    assert "ferry service." not in result.body.split("\n")[0]


def test_bold_paragraph_heading_counts() -> None:
    html = (
        "<p><strong>At a glance:</strong></p><ul><li>The bridge shuts for six months.</li>"
        "<li>Pedestrians get a ferry service.</li></ul>" + PARAGRAPHS
    )
    result = from_feed_html(html)
    assert result.key_points_origin == "feed"
    assert len(result.key_points) == 2
    assert "glance" not in result.body


@pytest.mark.parametrize(
    "opening",
    [
        # A list after the first paragraph is part of the story.
        PARAGRAPHS + "<ul><li>One item of a later list.</li><li>Another item of it.</li></ul>",
        # Too many items.
        "<ul>" + "<li>An item that is long enough.</li>" * 7 + "</ul>" + PARAGRAPHS,
        # A single item.
        "<ul><li>Only one item in this list.</li></ul>" + PARAGRAPHS,
        # Related-stories menu: every item is just a link.
        "<ul><li><a href='/a'>Bridge closure hits shops</a></li>"
        "<li><a href='/b'>Ferry timetable announced today</a></li></ul>" + PARAGRAPHS,
        # One-word tags.
        "<ul><li>Politics</li><li>Transport</li></ul>" + PARAGRAPHS,
    ],
)
def test_lists_that_are_not_key_points_stay_in_the_body(opening: str) -> None:
    result = from_feed_html(opening)
    assert result.key_points_origin == "generated"
    assert "- " in result.body or "1. " in result.body


def test_generated_key_points_come_from_the_body_in_order() -> None:
    result = from_feed_html(PARAGRAPHS)
    assert result.key_points_origin == "generated"
    assert 1 <= len(result.key_points) <= 3
    positions = [result.body.find(point[:30]) for point in result.key_points]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)


def test_empty_and_blank_feed_html() -> None:
    for html in ("", "   ", "<div></div>", "<script>x()</script>"):
        result = from_feed_html(html)
        assert result.body == ""
        assert result.key_points == ()
        assert result.key_points_origin == ""
        assert result.words == 0


# --- feed HTML: markdown and hostile input --------------------------------------------------


def test_structure_becomes_markdown_with_absolute_links() -> None:
    html = (
        "<h2>Heading</h2><p>See <a href='/story/1'>the story</a> and "
        "<a href='https://other.example/x'>another</a>.</p>"
        "<blockquote><p>A quoted line.</p></blockquote><ul><li>one</li><li>two</li></ul>"
    )
    body = from_feed_html(html, base_url="https://news.example/section/page.html").body
    assert "## Heading" in body
    assert "[the story](https://news.example/story/1)" in body
    assert "[another](https://other.example/x)" in body
    assert "> A quoted line." in body
    assert "- one\n- two" in body


def test_relative_links_without_base_and_script_links_keep_only_their_text() -> None:
    html = "<p><a href='/x'>relative</a> and <a href='javascript:alert(1)'>script</a></p>"
    body = from_feed_html(html).body
    assert body == "relative and script"


def test_images_become_nothing() -> None:
    body = from_feed_html("<p>Before <img src='a.png' alt='alt text'> after.</p>").body
    assert body == "Before after."


def test_hostile_html_never_reaches_the_body() -> None:
    html = (
        "<style>body{color:red}</style><script>alert('x')</script>"
        "<p>Visible &lt;script&gt;alert(1)&lt;/script&gt; text&#27;[31m red&#27;]0;title&#7;"
        " \x1b[2J and more.</p><iframe src='https://evil.example'>frame text</iframe>"
        "<noscript>enable js</noscript><form><input value='x'>form text</form>"
        "<p hidden>hidden text</p><p style='display:none'>invisible text</p>"
        "<!-- a comment --><p onclick='evil()'>Clickable \u202eevil\u202c text.</p>"
    )
    result = from_feed_html(html)
    body = result.body
    for bad in ("alert('x')", "color:red", "frame text", "enable js", "form text",
                "hidden text", "invisible text", "a comment", "onclick", "\x1b", "\x07",
                "\u202e", "[31m", "]0;"):  # fmt: skip
        assert bad not in body, bad
    assert "<script>" not in body  # text that looks like HTML is escaped
    assert "\\<script\\>" in body
    assert "Clickable evil text." in body
    assert_safe(body)
    for point in result.key_points:
        assert_safe(point)


def test_entities_for_escape_characters_in_key_points_are_removed() -> None:
    html = (
        "<ul><li>First point &#27;[31mred&#27;[0m here.</li><li>Second point \x9b2J here.</li>"
        "</ul>" + PARAGRAPHS
    )
    result = from_feed_html(html)
    assert result.key_points_origin == "feed"
    assert result.key_points == ("First point red here.", "Second point here.")


def test_markdown_characters_in_text_are_escaped() -> None:
    body = from_feed_html("<p>1. not a list *not bold* [not a link](x) # no</p>").body
    assert "\\*not bold\\*" in body
    assert "\\[not a link\\]" in body


# --- pages ---------------------------------------------------------------------------------


def test_page_main_text_metadata_and_generated_points() -> None:
    result = from_page_html(PAGE.format(key_points=""), url="https://news.example/a/bridge")
    assert "city council voted" in result.body
    assert "timetable for the works" in result.body
    assert "Subscribe today" not in result.body
    assert "All rights reserved" not in result.body
    assert result.key_points_origin == "generated"
    assert result.key_points
    assert result.author == "Jane Reporter"
    assert result.published is not None and result.published.year == 2024
    assert result.image_url == "https://news.example/img/bridge.jpg"
    assert result.title is not None and "Bridge to close" in result.title


@pytest.mark.parametrize(
    "box",
    [
        "<ul><li>The old bridge closes for six months.</li>"
        "<li>A ferry will carry pedestrians.</li><li>Shops fear losing trade.</li></ul>",
        "<h2>Key points</h2><ul><li>The old bridge closes for six months.</li>"
        "<li>A ferry will carry pedestrians.</li><li>Shops fear losing trade.</li></ul>",
        "<aside class='story-highlights'><ul><li>The old bridge closes for six months.</li>"
        "<li>A ferry will carry pedestrians.</li><li>Shops fear losing trade.</li></ul></aside>",
    ],
)
def test_page_key_points(box: str) -> None:
    result = from_page_html(PAGE.format(key_points=box))
    assert result.key_points_origin == "page"
    assert result.key_points == (
        "The old bridge closes for six months.",
        "A ferry will carry pedestrians.",
        "Shops fear losing trade.",
    )
    assert "A ferry will carry pedestrians." not in result.body
    assert "Key points" not in result.body
    assert "city council voted" in result.body


def test_empty_page() -> None:
    assert from_page_html("").body == ""
    assert from_page_html("<html><body></body></html>").key_points == ()


@pytest.mark.parametrize(
    "content",
    [
        '<nav><a href="/">Home</a> <a href="/n">News</a> <a href="/a">About us</a></nav>',
        '<div class="menu"><a href="/">Home</a> | <a href="/w">World</a> | <a href="/s">Sport'
        "</a></div><footer>(c) 2026 Example</footer>",
        "<div><button>Accept all</button> <span>Manage choices</span></div>",
    ],
)
def test_a_page_of_labels_has_no_text(content: str) -> None:
    page = from_page_html(f"<html><body>{content}</body></html>")
    assert (page.body, page.key_points) == ("", ())


def test_a_short_page_that_says_something_keeps_it() -> None:
    page = from_page_html(
        "<html><body><article><p>The office is closed.</p></article></body></html>"
    )
    assert page.body == "The office is closed."


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_paragraphs_by_line_and_by_blank_line() -> None:
    by_line = from_plain_text("First paragraph here.\nSecond paragraph here.\n")
    assert by_line.body == "First paragraph here.\n\nSecond paragraph here."
    by_blank = from_plain_text("First paragraph\nwrapped here.\n\nSecond paragraph.")
    assert by_blank.body == "First paragraph wrapped here.\n\nSecond paragraph."


def test_plain_text_is_escaped_as_markdown() -> None:
    body = from_plain_text("# not a heading\n<b>not html</b> and *stars*").body
    assert body.startswith("\\#")
    assert "\\<b\\>" in body
    assert "\\*stars\\*" in body


def test_plain_text_is_taken_as_written() -> None:
    # Undoing PTB tokens ("team 's", "-lrb-") is the CNN/DailyMail benchmark's job
    # (benchmarks/cnndm_text.py): readers' own text is never rewritten.
    text = "The team 's coach did n't comment -lrb- at first -rrb- . Fans cheered ."
    assert from_plain_text(text).body == text


def test_empty_plain_text() -> None:
    result = from_plain_text(" \n\n \x1b[31m")
    assert result.body == ""
    assert result.key_points == ()


# --- needs_page -----------------------------------------------------------------------------

LONG = "<p>" + "word " * 400 + "end.</p>"


@pytest.mark.parametrize(
    ("summary", "content", "expected"),
    [
        ("", "", True),
        ("<p>A short summary of the story.</p>", "", True),
        ("", "<p>" + "word " * 100 + "</p>", True),
        ("<p>short</p>", LONG, False),
        (LONG, "", False),
        ("", "<p>" + "word " * 300 + "<a href='/x'>Continue reading</a></p>", True),
        ("", "<p>" + "word " * 300 + "Read more</p>", True),
        ("", "<p>" + "word " * 300 + "[…]</p>", True),
        ("", "<p>" + "word " * 300 + "[...]</p><p>The post X appeared first on Y.</p>", True),
        ("", LONG + "<p>The post Bridge appeared first on The Daily.</p>", False),
    ],
)
def test_needs_page(summary: str, content: str, expected: bool) -> None:
    assert needs_page(summary, content) is expected
