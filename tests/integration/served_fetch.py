"""What the fetcher tests against the test server share: a small feed, its validators,
and one fetch through a new Fetcher (its error, where one is expected)."""

from __future__ import annotations

import pytest

from readerterm.errors import FetchError
from readerterm.models import Validators
from readerterm.net.fetch import Fetcher

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><guid>1</guid><title>One</title></item></channel></rss>"""
ETAG = '"v1"'
MODIFIED = "Wed, 01 Jan 2025 10:00:00 GMT"


async def fetch(url: str, validators: Validators | None = None, **options: float) -> object:
    async with Fetcher(**options) as fetcher:  # type: ignore[arg-type]
        return await fetcher.fetch(url, validators)


async def fetch_error(url: str, **options: float) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetch(url, **options)
    return caught.value
