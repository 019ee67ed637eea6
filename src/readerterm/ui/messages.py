"""App-wide messages about background refreshes (widget messages live in the widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..models import RefreshResult


@dataclass
class RefreshStarted(Message):
    """A refresh of `feed_count` feeds began."""

    feed_count: int


@dataclass
class FeedRefreshed(Message):
    """One feed finished refreshing (successfully or not)."""

    result: RefreshResult


@dataclass
class RefreshFinished(Message):
    """The refresh ended; `results` holds one entry per feed that finished."""

    results: tuple[RefreshResult, ...]
    cancelled: bool = False
