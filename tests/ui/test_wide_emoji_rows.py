"""Issue 20: a list row holding an emoji with U+FE0F (variation selector 16) is as wide in
the terminal as the reader measures it.

Rich counts "☀️" (a one-cell character plus the selector) as two cells. Terminals
disagree: tmux 3.3, xterm and VTE draw one cell, kitty, WezTerm and iTerm2 two. Measured in
tmux 3.3a at 100 columns before the fix, the right border of a row holding n selectors
sat n cells left of the others. Rows now leave the selector out, so each such character
is one cell in Rich and in every terminal. `terminal_width` below is the width as tmux
3.3a draws a line (measured with `#{cursor_x}` after printing each sample): the selector
adds nothing, a zero-width joiner takes the next character into the same cells.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len, get_character_cell_size
from ui_app import make_app

from readerterm.library import Library
from readerterm.store import Store
from readerterm.ui.formatting import fit

SELECTOR = "\ufe0f"
SKIN_TONES = {chr(code) for code in range(0x1F3FB, 0x1F400)}
TITLES = [
    "☀️ Sunny weekend ahead for the coast",
    "❤️ Readers share their favourite recipes",
    "Keycap 1️⃣ and check ✔️ in one title",
    "☀️☀️☀️☀️☀️☀️ six suns",
    "Wide 😀 and starred ⭐️ stay wide",
    "Thumbs 👍🏽 up and a wave 👋🏿 from readers",
    "Plain title with no emoji at all here",
]


def terminal_width(text: str) -> int:
    total, index = 0, 0
    while index < len(text):
        character = text[index]
        if character == "\u200d":
            index += 2
            continue
        if character in SKIN_TONES:
            total += 2  # (tmux draws the modifier as an emoji of its own)
        elif character != SELECTOR:
            total += get_character_cell_size(character)
        index += 1
    return total


@pytest.mark.parametrize("title", TITLES)
@pytest.mark.parametrize("width", [8, 20, 60])
def test_fit_gives_a_width_rich_and_the_terminal_agree_on(title: str, width: int) -> None:
    cut = fit(title, width)

    assert SELECTOR not in cut and not SKIN_TONES & set(cut)
    assert cell_len(cut) == width
    assert terminal_width(cut) == width


def test_fit_keeps_the_emoji_that_are_wide_by_themselves() -> None:
    assert fit("😀 ⭐️", 6) == "😀 ⭐ "
    assert fit("👨\u200d👩\u200d👧 family", 9) == "👨\u200d👩\u200d👧 family"


@pytest.fixture
def emoji_library(tmp_path: Path) -> Library:
    library = Library(Store(tmp_path / "emoji.sqlite3"))
    feed = library.subscriptions.subscribe("https://emoji.test/feed.xml")
    items = "".join(
        f"<item><guid>{index}</guid><title>{title}</title>"
        f"<pubDate>Mon, 0{index + 1} Nov 2026 10:00:00 +0000</pubDate></item>"
        for index, title in enumerate(TITLES)
    )
    library.refresher.ingest_document(
        feed.id,
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Weather ☀️ news</title>{items}</channel></rss>"
        ).encode(),
    )
    return library


async def test_every_list_row_is_as_wide_in_the_terminal_as_the_pane(
    emoji_library: Library,
) -> None:
    app = make_app(emoji_library)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            articles = screen.article_list  # type: ignore[attr-defined]
            feeds = screen.query_one("FeedList")
            assert articles.row_count == len(TITLES)
            for widget, rows in ((articles, len(TITLES)), (feeds, 6)):
                width = widget.size.width
                lines = [widget.render_line(y).text for y in range(rows)]
                assert any("☀" in line for line in lines)
                for line in lines:
                    assert SELECTOR not in line, line
                    assert terminal_width(line) == width, (line, terminal_width(line), width)
    finally:
        emoji_library.close()


async def test_the_story_header_is_as_wide_in_the_terminal_as_the_pane(
    emoji_library: Library,
) -> None:
    """The same holds where a story is read: its title line in the reader pane."""
    app = make_app(emoji_library)
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            (article_id,) = [
                row.id
                for row in emoji_library.reading.article_rows(emoji_library.reading.article_ids())
                if "👍" in row.title
            ]
            screen.open_article(article_id)  # type: ignore[attr-defined]
            for _ in range(100):
                await pilot.pause(0.05)
                if screen.reader.article is not None:  # type: ignore[attr-defined]
                    break
            await pilot.pause()
            title_line = screen.query_one("#article-header").render_line(0).text
            assert "👍" in title_line, title_line
            assert not SKIN_TONES & set(title_line) and SELECTOR not in title_line
            # as wide as Textual laid it out, so the pane's border stays where it is
            assert terminal_width(title_line) == cell_len(title_line), title_line
    finally:
        emoji_library.close()
