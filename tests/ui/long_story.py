"""A reader over a story long enough to be drawn in chunks, with three key points (for
the tests of the reader's keys and of a short pane where the column scrolls)."""

from __future__ import annotations

from dataclasses import replace

from fake_library import BigFakeLibrary
from seeding import NOW

from readerterm.config import Config
from readerterm.models import Article
from readerterm.ui.app import ReaderTermApp

POINTS = tuple(f"Point {n} of the long story, which goes on for a while." for n in (1, 2, 3))


def long_story(parts: int) -> str:
    """A markdown body of `parts` headed sections of 30 sentences each."""
    return "\n\n".join(
        f"## Part {i}\n\n" + "A sentence of the long story. " * 30 for i in range(parts)
    )


def long_story_app(body: str) -> ReaderTermApp:
    """The app over ten stories, each with `body` and POINTS from its feed."""

    class LongLibrary(BigFakeLibrary):
        def article(self, article_id: int) -> Article:
            return replace(
                super().article(article_id),
                body=body,
                words=len(body.split()),
                key_points=POINTS,
                key_points_origin="feed",
            )

    return ReaderTermApp(LongLibrary(10), Config(), refresh_on_start=False, now=lambda: NOW)  # type: ignore[arg-type]
