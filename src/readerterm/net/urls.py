"""Which URLs a fetch may ask for: absolute http(s) URLs with a host, checked again at
every redirect."""

from __future__ import annotations

import re

import httpx

from ..errors import FetchError
from ..text.safe import clean_line

ALLOWED_SCHEMES = frozenset({"http", "https"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def check_url(url: str | httpx.URL) -> httpx.URL:
    """Parse `url` and accept it only if it is an absolute http(s) URL with a host."""
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchError(f"invalid URL: {clean_line(str(url))[:200]}") from None
    if parsed.scheme not in ALLOWED_SCHEMES:
        shown = f"{parsed.scheme}:" if parsed.scheme else "a URL without a scheme"
        raise FetchError(f"only http and https URLs can be fetched, not {shown}")
    if not parsed.host:
        raise FetchError(f"invalid URL (no host): {clean_line(str(url))[:200]}")
    return parsed


def redirect_target(base: httpx.URL, location: str) -> httpx.URL:
    """Where a redirect leads, refused unless it is an http(s) URL."""
    location = location.strip()
    scheme = _SCHEME.match(location)
    if scheme and scheme.group(1).lower() not in ALLOWED_SCHEMES:
        shown = clean_line(scheme.group(1))[:20]
        raise FetchError(f"redirect to a {shown}: URL refused (only http and https)")
    try:
        target = base.join(location)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise FetchError(f"redirect to an invalid URL: {clean_line(location)[:200]}") from None
    return check_url(target)


async def check_redirect(response: httpx.Response) -> None:
    """Response hook: refuse a bad Location before httpx itself tries to parse it."""
    location = response.headers.get("location")
    if response.status_code in REDIRECT_STATUSES and location:
        redirect_target(response.request.url, location)
