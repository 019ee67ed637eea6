"""The Google Reader API client (FreshRSS's greader.php, Miniflux, ...): login, the
write token, subscriptions and folders, item ids with paging, item contents, and the
read/starred states.

Item ids are kept in decimal form: the long form `tag:google.com,2005:reader/item/<hex>`
is the same 64-bit number in hexadecimal (read as a signed number, as Google did).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from readerterm.sync.client import (
    BadShape,
    HttpClient,
    Reply,
    Secret,
    as_dict,
    as_list,
    one_line,
    opt_str,
    req_str,
    timestamp,
)
from readerterm.sync.protocol import RemoteFeed, RemoteItem, SyncError
from readerterm.sync.service import ServiceBase, chunks

READING_LIST = "user/-/state/com.google/reading-list"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
LABEL = "user/-/label/"
EDIT = "reader/api/0/subscription/edit"
LONG_ID_PREFIX = "tag:google.com,2005:reader/item/"
BATCH = 250
"""Item ids per contents or edit-tag request."""
PAGE = 10000
"""Item ids per page of stream/items/ids."""
MAX_PAGES = 1000

_TOKEN = re.compile(r"[\x21-\x7e]{1,4096}")
_LONG_HEX = re.compile(r"[0-9a-fA-F]{1,16}")
_DECIMAL = re.compile(r"-?[0-9]{1,20}")
_LABEL_ID = re.compile(r"user/[^/]*/label/(.+)")

Params = dict[str, str] | None
Form = Sequence[tuple[str, str]]


def canonical_item_id(value: str) -> str:
    """The decimal form of a Google Reader item id (long or decimal); BadShape if neither."""
    text = value.strip()
    if text.startswith(LONG_ID_PREFIX):
        digits = text[len(LONG_ID_PREFIX) :]
        if not _LONG_HEX.fullmatch(digits):
            raise BadShape("an item id is malformed")
        number = int(digits, 16)
    elif _DECIMAL.fullmatch(text) and -(2**63) <= int(text) < 2**64:
        number = int(text)
    else:
        raise BadShape("an item id is malformed")
    return str(number - 2**64 if number >= 2**63 else number)


def _is_state(category: str, state: str) -> bool:
    """Whether `category` is the stream `user/<anyone>/state/com.google/<state>`."""
    return category.startswith("user/") and category.endswith(f"/state/com.google/{state}")


class GReaderService(ServiceBase):
    """A `SyncService` over the Google Reader API at `http.url` (…/api/greader.php)."""

    can_manage_subscriptions = True

    def __init__(self, http: HttpClient, username: str, password: str) -> None:
        super().__init__(http, username)
        self._password = Secret(password)
        http.keep_secret(self._password)
        self._auth: Secret | None = None
        self._token: Secret | None = None

    # session

    async def login(self) -> None:
        http = self._http
        self._auth = self._token = None
        reply = await http.request(
            "POST",
            http.endpoint("accounts/ClientLogin"),
            form=[("Email", self.username), ("Passwd", self._password.reveal())],
        )
        http.check_status(reply, self.username)
        auth = None
        for line in reply.text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "Auth":
                auth = value.strip()
        if auth is None or not _TOKEN.fullmatch(auth):
            raise http.not_api(reply)
        self._auth = Secret(auth)
        http.keep_secret(self._auth)

    async def _fetch_token(self) -> Secret:
        reply = await self._call("GET", "reader/api/0/token")
        token = reply.text().strip()
        if not _TOKEN.fullmatch(token):
            raise self._http.not_api(reply)
        self._token = Secret(token)
        self._http.keep_secret(self._token)
        return self._token

    async def _call(self, method: str, path: str, params: Params = None, form: Form = ()) -> Reply:
        """One API request; logs in first if needed, and once more (or fetches a new
        write token) if the server says the session or token is no longer good."""
        if self._auth is None:
            await self.login()
        new_token = new_login = False
        while True:
            assert self._auth is not None
            body: list[tuple[str, str]] | None = None
            if method == "POST":
                token = self._token or await self._fetch_token()
                body = [*form, ("T", token.reveal())]
            reply = await self._http.request(
                method,
                self._http.endpoint(path),
                params=params,
                form=body,
                headers={"Authorization": f"GoogleLogin auth={self._auth.reveal()}"},
            )
            if reply.status == 401:
                if method == "POST" and not new_token and _bad_token_hint(reply):
                    new_token = True
                    self._token = None
                    continue
                if not new_login:
                    new_login = True
                    await self.login()
                    continue
            self._http.check_status(reply, self.username)
            return reply

    async def _json(
        self, method: str, path: str, params: Params = None, form: Form = ()
    ) -> dict[str, Any]:
        reply = await self._call(method, path, {**(params or {}), "output": "json"}, form)
        return self._http.json_object(reply)

    async def _expect_ok(self, path: str, form: Form) -> None:
        reply = await self._call("POST", path, form=form)
        if reply.text().strip().upper() != "OK":
            raise self._http.not_api(reply)

    # reading

    async def feeds(self) -> list[RemoteFeed]:
        data = await self._json("GET", "reader/api/0/subscription/list")
        try:
            subscriptions = as_list(data.get("subscriptions"))
        except BadShape:
            raise self._http.shape_error("no list of subscriptions") from None
        feeds = []
        for record in subscriptions:
            try:
                feeds.append(_feed(as_dict(record)))
            except BadShape:
                continue
        return feeds

    async def unread_ids(self) -> set[str]:
        return set(await self._stream_ids({"s": READING_LIST, "xt": READ}))

    async def starred_ids(self) -> set[str]:
        return set(await self._stream_ids({"s": STARRED}))

    async def item_ids(self, since: datetime | None, after: str | None = None) -> list[str]:
        params = {"s": READING_LIST}
        if since is not None:
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            params["ot"] = str(max(0, int(since.timestamp())))
        return await self._stream_ids(params)

    async def _stream_ids(self, params: dict[str, str]) -> list[str]:
        """Every id of a stream, newest first, following continuations."""
        ids: list[str] = []
        seen: set[str] = set()
        continuation: str | None = None
        for _ in range(MAX_PAGES):
            query = {**params, "n": str(PAGE)}
            if continuation is not None:
                query["c"] = continuation
            data = await self._json("GET", "reader/api/0/stream/items/ids", params=query)
            refs = data.get("itemRefs", [])
            following = data.get("continuation")
            if isinstance(following, int) and not isinstance(following, bool):
                following = str(following)
            if not isinstance(refs, list) or not isinstance(following, str | None):
                raise self._http.shape_error("itemRefs or continuation of the wrong type")
            added = 0
            for ref in refs:
                try:
                    item_id = _ref_id(ref)
                except BadShape:
                    continue
                if item_id not in seen:
                    seen.add(item_id)
                    ids.append(item_id)
                    added += 1
            if not following or following == continuation or added == 0:
                return ids
            continuation = following
        raise SyncError(f"{self.label} kept sending pages of item ids; gave up after {len(ids)}")

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        wanted = self._ids(ids)
        found: dict[str, RemoteItem] = {}
        answered: set[str] = set()
        for batch in chunks(wanted, BATCH):
            data = await self._json(
                "POST", "reader/api/0/stream/items/contents", form=[("i", i) for i in batch]
            )
            self._take_items(data, _greader_id, _item, found, answered)
        self._check_all_answered(wanted, answered)
        return [found[i] for i in wanted if i in found]

    def _ids(self, ids: Sequence[str]) -> list[str]:
        """Canonical ids, each once, in order; SyncError for one that is not an item id."""
        out: dict[str, None] = {}
        for value in ids:
            try:
                out[canonical_item_id(value)] = None
            except (BadShape, AttributeError):
                raise self._bad_id(value) from None
        return list(out)

    # writing

    async def set_read(self, ids: Sequence[str], read: bool) -> None:
        await self._tag(ids, READ, read)

    async def set_starred(self, ids: Sequence[str], starred: bool) -> None:
        await self._tag(ids, STARRED, starred)

    async def _tag(self, ids: Sequence[str], tag: str, on: bool) -> None:
        for batch in chunks(self._ids(ids), BATCH):
            form = [*(("i", i) for i in batch), ("a" if on else "r", tag)]
            await self._expect_ok("reader/api/0/edit-tag", form)

    async def subscribe(self, url: str, title: str | None, folder: str | None) -> RemoteFeed:
        address = url.strip()
        if not address:
            raise SyncError("No feed URL to subscribe to")
        data = await self._json(
            "POST", "reader/api/0/subscription/quickadd", form=[("quickadd", address)]
        )
        stream = data.get("streamId")
        if not isinstance(stream, str) or not stream or data.get("numResults") == 0:
            if (had := await self._had_already(address, folder)) is not None:
                return had
            error = data.get("error")
            why = self._http.server_text(error) if isinstance(error, str) else "no reason given"
            raise SyncError(f"{self.label} could not subscribe to {one_line(address)}: {why}")
        edits = [("t", title.strip())] if title and title.strip() else []
        edits += [("a", LABEL + folder.strip())] if folder and folder.strip() else []
        if edits:
            await self._expect_ok(EDIT, [("ac", "edit"), ("s", stream), *edits])
        for feed in await self.feeds():
            if feed.id == stream:
                return feed
        raise SyncError(f"{self.label} subscribed to {one_line(address)} but does not list it")

    async def _had_already(self, address: str, folder: str | None) -> RemoteFeed | None:
        """The server's feed at `address`, put in `folder` if asked, when it has one: added
        on the web and not synced here yet, FreshRSS refuses it ("Already subscribed!").
        None when it has none (or its list cannot be read: the refusal then stands)."""
        try:
            existing = next((feed for feed in await self.feeds() if feed.url == address), None)
        except SyncError:
            return None
        wanted = folder.strip() if folder and folder.strip() else None
        if existing is None or wanted is None or wanted in existing.folders:
            return existing
        await self._expect_ok(EDIT, [("ac", "edit"), ("s", existing.id), ("a", LABEL + wanted)])
        return next((feed for feed in await self.feeds() if feed.id == existing.id), existing)

    async def unsubscribe(self, feed_id: str) -> None:
        form = [("ac", "unsubscribe"), ("s", self._feed_id(feed_id))]
        await self._expect_ok(EDIT, form)

    async def rename(self, feed_id: str, title: str) -> None:
        if not title.strip():
            raise SyncError("A feed title cannot be empty")
        form = [("ac", "edit"), ("s", self._feed_id(feed_id)), ("t", title.strip())]
        await self._expect_ok(EDIT, form)

    async def set_folders(self, feed_id: str, add: Sequence[str], remove: Sequence[str]) -> None:
        """FreshRSS keeps one folder per feed: the last of `add` wins, and a feed taken
        out of its folder goes to the default one ("Uncategorized")."""
        names = [name.strip() for name in (*add, *remove)]
        if any(not name for name in names):
            raise SyncError("A folder name cannot be empty")
        if not names:
            return
        form = [("ac", "edit"), ("s", self._feed_id(feed_id))]
        form += [("r", LABEL + name.strip()) for name in remove]
        form += [("a", LABEL + name.strip()) for name in add]
        await self._expect_ok(EDIT, form)

    def _feed_id(self, feed_id: str) -> str:
        if not isinstance(feed_id, str) or not feed_id.strip() or one_line(feed_id) != feed_id:
            raise SyncError(f"{self.label}: {one_line(str(feed_id), 60)!r} is not a feed id")
        return feed_id


def _bad_token_hint(reply: Reply) -> bool:
    """Whether a 401 says the write token (not the login) is what is wrong."""
    return "google-bad-token" in reply.headers or b"token" in reply.body[:1000].lower()


def _ref_id(ref: object) -> str:
    value = as_dict(ref).get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        return canonical_item_id(str(value))
    if not isinstance(value, str):
        raise BadShape("an item id is not a string")
    return canonical_item_id(value)


def _feed(record: dict[str, Any]) -> RemoteFeed:
    feed_id = req_str(record, "id")
    url = req_str(record, "url")
    folders: list[str] = []
    for category in as_list(record.get("categories") or []):
        name = _folder(category)
        if name and name not in folders:
            folders.append(name)
    return RemoteFeed(
        id=feed_id,
        url=url,
        title=opt_str(record, "title") or url,
        site_url=opt_str(record, "htmlUrl") or None,
        folders=tuple(folders),
    )


def _folder(category: object) -> str | None:
    """The folder name of one category of a subscription (a label), if it is one."""
    if not isinstance(category, dict):
        return None
    label = category.get("label")
    if isinstance(label, str) and label.strip():
        return label
    stream = category.get("id")
    match = _LABEL_ID.fullmatch(stream) if isinstance(stream, str) else None
    return match.group(1) if match else None


def _greader_id(record: dict[str, Any]) -> str:
    return canonical_item_id(req_str(record, "id"))


def _item(record: dict[str, Any], item_id: str) -> RemoteItem | None:
    """One item of stream/items/contents, or None if it is malformed."""
    try:
        origin = as_dict(record.get("origin"))
        categories = [c for c in as_list(record.get("categories") or []) if isinstance(c, str)]
        published = timestamp(record.get("published"))
        if published is None:
            published = timestamp(record.get("updated"))
        return RemoteItem(
            id=item_id,
            feed_id=req_str(origin, "streamId"),
            url=_href(record, "canonical") or _href(record, "alternate"),
            guid=None,
            title=opt_str(record, "title") or "",
            author=opt_str(record, "author") or None,
            published=published,
            content_html=_content(record, "content") or _content(record, "summary") or "",
            read=any(_is_state(c, "read") for c in categories),
            starred=any(_is_state(c, "starred") for c in categories),
        )
    except BadShape:
        return None


def _href(record: dict[str, Any], key: str) -> str | None:
    """The first href of a list of links (canonical, alternate)."""
    for link in as_list(record.get(key) or []):
        href = as_dict(link).get("href")
        if isinstance(href, str) and href.strip():
            return href
    return None


def _content(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    return None if value is None else opt_str(as_dict(value), "content")
