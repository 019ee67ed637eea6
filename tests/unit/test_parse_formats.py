"""parse.py: feed bytes -> ParsedFeed for every format (RSS 0.91, 1.0 and 2.0, Atom 0.3
and 1.0), and the links, titles, stable ids, dates, enclosures and well-formedness warnings
read from them. Hostile and broken documents are in test_parse.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from parse_samples import DATA, FEED_URL, RSS_HEADERS, parse, rss

from readerterm.errors import ParseError
from readerterm.feeds.parse import parse_feed

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


# --- dates and enclosures ------------------------------------------------------------------


def test_dates_missing_garbage_and_absurd() -> None:
    published = {a.guid: a.published for a in parse("dates.xml").articles}
    assert published["d-none"] is None
    assert published["d-garbage"] is None
    assert published["d-13"] is None
    assert published["d-normal"] == datetime(2024, 3, 4, 8, 30, tzinfo=UTC)
    # parse reports what the feed says; update.clamp_date decides what to store
    assert published["d-future"] == datetime(2100, 1, 1, tzinfo=UTC)
    assert all(value is None or value.tzinfo is not None for value in published.values())


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


def test_a_feed_cut_off_before_its_first_story_is_a_failure() -> None:
    # Read as an empty, healthy feed: add subscribed to it and refresh said "updated".
    # Where, in words ("<unknown>:2:38: no element found" was the XML parser's own): the
    # line is the document's, not one of the parser's (feedparser gives a document without
    # an XML declaration one, on a line of its own).
    cut = r"^the feed is cut off before its first story \(an unexpected end at line 2, column 38\)$"
    with pytest.raises(ParseError, match=cut):
        parse_feed(b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Br', url=FEED_URL)
    cut_in_a_tag = b'<rss version="2.0"><channel><title>T</title><link>https://e.org/</li'
    in_a_tag = r"cut off before its first story \(an unfinished tag at line 1, column 65\)$"
    with pytest.raises(ParseError, match=in_a_tag):
        parse_feed(cut_in_a_tag, url=FEED_URL)
    cut_later = b'<rss version="2.0"><channel><title>T</title><item><title>a</title></item></chan'
    feed = parse_feed(cut_later, url=FEED_URL)  # what came before the cut is kept, with a warning
    assert [a.title for a in feed.articles] == ["a"]
    assert feed.warning is not None and feed.warning.startswith("feed is not well-formed")


def test_utf8_with_no_declaration_and_no_content_type_is_read_as_utf8() -> None:
    # Without a Content-Type the document was read as an HTTP answer's ISO-8859-1:
    # "新製品のご案内" came out as "æ–°è£½å“ã®ã”æ¡ˆå†…" (a server sending none, ingest_document).
    title = "新製品のご案内"
    document = f'<rss version="2.0"><channel><title>{title}</title><item><title>{title}</title>'
    feed = parse_feed((document + "</item></channel></rss>").encode(), url=FEED_URL)
    assert feed.title == title and [a.title for a in feed.articles] == [title]
    latin = '<rss version="2.0"><channel><title>Café</title></channel></rss>'.encode("latin-1")
    assert parse_feed(latin, url=FEED_URL).title == "Café"  # (not UTF-8: read as before)


def test_a_feed_cut_just_inside_its_last_item_keeps_the_stories_before() -> None:
    # The cut item came out as an "(untitled)" story with nothing in it.
    head = b'<rss version="2.0"><channel><title>T</title><item><title>a</title></item>'
    for cut in (b"<item>\n  <", b"<item><title>b</ti"):
        feed = parse_feed(head + cut, url=FEED_URL)
        assert [a.title for a in feed.articles] == ["a"], cut
        assert feed.warning is not None and feed.warning.startswith("feed is not well-formed")
