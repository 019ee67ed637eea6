"""The one httpx client the fetcher sends through: readerterm's own HTTP/1.1 transport
(net/http1.py) unless a proxy is set, no cookie jar, no redirects followed by httpx."""

from __future__ import annotations

from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.request import getproxies

import httpx

from .. import __version__
from .http1 import Http1Transport
from .urls import check_redirect

USER_AGENT = (
    f"readerterm/{__version__} (+https://github.com/readerterm/readerterm; terminal news reader)"
)


class DirectClient(httpx.AsyncClient):
    """httpx's client, and the transport readerterm gave it, if any: requests go to that
    transport directly. The client's own sending adds ~0.2 ms a request, most of it
    copying the response's cookies into a jar, which a feed reader should not keep (nor
    send back) anyway; redirects, timeouts and headers are the fetcher's own work. Behind a
    proxy httpx picks the transport, and for a URL with a login (user:password@) httpx
    adds its Basic authorization: the client sends those (its jar refuses every cookie)."""

    def __init__(self, *, direct: httpx.AsyncBaseTransport | None, **options: Any) -> None:
        jar = CookieJar(DefaultCookiePolicy(allowed_domains=[]))
        super().__init__(transport=direct, cookies=jar, **options)
        self.direct = direct


IDLE_HOSTS = 64
"""Idle connections are kept for the hosts used most recently, at most this many (as many
as requests in flight: with fewer, a refresh closed connections to hosts whose next feed
was about to be fetched)."""


def _proxies_from_environment() -> bool:
    """Whether HTTP_PROXY, HTTPS_PROXY or ALL_PROXY (or the system's settings, as httpx
    reads them) name a proxy."""
    return any(scheme in getproxies() for scheme in ("http", "https", "all"))


def new_client(
    *,
    max_connections: int,
    max_per_host: int,
    connect_timeout: float,
    read_timeout: float,
    deadline: float,
    transport: httpx.AsyncBaseTransport | None,
) -> httpx.AsyncClient:
    """The client for `Fetcher`: `transport` if given, else readerterm's own, or httpx's
    behind a proxy."""
    if transport is None and not _proxies_from_environment():
        # (httpx reads the proxy variables only for a client without a transport)
        transport = Http1Transport(per_host=max_per_host, idle_hosts=IDLE_HOSTS)
    return DirectClient(
        direct=transport,
        follow_redirects=False,
        limits=httpx.Limits(  # for httpx's own transport, used behind a proxy
            max_connections=max_connections, max_keepalive_connections=IDLE_HOSTS
        ),
        timeout=httpx.Timeout(
            connect=connect_timeout, read=read_timeout, write=read_timeout, pool=deadline
        ),
        headers={"User-Agent": USER_AGENT},
        event_hooks={"response": [check_redirect]},
    )
