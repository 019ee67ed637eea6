"""The cheap plain text a refresh stores for search, counts and summaries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readerterm.text.htmltext import (
    glance,
    needs_page,
    plain_text,
    summary_of,
    summary_of_html,
    text_and_words,
)
from readerterm.text.safe import clean_line


def test_paragraphs_and_list_items_become_lines() -> None:
    html = "<p>One <b>bold</b> word.</p><p>Two<br>lines</p><ul><li>x</li><li>y</li></ul>"
    assert plain_text(html) == "One bold word.\nTwo\nlines\nx\ny"


def test_entities_are_decoded_after_tags_are_gone() -> None:
    # An escaped tag is text to read, not markup to remove.
    assert plain_text("<p>&lt;script&gt; &amp; caf&eacute;</p>") == "<script> & café"


def test_a_lone_angle_bracket_is_text() -> None:
    assert plain_text("a < b and c > d") == "a < b and c > d"
    assert plain_text("<p>if a <3 then</p>") == "if a <3 then"


def test_scripts_styles_and_comments_are_not_text() -> None:
    html = (
        "<script>var x = 1;</script>Hello<style>p {}</style> <!-- note -->world"
        "<svg><text>no</text></svg>"
    )
    assert plain_text(html) == "Hello world"


def test_a_script_whose_attribute_holds_an_angle_bracket_is_not_text() -> None:
    html = """<p>a</p><script data-x="a<b" async>var shown = 1;</script><p>b</p>"""
    assert plain_text(html) == "a\nb"
    assert plain_text("<style title='x<y'>p { color: red }</style>Hello") == "Hello"
    # ... and one whose attribute holds ">": hidden as it always was.
    html = """<p>Story</p><script data-x="a>b">var secret = 1;</script><p>end</p>"""
    assert plain_text(html) == "Story\nend"
    assert plain_text("""<script data-json='{"a":"x>y"}'>var s;</script>ok""") == "ok"


def test_tag_names_ignore_ascii_case_only() -> None:
    # As in HTML: "<SCRIPT>" is a script, "<ſcript>" (a long s) is no tag at all.
    assert plain_text("<SCRIPT>x</SCRIPT>Hello <P>one</P >two") == "Hello one\ntwo"
    assert plain_text("<ſcript>shown</ſcript>") == "<ſcript>shown</ſcript>"


def test_unclosed_script_or_comment_hides_the_rest() -> None:
    assert plain_text("Kept<script>never shown") == "Kept"
    assert plain_text("Kept<!-- never shown") == "Kept"


def test_terminal_escapes_and_invisible_marks_are_removed() -> None:
    assert plain_text("<p>a\x1b[31mred\u202e\u200b</p>") == "ared"


def test_hostile_fragments_end_quickly_with_text_or_nothing() -> None:
    # Unclosed tags by the ten thousand: bounded scans, so this returns (no timing asserted).
    assert plain_text("<script" * 10000).startswith("<script")
    assert plain_text('<a "' * 10000).startswith('<a "')
    assert plain_text('<script "' * 10000).startswith('<script "')
    assert plain_text("<script " + '"a" ' * 100000).startswith("<script")
    assert plain_text("<p>" * 100000) == ""


def test_empty_and_plain_input() -> None:
    assert plain_text("") == ""
    assert plain_text("   ") == ""
    assert plain_text("just text\n\n\n\nmore") == "just text\n\nmore"


# Pieces HTML is made of, and characters every fast path must notice: tabs, no-break and
# other Unicode spaces, controls, bidi marks, a lone surrogate, entities that decode to them.
_PIECES = st.sampled_from(
    ["<p>", "</p>", "<br>", "<b>", "</b>", "<li>", " ", "  ", "\n", "\t", "\xa0", "\u2003",
     "\u202e", "\x1b[31m", "\x07", "\ud800", "&nbsp;", "&#9;", "&amp;", "&lt;b&gt;",
     "word", "café", "’", "end."]
)  # fmt: skip


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_the_word_count_is_that_of_the_text(html: str) -> None:
    text, words = text_and_words(html)
    assert text == plain_text(html)
    assert words == len(text.split())
    if "<" in html or "&" in html:  # markup: every line is as clean_line leaves a line
        assert all(line and clean_line(line) == line for line in text.split("\n") if text)


def test_lone_surrogates_become_replacement_characters() -> None:
    assert plain_text("<p>a\ud800b</p>") == "a\ufffdb"


# --- glance: the start and the teaser test without converting a whole long story ----------

_STORY_PIECES = st.sampled_from(
    ["<p>", "</p>", "<br>", "<b>", "</b>", "<a href='/x'>", "</a>", "<li>", " ", "\n",
     "&amp;", "&nbsp;", "word", "café", "end.", "Continue reading", "Read more", "…",
     "[...]", "The post X appeared first on Y.", "<img src='/a.png'>", "\x1b[31m", "\t",
     "<!--", "-->", "<!-- c -->", "<script>", "</script>", "<svg><title>x</title></svg>",
     "<img alt='<3'>", "<img alt='x>y <3'>", "a < b", "<Tx", ">",
     "appeared&nbsp;first on", "appeared <span>first</span> on"]
)  # fmt: skip
# Long enough to be read in part (past GLANCE_HEAD + GLANCE_TAIL), often with many words.
_STORIES = st.lists(_STORY_PIECES, min_size=300, max_size=1500).map("".join) | st.builds(
    lambda head, tail: head + "<p>" + "Words of the story. " * 150 + "</p>" + tail,
    st.lists(_STORY_PIECES, max_size=60).map("".join),
    st.lists(_STORY_PIECES, max_size=60).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(_STORIES)
def test_a_glance_decides_as_the_whole_text_would(html: str) -> None:
    assert_read_in_part_as_whole(html)


def assert_read_in_part_as_whole(html: str) -> None:
    text, words = text_and_words(html)
    start, teaser = glance(html)
    assert teaser == needs_page(text, words)
    assert summary_of(start) == summary_of(text)
    assert summary_of_html(html) == summary_of(text)


def test_a_long_story_is_read_only_at_its_start_and_end() -> None:
    middle = "<p>" + "<b>hidden</b> " * 5000 + "</p>"
    story = "<p>" + "Opening words here. " * 60 + "</p>" + middle + "<p>The end.</p>"
    start, teaser = glance(story)
    assert start.startswith("Opening words here.") and len(start) < 2000
    assert len(plain_text(story)) > 30_000
    assert not teaser
    stub = story[: -len("<p>The end.</p>")] + "<p>Continue reading &rarr;</p>"
    assert glance(stub)[1]


@pytest.mark.parametrize("ending", ["<p>The end.</p>", "<p>Continue reading &rarr;</p>"])
def test_a_tail_of_markup_is_read_further_back(ending: str) -> None:
    figure = "<figure><img src='/photo.jpg' srcset='/a.jpg 1x, /b.jpg 2x'></figure>" * 9
    story = "<p>" + "Opening words here. " * 80 + "</p>" + ending + figure
    assert_read_in_part_as_whole(story)
    assert glance(story)[1] is (ending != "<p>The end.</p>")


def test_markup_heavy_starts_are_read_whole() -> None:
    # Few words in the head: the whole fragment decides (it may be a teaser after all).
    head = "<img src='/a.png'>" * 200
    assert glance(head + "<p>Just a caption.</p>" + " " * 700) == ("Just a caption.", True)
    long_tail = head + "<p>" + "word " * 300 + "</p>"
    assert glance(long_tail)[1] is False


_LONG = "<p>" + "Words of the story go on. " * 80 + "</p>"


@pytest.mark.parametrize(
    "html",
    [
        # a comment over the tail's start, holding what would read as a stub's last words
        _LONG + "<p>It ends here. Continue reading</p><!-- " + "<p>x</p>" * 90 + " -->",
        # the tail's start inside a tag (a "<" in an attribute)
        _LONG + "<p>Continue reading</p><img alt='I <3 it' srcset='" + "a" * 700 + "'>",
        # a comment left open before the tail: the whole text ends where it starts
        _LONG + "<p>Read more</p><!-- open" + "<p>More words here.</p>" * 40,
        # WordPress's closing line, spelled with markup or an entity
        _LONG + "<p>The post Story appeared&nbsp;first on Site.</p>",
        _LONG + "<p>The post Story appeared <span>first</span> on Site.</p>",
        # ... or standing before the tail, within the 200 characters the test removes
        _LONG
        + "<p>The post Story appeared first on Site.</p><img src='"
        + "a" * 560
        + "'><p>"
        + "A short last paragraph that is here. " * 3
        + "Read more</p>",
        # a "<" + letter whose ">" lies past the head's end, behind a comment
        "<p>" + "word " * 290 + "<Tx <!-- c -->" + "more words " * 100 + "</p> >" + _LONG,
        # a script across the head's end
        "<p>" + "word " * 290 + "<script>var a = '" + "b" * 400 + "';</script>" + _LONG,
        # a look-alike of a hidden element's name (not one: read as text in part and whole)
        _LONG + "<ſcript>" + "hidden? " * 100 + "</ſcript><p>Read more</p>",
    ],
)
def test_hidden_text_and_odd_markup_never_change_the_answers(html: str) -> None:
    assert_read_in_part_as_whole(html)
