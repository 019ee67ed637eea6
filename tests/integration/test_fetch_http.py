"""fetch.Fetcher against a real HTTP server on 127.0.0.1 that misbehaves on purpose."""

from __future__ import annotations

import socket
import tracemalloc
import zlib

import pytest
from served_fetch import ETAG, MODIFIED, RSS, fetch, fetch_error

from readerterm.models import Validators
from readerterm.net import inflate
from readerterm.net.fetch import USER_AGENT, Fetched, Fetcher, NotModified
from testserver import LocalServer

# --- the normal path ------------------------------------------------------------------


async def test_200_returns_body_headers_and_validators(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, etag=ETAG, last_modified=MODIFIED)
    result = await fetch(http_server.url("/feed"))
    assert isinstance(result, Fetched)
    assert result.content == RSS
    assert result.url == http_server.url("/feed")
    assert result.validators == Validators(etag=ETAG, last_modified=MODIFIED)
    assert result.headers["content-type"].startswith("application/xml")
    sent = http_server.requests_to("/feed")[0].headers
    assert sent["user-agent"] == USER_AGENT
    assert "application/rss+xml" in sent["accept"]
    assert "if-none-match" not in sent


async def test_gzip_body_is_decoded(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, gzip=True)
    result = await fetch(http_server.url("/feed"))
    assert isinstance(result, Fetched)
    assert result.content == RSS
    assert "gzip" in http_server.requests[0].headers["accept-encoding"]


async def test_a_body_left_compressed_is_decoded_by_inflate(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, gzip=True)
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(http_server.url("/feed"), decode=False)
    assert isinstance(result, Fetched)
    assert result.content_encoding == "gzip" and result.content[:2] == b"\x1f\x8b"
    assert inflate.decode(result.content, result.content_encoding, 1 << 20) == RSS
    http_server.route("/plain", body=RSS)
    async with Fetcher() as fetcher:
        plain = await fetcher.fetch(http_server.url("/plain"), decode=False)
    assert isinstance(plain, Fetched)
    assert (plain.content, plain.content_encoding) == (RSS, "")


async def test_304_when_validators_match_and_both_are_sent(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, etag=ETAG, last_modified=MODIFIED)
    result = await fetch(http_server.url("/feed"), Validators(ETAG, MODIFIED))
    assert isinstance(result, NotModified)
    assert result.validators == Validators(ETAG, MODIFIED)
    sent = http_server.requests_to("/feed")[0].headers
    assert sent["if-none-match"] == ETAG
    assert sent["if-modified-since"] == MODIFIED


async def test_changed_feed_answers_200_with_new_validators(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, etag='"v2"')
    result = await fetch(http_server.url("/feed"), Validators(ETAG, None))
    assert isinstance(result, Fetched)
    assert result.validators.etag == '"v2"'


async def test_304_on_last_modified_alone(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, last_modified=MODIFIED)
    result = await fetch(http_server.url("/feed"), Validators(None, MODIFIED))
    assert result == NotModified(Validators(None, MODIFIED))
    assert "if-none-match" not in http_server.requests[0].headers


async def test_redirect_is_followed(http_server: LocalServer) -> None:
    http_server.route("/old", redirect_to="/new", status=301)
    http_server.route("/new", body=RSS)
    result = await fetch(http_server.url("/old"))
    assert isinstance(result, Fetched)
    assert result.url == http_server.url("/new")
    assert result.content == RSS


async def test_exactly_max_redirects_is_fine(http_server: LocalServer) -> None:
    for i in range(5):
        http_server.route(f"/r{i}", redirect_to=f"/r{i + 1}")
    http_server.route("/r5", body=RSS)
    result = await fetch(http_server.url("/r0"))
    assert isinstance(result, Fetched)
    assert result.url.endswith("/r5")


# --- redirects that must be refused -------------------------------------------------------


async def test_more_than_five_redirects(http_server: LocalServer) -> None:
    for i in range(7):
        http_server.route(f"/r{i}", redirect_to=f"/r{i + 1}")
    http_server.route("/r7", body=RSS)
    error = await fetch_error(http_server.url("/r0"))
    assert str(error) == "more than 5 redirects"
    assert len(http_server.requests) == 6


async def test_redirect_loop(http_server: LocalServer) -> None:
    http_server.route("/a", redirect_to="/b")
    http_server.route("/b", redirect_to="/a")
    error = await fetch_error(http_server.url("/a"))
    assert "redirect loop" in str(error)
    assert [r.path for r in http_server.requests] == ["/a", "/b"]


@pytest.mark.parametrize(
    ("target", "scheme"),
    [
        ("file:///etc/passwd", "file:"),
        ("ftp://127.0.0.1/feed.xml", "ftp:"),
        ("javascript:alert(1)", "javascript:"),
    ],
)
async def test_redirect_to_other_schemes_is_refused(
    http_server: LocalServer, target: str, scheme: str
) -> None:
    http_server.route("/feed", redirect_to=target)
    error = await fetch_error(http_server.url("/feed"))
    assert scheme in str(error)
    assert "refused" in str(error)


async def test_custom_headers_stay_on_their_host(http_server: LocalServer) -> None:
    # 127.0.0.1 and localhost are two hosts to the client, one server here.
    http_server.route("/start", redirect_to="/same")
    http_server.route("/same", redirect_to=http_server.url("/other", host="localhost"))
    http_server.route("/other", body=RSS)
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(
            http_server.url("/start"), headers={"Authorization": "Bearer secret"}
        )
    assert isinstance(result, Fetched)
    seen = {r.path: r for r in http_server.requests}
    assert seen["/start"].headers["authorization"] == "Bearer secret"
    assert seen["/same"].headers["authorization"] == "Bearer secret"
    assert seen["/other"].host == "localhost"
    assert "authorization" not in seen["/other"].headers


# --- HTTP errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (500, "HTTP 500 Internal Server Error"),
    ],
)
async def test_error_statuses(http_server: LocalServer, status: int, reason: str) -> None:
    http_server.route("/feed", body=b"<html>oops</html>", status=status)
    error = await fetch_error(http_server.url("/feed"))
    assert str(error) == reason
    assert error.retry_after is None


async def test_unknown_path_is_404(http_server: LocalServer) -> None:
    error = await fetch_error(http_server.url("/nothing-here"))
    assert str(error) == "HTTP 404 Not Found"


async def test_429_with_retry_after(http_server: LocalServer) -> None:
    http_server.route("/feed", status=429, headers={"Retry-After": "120"})
    error = await fetch_error(http_server.url("/feed"))
    assert error.retry_after == 120
    assert str(error) == "HTTP 429 Too Many Requests (retry after 120 s)"


async def test_503_without_retry_after(http_server: LocalServer) -> None:
    http_server.route("/feed", status=503)
    error = await fetch_error(http_server.url("/feed"))
    assert error.retry_after is None
    assert str(error) == "HTTP 503 Service Unavailable"


# --- hostile bodies and broken connections --------------------------------------------


def gzip_bomb() -> bytes:
    """Gzip of 1 GiB of zeros: 16 members of 64 MiB each (about 1 MB on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    member = b"".join(compressor.compress(zeros) for _ in range(64)) + compressor.flush()
    return member * 16


async def test_gzip_bomb_stops_at_the_cap_with_bounded_memory(
    http_server: LocalServer,
) -> None:
    bomb = gzip_bomb()
    assert len(bomb) < 2 << 20
    http_server.route("/feed", body=bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        error = await fetch_error(http_server.url("/feed"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error) == "response larger than 10 MiB"
    # The decoded body may reach the 10 MiB cap (plus a copy); never the gigabyte.
    assert peak < 25 << 20  # measured: about 15 MiB


async def test_gzip_body_within_a_small_cap(http_server: LocalServer) -> None:
    http_server.route("/feed", body=bytes(1 << 20), gzip=True)
    error = await fetch_error(http_server.url("/feed"), max_bytes=64 * 1024)
    assert str(error) == "response larger than 64 KiB"


async def test_body_of_exactly_max_bytes_is_accepted(http_server: LocalServer) -> None:
    http_server.route("/feed", body=b"x" * 1000, gzip=True)
    result = await fetch(http_server.url("/feed"), max_bytes=1000)
    assert isinstance(result, Fetched)
    assert len(result.content) == 1000


async def test_endless_chunked_body(http_server: LocalServer) -> None:
    http_server.route("/feed", endless=True)
    error = await fetch_error(http_server.url("/feed"), max_bytes=1 << 20)
    assert str(error) == "response larger than 1 MiB"


async def test_declared_length_over_the_cap_is_refused_before_reading(
    http_server: LocalServer,
) -> None:
    http_server.route("/feed", body=b"x" * 5000)
    error = await fetch_error(http_server.url("/feed"), max_bytes=1000)
    assert str(error) == "response larger than 1000 bytes"


async def test_trickling_server_is_stopped_by_the_deadline(http_server: LocalServer) -> None:
    # One byte every half second never trips the read timeout; the deadline stops it.
    http_server.route("/feed", body=RSS, trickle=0.5)
    error = await fetch_error(http_server.url("/feed"), deadline=1.2, read_timeout=5)
    assert str(error) == "no complete response within 1.2 s"


async def test_slow_server_hits_the_read_timeout(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, delay=2)
    error = await fetch_error(http_server.url("/feed"), read_timeout=0.3)
    assert str(error) == "127.0.0.1 sent nothing for 0.3 s"


async def test_body_shorter_than_content_length(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, content_length=len(RSS) + 500)
    error = await fetch_error(http_server.url("/feed"))
    assert str(error).startswith("connection closed before the whole response arrived")
    assert "Error" not in str(error)


async def test_body_labelled_gzip_that_is_not(http_server: LocalServer) -> None:
    http_server.route("/feed", body=RSS, headers={"Content-Encoding": "gzip"})
    error = await fetch_error(http_server.url("/feed"))
    assert str(error) == "the body is labelled gzip but is not valid gzip data"


async def test_truncated_gzip_body(http_server: LocalServer) -> None:
    whole = zlib.compress(RSS * 50, wbits=16 + zlib.MAX_WBITS)
    http_server.route("/feed", body=whole[: len(whole) // 2], headers={"Content-Encoding": "gzip"})
    error = await fetch_error(http_server.url("/feed"))
    assert str(error) == "the gzip body ends early (incomplete data)"


async def test_server_hangs_up_without_answering(http_server: LocalServer) -> None:
    http_server.route("/feed", disconnect=True)
    error = await fetch_error(http_server.url("/feed"))
    assert "127.0.0.1" in str(error)
    assert "disconnected" in str(error).lower() or "closed" in str(error).lower()


async def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port any more.
    error = await fetch_error(f"http://127.0.0.1:{port}/feed")
    assert str(error) == "connection refused by 127.0.0.1"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "feed.xml"])
async def test_only_http_urls_are_fetched(url: str) -> None:
    error = await fetch_error(url)
    assert str(error).startswith("only http and https URLs can be fetched")
