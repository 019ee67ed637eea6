"""Issue 20: opening a story whose feed HTML nests 10,000 <div>s froze the reader for 40 s,
`q` included, and the next open paid again. The story opens at once (as plain text, with
a note), and `q` quits promptly."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pytest

from readerterm.config import Config
from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.store import Store
from readerterm.text import bounds
from readerterm.ui.app import ReaderTermApp
from readerterm.ui.widgets.reader import ReaderPane

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PROSE = "The council met on Tuesday and agreed to rebuild the harbour wall before winter."


def deep_story_library(database: Path) -> Library:
    html = "<div>" * 10_000 + f"<p>{PROSE}</p>" + "</div>" * 10_000
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title>'
        "<link>https://example.org/</link><item><guid>deep</guid><title>Deep story</title>"
        f"<link>https://example.org/deep</link><description>{escape(html)}</description>"
        "</item></channel></rss>"
    )
    library = Library(Store(database), offline=True, clock=lambda: NOW)
    added = library.subscriptions.subscribe("https://example.org/feed.xml")
    result = library.refresher.ingest_document(added.id, feed.encode())
    assert result.status is RefreshStatus.UPDATED, result.error
    return library


async def test_a_deeply_nested_story_opens_and_q_quits_promptly(tmp_path: Path) -> None:
    library = deep_story_library(tmp_path / "deep.db")
    (article_id,) = library.reading.article_ids()
    assert library.store.articles.unconverted_html(article_id) is not None
    app = ReaderTermApp(library, Config(), refresh_on_start=False, now=lambda: NOW)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.press("enter")
            reader = app.screen.query_one(ReaderPane)
            for _ in range(100):  # the conversion runs on a thread
                await pilot.pause(0.05)
                if reader.article is not None and PROSE in reader.article.body:
                    break
            assert reader.article is not None
            assert reader.article.body.startswith(bounds.PLAIN_TEXT_NOTE)
            assert PROSE in reader.article.body
            pressed = time.monotonic()
            await pilot.press("q")
            await pilot.pause()
        quit_in = time.monotonic() - pressed
        assert app.return_code == 0
        assert quit_in < 5.0  # (was 40 s and more: the conversion held the loop)
        # Converted once: the next open reads what was saved.
        assert library.store.articles.unconverted_html(article_id) is None
    finally:
        library.close()


async def test_a_body_drawn_as_the_app_closes_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`q` just as a story opened: the closing app let go of the screen while the body's
    Markdown was parsed on a thread, Textual's mount then raised MountError, and the
    reader's worker ended the app with a traceback (seen once in a loaded test run). The
    race is made certain here: the mount raises as it does then."""
    from textual.widget import MountError
    from textual.widgets import Markdown
    from textual.worker import WorkerState

    def closing(self: Markdown, markdown: str) -> None:
        raise MountError(f"Can't mount widget(s) before {self!r} is mounted")

    library = deep_story_library(tmp_path / "deep.db")
    app = ReaderTermApp(library, Config(), refresh_on_start=False, now=lambda: NOW)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            reader = app.screen.query_one(ReaderPane)
            reader._body_markdown()  # mounted (its own mount draws its empty text)
            await pilot.pause()
            monkeypatch.setattr(Markdown, "update", closing)
            monkeypatch.setattr(Markdown, "append", closing)
            drawing = reader._render_body(1, PROSE)
            await drawing.wait()
            assert drawing.state is WorkerState.SUCCESS
            reader._pending = [PROSE]
            reader.article = library.reading.article(1)
            appending = reader._append_chunk(1)
            await appending.wait()
            assert appending.state is WorkerState.SUCCESS
            await pilot.press("q")
        assert app.return_code == 0
    finally:
        library.close()
