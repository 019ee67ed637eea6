"""Issue 6, network: a refresh of many feeds where most of the servers misbehave.

Everything goes through `Library.refresher.refresh()` against a real HTTP server on 127.0.0.1: each
hostile feed must end as a FAILED result with a reason a reader understands (no
traceback, no exception class name), keep the articles it had, and not stop the healthy
feeds; the whole refresh must stay within a bounded amount of memory.
"""

from __future__ import annotations

import re
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from readerterm.library import Library
from readerterm.models import RefreshResult, RefreshStatus
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer

DEADLINE = 2.0
"""The per-request deadline of the refresh (the trickling server needs minutes)."""
MEMORY_BOUND = 48 << 20
"""Peak Python allocations of this process during the whole refresh: two bodies capped at
10 MiB at once fit well below this; a decoded bomb (1 GiB) or an endless body read to its
end would not. (Parsing runs in worker processes, which tracemalloc does not see.)"""


def rss(title: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(
        f"<item><guid>{escape(guid)}</guid><title>{escape(heading)}</title>"
        f"<link>https://news.test/{escape(guid)}</link>"
        f"<description>&lt;p&gt;{escape(heading)}, in detail.&lt;/p&gt;</description></item>"
        for guid, heading in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.test/</link>{entries}"
        "</channel></rss>"
    ).encode()


def good_items(name: str) -> list[tuple[str, str]]:
    return [(f"{name}-1", f"First story of {name}"), (f"{name}-2", f"Second story of {name}")]


def gzip_bomb() -> bytes:
    """Gzip of 1 GiB of zeros (16 members of 64 MiB; about 1 MB on the wire)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1 << 20)
    member = b"".join(compressor.compress(zeros) for _ in range(64)) + compressor.flush()
    return member * 16


@dataclass(frozen=True)
class Hostile:
    """A feed that first serves a good document, then misbehaves in one way."""

    name: str
    misbehave: Callable[[LocalServer, str], None]
    """Installs the bad route(s) on the server for the feed's path."""
    reason: tuple[str, ...]
    """Words the failure reason must contain (case-insensitive)."""


def _route(**options: object) -> Callable[[LocalServer, str], None]:
    def install(server: LocalServer, path: str) -> None:
        server.route(path, **options)  # type: ignore[arg-type]

    return install


def _redirect_loop(server: LocalServer, path: str) -> None:
    server.route(path, redirect_to=f"{path}-b")
    server.route(f"{path}-b", redirect_to=path)


def _captive_portal(server: LocalServer, path: str) -> None:
    login = (
        b"<!DOCTYPE html><html><head><title>Hotel Wi-Fi</title></head><body>"
        b"<form action='/login'><input name='room'><button>Connect</button></form>"
        b"</body></html>"
    )
    server.route(path, redirect_to="/portal/login?continue=" + path)
    server.route("/portal/login", login, content_type="text/html")


HOSTILE = (
    Hostile(
        "bomb",
        _route(body=gzip_bomb(), headers={"Content-Encoding": "gzip"}),
        ("larger than", "10 MiB"),
    ),
    Hostile("endless", _route(endless=True), ("larger than", "10 MiB")),
    Hostile(
        "trickle",
        _route(body=rss("T", good_items("trickle")), trickle=0.5),
        ("no complete response", "2 s"),
    ),
    Hostile("loop", _redirect_loop, ("redirect loop",)),
    Hostile("to-file", _route(redirect_to="file:///etc/passwd"), ("redirect", "file:")),
    Hostile(
        "to-javascript",
        _route(redirect_to="javascript:alert(document.cookie)"),
        ("redirect", "javascript:"),
    ),
    Hostile("to-ftp", _route(redirect_to="ftp://127.0.0.1/feed.xml"), ("redirect", "ftp:")),
    Hostile(
        "short",
        _route(body=rss("S", good_items("short")), content_length=100_000),
        ("closed before the whole response",),
    ),
    Hostile(
        "fake-gzip",
        _route(body=rss("G", good_items("fake")), headers={"Content-Encoding": "gzip"}),
        ("labelled gzip", "not valid"),
    ),
    Hostile(
        "html",
        _route(
            body=b"<!DOCTYPE html><html><body><h1>Welcome to our blog</h1></body></html>",
            content_type="text/html",
        ),
        ("html page", "not a feed"),
    ),
    Hostile("portal", _captive_portal, ("html page", "not a feed")),
    Hostile("json", _route(body=b"{}", content_type="application/json"), ("json", "not")),
    Hostile("empty", _route(body=b""), ("empty",)),
    Hostile("not-found", _route(body=b"<h1>gone</h1>", status=404), ("404", "not found")),
    Hostile("gone", _route(body=b"", status=410), ("410", "gone")),
    Hostile("broken", _route(body=b"<h1>oops</h1>", status=500), ("500", "server error")),
    Hostile(
        "busy",
        _route(status=429, headers={"Retry-After": "120"}),
        ("429", "too many requests", "retry after 120 s"),
    ),
)
HEALTHY = ("healthy-a", "healthy-b")

# "RemoteProtocolError", "zlib.error", "httpx.ReadError" ... but not "Internal Server Error".
_CLASS_NAME = re.compile(r"\b[A-Z]\w*(?:Error|Exception|Warning)\b|\b(?:httpx|zlib|h11|anyio)\.")


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    library = Library(
        Store(tmp_path / "readerterm.db"), fetcher=Fetcher(deadline=DEADLINE, read_timeout=5.0)
    )
    try:
        yield library
    finally:
        await library.aclose()
        library.close()


def titles(library: Library, feed_id: int) -> set[str]:
    return {
        row.title
        for row in library.reading.article_rows(library.reading.article_ids(feed_id=feed_id))
    }


async def refresh_all(library: Library) -> dict[int, RefreshResult]:
    return {result.feed_id: result async for result in library.refresher.refresh()}


async def test_hostile_feeds_fail_alone_keep_their_articles_and_memory_stays_bounded(
    http_server: LocalServer, library: Library
) -> None:
    names = [h.name for h in HOSTILE] + list(HEALTHY)
    ids = {}
    for name in names:
        http_server.route(f"/{name}.xml", rss(name, good_items(name)))
        ids[name] = library.subscriptions.subscribe(http_server.url(f"/{name}.xml")).id
    first = await refresh_all(library)
    assert {r.status for r in first.values()} == {RefreshStatus.UPDATED}
    cached = {name: titles(library, ids[name]) for name in names}
    assert all(len(found) == 2 for found in cached.values())

    for hostile in HOSTILE:
        hostile.misbehave(http_server, f"/{hostile.name}.xml")
    for name in HEALTHY:
        items = [*good_items(name), (f"{name}-3", f"Third story of {name}")]
        http_server.route(f"/{name}.xml", rss(name, items))

    tracemalloc.start()
    try:
        results = await refresh_all(library)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"\npeak Python memory of the hostile refresh: {peak / (1 << 20):.1f} MiB")

    assert set(results) == set(ids.values())
    for hostile in HOSTILE:
        result = results[ids[hostile.name]]
        assert result.status is RefreshStatus.FAILED, (hostile.name, result)
        reason = result.error or ""
        for word in hostile.reason:
            assert word.lower() in reason.lower(), (hostile.name, reason)
        assert "Traceback" not in reason and not _CLASS_NAME.search(reason), (hostile.name, reason)
        assert "\n" not in reason and len(reason) < 300, (hostile.name, reason)
        feed = library.subscriptions.feed(ids[hostile.name])
        assert feed.error == reason, hostile.name
        assert titles(library, feed.id) == cached[hostile.name], hostile.name
    for name in HEALTHY:
        result = results[ids[name]]
        assert result.status is RefreshStatus.UPDATED, result
        assert result.new_articles == 1
        assert titles(library, ids[name]) == {*cached[name], f"Third story of {name}"}
        assert library.subscriptions.feed(ids[name]).error is None
    assert peak < MEMORY_BOUND


async def test_retry_after_is_honoured_and_the_articles_stay(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/busy.xml", rss("Busy", good_items("busy")))
    feed_id = library.subscriptions.subscribe(http_server.url("/busy.xml")).id
    await refresh_all(library)
    http_server.route("/busy.xml", status=429, headers={"Retry-After": "600"})

    failed = (await refresh_all(library))[feed_id]
    http_server.clear()
    skipped = (await refresh_all(library))[feed_id]

    assert failed.status is RefreshStatus.FAILED
    assert skipped.status is RefreshStatus.SKIPPED
    assert "wait until" in (skipped.error or "")
    assert http_server.requests == []
    assert titles(library, feed_id) == {title for _, title in good_items("busy")}


async def test_a_captive_portal_behind_a_permanent_redirect_does_not_move_the_feed(
    http_server: LocalServer, library: Library
) -> None:
    """A 301 to a login page must not rewrite the subscription to the portal's URL."""
    http_server.route("/news.xml", rss("News", good_items("news")))
    feed_url = http_server.url("/news.xml")
    feed_id = library.subscriptions.subscribe(feed_url).id
    await refresh_all(library)
    http_server.route("/news.xml", redirect_to="/portal", status=301)
    http_server.route(
        "/portal", b"<html><body><form>Log in</form></body></html>", content_type="text/html"
    )

    result = (await refresh_all(library))[feed_id]

    assert result.status is RefreshStatus.FAILED
    assert "html page" in (result.error or "").lower()
    assert library.subscriptions.feed(feed_id).url == feed_url
    assert titles(library, feed_id) == {title for _, title in good_items("news")}
