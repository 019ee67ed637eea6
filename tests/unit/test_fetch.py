"""fetch.py with httpx.MockTransport: headers, redirects, decoding, limits, error texts."""

from __future__ import annotations

import asyncio
import gzip
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import pytest
from mock_fetch import answer, error_with, fetch_with, fetcher_for, response

import readerterm
from readerterm.errors import FetchError
from readerterm.models import Validators
from readerterm.net.fetch import (
    FEED_ACCEPT,
    PAGE_ACCEPT,
    USER_AGENT,
    Fetched,
    NotModified,
    parse_retry_after,
)
from readerterm.net.inflate import format_size

# --- constants ----------------------------------------------------------------------------


def test_user_agent_names_the_program_and_version() -> None:
    assert USER_AGENT.startswith(f"readerterm/{readerterm.__version__} (+https://")


def test_accept_headers() -> None:
    for kind in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
        assert kind in FEED_ACCEPT
    assert FEED_ACCEPT.endswith("*/*;q=0.1")
    assert PAGE_ACCEPT.startswith("text/html")


# --- Retry-After and sizes ------------------------------------------------------------------


def test_retry_after_in_seconds() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 0 ") == 0.0
    # A hostile server's: "²" is a digit to str.isdigit but not to int(); 400 digits
    # overflowed float(); 5,000 are more than int() reads.
    assert parse_retry_after("²") is None
    assert parse_retry_after("9" * 400) == parse_retry_after("9" * 5000) == 1e12


def test_retry_after_as_http_date() -> None:
    now = datetime(2025, 1, 1, 10, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jan 2025 10:02:30 GMT", now) == 150.0
    assert parse_retry_after("Wed, 01 Jan 2025 09:00:00 GMT", now) == 0.0


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5e3", "Mon, 99 Foo 2025"])
def test_retry_after_garbage_is_ignored(value: str | None) -> None:
    assert parse_retry_after(value) is None


def test_format_size() -> None:
    assert format_size(10 * 1024 * 1024) == "10 MiB"
    assert format_size(64 * 1024) == "64 KiB"
    assert format_size(1536) == "1.5 KiB"
    assert format_size(1000) == "1000 bytes"
    assert format_size(1 << 30) == "1 GiB"


# --- request headers ------------------------------------------------------------------------


async def test_request_headers_and_validators_sent() -> None:
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(304, headers={"ETag": '"new"'})

    result = await fetch_with(
        handler, validators=Validators('"old"', "Wed, 01 Jan 2025 10:00:00 GMT")
    )
    headers = seen[0].headers
    assert headers["if-none-match"] == '"old"'
    assert headers["if-modified-since"] == "Wed, 01 Jan 2025 10:00:00 GMT"
    assert headers["user-agent"] == USER_AGENT
    assert headers["accept"] == FEED_ACCEPT
    assert headers["accept-encoding"] == "gzip, deflate"
    # The 304 brought a new ETag; the Last-Modified we had is kept.
    assert result == NotModified(Validators('"new"', "Wed, 01 Jan 2025 10:00:00 GMT"))


async def test_page_accept_and_no_validators() -> None:
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response(200, b"<html></html>")

    await fetch_with(handler, accept=PAGE_ACCEPT)
    assert seen[0].headers["accept"] == PAGE_ACCEPT
    assert "if-none-match" not in seen[0].headers
    assert "if-modified-since" not in seen[0].headers


async def test_validators_that_could_break_a_request_are_not_sent() -> None:
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return response(200)

    await fetch_with(handler, validators=Validators('"a"\r\nX-Evil: 1', "d\u00e9c"))
    assert "if-none-match" not in seen[0].headers
    assert "if-modified-since" not in seen[0].headers
    assert "x-evil" not in seen[0].headers


async def test_fetched_carries_lowercase_headers_and_validators() -> None:
    result = await fetch_with(
        answer(content=b"body", ETag='"e"', Last_Modified="Tue, 07 Jan 2025 00:00:00 GMT")
    )
    assert isinstance(result, Fetched)
    assert result.content == b"body"
    assert result.headers["etag"] == '"e"'
    assert result.validators == Validators('"e"', "Tue, 07 Jan 2025 00:00:00 GMT")
    assert result.url == "http://a.test/feed"


# --- URLs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http and https URLs can be fetched, not file:"),
        ("javascript:alert(1)", "only http and https URLs can be fetched, not javascript:"),
        ("example.com/feed", "only http and https URLs can be fetched, not a URL without a scheme"),
        ("http://", "invalid URL (no host): http://"),
    ],
)
async def test_bad_urls(url: str, message: str) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be made")

    assert str(await error_with(handler, url)) == message


# --- bodies -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", lambda b: gzip.compress(b)),
        ("x-gzip", lambda b: gzip.compress(b)),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b, wbits=-zlib.MAX_WBITS)),  # raw, no zlib header
    ],
)
async def test_compressed_bodies_are_decoded(
    encoding: str, compress: Callable[[bytes], bytes]
) -> None:
    body = b"<rss>" + b"x" * 100_000 + b"</rss>"
    result = await fetch_with(answer(content=compress(body), Content_Encoding=encoding))
    assert isinstance(result, Fetched)
    assert result.content == body


async def test_multi_member_gzip_is_decoded_whole() -> None:
    data = gzip.compress(b"first ") + gzip.compress(b"second")
    result = await fetch_with(answer(content=data, Content_Encoding="gzip"))
    assert isinstance(result, Fetched)
    assert result.content == b"first second"


async def test_empty_gzip_labelled_body_is_empty() -> None:
    result = await fetch_with(answer(content=b"", Content_Encoding="gzip"))
    assert isinstance(result, Fetched)
    assert result.content == b""


async def test_unsupported_encoding_is_refused() -> None:
    error = await error_with(answer(content=b"\x1b\x00", Content_Encoding="br"))
    assert str(error) == "unsupported content encoding: br (readerterm accepts gzip and deflate)"


async def test_decoded_size_cap_counts_decoded_bytes() -> None:
    data = gzip.compress(bytes(200_000))
    async with fetcher_for(answer(content=data, Content_Encoding="gzip"), max_bytes=100_000) as f:
        with pytest.raises(FetchError, match=r"^response larger than 97.7 KiB$"):
            await f.fetch("http://a.test/feed")


async def test_small_compressed_body_within_cap() -> None:
    data = gzip.compress(bytes(100_000))
    async with fetcher_for(answer(content=data, Content_Encoding="gzip"), max_bytes=100_000) as f:
        result = await f.fetch("http://a.test/feed")
    assert isinstance(result, Fetched)
    assert len(result.content) == 100_000


async def test_a_transport_that_loads_the_body_itself() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 2000)

    result = await fetch_with(handler)
    assert isinstance(result, Fetched)
    assert result.content == b"x" * 2000
    async with fetcher_for(handler, max_bytes=1000) as fetcher:
        with pytest.raises(FetchError, match=r"^response larger than 1000 bytes$"):
            await fetcher.fetch("http://a.test/feed")


# --- statuses ---------------------------------------------------------------------------------


async def test_429_with_http_date_retry_after() -> None:
    error = await error_with(answer(429, b"", Retry_After="Wed, 01 Jan 2020 00:00:00 GMT"))
    assert error.retry_after == 0.0  # a date in the past means: now
    assert str(error) == "HTTP 429 Too Many Requests (retry after 0 s)"


async def test_503_with_retry_after_seconds() -> None:
    error = await error_with(answer(503, b"", Retry_After="30"))
    assert error.retry_after == 30.0


async def test_unknown_status_uses_a_clean_reason() -> None:
    error = await error_with(answer(599, b""))
    assert str(error).startswith("HTTP 599")


# --- transport errors become readable reasons ------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "message"),
    [
        (httpx.ConnectTimeout("timed out"), "connecting to a.test timed out after 10 s"),
        (httpx.ReadTimeout("timed out"), "a.test sent nothing for 20 s"),
        (httpx.ConnectError("[Errno -2] Name or service not known"), "host not found: a.test"),
        (httpx.ConnectError("[Errno 111] Connection refused"), "connection refused by a.test"),
        (
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            "a.test broke the HTTP protocol: Server disconnected without sending a response.",
        ),
        (httpx.ReadError(""), "connection to a.test broke while reading: read error"),
    ],
)
async def test_transport_errors(exc: Exception, message: str) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    assert str(await error_with(handler)) == message


async def test_deadline_covers_the_whole_request() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(10)
        return response(200)

    async with fetcher_for(handler, deadline=0.05) as fetcher:
        with pytest.raises(FetchError, match=r"^no complete response within 0.05 s$"):
            await fetcher.fetch("http://a.test/feed")


# --- concurrency ------------------------------------------------------------------------------


async def test_limits_per_host_and_overall() -> None:
    in_flight: dict[str, int] = {}
    peak: dict[str, int] = {}
    total = {"now": 0, "peak": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        host = request.url.host
        in_flight[host] = in_flight.get(host, 0) + 1
        peak[host] = max(peak.get(host, 0), in_flight[host])
        total["now"] += 1
        total["peak"] = max(total["peak"], total["now"])
        await asyncio.sleep(0.02)
        in_flight[host] -= 1
        total["now"] -= 1
        return response(200, b"<rss/>")

    urls = [f"http://{host}.test/{i}" for host in "abcd" for i in range(6)]
    async with fetcher_for(handler, max_per_host=2, max_connections=5) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(u) for u in urls))
    assert len(results) == 24
    assert peak == {"a.test": 2, "b.test": 2, "c.test": 2, "d.test": 2}
    assert total["peak"] == 5


def test_a_fetcher_survives_a_new_event_loop() -> None:
    fetcher = fetcher_for(answer())
    first = asyncio.run(fetcher.fetch("http://a.test/feed"))
    second = asyncio.run(fetcher.fetch("http://a.test/feed"))
    asyncio.run(fetcher.aclose())
    assert isinstance(first, Fetched)
    assert isinstance(second, Fetched)
