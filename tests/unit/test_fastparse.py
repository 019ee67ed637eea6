"""fastparse must read every document it accepts exactly as the feedparser path does.

The proof is the comparison over feedparser's own test corpus (about 2,100 documents,
most of them edge cases), the benchmark's synthetic feeds, typical hand-written feeds and
generated text and dates; wherever the fast path accepts a document, parse_feed's whole
ParsedFeed must equal the one made through feedparser.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

import pytest
from feedparser.datetimes import _parse_date
from hypothesis import given, settings
from hypothesis import strategies as st

from prerequisites import prerequisite
from readerterm.errors import ParseError
from readerterm.feeds import fastparse, fastparse_document, fastparse_values, parse
from readerterm.models import ParsedFeed

ROOT = Path(__file__).parents[2]
CORPUS = ROOT.parent / "shared" / "corpora" / "feedparser-tests"
FILES = (
    sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "LICENSE")
    if CORPUS.is_dir()
    else []
)
NEEDS_CORPUS = prerequisite(
    bool(FILES), f"feedparser's test corpus is not at {CORPUS} (../shared/corpora)"
)
CHUNKS = 4
URL = "https://example.com/blog/feed.xml"


def _feedgen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("feedgen", ROOT / "benchmarks" / "feedgen.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("feedgen", module)
    spec.loader.exec_module(module)
    return module


def accepted(content: bytes, url: str = URL, headers: Mapping[str, str] | None = None) -> bool:
    """Whether the fast path reads this document (it sees what feedparser would see)."""
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    response_headers.setdefault("content-location", url)
    try:
        document = parse._first_entries(
            parse._valid_character_references(parse._without_doctype(content))
        )
    except ParseError:
        return False
    return fastparse.read_simple_feed(document, headers=response_headers) is not None


def both(
    content: bytes, url: str = URL, headers: Mapping[str, str] | None = None
) -> tuple[ParsedFeed | str, ParsedFeed | str]:
    """parse_feed through feedparser, and through the fast path (errors as text)."""
    results: list[ParsedFeed | str] = []
    for fast in (False, True):
        try:
            results.append(parse._parse_feed(content, url=url, headers=headers, fast=fast))
        except ParseError as error:
            results.append(f"ParseError: {error}")
    return results[0], results[1]


def assert_fast_equals_feedparser(
    content: bytes, url: str = URL, headers: Mapping[str, str] | None = None
) -> ParsedFeed:
    assert accepted(content, url, headers), "the fast path gave up on this document"
    reference, fast = both(content, url, headers)
    assert isinstance(reference, ParsedFeed), reference
    assert fast == reference
    return reference


# -- the corpus ---------------------------------------------------------------------


@NEEDS_CORPUS
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_fast_path_equals_feedparser_on_the_corpus(chunk: int) -> None:
    differences: list[str] = []
    taken = 0
    for index, path in enumerate(FILES[chunk::CHUNKS]):
        content = path.read_bytes()
        url = f"https://corpus.example/{chunk}/{index}/feed.xml"
        if not accepted(content, url):
            continue
        taken += 1
        reference, fast = both(content, url)
        if fast != reference:
            differences.append(str(path.relative_to(CORPUS)))
    print(f"chunk {chunk}: fast path took {taken} of {len(FILES[chunk::CHUNKS])} documents")
    assert not differences, differences
    # About 750 of the 2,107 documents (the rest are DTDs, entities, encodings, XHTML,
    # ill-formed XML, old formats...); each quarter must exercise the fast path.
    assert taken > 140


@NEEDS_CORPUS
def test_fast_path_equals_feedparser_on_the_corpus_with_headers() -> None:
    """The same, served with a Content-Type header (a third of the corpus, for time)."""
    taken = 0
    for index, path in enumerate(FILES[::3]):
        content = path.read_bytes()
        url = f"https://corpus.example/headers/{index}/feed.xml"
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        if accepted(content, url, headers):
            taken += 1
            reference, fast = both(content, url, headers)
            assert fast == reference, path
    assert taken > 150


# -- the benchmark's feeds --------------------------------------------------------------


@pytest.mark.parametrize("with_headers", [False, True])
def test_fast_path_takes_the_benchmark_feeds(with_headers: bool) -> None:
    documents = _feedgen().generate(6, 12, atom_feeds=2)
    assert {d.kind for d in documents} == {"rss", "atom"}
    for document in documents:
        url = f"https://site{document.number}.example.com/feed"
        headers = {"Content-Type": document.content_type} if with_headers else None
        parsed = assert_fast_equals_feedparser(document.body, url, headers)
        assert len(parsed.articles) == 12
        assert all(a.published and a.content_html and a.author for a in parsed.articles)


def test_the_fast_path_is_faster_on_the_benchmark_feeds() -> None:
    """Not a timed assertion of a target: only that the fast path is really used."""
    documents = _feedgen().generate(2, 30, atom_feeds=1)
    spent = {}
    for fast in (False, True):
        start = time.perf_counter()
        for document in documents:
            parse._parse_feed(document.body, url=URL, headers=None, fast=fast)
        spent[fast] = time.perf_counter() - start
    assert spent[True] < spent[False]


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


# -- documents the fast path must leave to feedparser ------------------------------------


def _rss_with(item: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> bytes:
    return (
        f'{declaration}{chr(10) if declaration else ""}<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
        f'content/"><channel><title>T</title><link>https://example.com/</link>'
        f"<item>{item}</item></channel></rss>"
    ).encode()


PLAIN_ITEM = "<title>A</title><link>https://example.com/a</link><description>d</description>"


def test_the_plain_document_used_below_is_accepted() -> None:
    assert_fast_equals_feedparser(_rss_with(PLAIN_ITEM))


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "x">]>'
            + _rss_with("<title>&e;</title>", declaration=""),
            id="doctype-entity",
        ),
        pytest.param(
            _rss_with(PLAIN_ITEM).replace(b"<channel>", b'<channel xml:base="https://b.example/">'),
            id="xml-base",
        ),
        pytest.param(_rss_with(PLAIN_ITEM + "<title>B</title"), id="malformed"),
        pytest.param(_rss_with("<title>A &nbsp; B</title>"), id="undefined-entity"),
        pytest.param(
            _rss_with("<title>caf\u00e9</title>", '<?xml version="1.0" encoding="iso-8859-1"?>')
            .decode()
            .encode("latin-1"),
            id="latin-1",
        ),
        pytest.param(_rss_with("<title>A <b>bold</b> title</title>"), id="markup-in-title"),
        pytest.param(_rss_with("<title>A<!-- c -->B</title>"), id="comment-in-title"),
        pytest.param(
            _rss_with("<title>x</title><pubDate>Tuesday, June 3rd 2025</pubDate>"), id="odd-date"
        ),
        pytest.param(_rss_with("<title>x</title><pubDate>Sat, 31 Feb 2025 10:00 GMT</pubDate>")),
        pytest.param(_rss_with("<title>x</title><source url='https://s/'>S</source>"), id="source"),
        pytest.param(_rss_with("<title>x</title><unknown>y</unknown>"), id="unknown-element"),
        pytest.param(
            _rss_with('<foo:bar xmlns:foo="https://foo.example/">y</foo:bar>'), id="unknown-ns"
        ),
        pytest.param(
            _rss_with("<title>x</title><content:encoded>a\u0093b</content:encoded>"),
            id="c1-control",
        ),
        pytest.param(_rss_with("<title>x</title>", '<?xml version="1.1"?>'), id="xml-1.1"),
        pytest.param(
            b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>t</title>'
            b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">x</div></content>'
            b"</entry></feed>",
            id="xhtml-content",
        ),
        pytest.param(
            b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="image/png">'
            b"aGVsbG8=</content></entry></feed>",
            id="base64-content",
        ),
        pytest.param(
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns="http://purl.org/rss/1.0/"><channel><title>T</title></channel>'
            b"<item><title>x</title></item></rdf:RDF>",
            id="rss-1.0",
        ),
        pytest.param(b"<html><body>not a feed</body></html>", id="html"),
    ],
)
def test_documents_beyond_the_fast_path_are_left_to_feedparser(document: bytes) -> None:
    assert not accepted(document)
    reference, fast = both(document)
    assert fast == reference


def test_a_doctype_is_refused_by_the_fast_reader_itself() -> None:
    """parse.py removes DOCTYPEs before either parser sees the document; the fast
    reader still refuses one if it is ever handed a document that has it."""
    document = b'<?xml version="1.0"?><!DOCTYPE rss>' + _rss_with(PLAIN_ITEM, "")
    headers = {"content-location": URL}
    assert fastparse.read_simple_feed(document, headers=headers) is None
    assert_fast_equals_feedparser(document)  # once parse.py has removed it


def test_utf16_documents_are_read_alike_once_re_encoded() -> None:
    document = _rss_with("<title>caf\u00e9</title>").decode().encode("utf-16")
    parsed = assert_fast_equals_feedparser(document)
    assert parsed.articles[0].title == "café"


def test_a_non_utf8_charset_header_is_left_to_feedparser() -> None:
    document = _rss_with("<title>caf\u00e9</title>")
    headers = {"Content-Type": "text/xml; charset=iso-8859-1"}
    assert not accepted(document, headers=headers)
    reference, fast = both(document, headers=headers)
    assert fast == reference


def test_an_undeclared_utf8_document_without_content_type_is_left_to_feedparser() -> None:
    """feedparser reads it as ISO-8859-1 when no Content-Type says otherwise."""
    document = _rss_with("<title>caf\u00e9</title>", declaration="")
    assert not accepted(document)
    assert accepted(document, headers={"Content-Type": "application/rss+xml"})
    assert_fast_equals_feedparser(document, headers={"Content-Type": "application/rss+xml"})


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
    document = _rss_with(item)
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
    assert_fast_equals_feedparser(_rss_with(item))


def test_a_document_with_too_many_entries_is_cut_and_read_alike() -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://example.com/{n}</link>"
        f"<description><![CDATA[<p>Story {n}</p>]]></description></item>"
        for n in range(parse.MAX_ARTICLES_PER_DOCUMENT + 5)
    )
    document = _rss_with(items[len("<item>") : -len("</item>")])
    feed = assert_fast_equals_feedparser(document)
    assert len(feed.articles) == parse.MAX_ARTICLES_PER_DOCUMENT
    assert feed.articles[-1].title == f"Item {parse.MAX_ARTICLES_PER_DOCUMENT - 1}"


def test_entry_ends_inside_cdata_or_comments_do_not_cut_a_document() -> None:
    # Only real entries count toward the limit, on both paths.
    story = "<p>x</item>" * 150
    items = "".join(
        f"<item><title>I{n}</title><link>https://example.com/{n}</link>"
        f"<description><![CDATA[{story}]]></description><!-- </item> --></item>"
        for n in range(10)
    )
    feed = assert_fast_equals_feedparser(_rss_with(items[len("<item>") : -len("</item>")]))
    assert len(feed.articles) == 10


def test_self_closing_entries_beyond_the_limit_stay_on_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://example.com/{n}</link></item>"
        for n in range(parse.MAX_ARTICLES_PER_DOCUMENT - 2)
    )
    # (_rss_with wraps what it is given in one <item>: the empty entries follow it)
    document = _rss_with(
        items[len("<item>") : -len("</item>")] + "</item>" + "<item/>" * 4 + "<item>"
    )
    reference, fast = both(document)
    assert fast == reference

    def no_feedparser() -> None:
        raise AssertionError("left to feedparser")

    monkeypatch.setattr(parse, "_feedparser", no_feedparser)
    assert parse.parse_feed(document, url=URL) == fast
