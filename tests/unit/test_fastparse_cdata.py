"""CDATA sections set aside before lxml parses: the fast reader must read each document
exactly as it reads it whole (and so, where it accepts one, as feedparser does)."""

from __future__ import annotations

import pytest
from fastparse_compare import assert_fast_equals_feedparser, both
from hypothesis import given, settings
from hypothesis import strategies as st

from readerterm.feeds import fastparse, fastparse_document
from readerterm.feeds.fastparse import SimpleFeed

HEADERS = {"content-type": "application/rss+xml", "content-location": "https://example.com/"}


def _rss(items: str, before_root: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"{before_root}"
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        "<channel><title>T</title><link>https://example.com/</link>"
        f"{items}</channel></rss>"
    ).encode()


def _item(title: str, content: str) -> str:
    return (
        f"<item><title>{title}</title><link>https://example.com/a</link>"
        f"<content:encoded>{content}</content:encoded></item>"
    )


def _read(document: bytes) -> SimpleFeed | None:
    return fastparse.read_simple_feed(document, headers=HEADERS)


def _nothing_set_aside(document: bytes) -> tuple[bytes, fastparse_document.SetAside]:
    return document, fastparse_document.NOTHING_SET_ASIDE


def _read_both_ways(document: bytes) -> tuple[SimpleFeed | None, SimpleFeed | None]:
    """Read with the CDATA sections set aside, and with lxml reading them itself."""
    set_aside = _read(document)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fastparse_document, "_set_aside_cdata", _nothing_set_aside)
        whole = _read(document)
    return set_aside, whole


CASES = {
    "line-ends": _item("A", "<![CDATA[<p>one\r\ntwo\rthree\r\r\n</p>]]>"),
    "text-around": _item("a <![CDATA[b &amp; <c>]]> d &amp; e<![CDATA[]]>f", "<![CDATA[x]]>"),
    "empty": _item("<![CDATA[]]>", "<![CDATA[]]>"),
    "blank": _item("<![CDATA[   ]]>", "<![CDATA[ \n ]]>"),
    "nested-start": _item("A", "<![CDATA[a <![CDATA[ b ]]]]>"),
    "non-ascii": _item("<![CDATA[Café – “quoted” 😀]]>", "<![CDATA[<p>naïve</p>]]>"),
    "latin1-read-utf8": _item("<![CDATA[CafÃ©]]>", "<![CDATA[x]]>"),
    "in-comment": "<!-- <![CDATA[ -->" + _item("A", "<![CDATA[x]]>") + "<!-- ]]> -->",
    "in-instruction": "<?keep <![CDATA[ ?>" + _item("A", "<![CDATA[x]]>") + "<?keep ]]> ?>",
    "comment-inside": _item("A", "<![CDATA[<!-- not a comment --> <? nor this ?>]]>"),
    "forbidden-control": _item("A", "<![CDATA[bell \x07 here]]>"),
    "forbidden-noncharacter": _item("Café", "<![CDATA[\ufffe]]>"),
    "unterminated": _item("A", "<![CDATA[never closed"),
    "private-use-mark": _item("\ue000" + "0\ue001", "<![CDATA[x]]>"),
    "author-tail": (
        "<item><title>A</title><link>https://example.com/a</link>"
        "<author><name>N</name><![CDATA[  ]]></author></item>"
    ),
}


@pytest.mark.parametrize("items", list(CASES.values()), ids=list(CASES))
def test_setting_cdata_aside_reads_as_the_whole_document(items: str) -> None:
    set_aside, whole = _read_both_ways(_rss(items))
    assert set_aside == whole


@pytest.mark.parametrize("name", ["line-ends", "text-around", "non-ascii", "in-comment"])
def test_documents_with_cdata_are_read_as_feedparser_reads_them(name: str) -> None:
    assert_fast_equals_feedparser(_rss(CASES[name]))


def test_a_wordpress_style_feed_keeps_the_fast_path_and_sets_its_stories_aside() -> None:
    story = "<p>" + "words " * 400 + "</p>"
    document = _rss(
        _item("A", f"<![CDATA[{story}]]>") + _item("B", f"<![CDATA[{story}]]>"),
        before_root='<?xml-stylesheet type="text/xsl" href="s.xsl"?>\n'
        '<!-- generator="WordPress/6.4" -->\n',
    )
    shortened, set_aside = fastparse_document._set_aside_cdata(document)
    assert set_aside.texts == [story, story]
    assert len(shortened) < 1000
    feed = _read(document)
    assert feed is not None
    assert [entry["content"][0]["value"] for entry in feed.entries] == [story, story]


def test_a_document_long_enough_for_a_text_lxml_refuses_is_read_whole() -> None:
    half = "x" * (fastparse_document._WHOLE_FROM_BYTES // 2)
    document = _rss(_item("A", f"<![CDATA[{half}]]><![CDATA[{half}]]>"))
    assert fastparse_document._set_aside_cdata(document)[1].texts == []


@pytest.mark.parametrize("reference", ["&#xE000;", "&#xe000;", "&#57344;", "&#x0E000;", "\ue000"])
def test_a_document_cannot_spell_a_mark(reference: str) -> None:
    # The marks' prefix is random for each document: text that looks like one is text.
    items = _item(f"{reference}0\ue001 and {reference}1&#xE001;", "<![CDATA[secret]]>")
    items += _item("B", "<![CDATA[other]]>")
    set_aside, whole = _read_both_ways(_rss(items))
    assert set_aside == whole
    assert set_aside is not None and "secret" not in set_aside.entries[0]["title"]


_CDATA_TEXT = st.lists(
    st.sampled_from(
        [*"ab <>&]!?-\r\n\t", "é", "“", "\x01", "\ufffe", "<![CDATA[", "-->", "?>", "]]"]
    ),
    max_size=30,
).map(lambda pieces: "".join(pieces).replace("]]>", "]] >"))


@settings(max_examples=300, deadline=None)
@given(title=_CDATA_TEXT, content=_CDATA_TEXT, comment=st.booleans())
def test_generated_sections_read_alike(title: str, content: str, comment: bool) -> None:
    items = _item(f"<![CDATA[{title}]]>", f"x<![CDATA[{content}]]>y")
    if comment:
        items = f"<!--{title.replace('--', '- -')}-->" + items
    document = _rss(items)
    set_aside, whole = _read_both_ways(document)
    assert set_aside == whole
    if set_aside is not None:
        reference, fast = both(document)
        assert fast == reference


def test_markup_words_inside_sections_keep_the_fast_path() -> None:
    content = (
        "<![CDATA[<p>The database = slow.</p>"
        '<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
        "<p>An &lt;!DOCTYPE in text, xml:base=here.</p>]]>"
    )
    assert_fast_equals_feedparser(_rss(_item("A", content)))
