"""parse.py: feed bytes -> ParsedFeed for every format, hostile documents included."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from readerterm.errors import ParseError
from readerterm.feeds.parse import MAX_ARTICLES_PER_DOCUMENT, parse_feed
from readerterm.models import ParsedFeed

DATA = Path(__file__).parent / "data"
FEED_URL = "https://feeds.example.org/feed.xml"
RSS_HEADERS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def parse(name: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    return parse_feed((DATA / name).read_bytes(), url=FEED_URL, headers=headers)


def rss(items: str, *, channel: str = "<title>T</title><link>https://e.org/</link>") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{channel}'
        f"{items}</channel></rss>"
    ).encode()


def peak_memory(work: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = work()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def no_control_characters(text: str) -> bool:
    return not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text)


# --- formats ---------------------------------------------------------------------------


def test_rss_091() -> None:
    feed = parse("rss091.xml")
    assert feed.title == "Old School News"
    assert feed.site_url == "https://old.example.org/"
    assert [a.title for a in feed.articles] == ["First story", "Second story"]
    first = feed.articles[0]
    assert first.url == "https://old.example.org/stories/1"
    assert first.guid == first.url  # no guid: the link is the id
    assert first.summary_html == "The first story of an RSS 0.91 channel."
    assert first.published is None


def test_rss_10_rdf() -> None:
    feed = parse("rss10.rdf")
    assert feed.title == "RDF Site Summary"
    assert [a.title for a in feed.articles] == ["Item A", "Item B"]
    item = feed.articles[0]
    assert item.url == "https://rdf.example.org/a"
    assert item.guid == "https://rdf.example.org/a"
    assert item.author == "Ada Writer"
    assert item.published == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert item.summary_html == "About item A."


def test_rss_20_with_content_encoded() -> None:
    feed = parse("rss20_content.xml")
    assert feed.title == "Full Text Daily"
    assert feed.site_url == "https://daily.example.org/"
    assert len(feed.articles) == 3
    first = feed.articles[0]
    assert first.guid == "daily-0001"
    assert first.url == "https://daily.example.org/2024/rivers"
    assert first.author == "Sam Reporter"
    assert first.published == datetime(2024, 3, 4, 8, 30, tzinfo=UTC)
    assert first.summary_html == "Short teaser about the rivers."
    assert "Rivers across the valley rose by two metres" in first.content_html
    # the teaser and the full content are both kept; description-only items have no content
    assert feed.articles[2].content_html == ""
    assert "central library" in feed.articles[2].summary_html


def test_atom_10() -> None:
    feed = parse("atom10.xml")
    assert feed.title == "Atom Weekly"
    assert feed.site_url == "https://atom.example.org/"
    one, two = feed.articles
    assert one.guid == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert one.url == "https://atom.example.org/one"
    assert one.author == "Jo Atom"
    assert one.published == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)  # published over updated
    assert one.summary_html == "Summary of entry one."
    assert "full content of entry one" in one.content_html
    # an HTML title becomes plain text
    assert two.title == "Second entry"
    assert two.published == datetime(2024, 3, 4, 11, 0, tzinfo=UTC)  # updated when no published
    assert "XHTML content of entry two." in two.content_html


def test_atom_03() -> None:
    feed = parse("atom03.xml")
    assert feed.title == "Atom Zero Three"
    (entry,) = feed.articles
    assert entry.guid == "tag:atom03.example.org,2004:entry-1"
    assert entry.url == "https://atom03.example.org/2004/01/entry"
    assert entry.author == "Old Timer"
    assert entry.published == datetime(2004, 1, 5, 8, 0, tzinfo=UTC)
    assert "Content from 2004." in entry.content_html


def test_relative_links_follow_xml_base() -> None:
    feed = parse("xml_base.xml")
    assert feed.site_url == "https://base.example.org/blog/"
    first, second, third = feed.articles
    assert first.url == "https://base.example.org/blog/posts/first.html"
    assert second.url == "https://other.example.net/archive/second.html"
    # a javascript: link is dropped; the entry keeps its own id
    assert third.url is None
    assert third.guid == "tag:base.example.org,2024:3"


def test_relative_links_without_base_use_the_feed_url() -> None:
    feed = parse("relative_no_base.xml")
    assert feed.site_url == "https://feeds.example.org/"
    assert feed.articles[0].url == "https://feeds.example.org/stories/42"


def test_response_content_location_is_the_base() -> None:
    content = (DATA / "relative_no_base.xml").read_bytes()
    feed = parse_feed(
        content, url=FEED_URL, headers={"Content-Location": "https://mirror.example.net/x/feed"}
    )
    assert feed.articles[0].url == "https://mirror.example.net/stories/42"


def test_non_http_links_and_images_are_dropped() -> None:
    feed = parse_feed(
        rss(
            '<item><title>a</title><guid isPermaLink="false">1</guid>'
            "<link>file:///etc/passwd</link>"
            '<enclosure url="javascript:alert(1)" type="image/png" length="1"/></item>'
            '<item><title>b</title><guid isPermaLink="false">2</guid>'
            "<link>https://e.org/b</link>"
            '<enclosure url="/img/b.png" type="image/png" length="1"/></item>'
        ),
        url=FEED_URL,
    )
    a, b = feed.articles
    assert a.url is None
    assert a.image_url is None
    assert b.image_url == "https://feeds.example.org/img/b.png"


def test_feed_without_title_uses_the_host() -> None:
    feed = parse_feed(
        rss('<item><guid isPermaLink="false">1</guid></item>', channel=""), url=FEED_URL
    )
    assert feed.title == "feeds.example.org"


def test_item_without_title_takes_words_from_its_text() -> None:
    feed = parse("no_guid_no_link.xml")
    assert feed.articles[2].title == "No title either, only this description text."
    long = parse_feed(
        rss("<item><description>" + " ".join(f"w{i}" for i in range(30)) + "</description></item>"),
        url=FEED_URL,
    )
    assert long.articles[0].title == " ".join(f"w{i}" for i in range(12)) + " …"
    empty = parse_feed(rss('<item><guid isPermaLink="false">x</guid></item>'), url=FEED_URL)
    assert empty.articles[0].title == "(untitled)"


# --- well-formedness warnings ----------------------------------------------------------


def test_well_formed_feed_has_no_warning_with_a_content_type() -> None:
    assert parse("rss20_content.xml", RSS_HEADERS).warning is None


def test_well_formed_feed_has_no_warning_without_headers() -> None:
    """ingest_document and servers that send no Content-Type pass no headers; feedparser's
    "no Content-type specified" is not a problem with the document."""
    assert parse("rss20_content.xml").warning is None


def test_ill_formed_feed_is_read_with_a_warning() -> None:
    feed = parse("bozo.xml", RSS_HEADERS)
    assert feed.warning is not None
    assert feed.warning.startswith("feed is not well-formed")
    assert feed.title == "Sloppy & Broken"
    assert [a.guid for a in feed.articles] == [
        "https://sloppy.example.org/1",
        "https://sloppy.example.org/2",
    ]


# --- stable ids -------------------------------------------------------------------------


def test_ids_prefer_guid_then_link_then_a_hash() -> None:
    assert parse("rss20_content.xml").articles[0].guid == "daily-0001"
    assert parse("rss091.xml").articles[0].guid == "https://old.example.org/stories/1"
    hashed = [a.guid for a in parse("no_guid_no_link.xml").articles]
    assert all(guid.startswith("sha1:") for guid in hashed)
    assert len(set(hashed)) == 3


def test_ids_are_stable_across_parses() -> None:
    for name in ("no_guid_no_link.xml", "duplicate_guids.xml", "rss091.xml", "atom10.xml"):
        assert [a.guid for a in parse(name).articles] == [a.guid for a in parse(name).articles]


def test_hashed_id_changes_with_the_title() -> None:
    one = parse_feed(rss("<item><title>A</title><description>x</description></item>"), url=FEED_URL)
    two = parse_feed(rss("<item><title>B</title><description>x</description></item>"), url=FEED_URL)
    assert one.articles[0].guid != two.articles[0].guid


def test_duplicate_guids_are_all_kept_with_distinct_stable_ids() -> None:
    feed = parse("duplicate_guids.xml")
    guids = [a.guid for a in feed.articles]
    assert [a.title for a in feed.articles] == [
        "First with shared guid",
        "Second with shared guid",
        "Third with shared guid",
    ]
    assert guids[0] == "shared"
    assert len(set(guids)) == 3
    assert all(guid.startswith("shared") for guid in guids)


def test_identical_duplicates_still_get_distinct_ids() -> None:
    item = '<item><title>Same</title><guid isPermaLink="false">g</guid></item>'
    feed = parse_feed(rss(item * 4), url=FEED_URL)
    guids = [a.guid for a in feed.articles]
    assert len(set(guids)) == 4
    assert guids == [a.guid for a in parse_feed(rss(item * 4), url=FEED_URL).articles]


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
        (b"just some text", "not a feed"),
        (b"\x00\x01\x02\xff\xfe", "not a feed"),
    ],
)
def test_other_non_feeds(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_feed(content, url=FEED_URL)


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


def test_dates_missing_garbage_and_absurd() -> None:
    published = {a.guid: a.published for a in parse("dates.xml").articles}
    assert published["d-none"] is None
    assert published["d-garbage"] is None
    assert published["d-13"] is None
    assert published["d-normal"] == datetime(2024, 3, 4, 8, 30, tzinfo=UTC)
    # parse reports what the feed says; update.clamp_date decides what to store
    assert published["d-future"] == datetime(2100, 1, 1, tzinfo=UTC)
    assert all(value is None or value.tzinfo is not None for value in published.values())


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


PODCAST = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Pod</title>
<item><title>Episode 1</title><guid>e1</guid>
<enclosure url="/audio/ep1.mp3" type="audio/mpeg" length="123"/>
<media:thumbnail url="https://cdn.example/ep1.jpg"/>
<media:content url="https://cdn.example/ep1.mp4" type="video/mp4"/>
</item>
<item><title>Episode 2</title><guid>e2</guid>
<enclosure url="javascript:alert(1)" type="audio/mpeg"/>
</item></channel></rss>"""


def test_enclosures_and_media_thumbnails_are_kept() -> None:
    first, second = parse_feed(PODCAST, url="https://pod.example/feed.xml").articles
    assert first.enclosures == (
        "https://pod.example/audio/ep1.mp3",
        "https://cdn.example/ep1.mp4",
    )
    assert first.image_url == "https://cdn.example/ep1.jpg"
    assert second.enclosures == ()  # only http(s) links are kept


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
