"""What the fetcher tests over httpx.MockTransport share: a Fetcher whose server is a
handler, one fetch through it (or its error), and streamed responses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from readerterm.errors import FetchError
from readerterm.net.fetch import Fetcher

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


def fetcher_for(handler: Handler, **options: int | float) -> Fetcher:
    return Fetcher(transport=httpx.MockTransport(handler), **options)  # type: ignore[arg-type]


async def fetch_with(handler: Handler, url: str = "http://a.test/feed", **kw: object) -> object:
    async with fetcher_for(handler) as fetcher:
        return await fetcher.fetch(url, **kw)  # type: ignore[arg-type]


async def error_with(handler: Handler, url: str = "http://a.test/feed") -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch_with(handler, url)
    return caught.value


class Chunks(httpx.AsyncByteStream):
    """A body streamed in small pieces, as from a socket (httpx reads `content=` eagerly)."""

    def __init__(self, data: bytes, size: int = 4096) -> None:
        self._data = data
        self._size = size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self._data), self._size):
            yield self._data[start : start + self._size]


def response(status: int = 200, content: bytes = b"", **kw: Any) -> httpx.Response:
    return httpx.Response(status, stream=Chunks(content), **kw)


def answer(status: int = 200, content: bytes = b"<rss/>", **headers: str) -> Handler:
    async def handler(request: httpx.Request) -> httpx.Response:
        return response(
            status, content, headers={k.replace("_", "-"): v for k, v in headers.items()}
        )

    return handler
