"""readerterm's HTTP/1.1 transport against real servers on 127.0.0.1 (plain and TLS):
connections kept alive and used again, a pool per host, what happens when servers close."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterator

import httpx
import pytest
import trustme

from readerterm import http1
from readerterm.errors import FetchError
from readerterm.fetch import Fetcher, NotModified
from readerterm.http1 import Http1Transport
from readerterm.models import Validators
from testserver import LocalServer


def client_for(transport: Http1Transport) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=transport)


# --- keeping connections -----------------------------------------------------------------


async def test_requests_to_one_host_use_one_connection_again(http_server: LocalServer) -> None:
    http_server.route("/feed", body=b"news", etag='"v1"')
    http_server.route("/moved", redirect_to="/feed")
    async with client_for(Http1Transport(per_host=2)) as client:
        for _ in range(3):
            assert (await client.get(http_server.url("/feed"))).content == b"news"
        # answers closed unread, as the fetcher closes a 304 and a redirect
        for path, headers in (("/feed", {"If-None-Match": '"v1"'}), ("/moved", {})):
            async with client.stream("GET", http_server.url(path), headers=headers) as answer:
                assert answer.status_code in (304, 302)
    assert len(http_server.requests) == 5
    assert http_server.connections_accepted == 1


async def test_an_idle_connection_kept_too_long_is_not_used_again(
    http_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    http_server.route("/feed", body=b"news")
    monkeypatch.setattr(http1, "KEEPALIVE_SECONDS", 0.0)
    async with client_for(Http1Transport(per_host=1)) as client:
        for _ in range(2):
            assert (await client.get(http_server.url("/feed"))).content == b"news"
    assert http_server.connections_accepted == 2


async def test_each_host_has_its_own_pool_and_only_the_recent_ones_stay_open() -> None:
    with LocalServer() as first, LocalServer() as second, LocalServer() as third:
        transport = Http1Transport(per_host=2, idle_hosts=2)
        async with client_for(transport) as client:
            for server in (first, second, first, third):
                server.route("/feed", body=b"news")
                assert (await client.get(server.url("/feed"))).content == b"news"
            # first and third were used last; second's idle connection was closed.
            assert transport.pool_count == 2
            assert (await client.get(second.url("/feed"))).content == b"news"
            assert transport.pool_count == 2
        assert transport.pool_count == 0  # the client closed every pool
        assert (first.connections_accepted, second.connections_accepted) == (1, 2)


async def test_a_pool_whose_response_is_still_open_is_never_closed() -> None:
    with LocalServer() as slow, LocalServer() as quick:
        slow.route("/big", body=b"x" * 600_000)
        quick.route("/small", body=b"y")
        transport = Http1Transport(per_host=1, idle_hosts=0)
        async with client_for(transport) as client:
            async with client.stream("GET", slow.url("/big")) as streaming:
                assert (await client.get(quick.url("/small"))).content == b"y"
                # quick's pool, idle, was closed; slow's still serves its response.
                assert transport.pool_count == 1
                body = b"".join([chunk async for chunk in streaming.aiter_bytes()])
            assert body == b"x" * 600_000
            assert transport.pool_count == 0


async def test_a_body_left_unread_closes_its_connection_and_frees_the_host(
    http_server: LocalServer,
) -> None:
    http_server.route("/big", body=b"x" * 2_000_000)
    http_server.route("/small", body=b"y")
    async with client_for(Http1Transport(per_host=1)) as client:

        async def read_a_little() -> None:
            async with client.stream("GET", http_server.url("/big")) as answer:
                async for _ in answer.aiter_raw():
                    await asyncio.sleep(10)  # cancelled here, mid-body

        reading = asyncio.create_task(read_a_little())
        await asyncio.sleep(0.2)
        reading.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reading
        # The one slot for this host is free again, on a new connection.
        answer = await asyncio.wait_for(client.get(http_server.url("/small")), 5)
        assert answer.content == b"y"
    assert http_server.connections_accepted == 2


async def test_a_request_with_a_body_is_refused(http_server: LocalServer) -> None:
    async with client_for(Http1Transport(per_host=1)) as client:
        with pytest.raises(httpx.UnsupportedProtocol):
            await client.post(http_server.url("/feed"), content=b"data")
    assert http_server.requests == []


# --- servers that close connections --------------------------------------------------------


class _ClosingServer:
    """Answers the first request of its first connection, then closes that connection
    when the second request comes; later connections are answered in chunks."""

    def __init__(self) -> None:
        self.connections = 0
        self.requests = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/feed"

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        first = self.connections == 1
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                self.requests += 1
                if first and self.requests > 1:
                    break  # hang up on a connection the client kept alive
                if first:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
                else:
                    writer.write(
                        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"4\r\nlate\r\n2\r\nr!\r\n0\r\n\r\n"
                    )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


async def test_a_kept_connection_the_server_closes_on_use_is_replaced_once() -> None:
    server = _ClosingServer()
    async with server as url, client_for(Http1Transport(per_host=1)) as client:
        assert (await client.get(url)).content == b"first"
        # Sent on the kept connection, which the server closes without an answer: the
        # transport asks again on a new connection, whose answer comes in chunks.
        assert (await client.get(url)).content == b"later!"
    assert server.connections == 2


async def test_a_new_connection_closed_without_an_answer_is_an_error() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with client_for(Http1Transport(per_host=1)) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(f"http://127.0.0.1:{port}/feed")
    finally:
        server.close()
        await server.wait_closed()


# --- TLS ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(authority: trustme.CA) -> Iterator[LocalServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    with LocalServer(tls=context) as server:
        yield server


def trusting(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    authority.configure_trust(context)
    return context


async def test_https_is_read_and_kept_alive(tls_server: LocalServer, authority: trustme.CA) -> None:
    tls_server.route("/feed", body=b"secure news", etag='"v1"')
    assert tls_server.url("/feed").startswith("https://")
    transport = Http1Transport(per_host=2, tls=trusting(authority))
    async with Fetcher(transport=transport) as fetcher:
        fetched = await fetcher.fetch(tls_server.url("/feed"))
        assert not isinstance(fetched, NotModified) and fetched.content == b"secure news"
        again = await fetcher.fetch(tls_server.url("/feed"), Validators(etag='"v1"'))
        assert isinstance(again, NotModified)
    assert tls_server.connections_accepted == 1


async def test_a_certificate_nobody_vouches_for_is_a_tls_error(tls_server: LocalServer) -> None:
    tls_server.route("/feed", body=b"news")
    with pytest.raises(FetchError) as caught:
        async with Fetcher() as fetcher:  # the usual trust store, without the test's CA
            await fetcher.fetch(tls_server.url("/feed"))
    assert str(caught.value).startswith("TLS error with 127.0.0.1:")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)


async def test_a_certificate_for_another_name_is_refused(authority: trustme.CA) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("other.example").configure_cert(context)
    with LocalServer(tls=context) as server:
        server.route("/feed", body=b"news")
        transport = Http1Transport(per_host=1, tls=trusting(authority))
        with pytest.raises(FetchError) as caught:
            async with Fetcher(transport=transport) as fetcher:
                await fetcher.fetch(server.url("/feed"))
    assert str(caught.value).startswith("TLS error with 127.0.0.1:")
    assert server.requests == []
