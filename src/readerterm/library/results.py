"""What library calls return, besides the models."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..models import (
    Feed,
    Flag,
    RefreshResult,
    RefreshStatus,
    Validators,
)
from ..text.safe import clean_line

if TYPE_CHECKING:
    from ..store import PreparedUpdate
    from ..sync.engine import SyncReport


log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AddResult:
    feed: Feed
    refresh: RefreshResult | None
    """What the first fetch did; None when nothing was fetched (offline with --force)."""
    alternatives: tuple[str, ...] = ()
    """Other feeds the page advertised, when a page URL was given."""
    on_server: bool = False
    """Subscribed on the sync server, which fetched it (`refresh` is None then)."""


@dataclass(frozen=True, slots=True)
class _FoundFeed:
    url: str
    prepared: PreparedUpdate
    validators: Validators
    alternatives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Change:
    """One triage decision, as undo needs it: the flag, what it was set to, what it was."""

    flag: Flag
    value: bool
    before: dict[int, bool]
    identities: dict[int, str] = field(default_factory=dict)
    """Each article's identity beyond its id (store.articles.identities), for undo."""

    @property
    def count(self) -> int:
        return len(self.before)


@dataclass(frozen=True, slots=True)
class TagChange:
    """One story's tags set by the user, as undo needs them: the tags before and after."""

    article_id: int
    before: tuple[str, ...]
    after: tuple[str, ...]
    identity: str | None
    """The article's identity beyond its id (store.articles.identities), for undo."""


@dataclass(frozen=True, slots=True)
class PageResult:
    """What fetching one article's page did."""

    article_id: int
    error: str | None = None
    url: str | None = None
    """The page's address (None when the article has no link, or was not read)."""
    title: str = ""
    """The article's title, to name the page in messages."""
    feed_id: int | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: tuple[str, ...]
    already: tuple[str, ...]
    skipped: tuple[str, ...]
    """Each entry says what was skipped and why."""


def counted(count: int, noun: str) -> str:
    """`1 feed`, `2 feeds`: a count with its noun in the right number."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def sync_summary(report: SyncReport) -> str:
    """What a sync did, in short, for the status line and `readerterm sync` alike:
    `3 new articles, 1 decision sent, 2 changes from the server, 1 feed added`."""
    parts = [counted(report.new_articles, "new article")]
    if report.sent:
        parts.append(f"{counted(report.sent, 'decision')} sent")
    if taken := report.read_changed + report.starred_changed:
        parts.append(f"{counted(taken, 'change')} from the server")
    if report.feeds_added:
        parts.append(f"{counted(report.feeds_added, 'feed')} added")
    if report.feeds_removed:
        parts.append(f"{counted(report.feeds_removed, 'feed')} removed")
    if report.dropped:
        parts.append(f"{counted(report.dropped, 'decision')} for the previous account dropped")
    return ", ".join(parts)


def failure_summary(results: Sequence[RefreshResult]) -> str | None:
    """How many feeds failed and why, in short (`11 feeds failed: host not found`, or
    `3 feeds failed: 2 host not found, 1 HTTP 404`); None when none failed."""
    reasons = Counter(
        _short_reason(result.error or "unknown error")
        for result in results
        if result.status is RefreshStatus.FAILED
    )
    if not reasons:
        return None
    failed = counted(sum(reasons.values()), "feed") + " failed"
    if len(reasons) == 1:
        return f"{failed}: {next(iter(reasons))}"
    parts = [f"{count} {reason}" for reason, count in reasons.most_common(3)]
    if len(reasons) > 3:
        parts.append("…")
    return f"{failed}: {', '.join(parts)}"


def _short_reason(error: str) -> str:
    """The gist of a failure: its first clause, without the host or URL that follows."""
    return clean_line(error).split(":", 1)[0].strip()[:60] or "unknown error"
