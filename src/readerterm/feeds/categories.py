"""The publisher's categories of a story, as every feed format gives them."""

from __future__ import annotations

from collections.abc import Mapping

from ..text.safe import clean_line

MAX_CATEGORIES = 20
MAX_CATEGORY_CHARACTERS = 100


def categories(tags: object) -> tuple[str, ...]:
    """The terms of an entry's tags (feedparser's `entry.tags`: RSS and Atom category,
    dc:subject, media and iTunes keywords; JSON Feed tags as terms), cleaned, each once
    whatever its case, at most MAX_CATEGORIES."""
    if not isinstance(tags, list):
        return ()
    found: dict[str, str] = {}
    for tag in tags:
        term = tag.get("term") if isinstance(tag, Mapping) else None
        if not isinstance(term, str):
            continue
        text = clean_line(term)[:MAX_CATEGORY_CHARACTERS].strip()
        if text:
            found.setdefault(text.casefold(), text)
        if len(found) == MAX_CATEGORIES:
            break
    return tuple(found.values())
