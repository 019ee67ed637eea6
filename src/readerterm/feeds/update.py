"""Pure decisions between parsing and storing: what is new, what changed, what to write.

`prepare_update` runs off the event loop (it parses and converts HTML), so it takes
everything it needs as arguments and touches neither the network nor the database.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..errors import FetchError, ParseError
from ..models import Extracted, KeyPointsOrigin, ParsedArticle, ParsedFeed
from ..net import inflate
from ..text import htmltext
from .parse import parse_feed
from .rows import MAX_AUTHOR, MAX_TITLE, KnownArticle, PreparedUpdate, StoredArticle, shortened

if TYPE_CHECKING:
    from ..config import FilterRule

FUTURE_TOLERANCE = timedelta(hours=1)
"""A date further ahead than this is clamped to now, so it cannot sit on top forever."""
EARLIEST_DATE = datetime(1995, 1, 1).astimezone()
"""Dates before web feeds existed are treated as unknown."""


def prepare_update(
    content: bytes,
    *,
    url: str,
    headers: Mapping[str, str] | None,
    known: Sequence[KnownArticle],
    now: datetime,
    filters: Sequence[FilterRule] = (),
    feed_title: str | None = None,
    content_encoding: str = "",
    max_bytes: int = inflate.MAX_BODY_BYTES,
) -> PreparedUpdate:
    """Parse a feed document and build the rows to write. Raises ParseError.

    `content` may still be gzip or deflate (`content_encoding`, as the fetch left it): it
    is decoded first, at most `max_bytes` of it.
    """
    if content_encoding:
        try:
            content = inflate.decode(content, content_encoding, max_bytes)
        except FetchError as error:
            raise ParseError(str(error)) from None
    parsed = parse_feed(content, url=url, headers=headers)
    return plan(parsed, known=known, now=now, filters=filters, feed_title=feed_title)


def plan(
    parsed: ParsedFeed,
    *,
    known: Sequence[KnownArticle],
    now: datetime,
    filters: Sequence[FilterRule] = (),
    feed_title: str | None = None,
) -> PreparedUpdate:
    """Decide which parsed articles to write; new ones matching a filter rule are hidden.
    Titles, names and authors are stored shortened to MAX_TITLE / MAX_AUTHOR characters
    (a refresh and a sync both store through here)."""
    title_for_filters = feed_title or parsed.title
    by_guid = {article.guid: article for article in known}
    # A link identifies an article only when exactly one stored article and exactly one
    # entry of the document have it (feeds whose items all link to a homepage exist).
    known_links = Counter(a.url for a in known if a.url)
    document_links = Counter(a.url for a in parsed.articles if a.url)
    by_url = {
        a.url: a
        for a in known
        if a.url and known_links[a.url] == 1 and document_links.get(a.url, 0) == 1
    }
    guids_in_document = {article.guid for article in parsed.articles}

    changed: list[StoredArticle] = []
    for article in parsed.articles:
        digest = content_hash(article)
        previous_guid = None
        match = by_guid.get(article.guid)
        if match is None and article.url:
            # A feed that re-issues its guids: same link and title, old guid gone from the
            # document. (A digest whose every issue links to one page has the link only:
            # its next issue is a new story, not the starred last one rewritten.)
            candidate = by_url.get(article.url)
            if (
                candidate is not None
                and candidate.guid not in guids_in_document
                and _same_title(candidate.title, article.title)
            ):
                match = candidate
                previous_guid = candidate.guid
                by_url.pop(article.url)
        if match is not None and match.content_hash == digest and previous_guid is None:
            continue
        hidden = match is None and any(
            rule.hides(article.title, title_for_filters) for rule in filters
        )
        changed.append(_stored(article, digest, previous_guid, now, hidden))
    return PreparedUpdate(
        title=shortened(parsed.title, MAX_TITLE),
        site_url=parsed.site_url,
        articles=tuple(changed),
        seen=len(parsed.articles),
        guids=tuple(article.guid for article in parsed.articles),
    )


def _same_title(stored: str, parsed: str) -> bool:
    """`parsed` is the title `stored` was stored from (an unknown stored title counts)."""
    return not stored or stored.casefold() == shortened(parsed, MAX_TITLE).casefold()


def content_hash(article: ParsedArticle) -> str:
    fields: tuple[str, ...] = (
        article.title,
        article.url or "",
        article.author or "",
        article.summary_html,
        article.content_html,
    )
    if article.categories:
        # (only when there are some: a story without keeps the hash it always had, and one
        # stored before categories were kept is written again, with them, once)
        fields += ("\x1e".join(article.categories),)
    return hashlib.sha1("\x1f".join(fields).encode("utf-8", "replace")).hexdigest()


def clamp_date(published: datetime | None, now: datetime) -> datetime | None:
    if published is None or published < EARLIEST_DATE:
        return None
    return min(published, now) if published > now + FUTURE_TOLERANCE else published


def _stored(
    article: ParsedArticle,
    digest: str,
    previous_guid: str | None,
    now: datetime,
    hidden: bool,
) -> StoredArticle:
    """The row for one article. Its HTML is kept for conversion to markdown and key points
    when it is first opened (see Library.article). A refresh makes only cheap plain text:
    the body when the summary is all the feed has, and its summary. A full story's plain
    text is made from its HTML when wanted (`body_pending`: for search, for reading), and
    so is its summary where the feed gives one (`summary_html`)."""
    summary_html = None
    if article.content_html:
        start, teaser = htmltext.glance(article.content_html)
        if article.summary_html.strip():
            # Made when wanted (store.made_summary), from the feed's own summary.
            summary, summary_html = "", article.summary_html
        else:
            summary = htmltext.summary_of(start)
        body, words, pending = "", 0, True
    else:
        body, words = htmltext.text_and_words(article.summary_html)
        summary, pending = htmltext.summary_of(body), False
        teaser = htmltext.needs_page(body, words)
    return StoredArticle(
        guid=article.guid,
        url=article.url,
        title=shortened(article.title, MAX_TITLE),
        author=shortened(article.author, MAX_AUTHOR) if article.author else article.author,
        published=clamp_date(article.published, now),
        content_hash=digest,
        summary=summary,
        body=body,
        key_points=(),
        key_points_origin="",
        words=words,
        image_url=article.image_url,
        enclosures=article.enclosures,
        needs_page=teaser,
        previous_guid=previous_guid,
        filtered=hidden,
        feed_html=(article.content_html or article.summary_html) or None,
        body_pending=pending,
        summary_html=summary_html,
        categories=article.categories,
    )


@dataclass(frozen=True, slots=True)
class ChosenText:
    body: str
    key_points: tuple[str, ...]
    key_points_origin: KeyPointsOrigin
    words: int


def choose_text(
    feed_body: str,
    feed_points: tuple[str, ...],
    feed_origin: KeyPointsOrigin,
    page: Extracted,
) -> ChosenText:
    """Pick between the feed's text and the page's: the page wins when it has more to say.

    The publisher's own key points win over generated ones, from whichever source has them.
    """
    feed_words = len(feed_body.split())
    use_page = page.words >= max(40, feed_words)
    body, words = (page.body, page.words) if use_page else (feed_body, feed_words)
    origin: KeyPointsOrigin
    if page.key_points_origin == "page":
        points, origin = page.key_points, page.key_points_origin
    elif feed_origin == "feed" or not use_page:
        points, origin = feed_points, feed_origin
    else:
        points, origin = page.key_points, page.key_points_origin
    return ChosenText(body=body, key_points=points, key_points_origin=origin, words=words)
