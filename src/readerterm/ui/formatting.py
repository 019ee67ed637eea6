"""Small pure helpers that turn data into the short strings the panes show."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.cells import cell_len, set_cell_size

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


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` cells, with an ellipsis when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"
