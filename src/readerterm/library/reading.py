"""Listing, searching and opening articles, and triage with undo."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import StoreError, UsageError
from ..models import Article, ArticleFilter, ArticleRow, Extracted, Feed, Flag
from ..store import Store
from ..text.safe import clean_line
from .query import ParsedQuery, parse_query
from .results import Change, TagChange
from .writer import StoreWriter

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Overview:
    """What the reader re-reads after a change: feeds with counts, the total unread count
    and that of each view asked for, and the ids of the list on show (None when not asked
    for)."""

    feeds: list[Feed]
    total_unread: int
    view_unread: dict[str, int]
    """View name -> how many stories it shows (each view was asked for unread ones)."""
    ids: list[int] | None
    story_tags: dict[str, int] = field(default_factory=dict)
    """Tags the reader gave stories (`T`) and no feed has -> the unread stories each
    lists."""


Triaged = Callable[[Change, bool], None]
"""Told of every triage change as it is written (`undone` True when it is being undone)."""


class Reading:
    """Views, search, opening a story, and triage: every decision is written at once and
    can be undone, step by step, for the whole session."""

    def __init__(self, store: Store, writer: StoreWriter) -> None:
        self._store = store
        self._writer = writer
        self._undo: list[Change | TagChange] = []
        """Triage and tag changes of this session, newest last."""
        self._with_previous: list[bool] = []
        """For each undo step, whether it is taken back together with the one before it
        (join_last: a triage decision that set two states is one step)."""
        self._listeners: list[Triaged] = []

    def on_triage(self, listener: Triaged) -> None:
        """Call `listener` with every change written from now on (sync queues them)."""
        self._listeners.append(listener)

    # -- views --------------------------------------------------------------------------

    def article_ids(
        self,
        *,
        feed_id: int | None = None,
        unread_only: bool = False,
        starred_only: bool = False,
        search: str | None = None,
    ) -> list[int]:
        """Ids in display order (newest first); a list widget pages rows by id.
        `search` takes the query syntax of `parse_query` (free words, feed:, is: ...)."""
        view = ArticleFilter(feed_id=feed_id, unread=unread_only, starred=starred_only)
        if search and search.strip():
            view = parse_query(search, base=view).view
        return self._store.views.query_ids(view)

    def query(self, view: ArticleFilter) -> list[int]:
        """Ids of the articles a view shows, in its order."""
        return self._store.views.query_ids(view)

    def overview(
        self,
        counted: Mapping[str, ArticleFilter],
        view: ArticleFilter | None = None,
        *,
        store: Store | None = None,
    ) -> Overview:
        """Feeds and counts, of the feeds and of each view `counted` names (and the ids of
        `view`), read in one go."""
        store = store or self._store
        feeds = store.subscriptions.feeds()
        # Tags given to stories only (a feed's tag is counted as its feeds): once each,
        # whatever their case, as the tag filter reads them.
        seen = {tag.casefold() for feed in feeds for tag in feed.tags or ()}
        story_tags = {}
        for tag in store.articles.story_tag_names():
            if tag.casefold() not in seen:
                seen.add(tag.casefold())
                unread = ArticleFilter(tag=tag, unread=True)
                story_tags[tag] = len(store.views.query_ids(unread))
        return Overview(
            feeds=feeds,
            total_unread=store.subscriptions.total_unread(),
            view_unread={name: len(store.views.query_ids(f)) for name, f in counted.items()},
            ids=store.views.query_ids(view) if view is not None else None,
            story_tags=story_tags,
        )

    async def overview_off_loop(
        self, counted: Mapping[str, ArticleFilter], view: ArticleFilter | None = None
    ) -> Overview:
        """`overview` read on the writer's thread, for a reader that must not stall while
        a refresh streams in (reading 100,000 ids takes ~50 ms). It waits behind the
        writes queued before it, so it sees them."""
        return await self._writer.run(lambda store: self.overview(counted, view, store=store))

    def search(self, text: str, *, base: ArticleFilter | None = None) -> ParsedQuery:
        """Parse a search as typed (the result says what could not be understood)."""
        return parse_query(text, base=base)

    def search_pending(self, *, stale: bool = False) -> int:
        """How many stored articles a search cannot find yet (being indexed); with
        `stale`, also those indexed the old way, which a search in ASCII finds as well."""
        search = self._store.search
        return search.pending_search_count() + (search.stale_count() if stale else 0)

    def article_rows(self, ids: Sequence[int]) -> list[ArticleRow]:
        return self._store.articles.article_rows(ids)

    def first_unread(self, ids: Sequence[int]) -> int | None:
        """The first id of `ids` (in that order) that is unread, or None."""
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            flags = self._store.articles.flags(chunk, "read")
            for article_id in chunk:
                if flags.get(article_id) is False:
                    return article_id
        return None

    # -- one story ----------------------------------------------------------------------

    def stored_article(self, article_id: int) -> Article:
        """The article as stored, never converted here: key points only once it has been
        opened (or its page extracted), a plain-text body until then. For listings of
        many articles (`articles --json`), where converting each would cost ~10 ms and a
        write."""
        article = self._store.articles.article(article_id)
        if article is None:
            raise UsageError(f"no article with id {article_id}")
        return article

    def article(self, article_id: int) -> Article:
        """The full article. One still holding its feed HTML is converted to markdown and
        key points now (about 10 ms) and saved, so it is done once and reads offline."""
        article, html = self._unconverted(article_id)
        if html is None:
            return article
        return self._converted(article, _convert(html, article.url, article.title))

    async def open_article(self, article_id: int) -> Article:
        """`article` for the reader: the conversion runs on a thread, so the event loop
        goes on drawing and taking keys while a long or hostile story converts."""
        article, html = self._unconverted(article_id)
        if html is None:
            return article
        converted = await asyncio.to_thread(_convert, html, article.url, article.title)
        return self._converted(article, converted)

    def stored_story(self, url: str) -> tuple[str | None, Extracted] | None:
        """The stored story whose link is `url`, as `extract` gives a page: (its link, its
        text, key points and metadata); None when no stored story has that link."""
        article_id = self._store.articles.article_id_by_url(url)
        if article_id is None:
            return None
        article = self.article(article_id)
        return article.url, Extracted(
            body=article.body,
            key_points=article.key_points,
            key_points_origin=article.key_points_origin,
            title=article.title,
            author=article.author,
            published=article.published,
            image_url=article.image_url,
        )

    def _unconverted(self, article_id: int) -> tuple[Article, str | None]:
        html = self._store.articles.unconverted_html(article_id)
        # Its plain text is not made when the HTML is about to be converted.
        article = self._store.articles.article(article_id, make_body=html is None)
        if article is None:
            raise UsageError(f"no article with id {article_id}")
        return article, html

    def _converted(self, article: Article, converted: Extracted | None) -> Article:
        if converted is None:
            # A document the converter cannot take keeps its plain text, saved like a
            # conversion so that the next open does not pay for the failure again.
            article = self._store.articles.article(article.id) or article
            converted = Extracted(article.body, (), article.key_points_origin)
        shown = dataclasses.replace(
            article,
            body=converted.body,
            key_points=converted.key_points,
            key_points_origin=converted.key_points_origin,
            words=converted.words,
        )
        # Saving is a cache: a full or read-only disk must not stop the reading.
        with contextlib.suppress(StoreError):
            self._store.articles.save_conversion(
                article.id,
                body=converted.body,
                key_points=converted.key_points,
                key_points_origin=converted.key_points_origin,
                words=converted.words,
            )
        return shown

    # -- triage -------------------------------------------------------------------------

    def set_flag(self, ids: Sequence[int], flag: Flag, value: bool) -> Change | None:
        """Set a state on articles; returns the undoable change (None if nothing changed)."""
        before = self._store.articles.flags_and_identities(ids, flag)
        changed = {i: old for i, (old, _) in before.items() if old is not value}
        if not changed:
            return None
        self._store.articles.set_flag(list(changed), flag, value)
        identities = {i: before[i][1] for i in changed}
        change = Change(flag=flag, value=value, before=changed, identities=identities)
        self._undo.append(change)
        self._with_previous.append(False)
        self._tell(change, undone=False)
        return change

    def join_last(self, count: int) -> None:
        """Make the last `count` changes one undo step: u takes them back together."""
        for back in range(1, min(count, len(self._undo))):
            self._with_previous[-back] = True

    def toggle(self, article_id: int, flag: Flag) -> bool:
        """Flip one state of one article; returns the new value."""
        value = not self._store.articles.flags([article_id], flag).get(article_id, False)
        self.set_flag([article_id], flag, value)
        return value

    def set_read(self, article_id: int, read: bool) -> None:
        self.set_flag([article_id], "read", read)

    def set_starred(self, article_id: int, starred: bool) -> None:
        self.set_flag([article_id], "starred", starred)

    def mark_read(self, ids: Sequence[int]) -> Change | None:
        """Mark many articles read at once (one undo step)."""
        return self.set_flag(ids, "read", True)

    def undo(self) -> Change | TagChange | None:
        """Put back the states (or tags) the last change replaced; None when there is
        nothing to undo."""
        while self._undo:
            change = self._undo[-1]
            if isinstance(change, TagChange):
                self._undo_tags(change)
                self._undo.pop()
                self._with_previous.pop()
                return change
            # Only the articles still there: a feed removed (by another process too) frees
            # ids a new feed's articles may take.
            now = self._store.articles.identities(list(change.before))
            still = {
                i: v for i, v in change.before.items() if now.get(i) == change.identities.get(i)
            }
            self._store.articles.restore_flags(still, change.flag)
            self._undo.pop()  # (only once it is undone: a refused write keeps the step)
            together = self._with_previous.pop()
            self._tell(change, undone=True)
            if not together:
                return change  # (of a joined step, the first: what the decision was)
        return None

    def set_article_tags(self, article_id: int, tags: Sequence[str]) -> TagChange | None:
        """Replace a story's tags; returns the undoable change (None if they were those)."""
        before = self._store.articles.article_tags(article_id)
        after = tuple(sorted(set(clean_tags(tags))))
        if after == before:
            return None
        identity = self._store.articles.identities([article_id]).get(article_id)
        self._store.articles.set_article_tags(article_id, after)
        change = TagChange(article_id, before, after, identity)
        self._undo.append(change)
        self._with_previous.append(False)
        return change

    def _undo_tags(self, change: TagChange) -> None:
        """Put a story's tags back, if it is still the story tagged (see `undo`)."""
        now = self._store.articles.identities([change.article_id]).get(change.article_id)
        if now is not None and now == change.identity:
            self._store.articles.set_article_tags(change.article_id, change.before)

    def _tell(self, change: Change, *, undone: bool) -> None:
        for listener in self._listeners:
            listener(change, undone)


def _convert(html: str, url: str | None, title: str) -> Extracted | None:
    """Feed HTML to markdown and key points; None when the document defeats the converter
    (a hostile document must not make the article unreadable)."""
    from ..text import extract

    try:
        return extract.from_feed_html(html, base_url=url, title=title)
    except Exception:
        log.exception("converting an article's HTML failed")
        return None


def clean_tags(tags: Sequence[str]) -> list[str]:
    return [tag for tag in (clean_line(t) for t in tags) if tag]
