"""What the feed pane lists, as plain data: the fixed views, saved searches, tags (each
followed by its feeds) and untagged feeds. Each entry knows the ArticleFilter it shows.

No Textual here: the screen builds the entries, the feed pane only draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Literal

from ..library.query import parse_query
from ..models import ArticleFilter, Feed
from .formatting import shown_line

EntryKind = Literal["view", "search", "tag", "feed"]

VIEW_TITLES = {
    "all": "All articles",
    "unread": "Unread",
    "starred": "Starred",
    "later": "Later",
    "today": "Today",
}


@dataclass(frozen=True, slots=True)
class PaneEntry:
    """One row of the feed pane."""

    kind: EntryKind
    key: str
    """Stable identity: the view name, `search:NAME`, `tag:NAME` or `feed:ID[:TAG]`."""
    title: str
    unread: int | None = None
    """The count shown on the right; None shows none."""
    feed_id: int | None = None
    error: bool = False
    indent: int = 0


def start_of_day(now: datetime) -> datetime:
    """Local midnight of the day `now` falls on."""
    local = now.astimezone()
    return datetime.combine(local.date(), time(), tzinfo=local.tzinfo)


def view_filter(name: str, now: datetime) -> ArticleFilter:
    """The filter of a fixed view (`all`, `unread`, `starred`, `later`, `today`)."""
    if name == "unread":
        return ArticleFilter(unread=True)
    if name == "starred":
        return ArticleFilter(starred=True)
    if name == "later":
        return ArticleFilter(later=True)
    if name == "today":
        return ArticleFilter(after=start_of_day(now))
    return ArticleFilter()


def counted_views(now: datetime) -> dict[str, ArticleFilter]:
    """The fixed views whose unread stories the feed pane counts (beside All and Unread,
    which show the total)."""
    return {
        name: replace(view_filter(name, now), unread=True) for name in ("starred", "later", "today")
    }


def entry_filter(
    entry: PaneEntry, searches: Mapping[str, str], now: datetime
) -> tuple[ArticleFilter, tuple[str, ...]]:
    """The filter an entry shows, and any problems with a saved search's query."""
    if entry.kind == "view":
        return view_filter(entry.key, now), ()
    if entry.kind == "tag":
        return ArticleFilter(tag=entry.key.removeprefix("tag:")), ()
    if entry.kind == "feed":
        return ArticleFilter(feed_id=entry.feed_id), ()
    parsed = parse_query(searches.get(entry.key.removeprefix("search:"), ""))
    return parsed.view, parsed.problems


def build_entries(
    feeds: Sequence[Feed],
    searches: Mapping[str, str],
    view_counts: Mapping[str, int],
    story_tags: Mapping[str, int] | None = None,
) -> list[PaneEntry]:
    """Views, saved searches, then each tag followed by its feeds, then untagged feeds.
    A tag the reader gave stories and no feed has (`story_tags`: tag -> unread stories)
    is listed among the feeds' tags, with no feeds under it."""
    entries = [
        PaneEntry("view", name, title, view_counts.get(name)) for name, title in VIEW_TITLES.items()
    ]
    for name in searches:
        entries.append(PaneEntry("search", f"search:{name}", shown_line(name) or "(search)"))
    tags: dict[str, list[Feed]] = {}
    untagged: list[Feed] = []
    for feed in feeds:
        for tag in feed.tags or ():
            tags.setdefault(tag, []).append(feed)
        if not feed.tags:
            untagged.append(feed)
    story_only = {tag: n for tag, n in (story_tags or {}).items() if shown_line(tag)}
    for tag in sorted([*tags, *story_only], key=str.casefold):
        members = tags.get(tag, [])
        unread = sum(feed.unread for feed in members) if members else story_only[tag]
        entries.append(PaneEntry("tag", f"tag:{tag}", shown_line(tag), unread))
        entries.extend(_feed_entry(feed, indent=1, group=tag) for feed in members)
    entries.extend(_feed_entry(feed) for feed in untagged)
    return entries


def _feed_entry(feed: Feed, *, indent: int = 0, group: str = "") -> PaneEntry:
    title = shown_line(feed.title) or shown_line(feed.url)
    key = f"feed:{feed.id}:{group}" if group else f"feed:{feed.id}"
    failed = feed.error is not None
    return PaneEntry("feed", key, title, feed.unread, feed_id=feed.id, error=failed, indent=indent)


def empty_text(
    view: ArticleFilter,
    *,
    searching: bool,
    has_feeds: bool,
    key: Callable[[str], str],
    has_stories: bool = True,
    kind: str = "view",
    offline: bool = False,
    syncing: bool = False,
) -> str:
    """What an empty list says about itself: which list it is and the key that fills it.
    `key(action)` names the key bound to an action now (the user may have remapped it);
    `kind` is the kind of feed-pane entry on show ("view", "search", "tag", "feed").
    With no stories at all, every list says so (not "every story is read"). Offline, no
    key fetches stories, so none is offered. With sync on (`syncing`), the feeds come
    from the server: before the first sync the key that syncs is the one to press."""
    every_feed = f"{key('refresh_all')} refreshes every feed"
    if searching:
        return f"No stories match this search ({key('close_search')} closes it)."
    if not has_feeds and syncing and not offline:
        return f"No feeds yet: {key('refresh_all')} syncs with your server."
    if not has_feeds:
        return f"No feeds yet: {key('add_feed')} adds one, `readerterm add URL` too."
    if not has_stories:
        what, refresh = "No stories yet", every_feed
    elif kind == "search":  # whatever it asks for (is:starred, after: ...)
        return "No stories match this saved search."
    elif view.starred:
        return f"No starred stories: {key('toggle_star')} stars the one under the cursor."
    elif view.later:
        return f"Nothing on the Later list: {key('toggle_later')} puts a story there."
    elif view.after is not None:
        what, refresh = "No stories from today yet", every_feed
    elif view.unread:
        return "Nothing unread here: every story is read."
    elif view.feed_id is not None:
        what, refresh = "No stories in this feed yet", f"{key('refresh_feed')} refreshes it"
    elif kind == "tag":
        what, refresh = "No stories under this tag yet", every_feed
    elif view.tag or view.words or view.feed_name:
        return "No stories match this saved search."
    else:
        what, refresh = "No articles yet", every_feed
    if offline:
        return f"{what} (offline: nothing is fetched)."
    return f"{what}: {refresh}."
