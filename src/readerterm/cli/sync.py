"""Commands for sync and for triage from scripts: `sync`, `mark`, `show`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import Any

from ..errors import ReaderTermError, UsageError
from ..library import Library
from ..library.results import counted, sync_summary
from ..library.subscriptions import parse_id
from ..models import Article, Flag
from ..store import SyncStatus
from ..text.safe import clean_line
from .output import Progress, fetch_pages, iso, message, print_json, print_story, say

OK, FAILED = 0, 1

MARKS: dict[str, tuple[Flag, bool, str]] = {
    "read": ("read", True, "marked read"),
    "unread": ("read", False, "marked unread"),
    "star": ("starred", True, "starred"),
    "unstar": ("starred", False, "unstarred"),
}


def sync_line(status: SyncStatus) -> str:
    """How the last sync went, in one line."""
    server = f"{clean_line(status.url)} as {clean_line(status.username)}"
    if status.last_attempt is None:
        return f"Sync with {server}: never ran"
    when = status.last_attempt.astimezone().strftime("%Y-%m-%d %H:%M")
    queued = f"; {counted(status.queued, 'decision')} waiting" if status.queued else ""
    if status.last_error:
        return f"Sync with {server} FAILED at {when}: {message(status.last_error)}{queued}"
    return f"Synced with {server} at {when}{queued}"


async def cmd_sync(library: Library, args: argparse.Namespace) -> int:
    progress = Progress(sys.stderr, 1, enabled=not args.json and sys.stderr.isatty())

    def told(step: str, done: int, total: int) -> None:
        progress.total = max(total, 1)
        progress.update(min(done, progress.total), step)

    try:
        report = await library.syncing.sync(told, switch_account=args.switch_account)
    except ReaderTermError as error:
        progress.close()
        if args.json:
            print_json({"ok": False, "error": str(error), "queued": _queued(library)}, sys.stdout)
        say(f"readerterm: {message(error)}", sys.stderr)
        return FAILED
    progress.close()
    if args.json:
        fields = {"ok": True, "error": None, **asdict(report), "queued": _queued(library)}
        print_json(fields, sys.stdout)
    if not args.no_pages:  # full text of new stories whose feeds carry only a teaser
        await fetch_pages(library, None, quiet=args.json)
    if args.json:
        return OK
    say(f"Synced in {report.seconds:.1f} s: {sync_summary(report)}.")
    if report.matched_articles:
        say(f"{counted(report.matched_articles, 'cached article')} matched to the server's")
    if report.local_feeds:
        names = ", ".join(clean_line(name) for name in report.local_feeds[:5])
        more = f" and {len(report.local_feeds) - 5} more" if len(report.local_feeds) > 5 else ""
        verb = "is" if len(report.local_feeds) == 1 else "are"
        say(
            f"{counted(len(report.local_feeds), 'feed')} {verb} not on the server and"
            f" fetched by readerterm itself: {names}{more}"
        )
    return OK


def _queued(library: Library) -> int:
    """Decisions waiting to be sent to the server (0 with no sync set up)."""
    status = library.syncing.status() if library.syncing.enabled else None
    return status.queued if status is not None else 0


async def cmd_mark(library: Library, args: argparse.Namespace) -> int:
    flag, value, done = MARKS[args.action]
    ids = _article_ids(args.ids)
    rows = library.reading.article_rows(ids)
    found = {row.id for row in rows}
    missing = [article_id for article_id in ids if article_id not in found]
    if found:  # (none found: the errors alone, not "0 articles marked read" above them)
        change = library.reading.set_flag(sorted(found), flag, value)  # (None: all were so)
        where = _where_sent(library, sorted(change.before)) if change else ""
        say(f"{counted(change.count if change else 0, 'article')} {done}{where}")
    for article_id in missing:
        say(f"readerterm: no article with id {article_id}", sys.stderr)
    return FAILED if missing else OK


async def cmd_show(library: Library, args: argparse.Namespace) -> int:
    (article_id,) = _article_ids([args.id])
    article = library.reading.article(article_id)
    if args.json:
        print_json(_article_json(article), sys.stdout)
    else:
        print_story(
            article.title, article.key_points, article.key_points_origin, article.body, sys.stdout
        )
    return OK


def _where_sent(library: Library, ids: list[int]) -> str:
    """Whether the decisions just taken on `ids` go to the sync server: only those on
    stories the server has are queued; the others are kept here."""
    if not library.syncing.enabled:
        return ""
    sent = len(library.syncing.on_server(ids))
    kept = len(ids) - sent
    if not kept:
        return " (sent at the next sync)"
    if not sent:
        return " (kept here: not on the sync server)"
    return f" ({sent} sent at the next sync; {kept} kept here: not on the sync server)"


def _article_ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        if (number := parse_id(value)) is None:
            raise UsageError(f"not an article id: {value!r} (the ids of `readerterm articles`)")
        ids.append(number)
    return ids


def _article_json(article: Article) -> dict[str, Any]:
    """One story as `extract --json` prints a source, with its id and states."""
    return {
        "id": article.id,
        "source": str(article.id),
        "url": article.url,
        "feed": article.feed_title,
        "title": article.title,
        "author": article.author,
        "published": iso(article.published),
        "read": article.read,
        "starred": article.starred,
        "key_points": list(article.key_points),
        "key_points_origin": article.key_points_origin or None,  # (null: no key points)
        "body": article.body,
        "words": article.words,
    }
