"""What library calls return, besides the models."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import (
    Feed,
    Flag,
    RefreshResult,
    Validators,
)

if TYPE_CHECKING:
    from ..store import PreparedUpdate


log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AddResult:
    feed: Feed
    refresh: RefreshResult | None
    """What the first fetch did; None when nothing was fetched (offline with --force)."""
    alternatives: tuple[str, ...] = ()
    """Other feeds the page advertised, when a page URL was given."""


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

    @property
    def count(self) -> int:
        return len(self.before)


@dataclass(frozen=True, slots=True)
class PageResult:
    """What fetching one article's page did."""

    article_id: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: tuple[str, ...]
    already: tuple[str, ...]
    skipped: tuple[str, ...]
    """Each entry says what was skipped and why."""
