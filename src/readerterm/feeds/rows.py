"""What the update step hands the store for one feed document: the rows to write.

A refresh makes these in its worker processes and the reader's process takes them back,
so they live apart from both sides' heavier modules: a worker need not load the store
(sqlite3) nor the reader the parsers (lxml) only to name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from ..models import KeyPointsOrigin

MAX_TITLE = 1000
"""Characters of an article's title or a feed's name stored at most (a feed can send a
5 MB title: it would be one 5 MB line in every list)."""
MAX_AUTHOR = 300


def shortened(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters; else cut at a word (where there is one in
    its last part) and ended with an ellipsis, `limit` characters at most."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:  # no word break near the end (CJK, one long token): cut there
        cut = cut[:space]
    return cut.rstrip() + "…"


class StoredArticle(NamedTuple):
    """What the update step writes for one article (new or changed).

    A named tuple rather than a frozen dataclass: a cold refresh of 300 feeds makes 15,000
    in its workers and the reader's process takes each back from a pickle, where a frozen
    dataclass sets every field through object.__setattr__ (~4 us an article, against ~1).
    """

    guid: str
    url: str | None
    title: str
    author: str | None
    published: datetime | None
    content_hash: str
    summary: str
    body: str
    key_points: tuple[str, ...]
    key_points_origin: KeyPointsOrigin
    words: int
    image_url: str | None
    needs_page: bool
    previous_guid: str | None = None
    """Set when the feed re-issued a known article under a new guid (matched by URL)."""
    filtered: bool = False
    """A filter rule of the config hides this article (it can still be shown)."""
    enclosures: tuple[str, ...] = ()
    feed_html: str | None = None
    """The feed's HTML, kept until the article is first opened and converted; until then
    there are no key points, and the body is its plain text (made when wanted, see
    `body_pending`, where the feed carries a full story)."""
    body_pending: bool = False
    """`body` and `words` are made from `feed_html` when wanted (`plain_body`: by the search
    indexing, and when the article is read) rather than stored twice."""
    summary_html: str | None = None
    """The feed's summary HTML, when `summary` is left empty to be made from it when
    wanted (`made_summary`: by the search indexing, and when the article is read)."""
    categories: tuple[str, ...] = ()
    """The publisher's categories (stored as a small JSON list with the article)."""


@dataclass(frozen=True, slots=True)
class PreparedUpdate:
    """What a parsed feed document changes (readerterm.feeds.update makes it, off the event
    loop, often in a worker process)."""

    title: str
    site_url: str | None
    articles: tuple[StoredArticle, ...]
    """Only the articles that are new or changed."""
    seen: int
    """How many articles the document held."""
    guids: tuple[str, ...] = ()
    """Every guid in the document: what retention must never delete."""


@dataclass(frozen=True, slots=True)
class KnownArticle:
    guid: str
    url: str | None
    content_hash: str
    title: str = ""
    """As stored (shortened): a story whose guid changed is the same story only under the
    same title."""
