"""Sync set up with the wrong URL, or with a FreshRSS whose API access is off: each says
what to fix, not "try again later" or "wrong password?". Against a real FreshRSS, and
against our test server for a URL that is no API at all (a static server answers 501 to
the POST every sync starts with)."""

from __future__ import annotations

import re
from contextlib import aclosing
from typing import Any

import pytest

from freshrss import FreshRSS, start_or_skip
from readerterm.sync import SyncAuthError, SyncError, open_service
from testserver import LocalServer

pytest_plugins = ["freshrss"]  # the module-scoped `freshrss` fixture
KINDS = ("greader", "fever")
API = {"greader": "Google Reader API", "fever": "Fever API"}


def url_of(server: FreshRSS, kind: str) -> str:
    return server.greader_url if kind == "greader" else server.fever_url


async def login_error(kind: str, url: str, user: str, password: str) -> SyncError:
    """The error of signing in as `user` at `url`: one line, without the password."""
    async with aclosing(open_service(kind, url, user, password)) as service:
        with pytest.raises(SyncError) as caught:
            await service.login()
    message = str(caught.value)
    assert "\n" not in message and password not in message
    return caught.value


def allow_api(server: FreshRSS, allowed: bool) -> None:
    """Turn FreshRSS's "Allow API access" on or off (read again at each request)."""
    config = server.data_dir / "config.php"
    text, count = re.subn(
        r"'api_enabled' => (true|false)",
        f"'api_enabled' => {'true' if allowed else 'false'}",
        config.read_text(),
    )
    assert count == 1
    config.write_text(text)


async def test_api_access_turned_off_says_how_to_turn_it_on() -> None:
    # Was: "FreshRSS at …/api/greader.php failed with HTTP 503; try again later".
    server = start_or_skip()  # its own: this test turns its API off
    try:
        allow_api(server, False)
        for kind in KINDS:
            url = url_of(server, kind)
            error = await login_error(kind, url, server.user, server.api_password)
            assert str(error) == (
                f"FreshRSS at {url} has API access turned off: an administrator can turn "
                'on "Allow API access" in its Authentication settings'
            )
        allow_api(server, True)
        url, user = server.greader_url, server.user
        async with aclosing(open_service("greader", url, user, server.api_password)) as service:
            await service.login()
    finally:
        server.stop()


@pytest.mark.parametrize("suffix", ["/reader/api/0", "/reader/api/0/"])
async def test_a_url_copied_with_the_client_suffix_works(freshrss: FreshRSS, suffix: str) -> None:
    # Was: "refused user reader (401): wrong user name or password?" with the right one.
    url = freshrss.greader_url + suffix
    async with aclosing(open_service("greader", url, freshrss.user, "wrong-pw")) as service:
        assert service.label == f"FreshRSS at {freshrss.greader_url}"
        with pytest.raises(SyncAuthError):  # the password is still checked
            await service.login()
    async with aclosing(
        open_service("greader", url, freshrss.user, freshrss.api_password)
    ) as service:
        await service.login()
        assert isinstance(await service.unread_ids(), set)


async def test_a_path_after_greader_php_names_the_right_url(freshrss: FreshRSS) -> None:
    url = freshrss.greader_url + "/reader/api"
    error = await login_error("greader", url, freshrss.user, freshrss.api_password)
    assert str(error) == (
        f"FreshRSS at {url} does not look like a Google Reader API (HTTP 400): the URL must "
        f"end at greader.php: use {freshrss.greader_url}"
    )


async def test_the_other_apis_url_names_the_right_one(freshrss: FreshRSS) -> None:
    # Was: "FreshRSS at …/api/greader.php refused the request with HTTP 400".
    user, password = freshrss.user, freshrss.api_password
    error = await login_error("fever", freshrss.greader_url, user, password)
    assert str(error) == (
        f"FreshRSS at {freshrss.greader_url} does not look like a Fever API (HTTP 400): "
        f'FreshRSS\'s Fever API is at {freshrss.fever_url} (or set service = "greader")'
    )
    error = await login_error("greader", freshrss.fever_url, user, password)
    assert str(error) == (
        f"FreshRSS at {freshrss.fever_url} does not look like a Google Reader API (got a "
        f"Fever API reply): FreshRSS's Google Reader API is at {freshrss.greader_url} (or "
        'set service = "fever")'
    )


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    ("path", "what"), [("/", "web interface"), ("/api/", "page of API addresses")]
)
async def test_the_site_url_names_freshrss_and_its_api_url(
    freshrss: FreshRSS, kind: str, path: str, what: str
) -> None:
    # Was: "Miniflux at http://127.0.0.1:PORT/ redirected the request to /i/?rid=…".
    url = freshrss.base_url + path
    error = await login_error(kind, url, freshrss.user, freshrss.api_password)
    assert str(error) == (
        f"FreshRSS at {url} answered with its {what}, not its {API[kind]}: use "
        f"{url_of(freshrss, kind)}"
    )


@pytest.fixture
def static_site() -> Any:
    """A server of plain files: it answers GET, and 501 to a POST."""
    with LocalServer() as server:
        server.route("/feed.xml", "<rss/>", content_type="application/rss+xml")
        yield server


@pytest.mark.parametrize("kind", KINDS)
async def test_a_static_file_server_is_not_an_api(static_site: LocalServer, kind: str) -> None:
    # Was: "Miniflux at …/ failed with HTTP 501; try again later" (or "The server at").
    for path in ("/feed.xml", "/"):
        url = static_site.url(path)
        error = await login_error(kind, url, "reader", "Secret-pw-123")
        assert str(error) == f"The server at {url} is not a {API[kind]} (HTTP 501): check the URL"
