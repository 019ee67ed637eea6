"""Feed documents written for the UI tests, and a helper that fills a real library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from readerterm.library import Library

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
"""The fixed clock the UI tests give the app, so ages are stable."""

HOSTILE_TITLE = "[bold]x[/] [@click=app.quit]quit[/]"
UNREACHABLE = "http://127.0.0.1:9/feed.xml"
"""A feed URL on the loopback discard port: refreshing it fails at once, offline."""

LOREM = (
    "The committee met on Tuesday to weigh the proposal, which has divided members for "
    "months. Supporters say the plan would cut waiting times and free money for repairs; "
    "critics argue that the figures rest on optimistic assumptions about demand. "
)


def story(index: int, feed: str, *, hours_ago: float, key_points: int = 3) -> dict[str, str]:
    points = "".join(
        f"<li>{escape(feed)} point {p + 1} of story {index}: a short, concrete claim.</li>"
        for p in range(key_points)
    )
    paragraphs = "".join(
        f"<p>Paragraph {p + 1} of story {index}. {LOREM * 2}</p>" for p in range(8)
    )
    return {
        "title": f"{feed} story {index}: officials announce a new plan for the city",
        "link": f"https://example.org/{feed.lower().replace(' ', '-')}/{index}",
        "guid": f"{feed}-{index}",
        "author": f"Reporter {index}",
        "date": format_datetime(NOW - timedelta(hours=hours_ago)),
        "content": (f"<ul>{points}</ul>" if key_points else "") + paragraphs,
    }


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    body = "".join(
        "<item>"
        f"<title>{escape(item['title'])}</title>"
        f"<link>{escape(item['link'])}</link>"
        f"<guid>{escape(item['guid'])}</guid>"
        f"<author>{escape(item['author'])}</author>"
        f"<pubDate>{item['date']}</pubDate>"
        f"<description>{escape(item['content'][:200])}</description>"
        f"<content:encoded>{escape(item['content'])}</content:encoded>"
        "</item>"
        for item in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{escape(title)}</title><link>https://example.org/</link>"
        f"<description>test feed</description>{body}</channel></rss>"
    ).encode()


TAGS = {"World": ("news",), "Tech": ("tech",), "Science": ("science", "tech")}
"""Feed tags as a config or OPML would give them (Science is in two groups)."""


def seed_library(database: Path, *, failing_feed: bool = True) -> Library:
    """Three tagged feeds (World, Tech, Science) of stories with key points, plus a feed
    whose title is hostile markup and (optionally) one that cannot be reached."""
    library = Library.open_at(database)
    for offset, name in enumerate(("World", "Tech", "Science")):
        feed = library.subscriptions.subscribe(
            f"https://example.org/{name.lower()}.xml", tags=TAGS[name]
        )
        items = [story(i, name, hours_ago=offset + i * 3 + 0.5) for i in range(6)]
        library.refresher.ingest_document(feed.id, rss(name, items))
    hostile = library.subscriptions.subscribe("https://example.org/hostile.xml")
    item = story(99, "Hostile", hours_ago=50)
    item["title"] = HOSTILE_TITLE
    library.refresher.ingest_document(hostile.id, rss(HOSTILE_TITLE, [item]))
    if failing_feed:
        library.subscriptions.subscribe(UNREACHABLE, title="Unreachable")
    return library
