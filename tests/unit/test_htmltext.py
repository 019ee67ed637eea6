"""The cheap plain text a refresh stores for search, counts and summaries."""

from __future__ import annotations

from readerterm.htmltext import plain_text


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


def test_unclosed_script_or_comment_hides_the_rest() -> None:
    assert plain_text("Kept<script>never shown") == "Kept"
    assert plain_text("Kept<!-- never shown") == "Kept"


def test_terminal_escapes_and_invisible_marks_are_removed() -> None:
    assert plain_text("<p>a\x1b[31mred\u202e\u200b</p>") == "ared"


def test_hostile_fragments_end_quickly_with_text_or_nothing() -> None:
    # Unclosed tags by the ten thousand: bounded scans, so this returns (no timing asserted).
    assert plain_text("<script" * 10000).startswith("<script")
    assert plain_text('<a "' * 10000).startswith('<a "')
    assert plain_text("<p>" * 100000) == ""


def test_empty_and_plain_input() -> None:
    assert plain_text("") == ""
    assert plain_text("   ") == ""
    assert plain_text("just text\n\n\n\nmore") == "just text\n\nmore"
