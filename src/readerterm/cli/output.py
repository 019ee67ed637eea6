"""What the commands share: JSON shapes, a progress bar on a terminal, page fetching."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from ..library import Library, PageResult
from ..library.results import counted
from ..models import Article, Feed
from ..store import SyncStatus
from ..text.safe import clean_line


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def feed_json(feed: Feed, sync: SyncStatus | None = None) -> dict[str, Any]:
    """A feed as `feeds --json` prints it; `last_sync` and `sync_error` are set for a feed
    that comes from the sync server."""
    synced = sync is not None and feed.remote_id is not None
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "tags": list(feed.tags),
        "unread": feed.unread,
        "total": feed.total,
        "last_refresh": iso(feed.last_refresh),
        "error": feed.error,
        "synced": feed.remote_id is not None,
        "last_sync": iso(sync.last_attempt) if synced and sync else None,
        "sync_error": sync.last_error if synced and sync else None,
    }


def article_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "feed": article.feed_title,
        "feed_id": article.feed_id,
        "title": article.title,
        "url": article.url,
        "author": article.author,
        "published": iso(article.published),
        "read": article.read,
        "starred": article.starred,
        "later": article.later,
        "tags": story_tags(article),
        "summary": article.summary,
        "key_points": list(article.key_points),
        "key_points_origin": article.key_points_origin,
    }


def print_story(title: str, key_points: Sequence[str], origin: str, body: str, out: TextIO) -> None:
    """A story as plain text, for reading as it is: the title once, the key points, then
    the body with its markdown (escapes, heading marks, link targets) taken out."""
    from ..text.plaintext import markdown_to_plain

    out.write(f"{title}\n\n")
    if key_points:
        out.write(f"Key points ({origin}):\n")
        for point in key_points:
            out.write(f"  - {point}\n")
        out.write("\n")
    text = markdown_to_plain(body)
    out.write(f"{text}\n\n" if text else "")


def story_tags(article: Article) -> list[str]:
    """A story's tags as `tag:` finds them on it: the publisher's categories, then the
    reader's own tags, each once whatever its case."""
    tags: dict[str, str] = {}
    for tag in (*article.categories, *article.tags):
        tags.setdefault(tag.casefold(), tag)
    return list(tags.values())


def print_json(value: object, out: TextIO) -> None:
    out.write(json.dumps(value, ensure_ascii=False) + "\n")


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal."""

    def __init__(self, out: TextIO, total: int, *, enabled: bool) -> None:
        self.out, self.total, self.done, self.enabled = out, total, 0, enabled and total > 0

    def step(self, label: str) -> None:
        self.update(self.done + 1, label)

    def update(self, done: int, label: str) -> None:
        self.done = done
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // self.total
        bar = "#" * filled + "-" * (width - filled)
        self.out.write(f"\r[{bar}] {self.done}/{self.total} {label[:40]:<40}")
        self.out.flush()

    def close(self) -> None:
        if self.enabled:
            self.out.write("\r" + " " * 80 + "\r")
            self.out.flush()


async def fetch_pages(
    library: Library, feed_ids: list[int] | None, *, quiet: bool
) -> list[PageResult]:
    """Fetch the full text of new unread articles whose feeds carry only summaries; the
    pages that failed are returned and, unless `quiet`, named with the reason."""
    ids = library.pages.pages_to_fetch(feed_ids)
    if not ids:
        return []
    progress = Progress(sys.stderr, len(ids), enabled=not quiet and sys.stderr.isatty())
    failed: list[PageResult] = []
    async for page in library.pages.fetch_pages(ids):
        if page.error is not None:
            failed.append(page)
        progress.step("article pages")
    progress.close()
    if not quiet:
        fetched = counted(len(ids) - len(failed), "article page")
        print(f"{fetched} fetched for offline reading, {len(failed)} failed")
        for page in failed:
            print(f"  FAILED  page {clean_line(page.title)!r} <{page.url}>: {page.error}")
    return failed


def page_failure_json(page: PageResult) -> dict[str, Any]:
    """An article page that failed, as `refresh --json` lists it after the feeds."""
    return {
        "kind": "page",
        "article_id": page.article_id,
        "feed_id": page.feed_id,
        "url": page.url,
        "title": page.title,
        "status": "failed",
        "error": page.error,
    }
