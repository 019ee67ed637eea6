"""What a sync URL and a reply tell about the right API URL (readerterm.sync.hints):
the parts the real-server tests (tests/integration/test_sync_urls.py) cannot reach."""

from __future__ import annotations

import pytest

from readerterm.sync.hints import api_url, freshrss_site, server_name, url_problem


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://rss.example/api/greader.php", "FreshRSS"),
        ("https://rss.example/fever/", "Miniflux"),
        ("https://rss.example/", "The server"),  # was Miniflux: FreshRSS's site too
        ("https://rss.example/feeds/fever-dream.xml", "The server"),
    ],
)
def test_the_server_is_named_only_when_the_url_shows_it(url: str, name: str) -> None:
    assert server_name(url) == name


def test_only_the_google_reader_client_suffix_is_dropped() -> None:
    assert api_url("https://r.example/api/greader.php/reader/api/0//", "greader") == (
        "https://r.example/api/greader.php"
    )
    assert api_url("https://r.example/reader/api/0", "greader") == "https://r.example/"
    assert api_url("https://r.example/reader/api/0", "fever") == "https://r.example/reader/api/0"
    assert api_url("https://r.example/api/greader.php", "greader") == (
        "https://r.example/api/greader.php"
    )


def test_right_urls_have_no_problem() -> None:
    for kind, url in [
        ("greader", "https://r.example/rss/api/greader.php"),
        ("fever", "https://r.example/rss/api/fever.php"),
        ("greader", "https://r.example/"),
        ("fever", "https://r.example/fever/"),
    ]:
        assert url_problem(url, kind) is None
    assert url_problem("https://r.example/rss/api/greader.php/x", "greader") == (
        "the URL must end at greader.php: use https://r.example/rss/api/greader.php"
    )


def test_only_a_redirect_to_the_same_sites_pages_names_freshrss() -> None:
    url = "https://r.example/rss/"
    assert freshrss_site(url, 302, "/rss/i/?rid=1a", b"") == "https://r.example/rss/"
    # The server's Location is untrusted: another host is never suggested.
    assert freshrss_site(url, 302, "https://evil.example/i/?rid=1", b"") is None
    assert freshrss_site(url, 302, "/login", b"") is None
    assert freshrss_site(url, 200, "", b"<html>") is None
