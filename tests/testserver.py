"""A real HTTP/1.1 server on a loopback address for tests and benchmarks.

Threaded (one thread per connection, keep-alive), started and stopped explicitly or by
the `http_server` fixture. Tests register routes (body, status, headers, delay, gzip,
validators for conditional GET, redirects, and deliberate misbehaviour: trickling, an
endless body, a body shorter than its Content-Length), and the server records every
request (path and headers) and the most requests it ever had in flight at once.

    server.route("/feed.xml", body=RSS, etag='"v1"')
    ...
    assert server.requests_to("/feed.xml")[-1].headers["if-none-match"] == '"v1"'
"""

from __future__ import annotations

import contextlib
import gzip as gzip_module
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

_ENDLESS_CHUNK = b"<item><title>more</title></item>\n" * 2000  # ~66 KB


@dataclass(frozen=True)
class Request:
    """One request as the server received it."""

    method: str
    path: str
    """The request target: path and query."""
    headers: dict[str, str]
    """Header names in lower case."""

    @property
    def host(self) -> str:
        """The Host header without the port (which name the client used)."""
        return self.headers.get("host", "").rsplit(":", 1)[0]


@dataclass
class Route:
    """What the server answers on one path."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    """Extra response headers; they override the ones the server sets."""
    content_type: str | None = "application/xml; charset=utf-8"
    etag: str | None = None
    """Sent as ETag; a request whose If-None-Match matches gets a 304."""
    last_modified: str | None = None
    """Sent as Last-Modified; a request whose If-Modified-Since is not older gets a 304
    (only when If-None-Match is absent, as RFC 9110 says)."""
    redirect_to: str | None = None
    """Answer with this Location (status 302 unless `status` is a 3xx)."""
    delay: float = 0.0
    """Seconds to wait before answering."""
    gzip: bool = False
    """Compress the body and send Content-Encoding: gzip."""
    trickle: float | None = None
    """Send the body one byte at a time, this many seconds apart."""
    endless: bool = False
    """A chunked body that never ends (until the client hangs up or the server stops)."""
    content_length: int | None = None
    """Declare this Content-Length whatever the body is (a lie when it differs); the
    connection is closed after the body."""
    disconnect: bool = False
    """Close the connection without answering."""

    def body_bytes(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Responder = Route | Callable[[Request], Route]
"""A fixed route, or a function that makes one for each request."""


class LocalServer:
    """An HTTP server on `host` (a loopback address) and a free port."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None
    ) -> None:
        self._routes: dict[str, Responder] = {}
        self._requests: list[Request] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self._max_in_flight = 0
        self._stop = threading.Event()
        self._connections: set[socket.socket] = set()
        self.connections_accepted = 0
        """Connections clients opened (fewer than requests where they kept them alive)."""
        self._scheme = "https" if tls is not None else "http"
        self._httpd = _Server((host, port), _Handler)
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.owner = self
        self._thread: threading.Thread | None = None

    # lifecycle
    def start(self) -> LocalServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # addresses
    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{self._scheme}://{self.host}:{self.port}"

    def url(self, path: str, *, host: str | None = None) -> str:
        """The full URL of `path`; `host` names the server differently (e.g. localhost)."""
        return f"{self._scheme}://{host or self.host}:{self.port}{path}"

    # routes
    def add(self, path: str, responder: Responder) -> None:
        """Serve `responder` on `path` (exact match on path+query, else on the path)."""
        with self._lock:
            self._routes[path] = responder

    def route(self, path: str, body: bytes | str = b"", **options: Any) -> Route:
        """Add (or replace) a fixed route; `options` are `Route` fields."""
        route = Route(body=body, **options)
        self.add(path, route)
        return route

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    # what happened
    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    @property
    def max_concurrent(self) -> int:
        """The most requests the server was answering at the same time."""
        with self._lock:
            return self._max_in_flight

    def clear(self) -> None:
        """Forget recorded requests and the concurrency peak (routes stay)."""
        with self._lock:
            self._requests.clear()
            self._max_in_flight = self._in_flight

    # serving (called on handler threads)
    def _responder(self, path: str) -> Responder | None:
        with self._lock:
            found = self._routes.get(path)
            if found is None:
                found = self._routes.get(urlsplit(path).path)
            return found

    @contextlib.contextmanager
    def _counted(self, request: Request) -> Iterator[None]:
        with self._lock:
            self._requests.append(request)
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1

    def _serve(self, handler: _Handler) -> None:
        request = Request(
            method=handler.command,
            path=handler.path,
            headers={k.lower(): v for k, v in handler.headers.items()},
        )
        with self._counted(request):
            responder = self._responder(request.path)
            if responder is None:
                route = Route(body=b"not found", status=404, content_type="text/plain")
            elif isinstance(responder, Route):
                route = responder
            else:
                route = responder(request)
            if route.delay and self._stop.wait(route.delay):
                handler.close_connection = True
                return
            try:
                self._answer(handler, request, route)
            except OSError:  # the client hung up: that is what some tests do
                handler.close_connection = True

    def _answer(self, handler: _Handler, request: Request, route: Route) -> None:
        if route.disconnect:
            handler.close_connection = True
            return
        if route.redirect_to is not None:
            status = route.status if 300 <= route.status < 400 else 302
            self._head(handler, status, {"Location": route.redirect_to, "Content-Length": "0"})
            return
        validators = {}
        if route.etag is not None:
            validators["ETag"] = route.etag
        if route.last_modified is not None:
            validators["Last-Modified"] = route.last_modified
        if _not_modified(request, route):
            self._head(handler, 304, {**validators, **route.headers})
            return

        body = route.body_bytes()
        headers: dict[str, str] = {}
        if route.content_type:
            headers["Content-Type"] = route.content_type
        headers.update(validators)
        if route.gzip:
            body = gzip_module.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        if route.endless:
            headers["Transfer-Encoding"] = "chunked"
        else:
            length = route.content_length if route.content_length is not None else len(body)
            headers["Content-Length"] = str(length)
        headers.update(route.headers)
        if handler.command == "HEAD":
            self._head(handler, route.status, headers)
            return
        self._head(handler, route.status, headers)

        if route.endless:
            chunk = body or _ENDLESS_CHUNK
            framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            while not self._stop.is_set():
                handler.wfile.write(framed)
            return
        if route.trickle is not None:
            for i in range(len(body)):
                if self._stop.wait(route.trickle):
                    break
                handler.wfile.write(body[i : i + 1])
                handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(body)
        if route.content_length is not None and route.content_length != len(body):
            handler.close_connection = True

    @staticmethod
    def _head(handler: _Handler, status: int, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.flush()


def _not_modified(request: Request, route: Route) -> bool:
    """RFC 9110 evaluation: If-None-Match first; If-Modified-Since only without it."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if route.etag is None:
            return False
        wanted = _weak(route.etag)
        tags = [t.strip() for t in if_none_match.split(",")]
        return "*" in tags or any(_weak(t) == wanted for t in tags)
    since = request.headers.get("if-modified-since")
    if since is None or route.last_modified is None:
        return False
    try:
        return parsedate_to_datetime(route.last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return since == route.last_modified


def _weak(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-answer is part of the tests; anything else is a bug.
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 30  # an idle keep-alive connection gives up its thread after this

    def setup(self) -> None:
        super().setup()
        with self.server.owner._lock:
            self.server.owner._connections.add(self.connection)
            self.server.owner.connections_accepted += 1

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.server.owner._lock:
            self.server.owner._connections.discard(self.connection)

    def do_GET(self) -> None:
        self.server.owner._serve(self)

    def do_HEAD(self) -> None:
        self.server.owner._serve(self)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass
