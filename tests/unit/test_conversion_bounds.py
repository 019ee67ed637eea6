"""Issue 20, work with no bound: what one story or page can cost the converter.

Nested <div>s convert in linear time without a RecursionError; a page's text handed to the
sentence splitter, its size and its element count are bounded before the costly stages; a
page past its CPU budget is kept as plain text and says so; an escaped control character
costs only itself, not the page; and a story whose conversion fails is converted once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape
from typing import TypeVar

import pytest

from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.text import bounds, extract, htmltext, keypoints, plaintext

T = TypeVar("T")
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
PROSE = (
    "The council met on Tuesday to settle a dispute that has run for most of the year, and"
    " members agreed a compromise late in the evening after a long and heated debate."
)


def nest(depth: int, text: str = "deep text") -> str:
    return "<div>" * depth + text + "</div>" * depth


def cpu(function: Callable[..., T], *args: object, **kwargs: object) -> tuple[float, T]:
    start = time.process_time()
    result = function(*args, **kwargs)
    return time.process_time() - start, result


def page(*paragraphs: str) -> str:
    story = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<html><head><title>Harbour wall</title></head><body><nav>Home World</nav>"
        f"<article><h1>Harbour wall</h1>{story}</article><footer>Contact</footer></body></html>"
    )


# --- nesting -------------------------------------------------------------------------------


def test_deep_nesting_converts_in_linear_time_without_recursion_error() -> None:
    extract.from_feed_html(nest(10))  # (imports)
    shallow, result = cpu(extract.from_feed_html, nest(10_000), title="t")
    deep, deeper = cpu(extract.from_feed_html, nest(20_000), title="t")
    assert "deep text" in result.body and "deep text" in deeper.body
    assert result.body.startswith(bounds.PLAIN_TEXT_NOTE)
    # Well under a second each, in CPU time (it was 40 s for 10,000, then a RecursionError;
    # 20,000 would have taken four times as long): ~0.02 s both.
    assert shallow < 1.0 and deep < 1.0


def test_nesting_within_the_limit_still_converts_as_html() -> None:
    html = nest(bounds.MAX_DEPTH - 5, '<a href="https://example.org/x">the harbour</a> story')
    result = extract.from_feed_html(html)
    assert result.body == "[the harbour](https://example.org/x) story"


def test_many_shallow_blocks_nested_to_the_limit_stay_fast() -> None:
    """The worst HTML under the limits: elements nested as deep as allowed, as many as
    allowed (BeautifulSoup and markdownify walk ancestors and subtrees per tag)."""
    chains = bounds.MAX_ELEMENTS // bounds.MAX_DEPTH - 1
    html = "".join(nest(bounds.MAX_DEPTH - 4, f"<p>Part {n}. {PROSE}</p>") for n in range(chains))
    spent, result = cpu(extract.from_feed_html, html)
    assert "Part 1\\." in result.body and not result.body.startswith(bounds.PLAIN_TEXT_NOTE)
    assert spent < 4.0  # ~0.5 s


def test_too_many_elements_in_feed_html_is_read_as_plain_text() -> None:
    html = "<p>Word here.</p>" * (bounds.MAX_ELEMENTS + 1)
    result = extract.from_feed_html(html)
    assert result.body.startswith(bounds.PLAIN_TEXT_NOTE)
    assert result.body.count("Word here.") == bounds.MAX_ELEMENTS + 1


def test_a_page_nested_past_the_parser_is_read_as_plain_text() -> None:
    """The page extractor's parser drops a document nested 256 deep, text after the nest
    included: nothing would be left of the page."""
    story = "".join(f"<p>Part {n}. {PROSE}</p>" for n in range(3))
    html = f"<html><body><article>{nest(1_000, story)}</article></body></html>"
    result = extract.from_page_html(html, url="https://example.org/a")
    assert result.body.startswith(bounds.PLAIN_TEXT_NOTE)
    assert result.body.count("The council met") == 3


def test_plain_text_of_unclosed_tags_is_linear() -> None:
    spent, _ = cpu(htmltext.plain_text, "<a " * 1_000_000)
    assert spent < 1.5  # 2,000 characters scanned from each "<" took ~3 s; now ~0.03 s


# --- control characters ------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["&#x1b;", "&#7;", "&#27;", "&#X1B;", "&#x7f;", "&#1"])
def test_an_escaped_control_character_costs_itself_not_the_page(reference: str) -> None:
    story = [f"Part {n}. {PROSE}" for n in range(6)]
    html = page(*story[:1], f"Bell {reference}[31m here.", *story[1:])
    result = extract.from_page_html(html, url="https://example.org/a")  # (0 characters before)
    assert result.body.count("The council met") == 6
    assert "Bell" in result.body and "here." in result.body
    assert "\x1b" not in result.body and "\x07" not in result.body and "\x7f" not in result.body


@pytest.mark.parametrize("reference", ["&#x1b;", "&#7;"])
def test_an_escaped_control_character_in_feed_html_keeps_the_story(reference: str) -> None:
    html = f"<p>{PROSE}</p><p>Bell {reference} here.</p><p>{PROSE}</p>"
    result = extract.from_feed_html(html)
    assert result.body.count("The council met") == 2
    assert "Bell" in result.body and "\x1b" not in result.body and "\x07" not in result.body


def test_references_to_printable_characters_are_kept() -> None:
    assert bounds.without_controls("a&#9;b&#10;c&#13;d&#x41;&#8217;&#128;") == (
        "a&#9;b&#10;c&#13;d&#x41;&#8217;&#128;"
    )
    assert bounds.without_controls("a&#x1b;b&#7;c&#x1;d\x1be&#0031;f&#x1F;g") == "abcdefg"


# --- a page's size, its elements, the splitter's input, the budget ------------------------


def test_the_sentence_splitter_reads_a_bounded_text(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    original = keypoints.key_points

    def counting(body: str, **kwargs: object) -> tuple[str, ...]:
        seen.append(len(body))
        return original(body[:1000])

    monkeypatch.setattr(keypoints, "key_points", counting)
    extract.from_page_html(page("A. " * 600_000), url="https://example.org/a")
    plaintext.from_plain_text("A. " * 600_000)
    extract.from_feed_html("<p>" + "A. " * 600_000 + "</p>")
    assert len(seen) == 3
    assert max(seen) <= bounds.MAX_KEY_POINT_CHARACTERS


def test_a_huge_page_is_cut_before_the_extractor_and_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handed: list[str] = []
    original = extract._main_content

    def watching(html: str, url: str | None) -> object:
        handed.append(html)
        return original(html, url)

    monkeypatch.setattr(extract, "_main_content", watching)
    paragraphs = [f"Paragraph {n}. {PROSE}" for n in range(12_000)]
    result = extract.from_page_html(page(*paragraphs), url="https://example.org/a")
    (html,) = handed
    assert len(html) <= bounds.MAX_PAGE_CHARACTERS
    assert bounds.element_count_above(html) is None
    assert result.body.startswith((bounds.CUT_NOTE, bounds.PLAIN_TEXT_NOTE))
    assert "Paragraph 1" in result.body and "Paragraph 2000" in result.body


def test_a_long_page_keeps_its_story_when_its_scripts_go() -> None:
    script = "<script>var state = " + "1," * 1_200_000 + "0;</script>"
    html = page(PROSE, PROSE, PROSE).replace("<nav>", script + "<nav>")
    cut, was_cut = bounds.bounded_page(html)
    assert not was_cut and "var state" not in cut and cut.count("The council met") == 3
    ld = '<script type="application/ld+json">{"author": "Rosa Lind"}</script>'
    kept, _ = bounds.bounded_page(ld + html)
    assert ld in kept


def test_a_page_past_its_cpu_budget_is_plain_text_with_a_note() -> None:
    html = page(f"One. {PROSE}", "A *second* paragraph with [brackets].", f"Two. {PROSE}")
    result = extract.from_page_html(html, url="https://example.org/a", cpu_seconds=0.0)
    assert result.body.startswith(bounds.PLAIN_TEXT_NOTE)
    assert result.body.count("The council met") == 2
    assert "A \\*second\\* paragraph with \\[brackets\\]." in result.body  # text, not markup
    fed = extract.from_feed_html(f"<p>{PROSE}</p>", cpu_seconds=0.0)
    assert fed.body.startswith(bounds.PLAIN_TEXT_NOTE) and "The council met" in fed.body


# --- opening a story: off the loop, once ----------------------------------------------------


def rss(description: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        "<link>https://news.example.org/</link><item><guid>a</guid><title>Deep</title>"
        f"<link>https://news.example.org/a</link><description>{escape(description)}"
        "</description></item></channel></rss>"
    ).encode()


@pytest.fixture
def library(open_library: Callable[[datetime], Library]) -> Library:
    return open_library(NOW)


def stored_story(library: Library, html: str) -> int:
    feed = library.subscriptions.subscribe("https://news.example.org/feed.xml")
    result = library.refresher.ingest_document(feed.id, rss(html))
    assert result.status is RefreshStatus.UPDATED, result.error
    (article_id,) = library.reading.article_ids()
    return article_id


def test_opening_a_deeply_nested_story_is_quick_and_remembered(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = stored_story(library, nest(10_000, PROSE))
    start = time.process_time()
    opened = asyncio.run(library.reading.open_article(article_id))
    assert time.process_time() - start < 2.0  # (~0.02 s; it was 40 s)
    assert "The council met" in opened.body
    calls: list[str] = []
    monkeypatch.setattr(extract, "from_feed_html", lambda html, **_: calls.append(html))
    again = asyncio.run(library.reading.open_article(article_id))
    assert again.body == opened.body and calls == []


def test_a_failed_conversion_is_remembered_not_repeated(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    article_id = stored_story(library, f"<p>{PROSE}</p>")
    calls: list[str] = []

    def failing(html: str, **_: object) -> None:
        calls.append(html)
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(extract, "from_feed_html", failing)
    first = asyncio.run(library.reading.open_article(article_id))
    second = asyncio.run(library.reading.open_article(article_id))
    assert len(calls) == 1
    assert "The council met" in first.body and second.body == first.body
