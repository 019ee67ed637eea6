"""fetch.py's redirects with httpx.MockTransport: which are followed, which refused (to
another scheme, to a private address, too many), and what each keeps of the request."""

from __future__ import annotations

import httpx
import pytest
from mock_fetch import Handler, answer, error_with, fetch_with, fetcher_for, response

from readerterm.errors import FetchError
from readerterm.net.fetch import (
    Fetched,
)

# --- redirects ------------------------------------------------------------------------------


def redirecting(routes: dict[str, tuple[int, str]], seen: list[httpx.Request]) -> Handler:
    """Answer each URL in `routes` with (status, Location); anything else with a feed."""

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if str(request.url) in routes:
            status, location = routes[str(request.url)]
            return httpx.Response(status, headers={"Location": location})
        return response(200, b"<rss/>")

    return handler


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_statuses_are_followed(status: int) -> None:
    seen: list[httpx.Request] = []
    handler = redirecting({"http://a.test/feed": (status, "/new?x=1")}, seen)
    result = await fetch_with(handler)
    assert isinstance(result, Fetched)
    assert result.url == "http://a.test/new?x=1"
    assert [r.method for r in seen] == ["GET", "GET"]


async def test_protocol_relative_redirect() -> None:
    seen: list[httpx.Request] = []
    result = await fetch_with(
        redirecting({"https://a.test/feed": (301, "//b.test/f")}, seen), "https://a.test/feed"
    )
    assert isinstance(result, Fetched)
    assert result.url == "https://b.test/f"


@pytest.mark.parametrize(
    "location",
    ["javascript:alert(1)", "file:///etc/passwd", "ftp://a.test/f", "data:text/xml,<rss/>"],
)
async def test_redirect_to_another_scheme_is_refused(location: str) -> None:
    seen: list[httpx.Request] = []
    error = await error_with(redirecting({"http://a.test/feed": (302, location)}, seen))
    scheme = location.split(":", 1)[0]
    assert str(error) == f"redirect to a {scheme}: URL refused (only http and https)"
    assert len(seen) == 1


async def test_redirect_without_location() -> None:
    error = await error_with(answer(302, b""))
    assert str(error) == "HTTP 302 Found without a Location header"


async def test_other_3xx_is_an_error() -> None:
    error = await error_with(answer(300, b""))
    assert str(error) == "HTTP 300 Multiple Choices"


async def test_max_redirects_is_configurable() -> None:
    seen: list[httpx.Request] = []
    handler = redirecting({"http://a.test/feed": (302, "/1"), "http://a.test/1": (302, "/2")}, seen)
    async with fetcher_for(handler, max_redirects=1) as fetcher:
        with pytest.raises(FetchError, match=r"^more than 1 redirects$"):
            await fetcher.fetch("http://a.test/feed")


async def test_custom_headers_follow_same_host_only() -> None:
    seen: list[httpx.Request] = []
    handler = redirecting(
        {
            "https://a.test/feed": (302, "https://a.test/moved"),
            "https://a.test/moved": (302, "https://b.test/elsewhere"),
            "https://b.test/elsewhere": (302, "https://a.test/back"),
        },
        seen,
    )
    await fetch_with(handler, "https://a.test/feed", headers={"Authorization": "Basic eA=="})
    sent = [(r.url.host, r.url.path, r.headers.get("authorization")) for r in seen]
    assert sent == [
        ("a.test", "/feed", "Basic eA=="),
        ("a.test", "/moved", "Basic eA=="),
        ("b.test", "/elsewhere", None),
        # Once a redirect left the host, the credentials stay behind for good.
        ("a.test", "/back", None),
    ]


async def test_custom_headers_not_sent_after_https_to_http_downgrade() -> None:
    seen: list[httpx.Request] = []
    handler = redirecting({"https://a.test/feed": (301, "http://a.test/feed")}, seen)
    await fetch_with(handler, "https://a.test/feed", headers={"Cookie": "session=1"})
    assert seen[0].headers.get("cookie") == "session=1"
    assert "cookie" not in seen[1].headers
