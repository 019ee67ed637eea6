"""Issue 20: the feed links a page advertises are cleaned as a feed's own links are, and
one that is no URL at all is passed over instead of ending `add` in a traceback."""

from __future__ import annotations

from readerterm.feeds.discover import feed_links


def link(href: str, title: str = "") -> str:
    return f'<link rel="alternate" type="application/rss+xml" href="{href}" title="{title}">'


def test_escapes_and_bidi_marks_in_an_href_are_taken_out() -> None:
    page = link("/comments\x1b]0;PWNED\x07\x1b[2J\x9b31m\u202e.xml", "Talk\x1b]52;c;eA==\x07")
    assert feed_links(page, "http://news.example/") == [
        ("http://news.example/comments.xml", "Talk")
    ]


def test_an_href_that_is_no_url_is_passed_over() -> None:
    page = link("http://[broken/feed") + link("/feed.xml")
    assert feed_links(page, "http://news.example/") == [("http://news.example/feed.xml", "")]
