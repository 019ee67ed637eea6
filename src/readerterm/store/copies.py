"""The same story carried by two subscribed feeds: a copy points to its first stored copy.

A story stored in one feed is a copy of a story another feed stored first when both have
the same guid, or the same link where that link names one story (a link that two stories
of a feed share, or the feed's own site address, names none). `articles.same_as` holds
the first copy's id (NULL on the first copy itself), so a copy is one indexed look-up
away from it and the lists can show each story once (`hide_copies`); a decision on one
copy is written on all (`with_copies`). A new copy takes its first copy's states.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from .base import Database, chunks

_BY_GUID = (
    "SELECT coalesce(o.same_as, o.id) FROM articles o"
    " WHERE o.guid = n.guid AND o.feed_id != n.feed_id ORDER BY o.id LIMIT 1"
)
_ONE_STORY_LINK = (
    "(SELECT count(*) FROM articles x WHERE x.url = {a}.url AND x.feed_id = {a}.feed_id) = 1"
    " AND {a}.url IS NOT (SELECT site_url FROM feeds WHERE id = {a}.feed_id)"
)
_BY_LINK = (
    "SELECT coalesce(o.same_as, o.id) FROM articles o"
    " WHERE o.url = n.url AND o.feed_id != n.feed_id"
    # (what names one story is asked only of the few stories the link finds)
    f" AND {_ONE_STORY_LINK.format(a='o')} AND {_ONE_STORY_LINK.format(a='n')}"
    " ORDER BY o.id LIMIT 1"
)
FLAGS = ("read", "starred", "later", "dismissed")


def link_new_copies(db: Database, feed_id: int, ids: Sequence[int]) -> int:
    """Make each of these new articles of a feed a copy of the story another feed stored
    first, if one did, with that story's states. Inside the caller's transaction; returns
    how many were copies. Two index look-ups an article (guid, link)."""
    found: list[tuple[int, int]] = []
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT n.id, coalesce(({_BY_GUID}), ({_BY_LINK})) FROM articles n"
            f" WHERE n.feed_id = ? AND n.id IN ({marks})",
            [feed_id, *chunk],
        )
        found += [(int(row[0]), int(row[1])) for row in rows if row[1] is not None]
    states = ", ".join(f"{n} = (SELECT {n} FROM articles WHERE id = :first)" for n in FLAGS)
    for copy, first in found:
        db.execute(
            f"UPDATE articles SET same_as = :first, {states} WHERE id = :copy",
            {"first": first, "copy": copy},
        )
    return len(found)


def link_all_copies(connection: sqlite3.Connection) -> None:
    """Link the copies among the stories already stored (the migration to version 7), in
    the order they were stored; each keeps its states."""
    site = dict(connection.execute("SELECT id, site_url FROM feeds").fetchall())
    rows = connection.execute("SELECT id, feed_id, guid, url FROM articles ORDER BY id").fetchall()
    links_in_feed: dict[tuple[int, str], int] = {}
    for _, feed_id, _, url in rows:
        if url is not None:
            links_in_feed[(feed_id, url)] = links_in_feed.get((feed_id, url), 0) + 1
    first_by_guid: dict[str, list[tuple[int, int]]] = {}
    first_by_link: dict[str, list[tuple[int, int]]] = {}
    linked: list[tuple[int, int]] = []
    for article_id, feed_id, guid, url in rows:
        story_link = url is not None and links_in_feed[(feed_id, url)] == 1
        story_link = story_link and url != site.get(feed_id)
        first = _first_elsewhere(first_by_guid.get(guid, ()), feed_id)
        if first is None and story_link:
            first = _first_elsewhere(first_by_link.get(url, ()), feed_id)
        root = article_id if first is None else first
        if first is not None:
            linked.append((first, article_id))
        _remember(first_by_guid, guid, feed_id, root)
        if story_link:
            _remember(first_by_link, url, feed_id, root)
    connection.executemany("UPDATE articles SET same_as = ? WHERE id = ?", linked)


def _first_elsewhere(seen: Iterable[tuple[int, int]], feed_id: int) -> int | None:
    return next((root for feed, root in seen if feed != feed_id), None)


def _remember(index: dict[str, list[tuple[int, int]]], key: str, feed_id: int, root: int) -> None:
    seen = index.setdefault(key, [])
    if all(feed != feed_id for feed, _ in seen):
        seen.append((feed_id, root))


def copy_roots(db: Database) -> dict[int, int]:
    """Every copy's first copy, by the copy's id (few: read through a partial index)."""
    rows = db.execute("SELECT id, same_as FROM articles WHERE same_as IS NOT NULL")
    return {int(row[0]): int(row[1]) for row in rows}


def hide_copies(db: Database, ids: list[int]) -> list[int]:
    """A list without the copies whose first copy is in it (each story listed once)."""
    roots = copy_roots(db)
    if not roots or not any(article_id in roots for article_id in ids):
        return ids
    listed = set(ids)
    return [article_id for article_id in ids if roots.get(article_id) not in listed]


def with_copies(db: Database, ids: Iterable[int]) -> dict[int, list[int]]:
    """Each id with every copy of its story (itself first): whom a decision on it reaches."""
    wanted = list(dict.fromkeys(ids))
    groups: dict[int, list[int]] = {article_id: [article_id] for article_id in wanted}
    if (
        not wanted
        or not db.execute("SELECT 1 FROM articles WHERE same_as IS NOT NULL LIMIT 1").fetchone()
    ):
        return groups
    root_of: dict[int, int] = {}
    for chunk in chunks(wanted):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT id, coalesce(same_as, id) FROM articles WHERE id IN ({marks})", list(chunk)
        ):
            root_of[int(row[0])] = int(row[1])
    members: dict[int, list[int]] = {}
    roots = sorted(set(root_of.values()))
    for chunk in chunks(roots):
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT id, coalesce(same_as, id) FROM articles"
            f" WHERE id IN ({marks}) OR same_as IN ({marks})",
            [*chunk, *chunk],
        ):
            members.setdefault(int(row[1]), []).append(int(row[0]))
    for article_id, root in root_of.items():
        others = [member for member in members.get(root, ()) if member != article_id]
        groups[article_id] += sorted(others)
    return groups
