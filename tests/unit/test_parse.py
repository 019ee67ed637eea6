"""parse.py on hostile and broken input: markup and escapes in titles, documents that are
not feeds, entity expansion, external entities, invalid character references, broken
encodings, and documents with more entries than the cap. Each format and the fields read
from it are in test_parse_formats.py."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from parse_samples import DATA, FEED_URL, RSS_HEADERS, parse, rss

from readerterm.errors import ParseError
from readerterm.feeds.parse import MAX_ARTICLES_PER_DOCUMENT, parse_feed
from readerterm.models import ParsedFeed


def peak_memory(work: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def no_control_characters(text: str) -> bool:
    return not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text)


# --- untrusted text -----------------------------------------------------------------------


def test_markup_in_titles_is_kept_literally_and_escapes_removed() -> None:
    feed = parse("hostile_titles.xml")
    assert feed.title == "Evil Channel [@click=app.quit]"
    first, second, third = feed.articles
    assert first.title == (
        "[@click=app.quit]Quit[/] [bold]bold[/] [link=https://x.example/]x[/link] \\"
    )
    assert first.author == "[$accent]mallory[/]"
    assert second.title == "Raw red and link and dcs"
    assert "\x1b" not in third.title
    assert third.title.startswith("Encoded red and ")
    for text in (feed.title, *(a.title for a in feed.articles)):
        assert no_control_characters(text)


def test_html_title_with_entities_becomes_plain_text() -> None:
    feed = parse_feed(
        rss("<item><title>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; AT&amp;T</title><guid>1</guid></item>"),
        url=FEED_URL,
    )
    assert feed.articles[0].title == "Bold & AT&T"


# --- not a feed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.xml", "empty document"),
        ("empty_object.json", "JSON"),
        ("html_page.html", "HTML page"),
    ],
)
def test_documents_that_are_not_feeds(name: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse(name)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"   \n\t ", "empty document"),
        (b'[{"title": "x"}]', "JSON"),
        (b"<html><body><p>captive portal</p></body></html>", "HTML page"),
        (b"just some text", "^not a feed: the server sent plain text$"),
        (b"# Notes\n\n* one & two < three\n", "^not a feed: the server sent plain text$"),
        (b"\x00\x01\x02\xff\xfe", "^not a feed: the server sent binary data$"),
        (b"<a><b></a>", r"^not a feed: the XML is broken \(a closing tag that does not match"),
        (b"<note><to>x</to></note>", "^not an RSS or Atom feed$"),
    ],
)
def test_other_non_feeds(content: bytes, reason: str) -> None:
    # Said as what the document is, never as the XML parser's complaint about a document
    # that was never XML ("not a feed: <unknown>:2:0: syntax error").
    with pytest.raises(ParseError, match=reason):
        parse_feed(content, url=FEED_URL)


@pytest.mark.parametrize(
    ("content", "content_type", "reason"),
    [
        (b"# Readme\n\nSome *words*.\n", "text/markdown; charset=utf-8", "text/markdown"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", "image/png"),
        (b"<!-- a comment -->\n# Readme", "text/markdown", "text/markdown"),
        (b"plain words", "text/plain", "plain text"),
        (b"plain words", "application/rss+xml", "plain text"),  # (a feed's type, wrongly)
        (b"\x00\x01binary", "application/octet-stream", "binary data"),
        (b"plain words", "no media type at all", "plain text"),
    ],
)
def test_a_non_feed_is_named_by_the_type_the_server_gave(
    content: bytes, content_type: str, reason: str
) -> None:
    with pytest.raises(ParseError) as raised:
        parse_feed(content, url=FEED_URL, headers={"Content-Type": content_type})
    assert str(raised.value) == f"not a feed: the server sent {reason}"


def test_a_url_or_path_as_content_is_never_opened(tmp_path: Path) -> None:
    target = tmp_path / "feed.xml"
    target.write_bytes((DATA / "rss091.xml").read_bytes())
    for content in (str(target).encode(), target.as_uri().encode(), FEED_URL.encode()):
        with pytest.raises(ParseError):
            parse_feed(content, url=FEED_URL)


# --- hostile documents ----------------------------------------------------------------------


def test_billion_laughs_is_not_expanded() -> None:
    content = (DATA / "billion_laughs.xml").read_bytes()
    result, peak = peak_memory(lambda: parse_feed(content, url=FEED_URL))
    assert isinstance(result, ParsedFeed)
    assert "lol" * 100 not in result.title
    for article in result.articles:
        assert len(article.title) + len(article.summary_html) < len(content)
    assert peak < 20 * 1024 * 1024


def test_large_entity_referenced_thousands_of_times_is_not_expanded() -> None:
    content = (DATA / "large_entity.xml").read_bytes()
    result, peak = peak_memory(lambda: parse_feed(content, url=FEED_URL))
    assert isinstance(result, ParsedFeed)
    assert "AAAA" not in result.title
    for article in result.articles:
        assert "A" * 4096 not in article.summary_html
        assert len(article.summary_html) <= len(content)
    assert peak < 20 * 1024 * 1024


def _entity_feed(entity_size: int, references: int, *, before_doctype: str = "") -> str:
    # Each declaration on its own line: that is the form feedparser's loose parser keeps.
    return (
        '<?xml version="1.0"?>\n'
        + before_doctype
        + '<!DOCTYPE rss [\n<!ENTITY big "'
        + "A" * entity_size
        + '">\n]>\n<rss version="2.0"><channel><title>Big</title>'
        + '<item><title>t</title><guid isPermaLink="false">1</guid><description>'
        + "&big;" * references
        + "</description></item></channel></rss>\n"
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_entity_feed(8_000, 3_000).encode(), id="small-dtd"),
        pytest.param(_entity_feed(70_000, 200).encode(), id="dtd-larger-than-64KiB"),
        pytest.param(
            _entity_feed(1_000, 3_000, before_doctype="<!--" + "x" * 70_000 + "-->\n").encode(),
            id="dtd-after-64KiB-of-comment",
        ),
        pytest.param(
            _entity_feed(1_000, 3_000)
            .replace('"1.0"?>', '"1.0" encoding="utf-16"?>', 1)
            .encode("utf-16"),
            id="utf-16-document",
        ),
        pytest.param(
            _entity_feed(1_000, 3_000, before_doctype='<!DOCTYPE rss SYSTEM "rss.dtd">\n').encode(),
            id="second-doctype-after-a-harmless-one",
        ),
        pytest.param(
            _entity_feed(1_000, 3_000, before_doctype="stray text\n").encode(),
            id="text-before-the-doctype",
        ),
        pytest.param(
            _entity_feed(1_000, 3_000, before_doctype="<!ELEMENT x ANY>\n").encode(),
            id="declaration-before-the-doctype",
        ),
    ],
)
def test_internal_entities_never_expand(content: bytes) -> None:
    result, peak = peak_memory(lambda: parse_feed(content, url=FEED_URL))
    assert isinstance(result, ParsedFeed)
    summary = result.articles[0].summary_html if result.articles else ""
    assert len(summary) <= len(content), "an internal entity was expanded"
    assert peak < 40 * 1024 * 1024


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    content = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">\n'
        '<!ENTITY net SYSTEM "http://127.0.0.1:9/x">\n]>\n'
        '<rss version="2.0"><channel><title>X &xxe; &net;</title>'
        '<item><title>&xxe;</title><guid isPermaLink="false">1</guid>'
        "<description>&xxe;</description></item></channel></rss>"
    ).encode()
    feed = parse_feed(content, url=FEED_URL)
    assert "TOP-SECRET" not in feed.title
    assert all("TOP-SECRET" not in a.title + a.summary_html for a in feed.articles)


def test_invalid_character_references_are_a_parse_error_or_dropped() -> None:
    """`&#xD800;` and `&#x110000;` make feedparser raise; that must become a ParseError
    (a per-feed error), never another exception, and never a lone surrogate in a title."""
    try:
        feed = parse("invalid_charrefs.xml")
    except ParseError as error:
        assert "could not parse" in str(error)
        return
    for article in feed.articles:
        article.title.encode("utf-8")  # no lone surrogates
        article.summary_html.encode("utf-8")
    assert "A good item" in [a.title for a in feed.articles]


@pytest.mark.parametrize(
    "reference", ["&#xD800;", "&#55296;", "&#x110000;", "&#1114112;", "&#99999999999999999999;"]
)
def test_each_invalid_character_reference(reference: str) -> None:
    content = rss(f"<item><title>a {reference} b</title><guid>1</guid></item>")
    try:
        feed = parse_feed(content, url=FEED_URL)
    except ParseError:
        return
    assert feed.articles[0].title.encode("utf-8")


def test_bom_mismatch_is_read() -> None:
    feed = parse("bom_mismatch.xml")
    assert feed.title == "BOM says UTF-8, declaration says UTF-16"
    assert feed.articles[0].title == "Café crème"


def test_utf16_with_bom_declared_utf8_is_read() -> None:
    content = (
        '\ufeff<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Sixteen</title><item><title>café</title><guid>1</guid></item></channel></rss>"
    ).encode("utf-16-le")
    feed = parse_feed(content, url=FEED_URL)
    assert feed.title == "Sixteen"
    assert feed.articles[0].title == "café"


def test_doctype_text_inside_cdata_is_left_alone() -> None:
    """The DOCTYPE stripper must only touch a real DOCTYPE before the root element, not text
    that mentions one inside an item (feedparser's own well-formed test case)."""
    content = (
        b'<rss version="2.0"><channel><title>Doc</title>\n<item><guid>1</guid>'
        b"<description><![CDATA[ <!DOCTYPE ]]></description>\n</item></channel></rss>"
    )
    feed = parse_feed(content, url=FEED_URL, headers=RSS_HEADERS)
    assert feed.warning is None
    assert feed.articles[0].summary_html.strip() == "<!DOCTYPE"


# --- documents with more entries than the cap -------------------------------------------


def test_entries_beyond_the_cap_are_dropped() -> None:
    count = MAX_ARTICLES_PER_DOCUMENT + 150
    items = "".join(
        f'<item><title>n{i}</title><guid isPermaLink="false">g{i}</guid></item>'
        for i in range(count)
    )
    feed = parse_feed(rss(items), url=FEED_URL)
    assert len(feed.articles) == MAX_ARTICLES_PER_DOCUMENT
    assert feed.articles[0].guid == "g0"
    assert feed.articles[-1].guid == f"g{MAX_ARTICLES_PER_DOCUMENT - 1}"


def test_a_100000_item_feed_is_cut_to_the_cap_before_parsing() -> None:
    items = "".join(
        f"<item><title>Item {i}</title><guid>g{i}</guid><link>https://x.example/{i}</link></item>"
        for i in range(100_000)
    )
    document = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}'
    document += "</channel></rss>"
    tracemalloc.start()
    try:
        feed = parse_feed(document.encode(), url="https://x.example/feed.xml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(feed.articles) == MAX_ARTICLES_PER_DOCUMENT
    assert feed.articles[0].title == "Item 0"
    assert feed.articles[-1].title == f"Item {MAX_ARTICLES_PER_DOCUMENT - 1}"
    assert feed.warning is None  # the shortened document is still well formed
    assert peak < 64 * 1024 * 1024
