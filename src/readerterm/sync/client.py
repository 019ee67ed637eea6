"""The HTTP side shared by the sync clients: which URLs may be used, one request with a
deadline and a size cap, HTTP statuses and JSON replies turned into `SyncError`s that
name the server, checks of JSON field types, and hiding of secrets.

Secrets (the password, tokens, the Fever api_key) live in `Secret`, whose repr hides
them, and are sent only in headers or request bodies, never in URLs. Messages are built
from fixed text, the URL and the user name; text that comes from the server goes through
`HttpClient.server_text`, which removes any secret the server might echo.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from readerterm.sync.hints import (
    api_of_site,
    api_turned_off,
    api_url,
    freshrss_site,
    is_loopback,
    server_name,
    url_problem,
    what_it_looks,
    without_credentials,
)
from readerterm.sync.password import PASSWORD_VARIABLE
from readerterm.sync.protocol import SyncAuthError, SyncError
from readerterm.text.safe import clean_line

MAX_REPLY_BYTES = 64 * 1024 * 1024
"""The most a single reply may hold (after decompression); read at each request."""

USER_AGENT = "readerterm-sync/1"
_API_NAMES = {"greader": "Google Reader API", "fever": "Fever API"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\s]+")


class Secret:
    """A string that does not show itself in repr or str."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


class BadShape(Exception):
    """A JSON value is not of the documented type (turned into SyncError, or the record
    holding it is skipped)."""


@dataclass(frozen=True, slots=True)
class Reply:
    """A whole HTTP reply, already read."""

    status: int
    headers: httpx.Headers
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def check_url(url: str, *, allow_insecure: bool) -> str:
    """`url` without surrounding blanks, or SyncError if it must not be used."""
    text = url.strip()
    if not text:
        raise SyncError("The sync URL is empty: set url in the [sync] table")
    if _CONTROL.search(text):
        raise SyncError("The sync URL contains spaces or control characters")
    shown = without_credentials(text)  # (a password written into it is never repeated)
    try:
        parts = urlsplit(text)
        host = parts.hostname
        _ = parts.port
    except ValueError:
        raise SyncError(f"The sync URL {shown} is not a valid URL") from None
    if parts.username is not None or parts.password is not None or shown != text:
        raise SyncError(
            f"The sync URL {shown} holds a user name or password: give the name as username "
            f"in the [sync] table and the password by password_command or {PASSWORD_VARIABLE}"
        )
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise SyncError(f"The sync URL {shown} must start with https:// (or http://)")
    if parts.query or parts.fragment:
        raise SyncError(f"The sync URL {shown} must not have a query (?...) or fragment (#...)")
    if parts.scheme.lower() == "http" and not is_loopback(host) and not allow_insecure:
        raise SyncError(
            f"Refusing to sync with {text}: plain http:// would send your password "
            f"unencrypted to {host}, which is not this machine. Use https://, or set "
            "allow_insecure = true in the [sync] table if you trust the network"
        )
    return text


def one_line(text: str, limit: int = 200) -> str:
    """Text from the server made safe for a message, as feed text is (`clean_line`: whole
    escape sequences, controls, bidi and zero-width marks removed), cut to `limit`."""
    flat = clean_line(text)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class HttpClient:
    """Requests to one sync API, with the errors turned into `SyncError`s."""

    def __init__(
        self,
        url: str,
        kind: str,
        *,
        allow_insecure: bool,
        timeout: float,
        transport: httpx.AsyncBaseTransport | None,
    ) -> None:
        self.url = api_url(check_url(url, allow_insecure=allow_insecure), kind)
        self.kind = kind
        self.server = server_name(self.url)
        self.label = f"{self.server} at {self.url}"
        self.api = _API_NAMES.get(kind, "sync API")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise SyncError(f"The sync timeout must be a positive number of seconds: {timeout}")
        self.timeout = float(timeout)
        self._secrets: list[Secret] = []
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(self.timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
        )

    def __repr__(self) -> str:
        return f"HttpClient({self.label!r})"

    def endpoint(self, path: str) -> str:
        """The URL of `path` under the API URL."""
        return f"{self.url.rstrip('/')}/{path.lstrip('/')}"

    def keep_secret(self, secret: Secret) -> None:
        """Remove this secret from any server text that goes into a message."""
        self._secrets.append(secret)

    def server_text(self, text: str) -> str:
        """Text from the server, fit for a one-line message: secrets replaced by ***."""
        for secret in self._secrets:
            value = secret.reveal()
            if value:
                text = text.replace(value, "***")
        return one_line(text)

    async def aclose(self) -> None:
        await self._client.aclose()

    # requests

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, str] | None = None,
        form: Sequence[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request and read the whole reply, within `timeout` seconds in all."""
        all_headers = dict(headers or {})
        content = None
        if form is not None:
            content = urlencode(list(form)).encode("ascii")
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            async with asyncio.timeout(self.timeout):
                async with self._client.stream(
                    method, url, params=params, content=content, headers=all_headers
                ) as response:
                    body = await self._read(response)
                    return Reply(response.status_code, response.headers, body)
        except SyncError:
            raise
        except (TimeoutError, httpx.TimeoutException):
            raise SyncError(f"{self.label} did not answer within {self.timeout:g} s") from None
        except httpx.ConnectError as exc:
            raise SyncError(f"{self.label} cannot be reached: {_reason(exc)}") from None
        except httpx.RemoteProtocolError:
            raise SyncError(
                f"{self.label} broke off the connection or sent a malformed HTTP reply"
            ) from None
        except httpx.DecodingError:
            raise SyncError(f"{self.label} sent a compressed reply that does not decode") from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise SyncError(f"{self.label} cannot be reached: {_reason(exc)}") from None

    async def _read(self, response: httpx.Response) -> bytes:
        limit = MAX_REPLY_BYTES
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise self._too_big(limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise self._too_big(limit)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, limit: int) -> SyncError:
        return SyncError(f"{self.label} sent a reply larger than {limit / 2**20:g} MiB; gave up")

    # replies

    def auth_error(self, username: str, status: int = 401) -> SyncAuthError:
        # (the usual mistake with FreshRSS: its login password, refused the same way)
        freshrss = " (FreshRSS takes the API password set in Profile, not the login one)"
        return SyncAuthError(
            f"{self.server} at {self.url} refused user {username} ({status}): wrong user name "
            f"or password?{freshrss if self.server == 'FreshRSS' else ''}"
        )

    def check_status(self, reply: Reply, username: str) -> None:
        """SyncError (SyncAuthError for 401/403) unless the status is 2xx. "Try again
        later" only where trying again can help; a reply that shows the URL is wrong
        names the right one where it can."""
        status = reply.status
        if 200 <= status < 300:
            return
        if api_turned_off(status, reply.body):
            raise SyncError(
                f"{self.label} has API access turned off: an administrator can turn on "
                '"Allow API access" in its Authentication settings'
            )
        if status == 429:
            raise SyncError(f"{self.label} asks to slow down (HTTP 429); try again later")
        if status >= 500 and status not in (501, 505):
            raise SyncError(f"{self.label} failed with HTTP {status}; try again later")
        wrong = self._wrong_url(reply, f"HTTP {status}")
        if wrong is not None:
            raise wrong
        if status in (401, 403):
            raise self.auth_error(username, status)
        if 300 <= status < 400:
            where = self.server_text(reply.headers.get("location", "elsewhere"))
            raise SyncError(
                f"{self.label} redirected the request to {where} (HTTP {status}): "
                "check the URL in the [sync] table"
            )
        if status == 404:
            raise SyncError(
                f"{self.label} has no such {self.api} endpoint (HTTP 404): check the URL"
            )
        if status in (405, 501, 505):
            raise SyncError(f"{self.label} is not a {self.api} (HTTP {status}): check the URL")
        raise SyncError(f"{self.label} refused the request with HTTP {status}")

    def _wrong_url(self, reply: Reply, got: str) -> SyncError | None:
        """The error for a reply showing that the URL is not the API's, if it shows it."""
        location = reply.headers.get("location", "")
        site = freshrss_site(self.url, reply.status, location, reply.body)
        if site is not None:
            what = "web interface" if reply.status != 200 else "page of API addresses"
            right = self.server_text(api_of_site(site, self.kind))
            return SyncError(
                f"FreshRSS at {self.url} answered with its {what}, not its {self.api}: use {right}"
            )
        problem = url_problem(self.url, self.kind)
        if problem is not None:
            return SyncError(f"{self.label} does not look like a {self.api} ({got}): {problem}")
        return None

    def not_api(self, reply: Reply) -> SyncError:
        """The error for a reply that is not what the API sends."""
        looks = what_it_looks(reply.body, self.kind)
        wrong = self._wrong_url(reply, f"got {looks}")
        if wrong is not None:
            return wrong
        return SyncError(
            f"{self.label} did not answer like a {self.api} (got {looks}): check the URL"
        )

    def shape_error(self, what: str) -> SyncError:
        return SyncError(f"{self.label} sent a {self.api} reply of an unexpected shape ({what})")

    def json_object(self, reply: Reply) -> dict[str, Any]:
        """The reply as a JSON object, or SyncError."""
        try:
            value = json.loads(reply.body.decode("utf-8-sig"))
        except (ValueError, RecursionError):
            raise self.not_api(reply) from None
        if not isinstance(value, dict):
            raise self.not_api(reply)
        return value


def _reason(exc: BaseException) -> str:
    """The operating system's words for a network failure, else a generic phrase."""
    seen: BaseException | None = exc
    for _ in range(8):
        if isinstance(seen, ssl.SSLCertVerificationError):
            return "its TLS certificate was not accepted"
        if isinstance(seen, ssl.SSLError):
            return "the TLS handshake failed"
        if isinstance(seen, OSError) and isinstance(seen.errno, int) and seen.errno > 0:
            return os.strerror(seen.errno).lower()
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = None if seen is None else seen.__cause__ or seen.__context__
    return "the connection failed"


# JSON field checks (they raise BadShape)


def as_dict(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadShape("an object")
    return value


def as_list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise BadShape("a list")
    return value


def opt_str(record: dict[str, Any], key: str) -> str | None:
    """`record[key]` if a string, None if absent or null, BadShape otherwise."""
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value
    raise BadShape(f"{key} is not a string")


def req_str(record: dict[str, Any], key: str) -> str:
    value = opt_str(record, key)
    if value is None:
        raise BadShape(f"{key} is missing")
    return value


def decimal_id(value: object) -> str:
    """A non-negative integer id, given as a JSON number or a string of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        return str(int(value))
    raise BadShape("an id is not a decimal number")


def flag(value: object) -> bool:
    """A JSON boolean, or 0/1 as a number or string."""
    if isinstance(value, bool):
        return value
    if value in (0, 1, "0", "1"):
        return value in (1, "1")
    raise BadShape("a flag is not 0 or 1")


def timestamp(value: object) -> datetime | None:
    """Seconds since 1970 (number or digits) as an aware UTC datetime; None if absent or
    out of range, BadShape if not a number."""
    if value is None:
        return None
    if isinstance(value, str) and value.isascii() and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BadShape("a time is not a number")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None
