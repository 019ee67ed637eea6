"""fastparse reads the values in a document as feedparser does: the fields of typical
hand-written RSS and Atom feeds, the response headers, generated text and dates.

Wherever the fast path accepts a document, parse_feed's whole ParsedFeed must equal the one
made through feedparser (see fastparse_compare.py); the corpus, the benchmark's feeds and
the documents left to feedparser are in test_fastparse.py.
"""

from __future__ import annotations

import pytest
from fastparse_compare import URL, assert_fast_equals_feedparser, both, rss_with
from feedparser.datetimes import _parse_date
from hypothesis import given, settings
from hypothesis import strategies as st

from readerterm.feeds import fastparse_document, fastparse_values, parse

# -- typical feeds written by hand --------------------------------------------------------

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Caf\xc3\xa9 &amp; News</title>
  <link>https://example.com/</link>
  <atom:link href="https://example.com/feed.xml" rel="self" type="application/rss+xml"/>
  <description>All the news</description>
  <language>en</language>
  <image><url>https://example.com/logo.png</url><title>Logo</title>
    <link>https://example.com/</link></image>
  <item>
    <title>First &lt;b&gt;story&lt;/b&gt; \xe2\x80\x94 caf\xc3\xa9</title>
    <link>https://example.com/1?a=1&amp;b=2</link>
    <guid isPermaLink="false">id-1</guid>
    <pubDate>Tue, 03 Jun 2025 09:15:00 +0200</pubDate>
    <dc:creator>Ann Writer</dc:creator>
    <category>World</category>
    <description>&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>The <em>whole</em> story, & more.</p>]]></content:encoded>
    <media:thumbnail url="https://example.com/thumb.jpg" width="120"/>
    <enclosure url="https://example.com/a.mp3" length="1200" type="audio/mpeg"/>
  </item>
  <item>
    <title>Second</title>
    <guid>https://example.com/2</guid>
    <pubDate>Wed, 04 Jun 2025 10:00:00 GMT</pubDate>
    <author>bob@example.com (Bob)</author>
    <description>Only a summary</description>
    <media:content url="https://example.com/pic.jpg" medium="image"/>
  </item>
  <item>
    <title></title>
    <guid>relative/3</guid>
    <description>An untitled story whose summary becomes its title</description>
  </item>
  <item><title>Same guid</title><guid isPermaLink="false">dup</guid></item>
  <item><title>Same guid again</title><guid isPermaLink="false">dup</guid></item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/"
      xml:lang="en">
  <title type="text">An Atom feed</title>
  <subtitle>Things</subtitle>
  <link href="https://example.org/"/>
  <link rel="self" href="https://example.org/atom.xml"/>
  <id>tag:example.org,2025:feed</id>
  <updated>2025-06-01T12:00:00Z</updated>
  <author><name>Site Owner</name></author>
  <entry>
    <title type="html">A &lt;i&gt;title&lt;/i&gt;</title>
    <link rel="alternate" type="text/html" href="https://example.org/posts/1"/>
    <link rel="enclosure" type="image/png" href="https://example.org/pic.png"/>
    <id>tag:example.org,2025:1</id>
    <published>2025-06-01T08:30:00.250-05:00</published>
    <updated>2025-06-02T08:30:00Z</updated>
    <author><name>Carol</name><email>carol@example.org</email></author>
    <summary type="html">&lt;p&gt;Summary&lt;/p&gt;</summary>
    <content type="html">&lt;p&gt;Body &amp;amp; more&lt;/p&gt;</content>
    <media:thumbnail url="/thumbs/1.jpg"/>
  </entry>
  <entry>
    <title>No link, id is a URL</title>
    <id>https://example.org/posts/2</id>
    <updated>2025-06-03T00:00:00+01:30</updated>
    <content>Plain text body with a &lt; sign</content>
  </entry>
  <entry>
    <title>Relative link</title>
    <link href="posts/3"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <updated>2025-06-04</updated>
    <summary>Same</summary>
    <content>Same</content>
  </entry>
</feed>
"""


def test_a_typical_rss_feed_equals_feedparser() -> None:
    parsed = assert_fast_equals_feedparser(RSS)
    assert parsed.title == "Café & News"
    first = parsed.articles[0]
    assert first.title == "First story — café"
    assert first.url == "https://example.com/1?a=1&b=2"
    assert first.image_url == "https://example.com/thumb.jpg"
    assert first.enclosures == ("https://example.com/a.mp3",)
    assert parsed.articles[2].url == "https://example.com/blog/relative/3"
    assert parsed.articles[3].guid != parsed.articles[4].guid


def test_a_typical_atom_feed_equals_feedparser() -> None:
    parsed = assert_fast_equals_feedparser(ATOM)
    assert parsed.site_url == "https://example.org/"
    first = parsed.articles[0]
    assert first.author == "Carol (carol@example.org)"
    assert first.image_url == "https://example.com/thumbs/1.jpg"
    assert parsed.articles[2].url == "https://example.com/blog/posts/3"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/rss+xml"},
        {"Content-Type": "text/xml; charset=UTF-8"},
        {"content-type": "application/xml", "Content-Location": "https://example.net/x/"},
        {"Content-Type": "text/html"},
    ],
)
def test_response_headers_are_read_alike(headers: dict[str, str]) -> None:
    assert_fast_equals_feedparser(RSS, headers=headers)
    assert_fast_equals_feedparser(ATOM, headers=headers)


def test_a_json_feed_still_parses() -> None:
    parsed = parse.parse_feed(
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": []}', url=URL
    )
    assert parsed.title == "J"


# -- generated text and dates ----------------------------------------------------------

_XML_TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\ufffe\uffff"),
    max_size=40,
).filter(lambda s: all(c in "\t\n\r" or ord(c) >= 0x20 for c in s))


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@settings(max_examples=150, deadline=None)
@given(title=_XML_TEXT, body=_XML_TEXT, author=_XML_TEXT, link=_XML_TEXT)
def test_generated_text_reads_alike(title: str, body: str, author: str, link: str) -> None:
    item = (
        f"<title>{_escaped(title)}</title><link>{_escaped(link)}</link>"
        f"<author>{_escaped(author)}</author><description>{_escaped(body)}</description>"
        f"<content:encoded>{_escaped(body + title)}</content:encoded>"
    )
    document = rss_with(item)
    reference, fast = both(document)
    assert fast == reference


_DAY_NAMES = st.sampled_from(["", "Mon, ", "Sat, ", "Thu, "])
_MONTH_NAMES = st.sampled_from(["Jan", "feb", "MAR", "Jun", "Oct", "Dec", "Foo"])
_ZONES = st.sampled_from(["GMT", "UT", "UTC", "Z", "EST", "pdt", "+0000", "-0530", "+1400", "A"])


@settings(max_examples=400, deadline=None)
@given(
    day_name=_DAY_NAMES,
    day=st.integers(0, 32),
    month=_MONTH_NAMES,
    year=st.integers(1000, 9999),
    hour=st.integers(0, 25),
    minute=st.integers(0, 60),
    second=st.one_of(st.none(), st.integers(0, 61)),
    zone=_ZONES,
)
def test_rfc822_dates_read_as_feedparser_reads_them(
    day_name: str,
    day: int,
    month: str,
    year: int,
    hour: int,
    minute: int,
    second: int | None,
    zone: str,
) -> None:
    seconds = "" if second is None else f":{second:02d}"
    text = f"{day_name}{day:02d} {month} {year} {hour:02d}:{minute:02d}{seconds} {zone}"
    _assert_same_date(text)


@settings(max_examples=400, deadline=None)
@given(
    year=st.integers(1000, 9999),
    month=st.integers(0, 13),
    day=st.integers(0, 32),
    time_part=st.one_of(
        st.none(),
        st.tuples(
            st.integers(0, 25),
            st.integers(0, 60),
            st.one_of(st.none(), st.integers(0, 61)),
            st.sampled_from(["", ".5", ".123456"]),
            st.sampled_from(["Z", "z", "+00:00", "-05:30", "+14:00", "+0100", ""]),
        ),
    ),
)
def test_w3c_dates_read_as_feedparser_reads_them(
    year: int,
    month: int,
    day: int,
    time_part: tuple[int, int, int | None, str, str] | None,
) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}"
    if time_part is not None:
        hour, minute, second, fraction, zone = time_part
        seconds = "" if second is None else f":{second:02d}{fraction}"
        text += f"T{hour:02d}:{minute:02d}{seconds}{zone}"
    _assert_same_date(text)


def _assert_same_date(text: str) -> None:
    try:
        mine = fastparse_values.date(text)
    except fastparse_document.Unsure:
        return  # left to feedparser
    assert mine == _parse_date(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Sat, 01 Jun 2025 12:00:00 GMT",
        "Tue, 03 Jun 2025 09:15:00 +0200",
        "3 Jun 2025 23:59 EST",
        "2025-06-01T12:00:00Z",
        "2025-06-01T08:30:00.250-05:30",
        "2025-06-01",
    ],
)
def test_common_dates_are_read_by_the_fast_path(text: str) -> None:
    assert fastparse_values.date(text) == _parse_date(text)


def test_generated_style_text_is_taken_by_the_fast_path() -> None:
    """The property test above compares results; this shows such documents are taken."""
    item = "<title>Ünïcödé — “quotes” 😀 &amp; more</title><link>https://example.com/ü</link>"
    assert_fast_equals_feedparser(rss_with(item))
