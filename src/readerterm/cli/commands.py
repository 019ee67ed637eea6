"""Headless commands: add, remove, feeds, refresh, articles, extract, import, export
(and, in sync.py, sync, mark and show).

Exit status: 0 ok, 1 some work failed or bad input, 2 usage error (argparse).
Output meant for scripts (--json) goes to stdout; progress and messages go to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import StoreError, UsageError
from ..library import Library
from ..library.results import counted, failure_summary
from ..library.subscriptions import CannotAdd
from ..models import Extracted, RefreshResult, RefreshStatus
from .output import (
    Progress,
    article_json,
    feed_json,
    fetch_pages,
    iso,
    page_failure_json,
    print_json,
    print_story,
)
from .sync import cmd_mark, cmd_show, cmd_sync, sync_line

if TYPE_CHECKING:
    from .sources import SourceResult

OK, FAILED = 0, 1


def _result_json(result: RefreshResult) -> dict[str, Any]:
    return {
        "kind": "feed",
        "feed_id": result.feed_id,
        "url": result.feed_url,
        "title": result.feed_title,
        "status": result.status.value,
        "new": result.new_articles,
        "updated": result.updated_articles,
        "error": result.error,
    }


def _extracted_json(result: SourceResult) -> dict[str, Any]:
    if result.extracted is None:
        return {"source": result.source, "error": result.error}
    extracted: Extracted = result.extracted
    return {
        "source": result.source,
        "url": result.url,
        "title": extracted.title,
        "author": extracted.author,
        "published": iso(extracted.published),
        "key_points": list(extracted.key_points),
        "key_points_origin": extracted.key_points_origin,
        "body": extracted.body,
        "words": extracted.words,
    }


# -- commands ---------------------------------------------------------------------------


async def cmd_add(library: Library, args: argparse.Namespace) -> int:
    try:
        result = await library.subscriptions.add_feed(
            args.url, title=args.title, tags=args.tag, force=args.force
        )
    except CannotAdd as error:
        raise UsageError(f"{error} (use --force to add it anyway)") from None
    feed = result.feed
    if result.refresh is None:
        print(f"Subscribed to {feed.url} (not fetched: offline).")
    elif result.refresh.status is RefreshStatus.FAILED:
        print(f"Subscribed to {feed.url} anyway; it failed: {result.refresh.error}")
    else:
        print(f"Subscribed to {feed.title} ({feed.url}): {feed.total} articles.")
    if result.alternatives:
        print("The page also offers these feeds (add them by URL):")
        for link in result.alternatives:
            print(f"  {link}")
    return OK


async def cmd_remove(library: Library, args: argparse.Namespace) -> int:
    feed = library.subscriptions.find_feed(args.feed)
    await library.subscriptions.remove_feed(feed.id)
    print(f"Removed {feed.title} ({feed.url}) and its {feed.total} articles.")
    return OK


async def cmd_feeds(library: Library, args: argparse.Namespace) -> int:
    feeds = library.subscriptions.feeds()
    sync = library.syncing.status() if library.syncing.enabled else None
    if args.json:
        print_json([feed_json(feed, sync) for feed in feeds], sys.stdout)
        return OK
    if sync is not None:
        print(sync_line(sync))
    if not feeds:
        print("No feeds yet. Add one with: readerterm add URL")
    for feed in feeds:
        status = f"  FAILED: {feed.error}" if feed.error else ""
        print(f"{feed.id:>4}  {feed.unread:>5}/{feed.total:<5}  {feed.title}  <{feed.url}>{status}")
    return OK


async def cmd_refresh(library: Library, args: argparse.Namespace) -> int:
    feed_ids = [library.subscriptions.find_feed(reference).id for reference in args.feeds] or None
    total = len(feed_ids) if feed_ids else len(library.subscriptions.feeds())
    progress = Progress(sys.stderr, total, enabled=not args.json and sys.stderr.isatty())
    results: list[RefreshResult] = []
    async for result in library.refresher.refresh(feed_ids):
        results.append(result)
        progress.step(result.feed_title)
    progress.close()
    if not args.json:
        _print_refresh_summary(results, sys.stdout)
        sys.stdout.flush()
    pages_failed = []
    if not args.no_pages and not library.offline:
        pages_failed = await fetch_pages(library, feed_ids, quiet=args.json)
    if args.json:
        # One object per feed, then one per article page that failed (see --help).
        listed = [_result_json(result) for result in results]
        print_json(listed + [page_failure_json(page) for page in pages_failed], sys.stdout)
    # What was stored is indexed for search later: by the reader in the background, or by
    # the next command that searches. Indexing 15,000 stories takes longer than storing them.
    failed = any(r.status is RefreshStatus.FAILED for r in results)
    return FAILED if failed else OK


async def _finish_search_index(library: Library) -> None:
    """Index what waits for search (stored by a refresh) before a command searches; on a
    terminal, a progress bar says why a search after a big refresh takes seconds."""
    waiting = library.reading.search_pending()
    progress = Progress(sys.stderr, waiting, enabled=sys.stderr.isatty())
    try:
        await library.writer.finish_indexing(
            lambda left: progress.update(waiting - left, "stories indexed for search")
        )
        progress.close()
    except StoreError as error:
        progress.close()
        waiting = library.reading.search_pending()
        print(
            f"readerterm: {waiting} stories could not be indexed for search: {error}",
            file=sys.stderr,
        )


def _print_refresh_summary(results: Sequence[RefreshResult], out: TextIO) -> None:
    new = sum(r.new_articles for r in results)
    updated = sum(1 for r in results if r.status is RefreshStatus.UPDATED)
    unchanged = sum(1 for r in results if r.status is RefreshStatus.NOT_MODIFIED)
    skipped = [r for r in results if r.status is RefreshStatus.SKIPPED]
    failed = [r for r in results if r.status is RefreshStatus.FAILED]
    out.write(
        f"{counted(len(results), 'feed')}: {counted(new, 'new article')}, {updated} updated, "
        f"{unchanged} not modified, {len(skipped)} skipped, {len(failed)} failed\n"
    )
    if summary := failure_summary(results):
        out.write(f"{summary}\n")
    for result in skipped:
        out.write(f"  skipped {result.feed_title}: {result.error}\n")
    for result in failed:
        out.write(f"  FAILED  {result.feed_title} <{result.feed_url}>: {result.error}\n")


async def cmd_articles(library: Library, args: argparse.Namespace) -> int:
    feed_id = library.subscriptions.find_feed(args.feed).id if args.feed else None
    if args.search and library.reading.search_pending():
        await _finish_search_index(library)
    ids = library.reading.article_ids(
        feed_id=feed_id,
        unread_only=args.unread,
        starred_only=args.starred,
        search=args.search,
    )
    if args.limit is not None:
        ids = ids[: max(args.limit, 0)]
    if args.json:
        print_json([article_json(library.reading.stored_article(i)) for i in ids], sys.stdout)
        return OK
    for row in library.reading.article_rows(ids):
        flags = ("*" if row.starred else " ") + (" " if row.read else "N")
        date = row.published.astimezone().strftime("%Y-%m-%d %H:%M") if row.published else ""
        print(f"{row.id:>6} {flags} {date:<16}  {row.feed_title[:24]:<24}  {row.title}")
    return OK


async def cmd_extract(library: Library, args: argparse.Namespace) -> int:
    from .sources import extract_sources  # BeautifulSoup and trafilatura load only here

    fetcher = None if library.offline else library.network.fetcher
    status = OK
    cached = library.reading.stored_story if library.offline else None
    async for result in extract_sources(args.sources, fetcher=fetcher, cached=cached):
        if result.extracted is None:
            status = FAILED
        if args.json:
            print_json(_extracted_json(result), sys.stdout)
            sys.stdout.flush()
        elif result.extracted is None:
            print(f"{result.source}: {result.error}", file=sys.stderr)
        else:
            _print_extracted(result, sys.stdout)
    return status


def _print_extracted(result: SourceResult, out: TextIO) -> None:
    assert result.extracted is not None
    extracted = result.extracted
    title = extracted.title or result.source
    print_story(title, extracted.key_points, extracted.key_points_origin, extracted.body, out)


async def cmd_import(library: Library, args: argparse.Namespace) -> int:
    try:
        content = Path(args.file).read_bytes()
    except OSError as error:
        print(f"readerterm: cannot read {args.file}: {error.strerror}", file=sys.stderr)
        return FAILED
    report = library.subscriptions.import_opml(content)
    print(f"Imported {len(report.added)} feeds; {len(report.already)} already subscribed.")
    for reason in report.skipped:
        print(f"  skipped: {reason}")
    return OK


async def cmd_export(library: Library, args: argparse.Namespace) -> int:
    document = library.subscriptions.export_opml()
    if args.file in (None, "-"):
        sys.stdout.write(document)
        return OK
    target = Path(args.file)
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(document, encoding="utf-8")
        temporary.replace(target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        print(f"readerterm: cannot write {target}: {error.strerror}", file=sys.stderr)
        return FAILED
    print(f"Wrote {len(library.subscriptions.feeds())} feeds to {target}", file=sys.stderr)
    return OK


COMMANDS = {
    "add": cmd_add,
    "remove": cmd_remove,
    "feeds": cmd_feeds,
    "refresh": cmd_refresh,
    "articles": cmd_articles,
    "extract": cmd_extract,
    "import": cmd_import,
    "export": cmd_export,
    "sync": cmd_sync,
    "mark": cmd_mark,
    "show": cmd_show,
}


async def run_command(library: Library, args: argparse.Namespace) -> int:
    try:
        return await COMMANDS[args.command](library, args)
    finally:
        await library.aclose()
