"""Issue 6, property tests: random and mutated feed documents through parse, update and
the store; random text through the cleaners and the feed-HTML converter.

Bounded for CI (a few hundred examples in all, well under 30 s). The documents start from
valid RSS and Atom and are then mutated the ways broken and hostile feeds are: cut short,
random bytes spliced in, tags duplicated, entities (valid, invalid, double-escaped,
control characters) dropped anywhere.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readerterm.errors import ParseError
from readerterm.feeds.update import prepare_update
from readerterm.models import ArticleFilter, Extracted, Validators
from readerterm.store import Store, plain_body
from readerterm.text import extract
from readerterm.text.safe import clean_line, clean_text

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
FEED_URL = "https://feeds.test/news.xml"

# Bidi_Control characters (Unicode) and zero-width characters: none may reach the screen.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def unsafe_characters(text: str, *, allow: str = "") -> list[str]:
    """Characters of `text` that must never be shown: C0/C1 controls (ESC, DEL included),
    lone surrogates (not printable as UTF-8), bidi controls, zero-width characters,
    line/paragraph separators."""
    return [
        ch
        for ch in text
        if ch not in allow
        and (
            unicodedata.category(ch) in ("Cc", "Cs")
            or ch in BIDI_CONTROLS - {"\u061c"}  # U+061C: see test_invisible_format_marks
            or ch in ZERO_WIDTH
            or ch in "\u2028\u2029"
        )
    ]


# --- hostile text -------------------------------------------------------------------------

_NASTY = [
    "\x1b", "\x1b[31m", "\x1b]8;;https://evil.test/\x07", "\x1b]0;title\x07", "\x1bP1$q\x1b\\",
    "\x9b", "\x9d", "\x90", "\x9c", "\x07", "\x00", "\x08", "\x7f", "\r", "\n", "\t",
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200e", "\u200f", "\u200b", "\u200d", "\u2060",
    "\ufeff", "\u2028", "\u2029", "[@click=app.quit]", "[/]", "[link=https://x.test]", "\\",
]  # fmt: skip
NASTY_TEXT = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from("abc <>&;#[]/\\\"'=")),
    max_size=40,
)
HOSTILE_TEXT = st.lists(st.one_of(NASTY_TEXT, st.sampled_from(_NASTY)), max_size=12).map("".join)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(HOSTILE_TEXT)
def test_clean_line_and_clean_text_leave_nothing_unsafe(text: str) -> None:
    line = clean_line(text)
    assert unsafe_characters(line) == []
    assert "\n" not in line and "\t" not in line
    assert unsafe_characters(clean_text(text), allow="\n\t") == []


@pytest.mark.parametrize(
    "mark",
    [
        pytest.param("\u061c", id="U+061C-arabic-letter-mark"),
        pytest.param("\u180e", id="U+180E-mongolian-vowel-separator"),
        pytest.param("\U000e0041", id="U+E0041-tag-latin-capital-a"),
    ],
)
def test_invisible_format_marks(mark: str) -> None:
    assert clean_line(f"invoice{mark}.exe") == "invoice.exe"
    assert clean_text(f"invoice{mark}.exe") == "invoice.exe"


# --- random HTML through the feed-HTML converter ------------------------------------------

_TAGS = [
    "p", "b", "i", "a", "ul", "ol", "li", "h2", "blockquote", "pre", "code", "div", "span",
    "table", "tr", "td", "script", "style", "iframe", "svg", "math", "noscript", "template",
    "textarea", "title", "img", "object", "form", "SCRIPT", "ScRiPt",
]  # fmt: skip
_ATTRIBUTES = [
    "", ' href="javascript:alert(1)"', ' href="https://ok.test/a"', ' href="data:text/html,x"',
    ' onclick="alert(1)"', ' style="display:none"', " hidden", ' src="x" onerror="alert(1)"',
    ' href="\x1b]8;;evil\x07"', ' href=" java\tscript:alert(1)"',
]  # fmt: skip
_ENTITIES = [
    "&#27;", "&#x1b;", "&#x9b;", "&#x202e;", "&#8238;", "&#x200b;", "&#0;", "&#xD800;",
    "&#x110000;", "&amp;", "&lt;script&gt;", "&nbsp;", "&bogus;", "&#x7f;", "&#x85;",
]  # fmt: skip


_MARKER = "xss-marker"
_ACTIVE = [
    f"<script>alert('{_MARKER}')</script>",
    f"<SCRIPT type=module>import('{_MARKER}')</SCRIPT>",
    f"<script><!--\nalert('{_MARKER}')//--></script>",
    f"<style>body{{content:'{_MARKER}'}}</style>",
    f'<iframe srcdoc="<script>{_MARKER}</script>"></iframe>',
    f"<svg><script>{_MARKER}</script></svg>",
    f"<noscript>{_MARKER}</noscript>",
    f"<template><p>{_MARKER}</p></template>",
]


@st.composite
def html_fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 4 if depth < 3 else 2))
        if kind == 0:
            # No bare "<" in text: "<?" or "<!" before a tag would make the parser (like a
            # browser) read that tag as a bogus comment and what follows as text.
            # Lone surrogates: see test_lone_surrogates_in_feed_content.
            text = draw(HOSTILE_TEXT).replace("<", "")
            parts.append("".join(ch for ch in text if not "\ud800" <= ch <= "\udfff"))
        elif kind == 1:
            parts.append(draw(st.sampled_from(_ENTITIES)))
        elif kind == 2:
            parts.append(draw(st.sampled_from(_ACTIVE)))
        else:
            tag = draw(st.sampled_from(_TAGS))
            attribute = draw(st.sampled_from(_ATTRIBUTES))
            inner = draw(html_fragments(depth + 1))
            closed = draw(st.booleans())
            parts.append(f"<{tag}{attribute}>{inner}" + (f"</{tag}>" if closed else ""))
    return "".join(parts)


def _all_text(extracted: Extracted) -> Iterator[str]:
    yield extracted.body
    yield from extracted.key_points
    for value in (extracted.title, extracted.author, extracted.image_url):
        if value:
            yield value


@settings(
    max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(html_fragments())
def test_feed_html_becomes_safe_text(html: str) -> None:
    extracted = extract.from_feed_html(html, base_url="https://news.test/story")
    for text in _all_text(extracted):
        assert unsafe_characters(text, allow="\n\t") == [], (html, text)
        assert _MARKER not in text, (html, text)
        if "&lt;" not in html:  # text that spells "<script" may show it, escaped
            assert "<script" not in text.lower(), (html, text)
    for point in extracted.key_points:
        assert "\n" not in point
    assert "javascript:" not in extracted.body.lower() or "javascript:" in _visible_text(html)


def _visible_text(html: str) -> str:
    """Lower-cased input with the attributes it could have carried removed: a
    `javascript:` that a reader typed as text may stay, one from an href may not."""
    text = html.lower()
    for attribute in _ATTRIBUTES:
        text = text.replace(attribute.lower(), "")
    return text


# --- mutated feed documents through parse, update and the store ---------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Valley &amp; Hills News</title><link>https://news.test/</link>
<item><guid>a-1</guid><title>Rivers rise across the valley</title>
<link>https://news.test/rivers</link><pubDate>Mon, 06 Jan 2025 08:00:00 GMT</pubDate>
<author>desk@news.test (Desk)</author>
<description>&lt;p&gt;Water levels rose &lt;b&gt;overnight&lt;/b&gt;.&lt;/p&gt;</description>
<content:encoded><![CDATA[<ul><li>Levels rose two metres overnight</li>
<li>Schools in the valley are closed</li></ul><p>The river rose fast.</p>]]></content:encoded>
</item>
<item><guid isPermaLink="false">a-2</guid><title>Talks resume</title>
<link>https://news.test/talks</link><pubDate>Tue, 07 Jan 2025 09:30:00 +0100</pubDate>
<description>Delegates met again.</description></item>
</channel></rss>
"""
JSON_FEED = """{"version": "https://jsonfeed.org/version/1.1", "title": "Desk \\u001b[2J",
"home_page_url": "https://desk.test/", "items": [
{"id": "j1", "url": "https://desk.test/1", "title": "Snow \\u202eexe.txt",
 "content_html": "<p>Roads closed &#27;]0;x&#7; <script>alert(1)</script></p>",
 "date_published": "2025-01-06T08:00:00Z", "authors": [{"name": "Ada"}]},
{"id": "j2", "title": "Floods", "content_text": "Water\\u0007 rose.", "date_published": "x"}]}
"""
ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">Lab &lt;b&gt;notes&lt;/b&gt;</title>
<link href="https://lab.test/"/><id>urn:lab</id><updated>2025-01-06T08:00:00Z</updated>
<entry><id>urn:lab:1</id><title>A faster compiler</title><link href="/compiler"/>
<updated>2025-01-06T08:00:00Z</updated><author><name>Ada</name></author>
<content type="html">&lt;p&gt;Builds take half the time.&lt;/p&gt;</content></entry>
<entry><id>urn:lab:2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
Batteries <b>last</b></div></title><updated>3025-01-06T08:00:00Z</updated>
<summary>A new chemistry.</summary></entry>
</feed>
"""
_INSERTS = [
    b"&#27;[2J", b"&amp;#27;]0;pwned&amp;#7;", b"&#xD800;", b"&#x110000;", b"&#0;", b"&bogus;",
    b"&#x202e;", b"\x1b[31m", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x9b", b"<![CDATA[",
    b"]]>", b"<!--", b"-->", b"</item>", b"<item>", b"<entry>", b"</channel>", b"<title>",
    b"</title>", b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', b"&a;&a;&a;",
    b'<!ENTITY e SYSTEM "file:///etc/passwd">', b"&e;", b"<guid>a-1</guid>",
    b"<pubDate>Sat, 01 Jan 9999 00:00:00 GMT</pubDate>", b"<pubDate>garbage</pubDate>",
    b'<?xml version="1.0" encoding="utf-16"?>', b"\xc3\x28", b"\xe2\x80\xae",
]  # fmt: skip


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    document = draw(st.sampled_from([RSS, ATOM, JSON_FEED])).encode()
    for _ in range(draw(st.integers(1, 6))):
        operation = draw(st.integers(0, 4))
        at = draw(st.integers(0, len(document)))
        if operation == 0:  # cut short
            document = document[:at]
        elif operation == 1:  # random bytes spliced in
            document = document[:at] + draw(st.binary(max_size=12)) + document[at:]
        elif operation == 2:  # a hostile fragment spliced in
            document = document[:at] + draw(st.sampled_from(_INSERTS)) + document[at:]
        elif operation == 3:  # a tag duplicated
            start = document.find(b"<", at)
            end = document.find(b">", start)
            if 0 <= start < end:
                document = document[:start] + document[start : end + 1] * 2 + document[end + 1 :]
        else:  # a stretch deleted
            length = draw(st.integers(1, 40))
            document = document[:at] + document[at + length :]
    return document


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    store = Store(":memory:")
    yield store
    store.close()


def _stored_texts(store: Store, feed_id: int) -> Iterator[str]:
    feed = store.subscriptions.feed(feed_id)
    assert feed is not None
    yield feed.title
    for article_id in store.views.query_ids(ArticleFilter(feed_id=feed_id, show_hidden=True)):
        article = store.articles.article(article_id)
        assert article is not None
        yield from (article.title, article.summary, article.body, *article.key_points)
        yield from (v for v in (article.author, article.url, article.image_url) if v)
        assert article.published is None or article.published <= NOW.replace(hour=13)


_feed_counter = iter(range(1, 1_000_000))


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(mutated_documents())
@pytest.mark.filterwarnings("ignore:To avoid breaking existing software:DeprecationWarning")
def test_mutated_feeds_parse_or_fail_cleanly_and_store_safe_text(
    store: Store, document: bytes
) -> None:
    feed_id = store.subscriptions.add_feed(
        f"{FEED_URL}?n={next(_feed_counter)}", title=None, tags=(), now=NOW
    )
    # First the valid document, so the mutated one is an update of known articles.
    for content in (RSS.encode(), document):
        try:
            prepared = prepare_update(
                content,
                url=FEED_URL,
                headers={"content-type": "application/rss+xml"},
                known=store.updates.known_articles(feed_id),
                now=NOW,
            )
        except ParseError as error:
            assert str(error) and "\n" not in str(error)
            assert unsafe_characters(str(error)) == []
            continue
        store.updates.apply_update(
            feed_id,
            title=prepared.title,
            site_url=prepared.site_url,
            validators=Validators(),
            articles=prepared.articles,
            now=NOW,
        )
    for text in _stored_texts(store, feed_id):
        assert unsafe_characters(text, allow="\n\t") == [], text
    assert store.db.integrity_ok()


def test_lone_surrogates_in_feed_content() -> None:
    document = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "T", "items": [{"id": "1",'
        b' "title": "Snow \\ud800", "content_html": "<p>Roads \\udc80 closed</p>"}]}'
    )
    prepared = prepare_update(document, url=FEED_URL, headers=None, known=(), now=NOW)
    (article,) = prepared.articles
    assert unsafe_characters(article.title) == []
    body, _ = plain_body(article.feed_html)
    assert "Roads" in body and unsafe_characters(body, allow="\n\t") == []
    assert "Roads" in extract.from_feed_html("<p>Roads \ud800 closed</p>").body


@settings(
    max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.binary(max_size=600))
def test_random_bytes_are_a_parse_error_or_a_feed(content: bytes) -> None:
    try:
        prepared = prepare_update(content, url=FEED_URL, headers=None, known=(), now=NOW)
    except ParseError:
        return
    assert unsafe_characters(prepared.title) == []
