"""fetch.Fetcher's requests against a real HTTP server on 127.0.0.1: the per-host limit,
one client for many requests, no import at request time, the before-body hook and its
deadline, a proxy from the environment, no cookies kept, a login in the URL, a bad port."""

from __future__ import annotations

import asyncio

import pytest
from served_fetch import ETAG, RSS, fetch

from readerterm.errors import FetchError
from readerterm.models import Validators
from readerterm.net.fetch import Fetched, Fetcher, NotModified
from testserver import LocalServer

# --- connections and requests -----------------------------------------------------------


async def test_per_host_limit_is_respected(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, delay=0.2)
    async with Fetcher(max_per_host=3) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch(http_server.url(f"/feed?n={i}")) for i in range(9))
        )
    assert all(isinstance(r, Fetched) for r in results)
    assert len(http_server.requests) == 9
    assert http_server.max_concurrent == 3


async def test_one_fetcher_serves_many_requests_on_one_client(
    http_server: LocalServer,
) -> None:
    http_server.route("/feed", body=RSS, etag=ETAG)
    async with Fetcher() as fetcher:
        first = await fetcher.fetch(http_server.url("/feed"))
        assert isinstance(first, Fetched)
        second = await fetcher.fetch(http_server.url("/feed"), first.validators)
    assert isinstance(second, NotModified)
    assert http_server.requests[1].headers["if-none-match"] == ETAG


async def test_a_request_searches_no_import_path(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # httpcore imports sniffio inside every request; were it missing, each such import would
    # fail and search sys.path again, several times per request (a measured 0.4 ms each).
    import importlib.machinery

    http_server.route("/feed", body=RSS, etag=ETAG)
    searched: list[str] = []
    find_spec = importlib.machinery.PathFinder.find_spec

    def counting(name: str, *args: object, **kwargs: object) -> object:
        searched.append(name)
        return find_spec(name, *args, **kwargs)  # type: ignore[arg-type]

    async with Fetcher() as fetcher:
        await fetcher.fetch(http_server.url("/feed"))  # the first request may import
        monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", counting)
        for _ in range(3):
            await fetcher.fetch(http_server.url("/feed"), Validators(etag=ETAG))
    assert searched == []


async def test_before_body_is_awaited_once_and_only_for_a_body_to_read(
    http_server: LocalServer,
) -> None:
    http_server.route("/feed", body=RSS, etag=ETAG)
    http_server.route("/old", redirect_to="/feed", status=301)
    calls: list[str] = []

    async def before_body() -> None:
        calls.append("body")

    async with Fetcher() as fetcher:
        assert isinstance(
            await fetcher.fetch(http_server.url("/old"), before_body=before_body), Fetched
        )
        assert calls == ["body"]  # the redirect's hop read no body
        unchanged = await fetcher.fetch(
            http_server.url("/feed"), Validators(etag=ETAG), before_body=before_body
        )
        assert isinstance(unchanged, NotModified)
    assert calls == ["body"]


async def test_waiting_in_before_body_does_not_count_against_the_deadline(
    http_server: LocalServer,
) -> None:
    http_server.route("/feed", body=RSS)

    async def slow_admission() -> None:
        await asyncio.sleep(0.6)  # the caller's document slots are all taken meanwhile

    async with Fetcher(deadline=0.4) as fetcher:
        result = await fetcher.fetch(http_server.url("/feed"), before_body=slow_admission)
    assert isinstance(result, Fetched)
    assert result.content == RSS


async def test_a_proxy_from_the_environment_is_used(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The local server stands in for the proxy: it is asked for the absolute URL.
    http_server.route("/feed", body=RSS)
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, http_server.base_url)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    result = await fetch("http://feeds.example.invalid/feed")
    assert isinstance(result, Fetched)
    assert result.content == RSS
    assert http_server.requests[0].path == "http://feeds.example.invalid/feed"


@pytest.mark.parametrize("through_proxy", [False, True])
async def test_cookies_are_neither_kept_nor_sent_back(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch, through_proxy: bool
) -> None:
    # A feed reader is no browser: a tracking cookie set by one answer never goes back.
    cookie = {"Set-Cookie": "visitor=abc123; Path=/"}
    http_server.route("/feed", body=RSS, headers=cookie)
    http_server.route("/other", body=RSS, headers=cookie)
    for name in ("HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    if through_proxy:
        monkeypatch.setenv("HTTP_PROXY", http_server.base_url)
    async with Fetcher() as fetcher:
        for path in ("/feed", "/other", "/feed"):
            assert isinstance(await fetcher.fetch(http_server.url(path)), Fetched)
    assert len(http_server.requests) == 3
    assert all("cookie" not in request.headers for request in http_server.requests)


async def test_a_login_in_the_feed_url_is_sent(http_server: LocalServer) -> None:
    http_server.route("/private", body=RSS)
    url = http_server.url("/private").replace("http://", "http://alice:s%40cret@")
    assert isinstance(await fetch(url), Fetched)
    sent = http_server.requests_to("/private")[0].headers
    assert sent["authorization"] == "Basic YWxpY2U6c0BjcmV0"  # alice:s@cret


async def test_a_port_past_65535_is_a_fetch_error_not_a_crash() -> None:
    # A stored address with such a port raised OverflowError out of the socket: a refresh
    # printed a traceback and called it an internal error.
    async with Fetcher() as fetcher:
        with pytest.raises(FetchError, match="invalid URL, no such port"):
            await fetcher.fetch("http://127.0.0.1:99999/feed.xml")
