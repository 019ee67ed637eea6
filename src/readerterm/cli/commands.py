"""Headless commands: add, remove, feeds, refresh, articles, extract, import, export
(and, in sync.py, sync, mark and show).

Exit status: 0 ok, 1 some work failed or bad input, 2 usage error (argparse).
Output meant for scripts (--json) goes to stdout; progress and messages go to stderr.
Arguments are checked before any work: one refused (UsageError) is a line on stderr and
nothing on stdout, with --json too; the JSON reports work done, failures as its `error`s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import StoreError, UsageError
from ..library import Library
from ..library.results import counted, failure_summary
from ..library.subscriptions import CannotAdd
from ..models import Extracted, RefreshResult, RefreshStatus
from ..text.safe import clean_line
from .localfile import read_local_file
from .output import (
    Progress,
    article_json,
    feed_json,
    fetch_pages,
    iso,
    message,
    page_failure_json,
    print_json,
    print_story,
    say,
    say_listed,
    terminal_text,
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
        "key_points_origin": extracted.key_points_origin or None,  # (null: no key points)
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
        raise UsageError(f"{message(error)} (use --force to add it anyway)") from None
    feed = result.feed
    url, title = clean_line(feed.url), clean_line(feed.title)
    if result.on_server:
        say(f"Subscribed on the sync server to {title} ({url}): {feed.total} articles.")
    elif result.refresh is None:
        say(f"Subscribed to {url} (not fetched: offline).")
    elif result.refresh.status is RefreshStatus.FAILED:
        say(f"Subscribed to {url} anyway; it failed: {message(result.refresh.error or '')}")
    else:
        say(f"Subscribed to {title} ({url}): {feed.total} articles.")
    if result.alternatives:
        say("The page also offers these feeds (add them by URL):")
        for link in result.alternatives:
            say(f"  {clean_line(link)}")
    return OK


async def cmd_remove(library: Library, args: argparse.Namespace) -> int:
    feed = library.subscriptions.find_feed(args.feed, deleting=True)
    starred = len(library.reading.article_ids(feed_id=feed.id, starred_only=True))
    await library.subscriptions.remove_feed(feed.id)
    kept = f", {starred} of them starred" if starred else ""
    articles = counted(feed.total, "article")
    say(f"Removed {clean_line(feed.title)} ({clean_line(feed.url)}) and its {articles}{kept}.")
    return OK


NO_FEEDS = "No feeds yet: readerterm add URL subscribes to one."


def cut(text: str, width: int, *, pad: bool = True) -> str:
    """`text` in at most `width` terminal columns (a wide character takes two), cut with
    "…" and (with `pad`) padded to `width`."""
    columns = [2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text]
    if sum(columns) <= width:
        return text + " " * (width - sum(columns)) if pad else text
    kept, used = [], 0
    for ch, size in zip(text, columns, strict=True):
        if used + size > width - 1:
            break
        kept.append(ch)
        used += size
    return "".join(kept) + "…" + (" " * (width - 1 - used) if pad else "")


def say_rows(header: str, rows: Sequence[str], notes: Sequence[str] = ()) -> None:
    """A listing's rows, each with its note if any (a feed's failure). Piped: as they are,
    the note at the end of its row, no header for a script to skip. On a terminal: under a
    header naming the columns, each row cut to the terminal's width with "…" (a wrapped row
    breaks the columns) and its note whole on the line below."""
    notes = list(notes) or [""] * len(rows)
    if not sys.stdout.isatty():
        say_listed(
            [f"{row}  {note}" if note else row for row, note in zip(rows, notes, strict=True)]
        )
        return
    width = max(shutil.get_terminal_size().columns, 20)
    if rows:
        say(cut(header, width, pad=False))
    lines = []
    for row, note in zip(rows, notes, strict=True):
        lines.append(cut(row, width, pad=False))
        if note:
            lines.append(f"      {note}")
    say_listed(lines)


async def cmd_feeds(library: Library, args: argparse.Namespace) -> int:
    feeds = library.subscriptions.feeds()
    sync = library.syncing.status() if library.syncing.enabled else None
    if args.json:
        print_json([feed_json(feed, sync) for feed in feeds], sys.stdout)
        return OK
    if sync is not None:
        say(sync_line(sync))
    if not feeds:  # said on stderr: a script counting lines still counts none
        say(NO_FEEDS, sys.stderr)
    lines, failures = [], []
    for feed in feeds:
        title, url = clean_line(feed.title), clean_line(feed.url)
        tags = f"  [{', '.join(clean_line(tag) for tag in feed.tags)}]" if feed.tags else ""
        lines.append(f"{feed.id:>4}  {feed.unread:>6}/{feed.total:<6}  {title}{tags}  <{url}>")
        failures.append(f"FAILED: {message(feed.error)}" if feed.error else "")
    say_rows(f"{'id':>4}  {'unread/total':<13}  title  [tags]  <feed address>", lines, failures)
    return OK


async def cmd_refresh(library: Library, args: argparse.Namespace) -> int:
    found = [library.subscriptions.find_feed(ref) for ref in args.feeds]
    feed_ids = [feed.id for feed in found] or None
    total = len(feed_ids) if feed_ids else len(library.subscriptions.feeds())
    progress = Progress(sys.stderr, total, enabled=not args.json and sys.stderr.isatty())
    results: list[RefreshResult] = []
    async for result in library.refresher.refresh(feed_ids):
        results.append(result)
        progress.step(result.feed_title)  # (Progress cleans what it shows)
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


async def _finish_search_index(library: Library, *, stale: bool) -> None:
    """Index what waits for search (stored by a refresh; with `stale`, what an older
    version indexed) before a command searches; on a terminal, a progress bar says why a
    search after a big refresh takes seconds."""
    waiting = library.reading.search_pending(stale=stale)
    progress = Progress(sys.stderr, waiting, enabled=sys.stderr.isatty())
    try:
        await library.writer.finish_indexing(
            lambda left: progress.update(waiting - left, "stories indexed for search"),
            stale=stale,
        )
        progress.close()
    except StoreError as error:
        progress.close()
        waiting = library.reading.search_pending()
        say(
            f"readerterm: {waiting} stories could not be indexed for search: {message(error)}",
            sys.stderr,
        )


def _print_refresh_summary(results: Sequence[RefreshResult], out: TextIO) -> None:
    new = sum(r.new_articles for r in results)
    updated = sum(1 for r in results if r.status is RefreshStatus.UPDATED)
    unchanged = sum(1 for r in results if r.status is RefreshStatus.NOT_MODIFIED)
    skipped = [r for r in results if r.status is RefreshStatus.SKIPPED]
    failed = [r for r in results if r.status is RefreshStatus.FAILED]
    say(
        f"{counted(len(results), 'feed')}: {counted(new, 'new article')}, {updated} updated, "
        f"{unchanged} not modified, {len(skipped)} skipped, {len(failed)} failed",
        out,
    )
    if summary := failure_summary(results):
        say(summary, out)
    for result in skipped:
        say(f"  skipped {clean_line(result.feed_title)}: {message(result.error or '')}", out)
    for result in failed:
        title, url = clean_line(result.feed_title), clean_line(result.feed_url)
        say(f"  FAILED  {title} <{url}>: {message(result.error or '')}", out)


async def cmd_articles(library: Library, args: argparse.Namespace) -> int:
    if args.search and (problems := library.reading.search(args.search).problems):
        # (the reader searches with what it could read; a script asked for exactly this)
        raise UsageError(". ".join(problems))
    feed = library.subscriptions.find_feed(args.feed) if args.feed else None
    feed_id = feed.id if feed else None
    # Entries an older version made find a search in ASCII as the new ones do; one in
    # other scripts (タイトル inside 日本語のタイトル) waits for them to be made anew: only
    # the reader re-makes them in the background, and a command never runs it.
    stale = not args.search.isascii() if args.search else False
    if args.search and library.reading.search_pending(stale=stale):
        await _finish_search_index(library, stale=stale)
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
    lines = []
    for row in library.reading.article_rows(ids):
        flags = ("*" if row.starred else " ") + (" " if row.read else "N")
        date = row.published.astimezone().strftime("%Y-%m-%d %H:%M") if row.published else ""
        feed_title, title = cut(clean_line(row.feed_title), 24), clean_line(row.title)
        lines.append(f"{row.id:>6} {flags} {date:<16}  {feed_title}  {title}")
    say_rows(
        f"{'id':>6} {'':2} {'published':<16}  {'feed':<24}  title  (* starred, N unread)", lines
    )
    if not lines and args.limit != 0:  # said on stderr: a script counting lines counts none
        # (--limit 0 asks for no story: none is the whole answer, as `head -n 0` gives)
        filtered = args.feed or args.unread or args.starred or args.search is not None
        if filtered:
            empty = "No stories match."
        elif not library.subscriptions.feeds():
            empty = NO_FEEDS
        else:
            empty = "No stories yet: readerterm refresh fetches them."
        say(empty, sys.stderr)
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
            reason = message(result.error or "")
            source = "stdin" if result.source == "-" else clean_line(result.source)
            say(f"readerterm: {source}: {reason}", sys.stderr)
        else:
            _print_extracted(result, sys.stdout)
    return status


def _print_extracted(result: SourceResult, out: TextIO) -> None:
    assert result.extracted is not None
    extracted = result.extracted
    # Named by its source when it has no title of its own; stdin has no name to give it
    # ("-" is no title), so its story starts with its key points or body.
    title = clean_line(extracted.title) or (
        "" if result.source == "-" else clean_line(result.source)
    )
    print_story(title, extracted.key_points, extracted.key_points_origin, extracted.body, out)


async def cmd_import(library: Library, args: argparse.Namespace) -> int:
    content = read_local_file(args.file)  # a regular file of at most 10 MiB, or UsageError
    report = library.subscriptions.import_opml(content)
    say(f"Imported {counted(len(report.added), 'feed')}; {len(report.already)} already subscribed.")
    for reason in report.skipped:
        say(f"  skipped: {message(reason)}")
    return OK


async def cmd_export(library: Library, args: argparse.Namespace) -> int:
    document = terminal_text(library.subscriptions.export_opml())
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
        say(f"readerterm: cannot write {clean_line(str(target))}: {error.strerror}", sys.stderr)
        return FAILED
    count = len(library.subscriptions.feeds())
    say(f"Wrote {count} feeds to {clean_line(str(target))}", sys.stderr)
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
