"""Messages about background refreshes, handled by the screen that runs the refresh
(widget messages live in the widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.message import Message

from ..models import RefreshResult

if TYPE_CHECKING:
    from ..sync.engine import SyncReport


@dataclass
class RefreshStarted(Message):
    """A refresh of `feed_count` feeds began."""

    bubble: ClassVar[bool] = False

    feed_count: int


@dataclass
class FeedRefreshed(Message):
    """One feed finished refreshing (successfully or not)."""

    bubble: ClassVar[bool] = False

    result: RefreshResult


@dataclass
class RefreshFinished(Message):
    """The refresh ended; `results` holds one entry per feed that finished."""

    bubble: ClassVar[bool] = False

    results: tuple[RefreshResult, ...]
    cancelled: bool = False
    quiet: bool = False
    """A timed refresh: no notification when nothing new arrived and nothing failed."""


@dataclass
class PagesFetched(Message):
    """One article's page was fetched and extracted (or failed with `error`)."""

    bubble: ClassVar[bool] = False

    article_id: int
    error: str | None = None


@dataclass
class SyncFinished(Message):
    """A sync with the server ended: `report` when it worked, else `error`."""

    bubble: ClassVar[bool] = False

    report: SyncReport | None
    error: str | None = None
    quiet: bool = False
