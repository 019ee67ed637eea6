"""fastparse must read every document it accepts exactly as the feedparser path does.

The proof is the comparison over feedparser's own test corpus (about 2,100 documents,
most of them edge cases) and the benchmark's synthetic feeds; wherever the fast path
accepts a document, parse_feed's whole ParsedFeed must equal the one made through
feedparser. This module also holds the documents the fast path must leave to feedparser
and those cut at the entry limit; typical hand-written feeds, response headers, generated
text and dates are in test_fastparse_values.py.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastparse_compare import URL, accepted, assert_fast_equals_feedparser, both, rss_with

from prerequisites import prerequisite
from readerterm.feeds import fastparse, parse
from scripts import load_script

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
    documents = load_script("benchmarks/feedgen.py").generate(6, 12, atom_feeds=2)
    assert {d.kind for d in documents} == {"rss", "atom"}
    for document in documents:
        url = f"https://site{document.number}.example.com/feed"
        headers = {"Content-Type": document.content_type} if with_headers else None
        parsed = assert_fast_equals_feedparser(document.body, url, headers)
        assert len(parsed.articles) == 12
        assert all(a.published and a.content_html and a.author for a in parsed.articles)


def test_the_fast_path_is_faster_on_the_benchmark_feeds() -> None:
    """Not a timed assertion of a target: only that the fast path is really used."""
    documents = load_script("benchmarks/feedgen.py").generate(2, 30, atom_feeds=1)
    spent = {}
    for fast in (False, True):
        start = time.perf_counter()
        for document in documents:
            parse._parse_feed(document.body, url=URL, headers=None, fast=fast)
        spent[fast] = time.perf_counter() - start
    assert spent[True] < spent[False]


# -- documents the fast path must leave to feedparser ------------------------------------


PLAIN_ITEM = "<title>A</title><link>https://example.com/a</link><description>d</description>"


def test_the_plain_document_used_below_is_accepted() -> None:
    assert_fast_equals_feedparser(rss_with(PLAIN_ITEM))


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY e "x">]>'
            + rss_with("<title>&e;</title>", declaration=""),
            id="doctype-entity",
        ),
        pytest.param(
            rss_with(PLAIN_ITEM).replace(b"<channel>", b'<channel xml:base="https://b.example/">'),
            id="xml-base",
        ),
        pytest.param(rss_with(PLAIN_ITEM + "<title>B</title"), id="malformed"),
        pytest.param(rss_with("<title>A &nbsp; B</title>"), id="undefined-entity"),
        pytest.param(
            rss_with("<title>caf\u00e9</title>", '<?xml version="1.0" encoding="iso-8859-1"?>')
            .decode()
            .encode("latin-1"),
            id="latin-1",
        ),
        pytest.param(rss_with("<title>A <b>bold</b> title</title>"), id="markup-in-title"),
        pytest.param(rss_with("<title>A<!-- c -->B</title>"), id="comment-in-title"),
        pytest.param(
            rss_with("<title>x</title><pubDate>Tuesday, June 3rd 2025</pubDate>"), id="odd-date"
        ),
        pytest.param(rss_with("<title>x</title><pubDate>Sat, 31 Feb 2025 10:00 GMT</pubDate>")),
        pytest.param(rss_with("<title>x</title><source url='https://s/'>S</source>"), id="source"),
        pytest.param(rss_with("<title>x</title><unknown>y</unknown>"), id="unknown-element"),
        pytest.param(
            rss_with('<foo:bar xmlns:foo="https://foo.example/">y</foo:bar>'), id="unknown-ns"
        ),
        pytest.param(
            rss_with("<title>x</title><content:encoded>a\u0093b</content:encoded>"),
            id="c1-control",
        ),
        pytest.param(rss_with("<title>x</title>", '<?xml version="1.1"?>'), id="xml-1.1"),
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
    document = b'<?xml version="1.0"?><!DOCTYPE rss>' + rss_with(PLAIN_ITEM, "")
    headers = {"content-location": URL}
    assert fastparse.read_simple_feed(document, headers=headers) is None
    assert_fast_equals_feedparser(document)  # once parse.py has removed it


def test_utf16_documents_are_read_alike_once_re_encoded() -> None:
    document = rss_with("<title>caf\u00e9</title>").decode().encode("utf-16")
    parsed = assert_fast_equals_feedparser(document)
    assert parsed.articles[0].title == "café"


def test_a_non_utf8_charset_header_is_left_to_feedparser() -> None:
    document = rss_with("<title>caf\u00e9</title>")
    headers = {"Content-Type": "text/xml; charset=iso-8859-1"}
    assert not accepted(document, headers=headers)
    reference, fast = both(document, headers=headers)
    assert fast == reference


def test_an_undeclared_utf8_document_without_content_type_is_left_to_feedparser() -> None:
    """feedparser reads it as ISO-8859-1 when no Content-Type says otherwise."""
    document = rss_with("<title>caf\u00e9</title>", declaration="")
    assert not accepted(document)
    assert accepted(document, headers={"Content-Type": "application/rss+xml"})
    assert_fast_equals_feedparser(document, headers={"Content-Type": "application/rss+xml"})


# -- documents with more entries than one may hold ------------------------------------


def test_a_document_with_too_many_entries_is_cut_and_read_alike() -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://example.com/{n}</link>"
        f"<description><![CDATA[<p>Story {n}</p>]]></description></item>"
        for n in range(parse.MAX_ARTICLES_PER_DOCUMENT + 5)
    )
    document = rss_with(items[len("<item>") : -len("</item>")])
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
    feed = assert_fast_equals_feedparser(rss_with(items[len("<item>") : -len("</item>")]))
    assert len(feed.articles) == 10


def test_self_closing_entries_beyond_the_limit_stay_on_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = "".join(
        f"<item><title>Item {n}</title><link>https://example.com/{n}</link></item>"
        for n in range(parse.MAX_ARTICLES_PER_DOCUMENT - 2)
    )
    # (rss_with wraps what it is given in one <item>: the empty entries follow it)
    document = rss_with(
        items[len("<item>") : -len("</item>")] + "</item>" + "<item/>" * 4 + "<item>"
    )
    reference, fast = both(document)
    assert fast == reference

    def no_feedparser() -> None:
        raise AssertionError("left to feedparser")

    monkeypatch.setattr(parse, "_feedparser", no_feedparser)
    assert parse.parse_feed(document, url=URL) == fast
