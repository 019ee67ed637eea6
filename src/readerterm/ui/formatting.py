"""Small pure helpers that turn data into the short strings the panes show."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rich.cells import cell_len, set_cell_size

from ..text.safe import clean_line, clean_text

WORDS_PER_MINUTE = 230


def as_utc(moment: datetime) -> datetime:
    """Treat a naive datetime as UTC (the store keeps UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def age(published: datetime | None, now: datetime) -> str:
    """A compact age: `now`, `5m`, `3h`, `2d`, `7w`, `3y`; empty when unknown."""
    if published is None:
        return ""
    seconds = (as_utc(now) - as_utc(published)).total_seconds()
    if seconds < 60:
        return "now"
    for unit, size in (("y", 365 * 86400), ("w", 7 * 86400), ("d", 86400), ("h", 3600)):
        if seconds >= size * (2 if unit == "w" else 1):
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds // 60)}m"


def stories(count: int) -> str:
    """ "1 story", "2 stories"."""
    return f"{count} {'story' if count == 1 else 'stories'}"


def reading_time(words: int) -> str:
    """Minutes to read `words` at about 230 words a minute."""
    if words <= 0:
        return ""
    minutes = max(1, round(words / WORDS_PER_MINUTE))
    return f"{minutes} min read"


def long_date(published: datetime | None) -> str:
    """A date for the reader header, in local time."""
    if published is None:
        return ""
    return as_utc(published).astimezone().strftime("%a %d %b %Y %H:%M")


EMOJI_PRESENTATION = "\ufe0f"
"""Variation selector 16: asks for the emoji form of the character before it."""
_SKIN_TONES = re.compile("[\U0001f3fb-\U0001f3ff]")


def steady_width(text: str) -> str:
    """`text` without the emoji presentation selector, so that every terminal draws it as
    wide as Rich measures it.

    The selector follows characters that are one cell wide by default (U+2600 sun, U+2764
    heart, digits of keycaps). Rich counts the pair as two cells; tmux 3.3, xterm and VTE
    draw one, kitty, WezTerm, Ghostty and iTerm2 draw two: a row holding one was a cell off
    in one kind of terminal or the other, pushing the pane's right border. Without it, the
    character is one cell in Rich and in every terminal (drawn in its text form where the
    terminal has one). Emoji that are wide by themselves stay wide; zero-width joiners are
    kept, as Rich and tmux both draw a joined sequence in the first character's cells.

    Skin-tone modifiers (U+1F3FB-U+1F3FF) go for the same reason: Rich counts "👍🏽" as two
    cells, tmux 3.3 draws four (the modifier as an emoji of its own); without it the hand is
    two cells everywhere."""
    if text.isascii():
        return text
    return _SKIN_TONES.sub("", text.replace(EMOJI_PRESENTATION, ""))


def shown_line(text: str | None) -> str:
    """Outside text (a feed's, a page's, a server's) as the reader shows it on one line:
    cleaned as feed text is, without the characters terminals draw at different widths."""
    return steady_width(clean_line(text))


def shown_text(text: str | None) -> str:
    """The same for text of several lines (a story's body)."""
    return steady_width(clean_text(text or ""))


def fit(text: str, width: int, *, at_word: bool = False) -> str:
    """`text` cut or padded to exactly `width` cells, with an ellipsis when cut; the width
    is the one terminals agree on (see `steady_width`). With `at_word` (a name), the cut
    falls between words when that keeps half the width: "Harbour…", not "Harbour Le…"."""
    if width <= 0:
        return ""
    text = steady_width(text)
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    cut = set_cell_size(text, width - 1)
    if at_word:
        space = cut.rfind(" ")
        words = (cut[:space] if space > 0 else cut).rstrip(_NAME_JOINERS)
        if words and cell_len(words) >= width // 2:
            return set_cell_size(words + "…", width)
    return cut + "…"


_NAME_JOINERS = " :;,·&/|—–-"
"""What a name cut between words does not end on: "Tideline:…", "Climate &…"."""
