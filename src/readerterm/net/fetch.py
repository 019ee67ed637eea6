"""HTTP for readerterm: one shared httpx client with limits, deadlines and size caps.

Everything the network can do wrong ends here as a `FetchError` with a short reason a
user can act on. Redirects are followed by hand so that each hop can be checked (scheme,
loops, count) and so that caller-supplied headers (credentials) never leave their host.
Bodies are decoded as they are read (answers.read_body), a bounded piece at a time, so a
decompression bomb stops at the size cap instead of filling memory; a caller may take a
body still compressed (`decode=False`) and decode it elsewhere with the same cap.
"""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Self

# httpx imports its command-line client (click, rich, pygments: ~0.2 s) whenever click is
# installed, and readerterm never runs it. A None module entry makes that one import fail
# at once; httpx then puts a stub in its place.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
import httpx

from ..errors import FetchError
from ..models import Validators
from ..text.safe import clean_line
from .answers import (
    Fetched,
    NotModified,
    Redirect,
    format_seconds,
    parse_retry_after,
    read_body,
    safe_header_value,
    status_text,
    validators_of,
)
from .client import USER_AGENT, DirectClient, new_client
from .failures import describe
from .inflate import MAX_BODY_BYTES
from .urls import REDIRECT_STATUSES, check_url, redirect_target

__all__ = [
    "FEED_ACCEPT",
    "PAGE_ACCEPT",
    "USER_AGENT",
    "Fetched",
    "Fetcher",
    "NotModified",
    "parse_retry_after",
]

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.1"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

_RETRY_STATUSES = frozenset({429, 503})
# We decode bodies ourselves (bounded), so we only ask for what we can decode.
_ACCEPT_ENCODING = "gzip, deflate"


SILENT_AFTER = 2
"""Timeouts after which a host is not asked again in the same refresh."""


class Fetcher:
    """Fetches feeds and pages over one shared `httpx.AsyncClient`.

    Limits requests in flight overall and per host, gives every request an overall
    deadline on top of httpx's connect/read timeouts (a server trickling a byte at a time
    never trips a read timeout), and caps the decoded body size.
    """

    def __init__(
        self,
        *,
        max_connections: int = 64,
        max_per_host: int = 4,
        connect_timeout: float = 10.0,
        read_timeout: float = 20.0,
        deadline: float = 60.0,
        max_bytes: int = MAX_BODY_BYTES,
        max_redirects: int = 5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if max_connections < 1 or max_per_host < 1:
            raise ValueError("max_connections and max_per_host must be at least 1")
        self._max_connections = max_connections
        self._max_per_host = max_per_host
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._deadline = deadline
        self._max_bytes = max_bytes
        self._max_redirects = max_redirects
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._prepared: httpx.AsyncClient | None = None
        """A client built off the loop by `prepare`, taken by the first request."""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._slots = asyncio.Semaphore(max_connections)
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._timeouts: dict[str, int] = {}
        """Requests of this round that a host let time out, by host (see `new_round`)."""

    def new_round(self) -> None:
        """A new refresh begins: hosts that stopped answering in the last one get another
        chance. Within a round, a host that has let SILENT_AFTER requests time out is not
        asked again: its other feeds fail at once ("not answering"), so a host that accepts
        connections and never answers cannot hold a refresh for (its feeds / 4) x 20 s."""
        self._timeouts = {}

    def _refuse_if_silent(self, host: str) -> None:
        if self._timeouts.get(host, 0) >= SILENT_AFTER:
            raise FetchError(
                f"{host} is not answering (it let {SILENT_AFTER} requests time out in this"
                " refresh); skipped until the next one"
            )

    @property
    def max_bytes(self) -> int:
        """The most bytes of one body (decoded) a fetch reads."""
        return self._max_bytes

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._loop is asyncio.get_running_loop():
            await client.aclose()
        prepared, self._prepared = self._prepared, None
        if prepared is not None:
            await prepared.aclose()

    async def prepare(self) -> None:
        """Build the client on a thread (the first import of httpcore's connection classes
        would otherwise stop the event loop at the first request). The TLS context is made
        on a thread by the first HTTPS connection (see Http1Transport): starting it here
        ahead of time moved no benchmark figure (cold refresh 2.55 s with it, 2.25 s
        without), so it is not done."""
        if self._client is None and self._prepared is None:
            self._prepared = await asyncio.to_thread(self._new_client)

    def _ensure_client(self) -> httpx.AsyncClient:
        """The shared client, made inside the running loop (and remade if the loop changed)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            self._loop = loop
            self._slots = asyncio.Semaphore(self._max_connections)
            self._host_slots = {}
            self._client, self._prepared = self._prepared or self._new_client(), None
        return self._client

    def _new_client(self) -> httpx.AsyncClient:
        return new_client(
            max_connections=self._max_connections,
            max_per_host=self._max_per_host,
            connect_timeout=self._connect_timeout,
            read_timeout=self._read_timeout,
            deadline=self._deadline,
            transport=self._transport,
        )

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(self._max_per_host)
        return slot

    async def fetch(
        self,
        url: str,
        validators: Validators | None = None,
        *,
        accept: str = FEED_ACCEPT,
        headers: Mapping[str, str] | None = None,
        before_body: Callable[[], Awaitable[None]] | None = None,
        decode: bool = True,
    ) -> Fetched | NotModified:
        """GET `url`, conditionally when `validators` are given.

        Returns `Fetched` or `NotModified`; raises `FetchError` for everything else.
        `headers` (e.g. credentials) are sent only to the host of `url`, never to another
        host a redirect leads to. `before_body` is awaited once a body is to be read (a
        2xx answer), before it is: a caller can bound how many bodies it holds at once.
        With `decode=False` a gzip or deflate body comes as sent, at most `max_bytes` of
        it, for the caller to decode with `inflate.decode` (a worker process does).
        """
        client = self._ensure_client()
        current = check_url(url)
        origin = (current.scheme, current.host, current.port)
        visited = {str(current)}
        send_extra = bool(headers)
        budget = self._deadline
        redirects = 0
        permanent = True
        while True:
            if send_extra and (current.host, current.port) != origin[1:]:
                send_extra = False
            if send_extra and origin[0] == "https" and current.scheme == "http":
                send_extra = False  # never downgrade credentials to plain http
            request_headers = self._request_headers(
                accept, validators, headers if send_extra else None
            )
            answer, budget = await self._exchange(
                client, current, request_headers, budget, before_body, decode
            )
            if not isinstance(answer, Redirect):
                if isinstance(answer, NotModified) and validators is not None:
                    answer = NotModified(
                        Validators(
                            etag=answer.validators.etag or validators.etag,
                            last_modified=(
                                answer.validators.last_modified or validators.last_modified
                            ),
                        )
                    )
                if redirects and permanent:
                    answer = dataclasses.replace(answer, moved_to=str(current))
                return answer
            redirects += 1
            permanent = permanent and answer.status in (301, 308)
            if redirects > self._max_redirects:
                raise FetchError(f"more than {self._max_redirects} redirects")
            target = redirect_target(current, answer.location)
            if str(target) in visited:
                raise FetchError(f"redirect loop at {clean_line(str(target))[:200]}")
            visited.add(str(target))
            current = target

    def _request_headers(
        self,
        accept: str,
        validators: Validators | None,
        extra: Mapping[str, str] | None,
    ) -> dict[str, str]:
        result = {"Accept": accept}
        if validators is not None:
            etag = safe_header_value(validators.etag)
            modified = safe_header_value(validators.last_modified)
            if etag:
                result["If-None-Match"] = etag
            if modified:
                result["If-Modified-Since"] = modified
        if extra:
            result.update(extra)
        result["Accept-Encoding"] = _ACCEPT_ENCODING
        return result

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        url: httpx.URL,
        headers: dict[str, str],
        budget: float,
        before_body: Callable[[], Awaitable[None]] | None,
        decode: bool = True,
    ) -> tuple[Fetched | NotModified | Redirect, float]:
        """One request/response within the slots; returns the answer and the budget left.

        Waiting for a free slot, or for the caller's `before_body`, does not count against
        the deadline; the request does.
        """
        loop = asyncio.get_running_loop()
        host = url.host
        self._refuse_if_silent(host)
        async with self._host_slot(host), self._slots:
            self._refuse_if_silent(host)  # (it may have stopped answering while we waited)
            started = loop.time()
            waited = 0.0
            try:
                async with asyncio.timeout(budget) as deadline:

                    async def admitted() -> None:
                        nonlocal waited
                        assert before_body is not None
                        begin = loop.time()
                        left = (deadline.when() or begin) - begin
                        deadline.reschedule(None)  # the clock stops while we wait
                        try:
                            await before_body()
                        finally:
                            waited = loop.time() - begin
                            deadline.reschedule(loop.time() + left)

                    answer = await self._send(
                        client, url, headers, admitted if before_body else None, decode
                    )
            except TimeoutError:
                self._timeouts[host] = self._timeouts.get(host, 0) + 1
                raise FetchError(
                    f"no complete response within {format_seconds(self._deadline)}"
                ) from None
            except httpx.HTTPError as exc:
                if isinstance(exc, httpx.ConnectTimeout | httpx.ReadTimeout):
                    self._timeouts[host] = self._timeouts.get(host, 0) + 1
                raise FetchError(
                    describe(
                        exc,
                        url,
                        connect_timeout=self._connect_timeout,
                        read_timeout=self._read_timeout,
                    )
                ) from None
            except httpx.InvalidURL:
                raise FetchError(f"invalid URL: {clean_line(str(url))[:200]}") from None
            except OverflowError:  # (the socket's: a port past 65535 in a stored address)
                raise FetchError(
                    f"invalid URL, no such port: {clean_line(str(url))[:200]}"
                ) from None
            except (UnicodeError, ValueError):
                raise FetchError("invalid request header (non-ASCII or line break)") from None
        return answer, budget - (loop.time() - started - waited)

    async def _send(
        self,
        client: httpx.AsyncClient,
        url: httpx.URL,
        headers: dict[str, str],
        before_body: Callable[[], Awaitable[None]] | None = None,
        decode: bool = True,
    ) -> Fetched | NotModified | Redirect:
        request = client.build_request("GET", url, headers=headers)
        if isinstance(client, DirectClient) and client.direct is not None and not url.userinfo:
            response = await client.direct.handle_async_request(request)
            response.request = request
        else:
            response = await client.send(request, stream=True)
        try:
            status = response.status_code
            if status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"{status_text(response)} without a Location header")
                return Redirect(status, location)
            if status == 304:
                return NotModified(validators_of(response))
            if status in _RETRY_STATUSES:
                wait = parse_retry_after(response.headers.get("retry-after"))
                reason = status_text(response)
                if wait is not None:
                    reason += f" (retry after {format_seconds(wait)})"
                raise FetchError(reason, retry_after=wait)
            if not 200 <= status < 300:
                raise FetchError(status_text(response))
            if before_body is not None:
                await before_body()
            content, coding = await read_body(response, decode, self._max_bytes)
            return Fetched(
                url=str(response.url),
                content=content,
                headers=dict(response.headers.items()),
                validators=validators_of(response),
                content_encoding=coding,
            )
        finally:
            await response.aclose()
