"""Writing a parsed feed, and the RefreshResult that says what happened: shared by the
refresh and by subscribing (which stores the feed's first fetch)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..models import Feed, RefreshResult, RefreshStatus, Validators
from ..store import PreparedUpdate, Retention, Store


def update_job(
    feed: Feed,
    prepared: PreparedUpdate,
    validators: Validators,
    now: datetime,
    retention: Retention | None,
) -> Callable[[Store], tuple[int, int]]:
    """Writing a feed's update, as a job for whichever connection runs it: (new, updated)."""

    def write(store: Store) -> tuple[int, int]:
        return store.updates.apply_update(
            feed.id,
            title=prepared.title,
            site_url=prepared.site_url,
            validators=validators,
            articles=prepared.articles,
            now=now,
            retention=retention,
            guids=prepared.guids,
        )

    return write


def result(
    feed: Feed,
    status: RefreshStatus,
    *,
    new: int = 0,
    updated: int = 0,
    error: str | None = None,
) -> RefreshResult:
    return RefreshResult(
        feed_id=feed.id,
        feed_url=feed.url,
        feed_title=feed.title,
        status=status,
        new_articles=new,
        updated_articles=updated,
        error=error,
    )


def failed(feed: Feed, error: str) -> RefreshResult:
    return result(feed, RefreshStatus.FAILED, error=error)


def updated(store: Store, feed: Feed, counts: tuple[int, int]) -> RefreshResult:
    """The result of a stored update, with the feed as stored now (counts, title)."""
    now_stored = store.subscriptions.feed(feed.id) or feed
    return result(now_stored, RefreshStatus.UPDATED, new=counts[0], updated=counts[1])
