"""The sync clients (readerterm.sync) given malformed replies, field by field: an
httpx.MockTransport plays the server. A malformed item or record is skipped, a malformed
reply is one clear SyncError, and server text in a message is cleaned as feed text is, its
secrets masked."""

from __future__ import annotations

import asyncio
from contextlib import aclosing
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from readerterm.sync import RemoteFeed, RemoteItem, SyncError, open_service
from readerterm.sync.fever import MARKS_AT_ONCE


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


def played(kind: str, url: str, password: str, routes: dict[str, object]) -> Any:
    """A client of `kind` at `url` whose server is `routes` (see mock), closed on exit."""
    return aclosing(open_service(kind, url, "u", password, transport=mock(routes)))


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
    async with played("greader", url, "pw-xyz", routes) as greader:
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
    async with played("fever", url, "p", routes) as fever:
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
    async with played("greader", url, "pw", routes) as greader:
        with pytest.raises(SyncError) as caught:
            await greader.subscribe("http://example.org/\u202efeed", None, None)
    message = str(caught.value)
    assert "bad feed exe.txt" in message and "pwned" not in message
    assert not any(ch in message for ch in "\x1b\x07\u202e\x9b")


class FeverMarks:
    """A Fever server that takes 0.2 s to mark item 1 and 2 ms for any other, counts the
    requests in flight, and answers HTTP 500 for the item `fail_at`."""

    def __init__(self, fail_at: str | None = None, cancel_at: str | None = None) -> None:
        self.fail_at = fail_at
        self.cancel_at = cancel_at
        self.marked: list[str] = []
        self.in_flight = 0
        self.most_in_flight = 0

    async def answer(self, request: httpx.Request) -> httpx.Response:
        form = dict(httpx.QueryParams(request.content.decode()))
        if "mark" not in form:
            return httpx.Response(200, json={"api_version": 3, "auth": 1})
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.2 if form["id"] == "1" else 0.002)
        finally:
            self.in_flight -= 1
        self.marked.append(form["id"])
        if form["id"] == self.cancel_at:
            raise asyncio.CancelledError  # (a request cancelled on its own, not the sync)
        if form["id"] == self.fail_at:
            return httpx.Response(500, text="database is locked")
        return httpx.Response(200, json={"api_version": 3, "auth": 1, "unread_item_ids": ""})


async def test_fever_marks_keep_a_window_of_requests_and_stop_at_a_failure() -> None:
    """Fever marks one item a request: MARKS_AT_ONCE stay in flight (a slow one does not
    hold back the next), each item once; a failure stops the rest and is raised."""
    ids = [str(n) for n in range(1, 41)]
    server = FeverMarks()
    service = open_service("fever", "https://rss.example/fever/", "u", "p",
                           transport=httpx.MockTransport(server.answer))  # fmt: skip
    async with aclosing(service) as fever:
        await fever.set_read([*ids, "7"], True)
    assert sorted(server.marked, key=int) == ids
    assert server.most_in_flight == MARKS_AT_ONCE
    assert server.marked.index("1") >= 2 * MARKS_AT_ONCE  # the others went on meanwhile

    server = FeverMarks(fail_at="5")
    service = open_service("fever", "https://rss.example/fever/", "u", "p",
                           transport=httpx.MockTransport(server.answer))  # fmt: skip
    async with aclosing(service) as fever:
        with pytest.raises(SyncError, match="500"):
            await fever.set_starred(ids, True)
    assert "5" in server.marked and len(server.marked) < 5 + 2 * MARKS_AT_ONCE
    assert server.in_flight == 0

    # A request that ends in a cancellation of its own: the others stop too, and nothing
    # is still being marked once it is raised (the rest went on marking after it was).
    server = FeverMarks(cancel_at="5")
    service = open_service("fever", "https://rss.example/fever/", "u", "p",
                           transport=httpx.MockTransport(server.answer))  # fmt: skip
    async with aclosing(service) as fever:
        with pytest.raises(asyncio.CancelledError):
            await fever.set_read(ids, True)
        marked = len(server.marked)
        await asyncio.sleep(0.05)
    assert server.in_flight == 0 and len(server.marked) == marked < 5 + 2 * MARKS_AT_ONCE
