"""What a sync URL and a reply tell about the right API URL (readerterm.sync.hints):
the parts the real-server tests (tests/integration/test_sync_urls.py) cannot reach."""

from __future__ import annotations

import pytest

from readerterm.sync.client import check_url
from readerterm.sync.hints import (
    account_url,
    api_url,
    freshrss_site,
    server_name,
    url_problem,
    without_credentials,
)
from readerterm.sync.protocol import SyncError


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


@pytest.mark.parametrize(
    ("written", "password"),
    [
        ("https://bob:pw@r.example/api/greader.php", "pw"),
        ("https://bob:p@ss@r.example/api/greader.php", "p@ss"),  # (kept "ss@" before)
        ("https://bob:p/ss@r.example/api/greader.php", "p/ss"),  # unescaped: not a URL
        ("https://bob:p#ss@r.example/api/greader.php", "p#ss"),
        ("https://bob:p?ss@r.example/api/greader.php", "p?ss"),
        ("https://:secret@r.example/api/fever.php", "secret"),
    ],
)
def test_a_password_in_the_url_is_never_repeated(written: str, password: str) -> None:
    stored = account_url(written, "greader")
    assert password not in stored and stored.startswith("https://r.example/api/")
    with pytest.raises(SyncError) as raised:
        check_url(written, allow_insecure=False)
    assert password not in str(raised.value).replace("password", "")


def test_an_at_sign_in_a_path_is_no_password() -> None:
    for url in (
        "https://r.example/@me/api/greader.php",
        "https://r.example:8443/@me/api/greader.php",
        "https://r.example/api/greader.php?to=a@b.example",
    ):
        assert without_credentials(url) == url


def test_the_account_is_the_url_the_client_asks() -> None:
    """Dropping the suffix a client appends is no change of account (it dropped the
    decisions waiting and took the server's states over the reader's)."""
    plain = "https://r.example/api/greader.php"
    assert account_url(plain + "/reader/api/0", "greader") == plain
    assert account_url(f"  {plain} ", "greader") == plain
