"""Decoding gzip and deflate response bodies, never past a size cap.

A decompression bomb (a few KB that inflate to gigabytes) stops at the cap instead of
filling memory: output comes in bounded pieces and the count is checked after each. The
fetcher decodes pages as they stream in; a refresh hands feed bodies still compressed to
the worker process that parses them (a third of the bytes to pass over, and the inflating
off the reader's process), which decodes them here with the same cap.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Protocol, cast

from ..errors import FetchError
from ..text.safe import clean_line


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...
    @property
    def unused_data(self) -> bytes: ...
    @property
    def unconsumed_tail(self) -> bytes: ...

    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...


_decompressor: Callable[[int], _Decompressor] = zlib.decompressobj
_DecodeError: type[Exception] = zlib.error
try:
    # zlib's interface, decoding twice as fast (Intel's ISA-L; its stub calls `error` an
    # instance: it is the class of the errors it raises).
    from isal import isal_zlib

    _decompressor = isal_zlib.decompressobj
    _DecodeError = cast(type[Exception], isal_zlib.error)
except ImportError:  # (a platform without its wheels keeps zlib)
    pass

PIECE = 256 * 1024
"""The most decoded bytes one decompress call may produce."""
MAX_BODY_BYTES = 10 * 1024 * 1024
"""The largest body (decoded) a fetch reads unless told otherwise."""


def format_size(n: int) -> str:
    """A byte count as people say it: 10 MiB, 64 KiB, 1000 bytes."""
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:g} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_large(limit: int) -> FetchError:
    return FetchError(f"response larger than {format_size(limit)}")


class Inflater:
    """Decodes a gzip or deflate body without ever producing more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._gzip = encoding in ("gzip", "x-gzip")
        self._obj = self._new()
        self._produced = False
        self._seen_input = False

    def _new(self, raw_deflate: bool = False) -> _Decompressor:
        if self._gzip:
            return _decompressor(16 + zlib.MAX_WBITS)
        return _decompressor(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)

    def _invalid(self) -> FetchError:
        return FetchError(
            f"the body is labelled {self._encoding} but is not valid {self._encoding} data"
        )

    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        """Decode `data` onto `out`, stopping once `out` holds more than `limit` bytes.

        Output comes in pieces of at most `PIECE` bytes, appended as they come, so memory
        stays near `limit` however much the input would expand to.
        """
        self._seen_input = self._seen_input or bool(data)
        while data and len(out) <= limit:
            room = min(PIECE, limit + 1 - len(out))
            try:
                chunk = self._obj.decompress(data, room)
            except _DecodeError:
                if self._gzip or self._produced:
                    raise self._invalid() from None
                # "deflate" is sometimes sent without its zlib wrapper: retry raw.
                self._obj = self._new(raw_deflate=True)
                self._produced = True  # only one retry
                try:
                    chunk = self._obj.decompress(data, room)
                except _DecodeError:
                    raise self._invalid() from None
            self._produced = True
            out += chunk
            if self._obj.eof:
                rest = self._obj.unused_data
                if self._gzip and rest.strip(b"\0"):
                    self._obj = self._new()  # another gzip member follows
                    data = rest
                    continue
                break
            data = self._obj.unconsumed_tail

    def finish(self) -> None:
        """Complain if the compressed stream was cut short."""
        if self._seen_input and not self._obj.eof:
            raise FetchError(f"the {self._encoding} body ends early (incomplete data)")


def inflater_for(content_encoding: str) -> Inflater | None:
    """The decoder for a Content-Encoding header (None for none); FetchError for a coding
    readerterm does not accept."""
    codings = [
        c.strip().lower()
        for c in content_encoding.split(",")
        if c.strip() and c.strip().lower() != "identity"
    ]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in ("gzip", "x-gzip", "deflate"):
        return Inflater(codings[0])
    raise FetchError(
        f"unsupported content encoding: {clean_line(content_encoding)[:60]} "
        "(readerterm accepts gzip and deflate)"
    )


def decode(body: bytes, content_encoding: str, limit: int) -> bytes:
    """A whole body decoded, at most `limit` bytes of it. Raises FetchError."""
    inflater = inflater_for(content_encoding)
    if inflater is None:
        if len(body) > limit:
            raise too_large(limit)
        return body
    out = bytearray()
    inflater.feed(body, out, limit)
    if len(out) > limit:
        raise too_large(limit)
    inflater.finish()
    return bytes(out)
