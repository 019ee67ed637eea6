"""A short reason a user can act on for each way a connection or an exchange fails
(never a class name or a traceback)."""

from __future__ import annotations

import re
import socket
import ssl

import httpx

from ..text.safe import clean_line
from .answers import format_seconds
from .connection import NO_ANSWER
from .http1 import TrustStoreError

_ERRNO_PREFIX = re.compile(r"^\[Errno -?\d+\]\s*")
_DNS_FAILURE = re.compile(
    r"name or service not known|nodename nor servname|getaddrinfo failed"
    r"|temporary failure in name resolution|no address associated",
    re.IGNORECASE,
)


def innermost(exc: BaseException) -> BaseException:
    """The original error under httpx's and anyio's wrappers."""
    for _ in range(10):
        if isinstance(exc, BaseExceptionGroup) and exc.exceptions:
            exc = exc.exceptions[0]
            continue
        inner = exc.__cause__ or exc.__context__
        if inner is None:
            break
        exc = inner
    return exc


def describe(
    exc: httpx.HTTPError, url: httpx.URL, *, connect_timeout: float, read_timeout: float
) -> str:
    """A short, readable reason for an httpx error (never a class name or traceback)."""
    host = clean_line(url.host)
    detail = clean_line(_ERRNO_PREFIX.sub("", str(exc)))[:200]
    if isinstance(exc, httpx.ConnectTimeout):
        return f"connecting to {host} timed out after {format_seconds(connect_timeout)}"
    if isinstance(exc, httpx.ReadTimeout):
        return f"{host} sent nothing for {format_seconds(read_timeout)}"
    if isinstance(exc, httpx.WriteTimeout):
        return f"sending the request to {host} timed out"
    if isinstance(exc, httpx.PoolTimeout):
        return "timed out waiting for a free connection"
    if isinstance(exc, httpx.TimeoutException):
        return f"request to {host} timed out"
    if isinstance(exc, TrustStoreError):
        return detail
    if isinstance(exc, httpx.ConnectError):
        cause = innermost(exc)
        if isinstance(cause, ConnectionRefusedError) or "refused" in detail.lower():
            return f"connection refused by {host}"
        if isinstance(cause, socket.gaierror) or _DNS_FAILURE.search(detail):
            return f"host not found: {host}"
        if isinstance(cause, ssl.SSLError):
            reason = clean_line(getattr(cause, "reason", None) or str(cause))[:200]
            return f"TLS error with {host}: {reason}"
        if isinstance(cause, OSError) and cause.strerror:
            return f"cannot connect to {host}: {clean_line(cause.strerror)[:200]}"
        return f"cannot connect to {host}: {detail or 'connection failed'}"
    if isinstance(exc, httpx.RemoteProtocolError):
        if detail == NO_ANSWER:
            return f"{host} closed the connection without answering"
        if "incomplete" in detail.lower() or "complete message body" in detail.lower():
            return f"connection closed before the whole response arrived ({detail})"
        return f"{host} broke the HTTP protocol: {detail or 'invalid response'}"
    if isinstance(exc, httpx.ProtocolError):
        return f"HTTP protocol error: {detail or 'invalid exchange'}"
    if isinstance(exc, httpx.ReadError):
        return f"connection to {host} broke while reading: {detail or 'read error'}"
    if isinstance(exc, httpx.WriteError):
        return f"connection to {host} broke while sending: {detail or 'write error'}"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL: {clean_line(str(url))[:200]}"
    if isinstance(exc, httpx.ProxyError):
        return f"proxy error: {detail or 'proxy refused the request'}"
    return f"network error: {detail or 'request failed'}"
