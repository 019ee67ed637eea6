"""A long body is split at paragraphs and drawn in chunks as the reader scrolls to them,
every character kept. Moved out of test_main_screen.py, which tests reading on the main
screen."""

from __future__ import annotations


def test_split_body_keeps_every_character_and_cuts_at_paragraphs() -> None:
    from readerterm.ui.widgets.reader import split_body

    body = "\n\n".join(f"Paragraph {i} " + "word " * 50 for i in range(100))
    chunks = split_body(body, 1_000)
    assert "".join(chunks) == body
    assert len(chunks) > 5
    assert all(chunk.startswith("\n\n") for chunk in chunks[1:])
    assert split_body("short") == ["short"]


async def test_long_body_is_rendered_in_chunks_as_the_reader_scrolls() -> None:
    from dataclasses import replace

    from fake_library import BigFakeLibrary
    from seeding import NOW
    from textual.widgets import Markdown

    from readerterm.config import Config
    from readerterm.models import Article
    from readerterm.text.safe import clean_text
    from readerterm.ui.app import ReaderTermApp

    body = "\n\n".join(
        f"## Part {i}\n\n" + "A sentence of the long story. " * 30 for i in range(120)
    )

    class LongLibrary(BigFakeLibrary):
        def article(self, article_id: int) -> Article:
            return replace(super().article(article_id), body=body, words=len(body.split()))

    app = ReaderTermApp(LongLibrary(10), Config(), refresh_on_start=False, now=lambda: NOW)  # type: ignore[arg-type]
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        markdown = app.screen.query_one("#article-markdown", Markdown)
        # Only what is near the screen is rendered at first; the rest follows the scroll.
        assert len(markdown.source) < len(body)
        reader_body = app.screen.query_one("#article-body")
        expected = clean_text(body)  # the reader shows bodies cleaned for the terminal
        for _ in range(300):
            if markdown.source == expected and len(markdown.children) >= 240:
                break
            reader_body.scroll_end(animate=False)
            await pilot.pause(0.02)
        assert markdown.source == expected
        assert len(markdown.children) == 240  # 120 headings + 120 paragraphs, none twice
