"""The Fever API client (FreshRSS's fever.php, Miniflux's /fever/): feeds and groups,
unread and saved ids, items by id or by paging, and marking items.

Fever authenticates every request with api_key = md5("user:password"), sent in the POST
body. It cannot manage subscriptions, and it has no guid and no crawl time: `item_ids`
compares `since` with the item's created_on_time (its published date).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from readerterm.sync.client import (
    BadShape,
    HttpClient,
    Secret,
    as_dict,
    as_list,
    decimal_id,
    flag,
    opt_str,
    req_str,
    timestamp,
)
from readerterm.sync.protocol import RemoteFeed, RemoteItem, SyncError, SyncRefused
from readerterm.sync.service import ServiceBase, chunks

BATCH = 50
"""The most ids `items&with_ids=` answers for at once."""
MARKS_AT_ONCE = 4
"""Fever marks one item per request; this many are in flight, the next starting as soon as
one ends. Against batches of four that each waited for their slowest request, 500 decisions
went from 3.28 s to 2.91 s (medians of 3 interleaved runs, `benchmarks/sync.py --quick
--services fever`); six or eight in flight were no faster than four on a 4-worker server."""
MAX_PAGES = 200_000


class FeverService(ServiceBase):
    """A `SyncService` over the Fever API at `http.url` (…/api/fever.php)."""

    can_manage_subscriptions = False

    def __init__(self, http: HttpClient, username: str, password: str) -> None:
        super().__init__(http, username)
        http.keep_secret(Secret(password))
        digest = hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False)
        self._key = Secret(digest.hexdigest())
        http.keep_secret(self._key)
        self._listed: dict[str, RemoteItem] = {}
        """Items `item_ids` read on its way (with their contents), until `items` takes them."""

    async def _call(self, query: str, form: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """POST `?api&<query>` with the api_key; the reply's JSON once it says auth=1."""
        http = self._http
        url = f"{http.url}?api" + (f"&{query}" if query else "")
        reply = await http.request("POST", url, form=[("api_key", self._key.reveal()), *form])
        http.check_status(reply, self.username)
        data = http.json_object(reply)
        if "api_version" not in data or "auth" not in data:
            raise http.not_api(reply)
        try:
            authenticated = flag(data["auth"])
        except BadShape:
            raise http.not_api(reply) from None
        if not authenticated:
            raise http.auth_error(self.username)
        return data

    async def login(self) -> None:
        await self._call("")

    # reading

    async def feeds(self) -> list[RemoteFeed]:
        feeds_data = await self._call("feeds")
        groups_data = await self._call("groups")
        try:
            records = as_list(feeds_data.get("feeds"))
            titles = _group_titles(as_list(groups_data.get("groups") or []))
            links = feeds_data.get("feeds_groups") or groups_data.get("feeds_groups") or []
            folders = _feed_folders(as_list(links), titles)
        except BadShape as exc:
            raise self._http.shape_error(str(exc)) from None
        feeds = []
        for record in records:
            try:
                feed = as_dict(record)
                feed_id = decimal_id(feed.get("id"))
                url = req_str(feed, "url")
                feeds.append(
                    RemoteFeed(
                        id=feed_id,
                        url=url,
                        title=opt_str(feed, "title") or url,
                        site_url=opt_str(feed, "site_url") or None,
                        folders=tuple(folders.get(feed_id, ())),
                    )
                )
            except BadShape:
                continue
        return feeds

    async def unread_ids(self) -> set[str]:
        return await self._id_list("unread_item_ids")

    async def starred_ids(self) -> set[str]:
        return await self._id_list("saved_item_ids")

    async def _id_list(self, key: str) -> set[str]:
        """A comma-separated id list such as unread_item_ids."""
        value = (await self._call(key)).get(key)
        if not isinstance(value, str):
            raise self._http.shape_error(f"{key} is not a string")
        ids = set()
        for piece in value.split(","):
            try:
                ids.add(decimal_id(piece.strip()))
            except BadShape:
                continue
        return ids

    async def item_ids(self, since: datetime | None, after: str | None = None) -> list[str]:
        """Item ids newest first: above `after` when given (Fever pages by id, and has no
        crawl time), else all those with created_on_time at or after `since`.

        Fever lists items only 50 at a time, with their contents, by ascending id."""
        if since is not None and since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        last = 0
        if after is not None:
            last, since = int(decimal_id(after)), None
        ids: set[int] = set()
        for _ in range(MAX_PAGES):
            records = self._items_of(await self._call(f"items&since_id={last}"))
            highest = last
            for record in records:
                try:
                    entry = as_dict(record)
                    number = int(decimal_id(entry.get("id")))
                except BadShape:
                    continue
                highest = max(highest, number)
                try:
                    created = timestamp(entry.get("created_on_time"))
                except BadShape:
                    created = None
                if since is None or created is None or created >= since:
                    ids.add(number)
                    item = _item(entry, str(number))
                    if item is not None:  # kept: `items` need not download it again
                        self._listed[str(number)] = item
            if highest <= last:
                return [str(number) for number in sorted(ids, reverse=True)]
            last = highest
        raise SyncError(f"{self.label} kept sending pages of items; gave up after {len(ids)}")

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        """The items with these ids: those `item_ids` listed (Fever lists items with their
        contents) come from what it kept, the others from the server."""
        wanted = self._ids(ids)
        found: dict[str, RemoteItem] = {}
        answered: set[str] = set()
        for item_id in wanted:
            if (kept := self._listed.pop(item_id, None)) is not None:
                found[item_id] = kept
                answered.add(item_id)
        for batch in chunks([i for i in wanted if i not in answered], BATCH):
            data = await self._call("items&with_ids=" + ",".join(batch))
            self._take_items(data, _fever_id, _item, found, answered)
        self._check_all_answered(wanted, answered)
        return [found[i] for i in wanted if i in found]

    def _ids(self, ids: Sequence[str]) -> list[str]:
        """Canonical ids, each once, in order; SyncError for one that is not an item id."""
        out: dict[str, None] = {}
        for value in ids:
            try:
                out[decimal_id(value.strip() if isinstance(value, str) else value)] = None
            except BadShape:
                raise self._bad_id(value) from None
        return list(out)

    # writing

    async def set_read(self, ids: Sequence[str], read: bool) -> None:
        await self._mark(ids, "read" if read else "unread")

    async def set_starred(self, ids: Sequence[str], starred: bool) -> None:
        await self._mark(ids, "saved" if starred else "unsaved")

    async def _mark(self, ids: Sequence[str], state: str) -> None:
        """Mark each item, MARKS_AT_ONCE requests in flight; the first failure stops the
        rest from starting and is raised once those in flight have ended."""
        waiting = iter(self._ids(ids))
        failures: list[BaseException] = []

        async def send() -> None:
            for item_id in waiting:
                if failures:
                    return
                try:
                    await self._call("", [("mark", "item"), ("as", state), ("id", item_id)])
                except BaseException as failure:  # (a cancellation too) raised below
                    failures.append(failure)
                    return

        await asyncio.gather(*(send() for _ in range(MARKS_AT_ONCE)))
        if failures:  # once every request in flight has ended
            raise failures[0]

    # subscriptions: not in the Fever API

    def _refused(self) -> SyncRefused:
        parts = urlsplit(self._http.url)
        site = f"{parts.scheme}://{parts.netloc}{parts.path.partition('/api/')[0]}"
        name = "the server" if self._http.server == "The server" else self._http.server
        return SyncRefused(
            "Fever's API cannot manage subscriptions: subscribe, unsubscribe, rename and "
            f"move feeds in the web interface of {name} ({site})"
        )

    async def subscribe(self, url: str, title: str | None, folder: str | None) -> RemoteFeed:
        raise self._refused()

    async def unsubscribe(self, feed_id: str) -> None:
        raise self._refused()

    async def rename(self, feed_id: str, title: str) -> None:
        raise self._refused()

    async def set_folders(self, feed_id: str, add: Sequence[str], remove: Sequence[str]) -> None:
        raise self._refused()


_HALF_WIDTH = str.maketrans("＆＜＞", "&<>")
"""FreshRSS stores a category's name with "&", "<" and ">" in their full-width forms; its
Google Reader API gives them back as typed, its Fever API as stored ("Science ＆ Nature"),
which made the tag differ with the service."""


def _group_titles(groups: list[Any]) -> dict[str, str]:
    titles = {}
    for group in groups:
        try:
            record = as_dict(group)
            title = req_str(record, "title").translate(_HALF_WIDTH)
            titles[decimal_id(record.get("id"))] = title
        except BadShape:
            continue
    return titles


def _feed_folders(links: list[Any], titles: dict[str, str]) -> dict[str, list[str]]:
    """Feed id -> group titles, from feeds_groups ({group_id, feed_ids: "1,2,3"})."""
    folders: dict[str, list[str]] = {}
    for link in links:
        try:
            record = as_dict(link)
            title = titles.get(decimal_id(record.get("group_id")))
            members = req_str(record, "feed_ids")
        except BadShape:
            continue
        if title is None:
            continue
        for piece in members.split(","):
            try:
                names = folders.setdefault(decimal_id(piece.strip()), [])
            except BadShape:
                continue
            if title not in names:
                names.append(title)
    return folders


def _fever_id(record: dict[str, Any]) -> str:
    return decimal_id(record.get("id"))


def _item(record: dict[str, Any], item_id: str) -> RemoteItem | None:
    """One Fever item, or None if it is malformed."""
    try:
        return RemoteItem(
            id=item_id,
            feed_id=decimal_id(record.get("feed_id")),
            url=opt_str(record, "url") or None,
            guid=None,
            title=opt_str(record, "title") or "",
            author=opt_str(record, "author") or None,
            published=timestamp(record.get("created_on_time")),
            content_html=opt_str(record, "html") or "",
            read=flag(record.get("is_read", 0)),
            starred=flag(record.get("is_saved", 0)),
        )
    except BadShape:
        return None
