"""The sync clients (readerterm.sync) against a real FreshRSS, through both its Google
Reader API and its Fever API, and against servers that answer badly."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import aclosing
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

import httpx
import pytest

import testserver
from freshrss import WRONG_PASSWORD
from readerterm.sync import (
    RemoteFeed,
    SyncAuthError,
    SyncError,
    SyncRefused,
    open_service,
)
from readerterm.sync.client import Secret
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


# --- login ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SERVICES)
async def test_login_and_wrong_password(freshrss: FreshRSS, kind: str) -> None:
    async with connect(freshrss, kind) as service:
        await service.login()
        assert service.label == f"FreshRSS at {url_of(freshrss, kind)}"
    password = "Wrong-Pa55word-xyzzy"
    async with connect(freshrss, kind, password) as service:
        with pytest.raises(SyncAuthError) as caught:
            await service.feeds()
        url = url_of(freshrss, kind)
        refused = f"FreshRSS at {url} refused user {freshrss.user} (401)"
        assert str(caught.value) == f"{refused}: {WRONG_PASSWORD}"
        key = hashlib.md5(f"{freshrss.user}:{password}".encode()).hexdigest()
        for text in (str(caught.value), repr(caught.value), repr(service)):
            assert password not in text and key not in text


async def test_secrets_stay_out_of_logs_and_reprs(
    freshrss: FreshRSS, world: dict[str, RemoteFeed], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = hashlib.md5(f"{freshrss.user}:{freshrss.api_password}".encode()).hexdigest()
    async with connect(freshrss, "greader") as greader, connect(freshrss, "fever") as fever:
        await greader.set_read([], True)
        ids = await greader.item_ids(None)
        await greader.set_starred(ids[:1], False)
        await fever.set_starred(ids[:1], False)
        tokens = [greader._auth.reveal(), greader._token.reveal()]  # type: ignore[attr-defined]
        for text in (caplog.text, repr(greader), repr(fever), repr(vars(greader))):
            for secret in (freshrss.api_password, key, *tokens):
                assert secret not in text
    assert repr(Secret("hidden")) == "Secret('***')" and "hidden" not in str(Secret("hidden"))


# --- subscriptions, items and states ----------------------------------------------------


async def test_feeds_with_folders_from_both_apis(
    freshrss: FreshRSS, world: dict[str, RemoteFeed], feed_server: PostServer
) -> None:
    a, b = world["a"], world["b"]
    assert a.id.startswith("feed/") and a.url == feed_server.url("/a.xml")
    assert (a.title, a.site_url, a.folders) == ("Feed a", "http://example.org/a", (FOLDER,))
    assert (b.title, b.folders) == ("Bee", (FOLDER,))
    async with connect(freshrss, "greader") as greader, connect(freshrss, "fever") as fever:
        assert {f.id: f for f in await greader.feeds()} == {a.id: a, b.id: b}
        by_url = {f.url: f for f in await fever.feeds()}
    assert by_url[a.url] == RemoteFeed(a.id[5:], a.url, a.title, a.site_url, (FOLDER,))
    assert by_url[b.url].title == "Bee" and by_url[b.url].folders == (FOLDER,)


async def test_a_folder_name_with_an_ampersand_is_the_same_over_both_apis(
    freshrss: FreshRSS, feed_server: PostServer
) -> None:
    """FreshRSS stores "&" in a category's name as "＆" and its Fever API gives it so: the
    feed's tag read "Science ＆ Nature" over Fever, "Science & Nature" over Google Reader."""
    other = freshrss.add_user("ampersand", "ampersand-api-password")
    async with connect(other, "greader") as greader:
        await greader.subscribe(feed_server.url("/a.xml"), None, "Science & Nature")
        over_greader = {f.url: f.folders for f in await greader.feeds()}
    async with connect(other, "fever") as fever:
        over_fever = {f.url: f.folders for f in await fever.feeds()}
    assert over_greader == over_fever == {feed_server.url("/a.xml"): ("Science & Nature",)}


async def test_subscribing_to_a_feed_the_server_has_takes_it_in_the_folder_asked(
    freshrss: FreshRSS, feed_server: PostServer
) -> None:
    """A feed added on the web and not synced here yet: `readerterm add` passed on
    FreshRSS's "Already subscribed! URL" and failed; --tag did not move it."""
    other = freshrss.add_user("twice", "twice-api-password")
    url = feed_server.url("/b.xml")
    async with connect(other, "greader") as greader:
        first = await greader.subscribe(url, None, "News")
        again = await greader.subscribe(url, None, None)
        assert again == first
        moved = await greader.subscribe(url, None, "Other")
        assert (moved.id, moved.folders) == (first.id, ("Other",))
        assert [f.id for f in await greader.feeds()] == [first.id]


async def test_items_from_both_apis(freshrss: FreshRSS, world: dict[str, RemoteFeed]) -> None:
    async with connect(freshrss, "greader") as greader, connect(freshrss, "fever") as fever:
        ids = await greader.item_ids(None)
        assert len(ids) == 5 and await fever.item_ids(None) == ids
        assert ids == sorted(ids, key=int, reverse=True)
        assert await greader.item_ids(datetime.now(UTC) + timedelta(hours=1)) == []
        assert await greader.item_ids(datetime.now(UTC) - timedelta(hours=1)) == ids
        since = datetime.fromtimestamp(BASE_TIME + 2 * 3600, UTC)  # published time, for Fever
        assert len(await fever.item_ids(since)) == 3  # a2, a3 and b2
        from_greader, from_fever = await greader.items(ids), await fever.items(ids)
    assert [i.id for i in from_greader] == ids == [i.id for i in from_fever]
    third = next(i for i in from_greader if i.title == "a item 3")
    assert third.feed_id == world["a"].id and third.url == "http://example.org/a/3"
    assert third.content_html == "<p>Body of a 3</p>" and third.guid is None
    assert third.published == datetime.fromtimestamp(BASE_TIME + 3 * 3600, UTC)
    assert not third.read and not third.starred
    for g, f in zip(from_greader, from_fever, strict=True):
        assert replace(g, id="", feed_id="") == replace(f, id="", feed_id="")
        assert g.feed_id == f"feed/{f.feed_id}"


async def test_paging_and_batching(
    freshrss: FreshRSS, world: dict[str, RemoteFeed], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with connect(freshrss, "greader") as greader, connect(freshrss, "fever") as fever:
        ids = await greader.item_ids(None)
        for name, value in [("PAGE", 2), ("BATCH", 2)]:
            monkeypatch.setattr(f"readerterm.sync.greader.{name}", value)
        monkeypatch.setattr("readerterm.sync.fever.BATCH", 2)
        assert await greader.item_ids(None) == ids
        assert [i.id for i in await greader.items(ids)] == ids
        assert [i.id for i in await fever.items(ids)] == ids


@pytest.mark.parametrize(("marker", "viewer"), [("greader", "fever"), ("fever", "greader")])
async def test_marks_are_seen_through_the_other_api(
    freshrss: FreshRSS, world: dict[str, RemoteFeed], marker: str, viewer: str
) -> None:
    async with connect(freshrss, marker) as writer, connect(freshrss, viewer) as reader:
        ids = await writer.item_ids(None)
        await writer.set_read(ids[:2], True)
        await writer.set_starred(ids[1:3], True)
        assert await reader.unread_ids() == set(ids[2:])
        assert await reader.starred_ids() == set(ids[1:3])
        states = {i.id: (i.read, i.starred) for i in await reader.items(ids)}
        assert states[ids[1]] == (True, True) and states[ids[4]] == (False, False)
        await writer.set_read(ids, False)
        await writer.set_starred(ids, False)
        assert await reader.unread_ids() == set(ids) and await reader.starred_ids() == set()


async def test_stale_write_token_is_fetched_again(
    freshrss: FreshRSS, world: dict[str, RemoteFeed]
) -> None:
    async with connect(freshrss, "greader") as greader:
        ids = await greader.item_ids(None)
        greader._token = Secret("stale-token")  # type: ignore[attr-defined]
        await greader.set_starred(ids[:1], True)
        assert await greader.starred_ids() == set(ids[:1])
        await greader.set_starred(ids[:1], False)


async def test_greader_manages_subscriptions(
    freshrss: FreshRSS, world: dict[str, RemoteFeed], feed_server: PostServer
) -> None:
    feed_server.route("/c.xml", rss("c", range(1, 2)))
    feed_server.route("/gone.xml", "no", status=404, content_type="text/plain")
    async with connect(freshrss, "greader") as greader:
        c = await greader.subscribe(feed_server.url("/c.xml"), None, None)
        assert c.folders == ("Uncategorized",)  # FreshRSS's default category
        await greader.rename(c.id, "Sea")
        await greader.set_folders(c.id, ["Elsewhere"], [])
        assert [(f.title, f.folders) for f in await greader.feeds() if f.id == c.id] == [
            ("Sea", ("Elsewhere",))
        ]
        await greader.unsubscribe(c.id)
        assert c.id not in {f.id for f in await greader.feeds()}
        # One it has already: taken as it is (it refused with "Already subscribed!").
        assert await greader.subscribe(world["a"].url, None, None) == world["a"]
        with pytest.raises(SyncError, match="could not subscribe to") as caught:
            await greader.subscribe(feed_server.url("/gone.xml"), None, None)
        assert_clean(str(caught.value), freshrss.api_password)


async def test_fever_refuses_to_manage_subscriptions(freshrss: FreshRSS) -> None:
    async with connect(freshrss, "fever") as fever:
        assert not fever.can_manage_subscriptions
        calls = [
            fever.subscribe("http://example.org/feed", None, None),
            fever.unsubscribe("1"),
            fever.rename("1", "x"),
            fever.set_folders("1", ["x"], []),
        ]
        for call in calls:
            with pytest.raises(SyncRefused) as caught:
                await call
            assert str(caught.value) == (
                "Fever's API cannot manage subscriptions: subscribe, unsubscribe, rename and "
                f"move feeds in the web interface of FreshRSS ({freshrss.base_url})"
            )


@pytest.mark.parametrize("kind", SERVICES)
async def test_unknown_and_malformed_ids(freshrss: FreshRSS, kind: str) -> None:
    async with connect(freshrss, kind) as service:
        with pytest.raises(SyncError, match="does not have 1 of the items"):
            await service.items(["42"])
        for bad in ("abc", "1; DROP", ""):
            with pytest.raises(SyncError, match="is not an item id"):
                await service.set_read([bad], True)


# --- failures -------------------------------------------------------------------------


async def test_stopped_server(freshrss: FreshRSS) -> None:
    server = type(freshrss).start(freshrss.home)  # a second server, to stop
    try:
        async with connect(server, "greader") as greader, connect(server, "fever") as fever:
            await greader.login()
            await fever.login()
            server.stop(purge=False)
            for service in (greader, fever):
                with pytest.raises(SyncError) as caught:
                    await service.unread_ids()
                message = str(caught.value)
                assert message.startswith(f"{service.label} cannot be reached: ")
                assert message.endswith("connection refused")
                assert_clean(message, server.api_password)
    finally:
        server.stop()


NOT_JSON = "did not answer like a"
GARBAGE: dict[str, tuple[dict[str, Any], str]] = {
    "html": ({"body": "<!DOCTYPE html><p>Log in", "content_type": "text/html"}, "an HTML page"),
    "garbage": ({"body": b"\x00\xff{{not json", "content_type": "text/plain"}, NOT_JSON),
    "wrong shape": ({"body": '["auth", 1]', "content_type": "application/json"}, NOT_JSON),
    "server error": ({"body": "oops", "status": 502}, "failed with HTTP 502"),
    "redirect": ({"redirect_to": "http://example.org/x"}, "redirected the request to http://"),
    "50 MB": ({"body": b"x" * 50_000_000, "content_type": "application/json"}, NOT_JSON),
    "trickle": ({"body": "Auth=abc\n" * 20, "trickle": 0.1}, "did not answer within 1 s"),
    "endless": ({"endless": True}, "sent a reply larger than 64 MiB"),
    "too long": ({"body": "{}", "content_length": 2**26 + 1}, "reply larger than 64 MiB"),
}


@pytest.mark.parametrize("kind", SERVICES)
@pytest.mark.parametrize("name", list(GARBAGE))
async def test_replies_that_are_not_the_api(feed_server: PostServer, kind: str, name: str) -> None:
    path = "/api/greader.php" if kind == "greader" else "/api/fever.php"
    options, expected = GARBAGE[name]
    feed_server.route(path + ("/accounts/ClientLogin" if kind == "greader" else ""), **options)
    url = feed_server.url(path)
    # 1 s for the trickle to outlast; a loaded machine took longer to send 50 MB or more.
    timeout = 1.0 if name == "trickle" else 30.0
    async with opened(kind, url, "reader", "Secret-pw-123", timeout=timeout) as service:
        with pytest.raises(SyncError) as caught:
            await service.login()
    assert caught.type is SyncError
    assert str(caught.value).startswith(f"{service.label} ")
    assert expected in str(caught.value)
    assert_clean(str(caught.value), "Secret-pw-123")


# --- URLs -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", SERVICES)
async def test_plain_http_to_another_host_is_refused_before_any_request(kind: str) -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(500))
    for url in ("http://rss.example/api/greader.php", "http://10.0.0.2/fever/"):
        with pytest.raises(SyncError, match=r"allow_insecure = true in the \[sync\] table"):
            open_service(kind, url, "u", "p", transport=transport)
    for url in ("http://localhost:9/x", "http://127.8.0.1/x", "http://[::1]:9/x"):
        await open_service(kind, url, "u", "p", transport=transport).aclose()
    async with opened(
        kind, "http://rss.example/x", "u", "p", allow_insecure=True, transport=transport
    ) as service:
        with pytest.raises(SyncError, match="HTTP 500"):
            await service.login()
    assert len(sent) == 1


def test_bad_urls_and_services() -> None:
    with pytest.raises(SyncError, match='"greader" or "fever"'):
        open_service("tt-rss", "https://rss.example/", "u", "p")
    for url in ("ftp://rss.example/", "https://u:pw-123@rss.example/", "https://x/?a=1", " "):
        with pytest.raises(SyncError) as caught:
            open_service("greader", url, "u", "p")
        assert "pw-123" not in str(caught.value)
