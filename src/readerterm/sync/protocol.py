"""What every sync service offers: the remote records, the errors, the `SyncService`
protocol the sync engine programs against, and `open_service`, which picks a client.

The records are plain data copied out of the server's replies. Their strings come from
the server and are untrusted: the engine cleans them before showing or storing them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Importing httpx also imports its command-line tool (and with it click, rich and
# pygments) whenever click is installed; readerterm never uses that tool, and nothing
# headless may load rich. With None in its sys.modules slot that import fails at once
# and httpx goes on without it. (The package __init__ imports this module first.)
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
import httpx

from readerterm.errors import ReaderTermError

SERVICES = ("greader", "fever")
"""The values `open_service` accepts for `service`."""


@dataclass(frozen=True, slots=True)
class RemoteFeed:
    """A subscription on the server."""

    id: str
    """The server's stream id: "feed/12" for the Google Reader API, "12" for Fever."""
    url: str
    """The feed's own address."""
    title: str
    site_url: str | None
    """The website the feed belongs to, if the server knows it."""
    folders: tuple[str, ...]
    """Folder (label, group) names; FreshRSS always puts a feed in exactly one."""


@dataclass(frozen=True, slots=True)
class RemoteItem:
    """An article as the server stores it."""

    id: str
    """One canonical form per service: the decimal item id."""
    feed_id: str
    """The `RemoteFeed.id` of the feed it came from."""
    url: str | None
    guid: str | None
    """The entry's original guid when the API tells it (neither FreshRSS API does)."""
    title: str
    author: str | None
    published: datetime | None
    """In UTC (timezone-aware)."""
    content_html: str
    read: bool
    starred: bool


class SyncError(ReaderTermError):
    """The sync server could not be used; the message says why and names the server."""


class SyncAuthError(SyncError):
    """The server refused the user name or password."""


class SyncRefused(SyncError):
    """The service cannot do what was asked (e.g. Fever managing subscriptions)."""


class SyncService(Protocol):
    """An aggregator account, reached through one of its APIs.

    Item ids are strings in the service's canonical form (see `RemoteItem.id`); feed ids
    are `RemoteFeed.id`. Every method raises `SyncError` (or a subclass) and nothing else
    for anything that goes wrong on the network or on the server.
    """

    label: str
    """Names the server for the user, e.g. "FreshRSS at https://rss.example/api/greader.php"."""
    can_manage_subscriptions: bool
    """Whether subscribe/unsubscribe/rename/set_folders work (else they raise SyncRefused)."""

    async def login(self) -> None:
        """Check the credentials (the other methods log in by themselves when needed)."""

    async def feeds(self) -> list[RemoteFeed]:
        """All subscriptions with their folders."""

    async def unread_ids(self) -> set[str]:
        """Ids of all unread items."""

    async def starred_ids(self) -> set[str]:
        """Ids of all starred (saved) items."""

    async def item_ids(self, since: datetime | None, after: str | None = None) -> list[str]:
        """Ids of the items in the reading list, newest first: those the server took in
        since `since` (when given), and, for an API that pages by id (Fever), those
        with ids above `after` (ids grow as the server takes items in)."""
        ...

    async def items(self, ids: Sequence[str]) -> list[RemoteItem]:
        """The items with these ids; an id the server does not know is a SyncError."""

    async def set_read(self, ids: Sequence[str], read: bool) -> None:
        """Mark these items read (or unread)."""

    async def set_starred(self, ids: Sequence[str], starred: bool) -> None:
        """Star (or unstar) these items."""

    async def subscribe(self, url: str, title: str | None, folder: str | None) -> RemoteFeed:
        """Subscribe to the feed at `url`, optionally renamed and put in a folder."""

    async def unsubscribe(self, feed_id: str) -> None:
        """Remove a subscription (the server drops its items too)."""

    async def rename(self, feed_id: str, title: str) -> None:
        """Give a subscription another title."""

    async def set_folders(self, feed_id: str, add: Sequence[str], remove: Sequence[str]) -> None:
        """Put a subscription in the folders `add` and take it out of `remove`."""

    async def aclose(self) -> None:
        """Close the network connections."""


def open_service(
    service: str,
    url: str,
    username: str,
    password: str,
    *,
    allow_insecure: bool = False,
    timeout: float = 30.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> SyncService:
    """A client for `service` ("greader" or "fever") at `url`; nothing is sent yet.

    Raises SyncError for an unknown service or a URL that must not be used: not http(s),
    or plain http:// to a host other than this machine unless `allow_insecure`.
    """
    # Imported here: the clients import this module for the records and errors.
    from readerterm.sync.client import HttpClient
    from readerterm.sync.fever import FeverService
    from readerterm.sync.greader import GReaderService

    kind = service.strip().lower()
    if kind not in SERVICES:
        valid = " or ".join(f'"{name}"' for name in SERVICES)
        raise SyncError(f"Unknown sync service {service!r}: it must be {valid}")
    http = HttpClient(
        url, kind, allow_insecure=allow_insecure, timeout=timeout, transport=transport
    )
    if kind == "greader":
        return GReaderService(http, username, password)
    return FeverService(http, username, password)
