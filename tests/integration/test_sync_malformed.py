"""The sync clients (readerterm.sync) given malformed JSON, field by field: a mock transport
plays the server, and every reply becomes one clear SyncError naming the service, with no
raw exception text and no password in it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from contextlib import aclosing
from datetime import UTC, datetime
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

import httpx
import pytest

import testserver
from readerterm.sync import (
    RemoteFeed,
    RemoteItem,
    SyncError,
    open_service,
)
from testserver import LocalServer

if TYPE_CHECKING:
    from freshrss import FreshRSS

FOLDER = "Sync tests"
BASE_TIME = 1_733_000_000  # 2024-11-30
SERVICES = ("greader", "fever")
pytest_plugins = ["freshrss"]  # the module-scoped `freshrss` fixture

RAW_TYPES = re.compile(r"\b[A-Z]\w*(Error|Exception)\b|Traceback|httpx|Errno|\n")


def rss(slug: str, numbers: range) -> str:
    items = "".join(
        f"<item><title>{slug} item {n}</title><link>http://example.org/{slug}/{n}</link>"
        f'<guid isPermaLink="false">{slug}-guid-{n}</guid>'
        f"<pubDate>{formatdate(BASE_TIME + n * 3600, usegmt=True)}</pubDate>"
        f"<description>&lt;p&gt;Body of {slug} {n}&lt;/p&gt;</description></item>"
        for n in numbers
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {slug}</title>'
        f"<link>http://example.org/{slug}</link><description>d</description>{items}"
        "</channel></rss>"
    )


class _PostHandler(testserver._Handler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.owner._serve(self)


class PostServer(LocalServer):
    """The test server, answering POSTs like GETs (the sync APIs post forms)."""

    def __init__(self) -> None:
        super().__init__()
        self._httpd.RequestHandlerClass = _PostHandler


def opened(kind: str, url: str, user: str, password: str, **options: Any) -> Any:
    return aclosing(open_service(kind, url, user, password, **options))


def url_of(server: FreshRSS, kind: str) -> str:
    return server.greader_url if kind == "greader" else server.fever_url


def connect(server: FreshRSS, kind: str, password: str | None = None) -> Any:
    return opened(kind, url_of(server, kind), server.user, password or server.api_password)


def assert_clean(message: str, *secrets: str) -> None:
    assert not RAW_TYPES.search(message), message
    for secret in secrets:
        assert secret not in message


@pytest.fixture(scope="module")
def feed_server() -> Iterator[PostServer]:
    server = PostServer().start()
    server.route("/a.xml", rss("a", range(1, 3)))
    server.route("/b.xml", rss("b", range(1, 3)))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def world(freshrss: FreshRSS, feed_server: PostServer) -> dict[str, RemoteFeed]:
    """Feeds a and b subscribed in FOLDER (b renamed), then a third item in a, refreshed."""

    async def subscribe() -> dict[str, RemoteFeed]:
        async with connect(freshrss, "greader") as greader:
            a = await greader.subscribe(feed_server.url("/a.xml"), None, FOLDER)
            b = await greader.subscribe(feed_server.url("/b.xml"), "Bee", FOLDER)
            return {"a": a, "b": b}

    feeds = asyncio.run(subscribe())
    feed_server.route("/a.xml", rss("a", range(1, 4)))
    assert "(1 new articles)" in freshrss.refresh()
    return feeds


# --- malformed JSON, checked field by field (a mock transport plays the server) -----------


def mock(routes: dict[str, object]) -> httpx.MockTransport:
    """Answers a request whose path or query ends with a key of `routes`: with its value
    as text if a string, else as JSON."""

    def answer(request: httpx.Request) -> httpx.Response:
        for suffix, body in routes.items():
            if request.url.path.endswith(suffix) or request.url.query.decode().endswith(suffix):
                if isinstance(body, str):
                    return httpx.Response(200, text=body)
                return httpx.Response(200, json=body)
        return httpx.Response(404)

    return httpx.MockTransport(answer)


async def test_greader_skips_malformed_items_but_refuses_malformed_replies() -> None:
    good = {
        "id": "tag:google.com,2005:reader/item/0000000000000001",
        "origin": {"streamId": "feed/1"},
        "published": 1_700_000_000,
        "categories": ["user/1/state/com.google/read", "user/-/state/com.google/starred"],
        "alternate": [{"href": "http://example.org/1"}],
    }
    routes = {
        "ClientLogin": "SID=s\nAuth=auth-xyz\n",
        "/token": "token-xyz",
        "/contents": {"items": [good, {**good, "id": "2", "origin": "x"}, "junk", {"id": 3}]},
        "/subscription/list": {"subscriptions": "x"},
        "/items/ids": {"itemRefs": {"id": "1"}},
        "/quickadd": {"numResults": 0, "error": "no\nway pw-xyz auth-xyz token-xyz"},
    }
    url = "https://rss.example/api/greader.php"
    async with opened("greader", url, "u", "pw-xyz", transport=mock(routes)) as greader:
        (item,) = await greader.items(["1", "tag:google.com,2005:reader/item/0000000000000002"])
        assert item == RemoteItem(
            "1", "feed/1", "http://example.org/1", None, "", None,
            datetime.fromtimestamp(1_700_000_000, UTC), "", read=True, starred=True,
        )  # fmt: skip
        with pytest.raises(SyncError, match="does not have 1 of the items"):
            await greader.items(["1", "3"])
        for call in (greader.feeds(), greader.unread_ids()):
            with pytest.raises(SyncError, match="unexpected shape"):
                await call
        with pytest.raises(SyncError) as caught:
            await greader.subscribe("http://example.org/feed", None, None)
    assert str(caught.value).endswith("subscribe to http://example.org/feed: no way *** *** ***")


async def test_fever_skips_malformed_records_but_refuses_malformed_replies() -> None:
    def ok(**fields: Any) -> dict[str, Any]:
        return {"api_version": 3, "auth": 1, **fields}

    feeds = [{"id": 7, "url": "http://f/7", "title": "Seven"}, {"id": "x", "url": 3}, None]
    routes = {
        "api&feeds": ok(feeds=feeds, feeds_groups=[{"group_id": 2, "feed_ids": "7,8"}]),
        "api&groups": ok(groups=[{"id": 2, "title": "G"}, {"id": "bad"}]),
        "unread_item_ids": ok(unread_item_ids=[1, 2]),
        "saved_item_ids": ok(saved_item_ids="1,x,,3"),
        "api": {"api_version": 3, "auth": "yes"},
    }
    url = "https://rss.example/fever/"
    async with opened("fever", url, "u", "p", transport=mock(routes)) as fever:
        assert fever.label == "Miniflux at https://rss.example/fever/"
        assert await fever.feeds() == [RemoteFeed("7", "http://f/7", "Seven", None, ("G",))]
        assert await fever.starred_ids() == {"1", "3"}
        with pytest.raises(SyncError, match="unexpected shape"):
            await fever.unread_ids()
        with pytest.raises(SyncError, match="did not answer like a Fever API"):
            await fever.login()


async def test_server_text_in_a_message_is_cleaned_as_feed_text_is() -> None:
    """A server's error text reaches the terminal without escapes or bidi overrides."""
    routes = {
        "ClientLogin": "SID=s\nAuth=auth-xyz\n",
        "/token": "token-xyz",
        "/quickadd": {"numResults": 0, "error": "bad\x1b]0;pwned\x07 feed \u202eexe.txt \x9b2J"},
    }
    url = "https://rss.example/api/greader.php"
    async with opened("greader", url, "u", "pw", transport=mock(routes)) as greader:
        with pytest.raises(SyncError) as caught:
            await greader.subscribe("http://example.org/\u202efeed", None, None)
    message = str(caught.value)
    assert "bad feed exe.txt" in message and "pwned" not in message
    assert not any(ch in message for ch in "\x1b\x07\u202e\x9b")
