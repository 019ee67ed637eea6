"""What the commands share: JSON shapes, a progress bar on a terminal, page fetching."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TextIO

from ..library import Library, PageResult
from ..library.results import counted
from ..models import KEY_POINTS_FROM, Article, Feed
from ..store import SyncStatus
from ..text.safe import UNSAFE_CHARACTERS, clean_line, clean_text

MAX_MESSAGE = 1000
"""Characters of an error message shown at most: one quoting a damaged database's column
or a server's page stays one readable line."""

# What json.dumps leaves raw with ensure_ascii=False and a terminal may act on or be fooled
# by: the characters clean_text removes (C1 controls, 0x9b being CSI; bidi marks,
# embeddings, overrides and isolates; zero-width characters but the joiners words need;
# line and paragraph separators...), the soft hyphen and lone surrogates. (C0 controls, ESC
# among them, json.dumps escapes itself.) Each becomes a \uXXXX escape: the value a script
# reads is the same.
_JSON_RAW = re.compile(f"[{UNSAFE_CHARACTERS}\xad\ud800-\udfff]")


def say(text: str = "", out: TextIO | None = None) -> None:
    """Print `text` (one or more lines, with a newline after) to `out` (stdout by default)
    cleaned as feed text is: whatever part of it came from outside, no escape sequence,
    control, bidi or zero-width mark reaches the terminal."""
    (out or sys.stdout).write(terminal_text(text) + "\n")


def say_listed(lines: Sequence[str], out: TextIO | None = None) -> None:
    """Print the rows of a listing whose every part from outside the caller cleaned with
    clean_line (names, titles, links) and `message` (errors): written as they are, as a
    listing of 15,000 stories in Persian (joiners: clean_line's slow path) costs ~25 us a
    row to clean again."""
    (out or sys.stdout).write("".join(f"{line}\n" for line in lines))


def terminal_text(text: str) -> str:
    """`text` with each line cleaned (readerterm.text.safe.clean_text), its indentation and
    spacing kept, so columns still line up."""
    if text.replace("\n", "").isprintable():
        return text
    return "\n".join(_terminal_line(line) for line in text.replace("\r", "\n").split("\n"))


def _terminal_line(line: str) -> str:
    indent = len(line) - len(line.lstrip(" "))
    return " " * indent + clean_text(line)


def message(error: BaseException | str) -> str:
    """An error's text as one clean line of at most MAX_MESSAGE characters: errors quote
    what they failed on (a server's words, a file name, a database's bytes)."""
    text = clean_line(str(error))
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


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
        "key_points_origin": article.key_points_origin or None,  # (null: no key points)
    }


def print_story(title: str, key_points: Sequence[str], origin: str, body: str, out: TextIO) -> None:
    """A story as plain text, for reading as it is: the title once (no line for none), the
    key points, then the body with its markdown (escapes, heading marks, link targets)
    taken out."""
    from ..text.plaintext import markdown_to_plain

    if title := clean_line(title):
        say(f"{title}\n", out)
    if key_points:
        say(f"Key points ({KEY_POINTS_FROM.get(origin, clean_line(origin))}):", out)
        for point in key_points:
            say(f"  - {clean_line(point)}", out)
        say("", out)
    text = markdown_to_plain(body)
    if text:
        say(f"{text}\n", out)


def story_tags(article: Article) -> list[str]:
    """A story's tags as `tag:` finds them on it: the publisher's categories, then the
    reader's own tags, each once whatever its case."""
    tags: dict[str, str] = {}
    for tag in (*article.categories, *article.tags):
        tags.setdefault(tag.casefold(), tag)
    return list(tags.values())


def print_json(value: object, out: TextIO) -> None:
    """One line of JSON. Non-ASCII text stays readable, but nothing a terminal acts on is
    written raw (see _JSON_RAW): `--json` on a terminal is as safe as plain output."""
    out.write(json_text(value) + "\n")


def json_text(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if text.isprintable() else _JSON_RAW.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # a tag character: as JSON writes any astral one, a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


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
        label = clean_line(label)[:40]
        self.out.write(f"\r[{bar}] {self.done}/{self.total} {label:<40}")
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
        say(f"{fetched} fetched for offline reading, {len(failed)} failed")
        for page in failed[:PAGE_FAILURES_LISTED]:
            url = clean_line(page.url)
            say(f"  FAILED  page {clean_line(page.title)!r} <{url}>: {message(page.error or '')}")
        if len(failed) > PAGE_FAILURES_LISTED:
            more = counted(len(failed) - PAGE_FAILURES_LISTED, "more page")
            say(f"  ... and {more} failed (refresh --json lists every one)")
    return failed


PAGE_FAILURES_LISTED = 10
"""Failed article pages a refresh names one by one; the rest are counted."""


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
