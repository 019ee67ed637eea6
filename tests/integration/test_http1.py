"""readerterm's HTTP/1.1 transport against real servers on 127.0.0.1 (plain and TLS):
connections kept alive and used again, a pool per host, what happens when servers close."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterator

import httpx
import pytest
import trustme

from readerterm.errors import FetchError
from readerterm.models import Validators
from readerterm.net import connection
from readerterm.net.fetch import Fetcher, NotModified
from readerterm.net.http1 import Http1Transport
from testserver import LocalServer

Reader = asyncio.StreamReader
Writer = asyncio.StreamWriter
Serve = Callable[["_RawServer", Reader, Writer, int], Awaitable[None]]


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
    monkeypatch.setattr(connection, "KEEPALIVE_SECONDS", 0.0)
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


class _RawServer:
    """A server on 127.0.0.1 that answers each connection with `serve(reader, writer,
    connection_number)`; it counts connections and requests."""

    def __init__(self, serve: Serve) -> None:
        self._serve_one = serve
        self.connections = 0
        self.requests = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/feed"

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def read_request(self, reader: Reader) -> None:
        await reader.readuntil(b"\r\n\r\n")
        self.requests += 1

    async def _serve(self, reader: Reader, writer: Writer) -> None:
        self.connections += 1
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            await self._serve_one(self, reader, writer, self.connections)
        writer.close()


async def test_a_kept_connection_the_server_closes_on_use_is_replaced_once() -> None:
    async def serve(server: _RawServer, reader: Reader, writer: Writer, number: int) -> None:
        await server.read_request(reader)
        if number == 1:
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst")
            await writer.drain()
            await server.read_request(reader)  # and hang up on the kept connection
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"4\r\nlate\r\n2\r\nr!\r\n0\r\n\r\n"
        )
        await writer.drain()

    server = _RawServer(serve)
    async with server as url, client_for(Http1Transport(per_host=1)) as client:
        assert (await client.get(url)).content == b"first"
        # Sent on the kept connection, which the server closes without an answer: the
        # transport asks again on a new connection, whose answer comes in chunks.
        assert (await client.get(url)).content == b"later!"
    assert (server.connections, server.requests) == (2, 3)


async def test_a_new_connection_closed_without_an_answer_is_an_error() -> None:
    async def hang_up(server: _RawServer, reader: Reader, writer: Writer, _: int) -> None:
        await server.read_request(reader)

    server = _RawServer(hang_up)
    async with server as url, client_for(Http1Transport(per_host=1)) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(url)
    assert server.requests == 1  # (a new connection's request is never sent again)


async def test_bytes_beyond_an_answer_are_not_read_as_the_next_one() -> None:
    async def serve(server: _RawServer, reader: Reader, writer: Writer, _: int) -> None:
        while True:
            await server.read_request(reader)
            if server.requests == 1:  # a 304 with a body it should not have
                writer.write(b"HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\nignored")
            else:
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nnews")
            await writer.drain()

    server = _RawServer(serve)
    async with server as url, client_for(Http1Transport(per_host=1)) as client:
        assert (await client.get(url)).status_code == 304
        await asyncio.sleep(0.05)
        assert (await client.get(url)).content == b"news"
    assert (server.requests, server.connections) == (2, 2)


async def test_a_request_partly_answered_is_never_sent_again() -> None:
    async def serve(server: _RawServer, reader: Reader, writer: Writer, _: int) -> None:
        await server.read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await server.read_request(reader)
        writer.write(b"HTTP/1.1 102 Processing\r\n\r\n")  # then hangs up
        await writer.drain()

    server = _RawServer(serve)
    async with server as url, client_for(Http1Transport(per_host=1)) as client:
        assert (await client.get(url)).content == b"ok"
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(url)
    assert (server.requests, server.connections) == (2, 1)


async def test_a_switch_of_protocols_is_an_error_not_a_hang() -> None:
    async def serve(server: _RawServer, reader: Reader, writer: Writer, _: int) -> None:
        await server.read_request(reader)
        writer.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"
        )
        await writer.drain()
        await asyncio.sleep(5)

    async with _RawServer(serve) as url, client_for(Http1Transport(per_host=1)) as client:
        upgrade = {"Upgrade": "h2c", "Connection": "Upgrade"}
        with pytest.raises(httpx.RemoteProtocolError):
            await asyncio.wait_for(client.get(url, headers=upgrade), 3)


async def test_a_server_hanging_up_says_so() -> None:
    async def serve(server: _RawServer, reader: Reader, writer: Writer, _: int) -> None:
        await server.read_request(reader)

    async with _RawServer(serve) as url, Fetcher() as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url)
    assert str(caught.value) == "127.0.0.1 closed the connection without answering"


async def test_a_connection_given_back_after_the_transport_closed_is_closed(
    http_server: LocalServer,
) -> None:
    http_server.route("/feed", body=b"news")
    transport = Http1Transport(per_host=1)
    async with (
        client_for(transport) as client,
        client.stream("GET", http_server.url("/feed")) as answer,
    ):
        await transport.aclose()
        assert await answer.aread() == b"news"
    await asyncio.sleep(0.1)
    assert http_server.connections_accepted == 1
    assert not http_server._connections  # the server saw it closed


async def test_every_address_refusing_is_one_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    loop = asyncio.get_running_loop()

    async def two_addresses(host: str, *args: object, **options: object) -> list[object]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.2", port)),
        ]

    monkeypatch.setattr(loop, "getaddrinfo", two_addresses)
    with pytest.raises(FetchError) as caught:
        async with Fetcher() as fetcher:
            await fetcher.fetch(f"http://feeds.example:{port}/feed")
    assert str(caught.value) == "connection refused by feeds.example"


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


async def test_a_server_hanging_up_in_the_tls_handshake_says_so() -> None:
    async def serve(server: _RawServer, reader: Reader, writer: Writer, _: int) -> None:
        await reader.read(1)  # the client's hello begins: hang up

    async with _RawServer(serve) as url, Fetcher() as fetcher:
        with pytest.raises(FetchError) as caught:
            await fetcher.fetch(url.replace("http:", "https:"))
    assert str(caught.value).endswith("the server hung up during the TLS handshake")


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


async def test_plain_http_never_waits_for_the_tls_context_nor_fails_with_it(
    monkeypatch: pytest.MonkeyPatch, tls_server: LocalServer
) -> None:
    def no_trust_store() -> ssl.SSLContext:
        raise FileNotFoundError(2, "No such file or directory", "/etc/ssl/missing.pem")

    monkeypatch.setattr(httpx, "create_ssl_context", no_trust_store)
    tls_server.route("/feed", body=b"secure news")
    with LocalServer() as plain:
        plain.route("/feed", body=b"plain news")
        async with Fetcher() as fetcher:
            fetched = await fetcher.fetch(plain.url("/feed"))
            assert not isinstance(fetched, NotModified) and fetched.content == b"plain news"
            with pytest.raises(FetchError) as caught:
                await fetcher.fetch(tls_server.url("/feed"))
            assert str(caught.value) == (
                "cannot load the certificates HTTPS needs: "
                "No such file or directory: '/etc/ssl/missing.pem'"
            )
            again = await fetcher.fetch(plain.url("/feed"))  # (the fetcher still works)
            assert not isinstance(again, NotModified) and again.content == b"plain news"
    assert tls_server.requests == []
