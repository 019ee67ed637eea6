"""The search syntax: `feed:NAME tag:NAME is:unread|starred|later after:DATE before:DATE`
plus free words, turned into an ArticleFilter. Never raises: what it cannot use is
explained in `problems` and otherwise ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from ..models import ArticleFilter
from ..text.safe import clean_line

_TOKEN = re.compile(r'(\w+):("[^"]*"?|\S*)|("[^"]*"?)|(\S+)')


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    view: ArticleFilter
    problems: tuple[str, ...] = ()


def parse_query(text: str, *, base: ArticleFilter | None = None) -> ParsedQuery:
    """Apply a typed query on top of `base` (the view the search starts from)."""
    view = base or ArticleFilter()
    text = clean_line(text)
    words: list[str] = []
    problems: list[str] = []
    for match in _TOKEN.finditer(text):
        key, value, quoted, word = match.groups()
        if quoted is not None:
            words.append(quoted.strip('"'))
            continue
        if word is not None:
            words.append(word)
            continue
        name, value = key.lower(), value.strip('"')
        if name in ("feed", "tag") and not value:
            problems.append(f"{name}: needs a name, e.g. {name}:news")
        elif name == "feed":
            view = replace(view, feed_name=value)
        elif name == "tag":
            view = replace(view, tag=value)
        elif name == "is":
            state = value.lower()
            if state == "unread":
                view = replace(view, unread=True)
            elif state == "starred":
                view = replace(view, starred=True)
            elif state == "later":
                view = replace(view, later=True)
            else:
                problems.append(f"is:{value} is not a state; use is:unread, is:starred or is:later")
        elif name in ("after", "before"):
            moment = _date(value)
            if moment is None:
                problems.append(f"{name}:{value} is not a date; write {name}:2026-11-01")
            elif name == "after":
                view = replace(view, after=moment)
            else:
                view = replace(view, before=moment)
        else:
            words.append(match.group(0))
    return ParsedQuery(replace(view, words=" ".join(words)), tuple(problems))


def _date(value: str) -> datetime | None:
    today = date.today()
    named = {"today": today, "yesterday": today - timedelta(days=1)}
    try:
        day = named.get(value.lower()) or date.fromisoformat(value)
    except ValueError:
        return None
    return datetime.combine(day, time()).astimezone()
