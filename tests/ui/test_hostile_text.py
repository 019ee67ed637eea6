"""Random strings in every place the reader shows text written by strangers (feed name,
title, author, key points, body, link): no exception, no markup action taken, and no
control or escape character reaches the screen. The strings go straight into the store,
past the core's own cleaning, so this tests the UI's own defences."""

from __future__ import annotations

import asyncio
import re
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from readerterm.config import Config
from readerterm.library import Library
from readerterm.models import Validators
from readerterm.store import Store, StoredArticle
from readerterm.ui.app import ReaderTermApp

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

HOSTILE_PIECES = [
    "[@click=app.quit]quit[/]",
    "[/]",
    "[link=https://evil.example]x[/link]",
    "[$accent]",
    "\\",
    "\x1b[2J",
    "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",
    "\x9b31m",
    "\u202egnp.exe",
    "\u200b",
    "\x00\x07\x08",
    "&#27;[31m",
    "<script>alert(1)</script>",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(min_size=0, max_size=12)),
    min_size=1,
    max_size=6,
).map("".join)

# What must never be on the screen: C0 (but tab/newline), DEL, C1, bidi and zero-width marks.
UNSAFE_ON_SCREEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)


def seed(path: Path, feed_title: str, title: str, author: str, body: str, point: str) -> Library:
    store = Store(path)
    feed_id = store.subscriptions.add_feed(
        "https://example.org/feed.xml", title=None, tags=(), now=NOW
    )
    article = StoredArticle(
        guid="g1",
        url=f"https://example.org/{title[:20]}",
        title=title,
        author=author,
        published=NOW,
        content_hash="h",
        summary=body[:50],
        body=body,
        key_points=(point, point + " again"),
        key_points_origin="feed",
        words=len(body.split()),
        image_url=None,
        needs_page=False,
    )
    store.updates.apply_update(
        feed_id,
        title=feed_title,
        site_url=None,
        validators=Validators(),
        articles=[article],
        now=NOW,
    )
    return Library(store, offline=True, clock=lambda: NOW)


async def screen_text_after_opening(library: Library) -> tuple[str, bool]:
    app = ReaderTermApp(library, Config(), refresh_on_start=False, now=lambda: NOW)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark", "escape")
        await pilot.pause()
        lines = [
            "".join(segment.text for segment in strip)
            for strip in app.screen._compositor.render_strips()
        ]
        still_running = app.is_running
    return "\n".join(lines), still_running


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example starts the app
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    feed_title=hostile_text,
    title=hostile_text,
    author=hostile_text,
    body=hostile_text,
    point=hostile_text,
)
def test_hostile_text_is_shown_inert(
    feed_title: str,
    title: str,
    author: str,
    body: str,
    point: str,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        library = seed(Path(folder) / "rt.db", feed_title, title, author, body, point)
        try:
            screen, still_running = asyncio.run(screen_text_after_opening(library))
        finally:
            library.close()
    assert still_running, "a markup action ran"
    assert not UNSAFE_ON_SCREEN.search(screen), repr(UNSAFE_ON_SCREEN.findall(screen))
