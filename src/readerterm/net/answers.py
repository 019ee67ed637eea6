"""What a fetch hands back (`Fetched`, `NotModified`, a redirect to follow) and how a
response's status, headers and body are read into it."""

from __future__ import annotations

import asyncio
import email.utils
import http
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from ..models import Validators
from ..text.safe import clean_line
from .inflate import inflater_for, too_large

INFLATE_ON_A_THREAD = 16 * 1024
"""Compressed pieces this big (~1 ms of inflating, and more with every refresh of hundreds
of feeds) are inflated on a thread; smaller ones cost less than the hand-over."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A complete response body, decoded unless asked not to be."""

    url: str
    """The final URL, after redirects."""
    content: bytes
    """The body, at most `max_bytes`: decoded (gunzipped), or as sent (`decode=False`)."""
    headers: dict[str, str]
    """Response headers with lower-case names."""
    validators: Validators
    """ETag / Last-Modified of this response, for the next conditional GET."""
    moved_to: str | None = None
    """Set when every redirect on the way was permanent (301/308): the feed's new home."""
    content_encoding: str = ""
    """The coding `content` still has (`decode=False`: inflate.decode undoes it)."""

    def text(self) -> str:
        """The body as text, in the charset the server named (else UTF-8); bytes that do
        not decode become U+FFFD. Only for a decoded body."""
        if self.content_encoding:
            raise ValueError("the body is still compressed: fetch it with decode=True")
        for part in self.headers.get("content-type", "").split(";"):
            name, _, value = part.strip().partition("=")
            charset = value.strip("\"' ")
            if name.lower() == "charset" and charset:
                try:
                    return self.content.decode(charset, errors="replace")
                except LookupError:
                    break
        return self.content.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class NotModified:
    """The server answered 304: what we have is current."""

    validators: Validators
    """The validators to keep (a 304 may carry new ones)."""
    moved_to: str | None = None
    """Set when every redirect on the way was permanent (301/308)."""


@dataclass(frozen=True, slots=True)
class Redirect:
    status: int
    location: str


LONGEST_RETRY_AFTER = 1e12
"""Seconds of a Retry-After too long to read as given (thousands of digits: int() refuses
them, and float() overflows long before)."""


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delay-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # ("²" is a digit to isdigit, not to int)
        return float(int(value)) if len(value) <= 12 else LONGEST_RETRY_AFTER
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def format_seconds(seconds: float) -> str:
    return f"{seconds:g} s" if seconds < 100 else f"{round(seconds)} s"


def status_text(response: httpx.Response) -> str:
    code = response.status_code
    try:
        phrase = http.HTTPStatus(code).phrase
    except ValueError:
        phrase = clean_line(response.reason_phrase)[:60]
    return f"HTTP {code} {phrase}".rstrip()


def safe_header_value(value: str | None) -> str | None:
    """A validator we can echo back in a header, or None if it could break the request."""
    if not value or not value.isascii() or "\r" in value or "\n" in value:
        return None
    return value.strip() or None


def validators_of(response: httpx.Response) -> Validators:
    return Validators(
        etag=safe_header_value(response.headers.get("etag")),
        last_modified=safe_header_value(response.headers.get("last-modified")),
    )


async def read_body(response: httpx.Response, decode: bool, limit: int) -> tuple[bytes, str]:
    """Stream the body, decoding it ourselves so the cap applies to the decoded size;
    with the coding still to undo (`decode=False`), if any."""
    if response.is_stream_consumed:
        # A transport that hands over a body already read and decoded (mocks do).
        if len(response.content) > limit:
            raise too_large(limit)
        return response.content, ""
    coding = response.headers.get("content-encoding", "")
    inflater = inflater_for(coding)  # (refuses a coding it cannot undo, now)
    # What the caller is left to undo: the coding, when there is one and it asked to.
    still_coded = coding if inflater is not None and not decode else ""
    if not decode:
        inflater = None
    if inflater is None:
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > limit:
            raise too_large(limit)
    body = bytearray()
    async for raw in response.aiter_raw():
        if inflater is None:
            body += raw
        elif len(raw) >= INFLATE_ON_A_THREAD:
            # zlib lets go of the GIL while it works: the event loop runs meanwhile.
            await asyncio.to_thread(inflater.feed, raw, body, limit)
        else:
            inflater.feed(raw, body, limit)
        if len(body) > limit:
            raise too_large(limit)
    if inflater is not None:
        inflater.finish()
    return bytes(body), still_coded
