"""The database schema and its migrations, keyed on PRAGMA user_version."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

SCHEMA_VERSION = 10

_SCHEMA_V1 = """
CREATE TABLE feeds (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    user_title TEXT,
    site_url TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    etag TEXT,
    last_modified TEXT,
    last_refresh TEXT,
    error TEXT,
    retry_after TEXT,
    fetch_pages TEXT NOT NULL DEFAULT 'auto',
    added_at TEXT NOT NULL
);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    guid TEXT NOT NULL,
    url TEXT,
    title TEXT NOT NULL,
    author TEXT,
    published TEXT,
    sort_at TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    later INTEGER NOT NULL DEFAULT 0,
    dismissed INTEGER NOT NULL DEFAULT 0,
    filtered INTEGER NOT NULL DEFAULT 0,
    in_feed INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    UNIQUE (feed_id, guid)
);
CREATE INDEX articles_by_date ON articles (sort_at DESC, id DESC);
CREATE INDEX articles_by_feed ON articles (feed_id, sort_at DESC, id DESC);
CREATE INDEX articles_by_url ON articles (feed_id, url);
CREATE INDEX articles_unread ON articles (feed_id)
    WHERE read = 0 AND dismissed = 0 AND filtered = 0;
CREATE INDEX articles_visible ON articles (sort_at DESC, id DESC)
    WHERE dismissed = 0 AND filtered = 0;
CREATE INDEX articles_unread_by_date ON articles (sort_at DESC, id DESC)
    WHERE read = 0 AND dismissed = 0 AND filtered = 0;
CREATE INDEX articles_starred ON articles (sort_at DESC, id DESC) WHERE starred = 1;
CREATE INDEX articles_later ON articles (sort_at DESC, id DESC) WHERE later = 1;
CREATE TABLE article_texts (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    key_points TEXT NOT NULL DEFAULT '[]',
    key_points_origin TEXT NOT NULL DEFAULT '',
    words INTEGER NOT NULL DEFAULT 0,
    image_url TEXT,
    needs_page INTEGER NOT NULL DEFAULT 0,
    extracted_at TEXT,
    page_error TEXT,
    feed_html TEXT,
    enclosures TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
) WITHOUT ROWID;
CREATE INDEX article_tags_by_tag ON article_tags (tag);
CREATE TABLE config_feeds_seen (url TEXT PRIMARY KEY);
CREATE TABLE feed_aliases (
    url TEXT PRIMARY KEY,
    feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE
);
CREATE VIRTUAL TABLE article_search USING fts5(
    title, key_points, summary, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER article_texts_ai AFTER INSERT ON article_texts BEGIN
    DELETE FROM article_search WHERE rowid = new.article_id;
    INSERT INTO article_search (rowid, title, key_points, summary, body)
        SELECT new.article_id, a.title, new.key_points, new.summary, new.body
        FROM articles a WHERE a.id = new.article_id;
END;
CREATE TRIGGER article_texts_au AFTER UPDATE OF key_points, summary, body ON article_texts BEGIN
    DELETE FROM article_search WHERE rowid = new.article_id;
    INSERT INTO article_search (rowid, title, key_points, summary, body)
        SELECT new.article_id, a.title, new.key_points, new.summary, new.body
        FROM articles a WHERE a.id = new.article_id;
END;
CREATE TRIGGER articles_title_au AFTER UPDATE OF title ON articles BEGIN
    DELETE FROM article_search WHERE rowid = new.id;
    INSERT INTO article_search (rowid, title, key_points, summary, body)
        SELECT new.id, new.title, t.key_points, t.summary, t.body
        FROM article_texts t WHERE t.article_id = new.id;
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;
"""


# Version 2 indexes for search later, in batches, instead of inside every write: FTS5 costs
# ~0.2 ms per 5 KB article, most of a refresh's database time when done row by row, and a
# batch of hundreds costs less per article than one at a time. Triggers only queue the ids
# (with NOT EXISTS, not OR IGNORE: the upsert that fires them would override that), and
# Store.index_pending empties the queue (the reader's writer thread when idle, and any
# search first). The index is rebuilt with 2-character prefixes so "sa*" need not scan every term.
_SCHEMA_V2 = """
CREATE TABLE search_pending (article_id INTEGER PRIMARY KEY);
DROP TRIGGER article_texts_ai;
DROP TRIGGER article_texts_au;
DROP TRIGGER articles_title_au;
DROP TRIGGER articles_ad;
DROP TABLE article_search;
CREATE VIRTUAL TABLE article_search USING fts5(
    title, key_points, summary, body, tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '2'
);
INSERT INTO search_pending (article_id) SELECT article_id FROM article_texts;
CREATE TRIGGER article_texts_ai AFTER INSERT ON article_texts BEGIN
    INSERT INTO search_pending (article_id) SELECT new.article_id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = new.article_id);
END;
CREATE TRIGGER article_texts_au AFTER UPDATE OF key_points, summary, body ON article_texts BEGIN
    INSERT INTO search_pending (article_id) SELECT new.article_id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = new.article_id);
END;
CREATE TRIGGER articles_title_au AFTER UPDATE OF title ON articles BEGIN
    INSERT INTO search_pending (article_id) SELECT new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE article_id = new.id);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
    DELETE FROM search_pending WHERE article_id = old.id;
END;
"""


# Version 3: a refresh stores a full story's HTML and not its plain text (the body until the
# story is first opened and converted), which is made when it is indexed for search and
# when it is read: converting 15,000 stories took a third of a cold refresh's CPU, and
# storing the text next to the HTML a quarter of the writer's.
# No query ever looked articles up by link (update.plan matches links in Python), so the
# index on (feed_id, url) only cost every write.
# Which articles want their page fetched is asked after every refresh: a partial index of
# the teasers answers it without reading every unread article's text.
_SCHEMA_V3 = """
ALTER TABLE article_texts ADD COLUMN body_pending INTEGER NOT NULL DEFAULT 0;
DROP INDEX articles_by_url;
CREATE INDEX article_texts_wanting_pages ON article_texts (article_id)
    WHERE needs_page = 1 AND extracted_at IS NULL AND page_error IS NULL;
"""


# Version 4: one index orders articles by date for every list, carrying the flags the lists
# filter on (read, dismissed, filtered), instead of three (all, visible, unread). Each new
# article went into all three at a random place (its date), and a cold refresh of 300
# feeds spent ~40 % of its database time there; a covering scan answers each list as fast
# (unread: 9 ms at 115,000 articles before, 14 ms now; 4 ms when nearly all are read).
# A new article is queued for search by the refresh that writes it, one statement a feed,
# not by a trigger run for each row (~0.06 s of a cold refresh's ~0.7 s of database CPU).
_SCHEMA_V4 = """
DROP TRIGGER article_texts_ai;
DROP INDEX articles_by_date;
DROP INDEX articles_visible;
DROP INDEX articles_unread_by_date;
CREATE INDEX articles_by_date ON articles (sort_at DESC, id DESC, read, dismissed, filtered);
"""


# Version 5: the summary of a story whose feed carries its full text is made when wanted
# (for search, and for `articles --json`) from the feed's summary HTML, kept here, rather
# than by every refresh: a cold refresh of 15,000 stories spent ~0.12 s of CPU on
# summaries nobody had asked for yet.
_SCHEMA_V5 = """
ALTER TABLE article_texts ADD COLUMN summary_html TEXT;
"""


_SCHEMA_V6 = """
ALTER TABLE feeds ADD COLUMN remote_id TEXT;
CREATE UNIQUE INDEX feeds_remote_id ON feeds(remote_id) WHERE remote_id IS NOT NULL;
ALTER TABLE articles ADD COLUMN remote_id TEXT;
CREATE UNIQUE INDEX articles_remote_id ON articles(remote_id) WHERE remote_id IS NOT NULL;
CREATE TABLE sync_account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    service TEXT NOT NULL,
    url TEXT NOT NULL,
    username TEXT NOT NULL,
    queueing INTEGER NOT NULL DEFAULT 1,
    last_attempt TEXT,
    last_success TEXT,
    last_error TEXT,
    items_checked TEXT
);
CREATE TABLE sync_queue (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    remote_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('read', 'unread', 'star', 'unstar')),
    queued_at TEXT NOT NULL
);
CREATE TRIGGER articles_read_queued AFTER UPDATE OF read ON articles
WHEN NEW.remote_id IS NOT NULL AND OLD.read IS NOT NEW.read
    AND (SELECT queueing FROM sync_account WHERE id = 1) = 1
BEGIN
    INSERT INTO sync_queue (remote_id, action, queued_at) VALUES (
        NEW.remote_id, CASE WHEN NEW.read THEN 'read' ELSE 'unread' END,
        strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
CREATE TRIGGER articles_starred_queued AFTER UPDATE OF starred ON articles
WHEN NEW.remote_id IS NOT NULL AND OLD.starred IS NOT NEW.starred
    AND (SELECT queueing FROM sync_account WHERE id = 1) = 1
BEGIN
    INSERT INTO sync_queue (remote_id, action, queued_at) VALUES (
        NEW.remote_id, CASE WHEN NEW.starred THEN 'star' ELSE 'unstar' END,
        strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'));
END;
"""
"""Version 6: sync with an aggregator server. Feeds and articles carry the server's id;
a decision on a synced article (read, unread, star, unstar, from any connection) is
queued by a trigger in the same transaction as the change itself, so no kill can lose
it; a sync writing the server's states turns `queueing` off inside its own transaction."""


_SCHEMA_V7 = """
ALTER TABLE articles ADD COLUMN categories TEXT;
ALTER TABLE articles ADD COLUMN same_as INTEGER;
CREATE INDEX articles_same_as ON articles (same_as) WHERE same_as IS NOT NULL;
CREATE INDEX articles_by_guid ON articles (guid);
CREATE INDEX articles_by_link ON articles (url) WHERE url IS NOT NULL;
CREATE TABLE article_categories (
    tag TEXT NOT NULL COLLATE NOCASE,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (tag, article_id)
) WITHOUT ROWID;
CREATE TRIGGER article_categories_au AFTER UPDATE OF categories ON articles
WHEN OLD.categories IS NOT NEW.categories
BEGIN
    DELETE FROM article_categories WHERE article_id = OLD.id
        AND tag IN (SELECT value FROM json_each(OLD.categories));
    INSERT OR IGNORE INTO article_categories (tag, article_id)
        SELECT value, NEW.id FROM json_each(NEW.categories) WHERE NEW.categories IS NOT NULL;
END;
CREATE TRIGGER article_categories_ad AFTER DELETE ON articles
WHEN OLD.categories IS NOT NULL
BEGIN
    DELETE FROM article_categories WHERE article_id = OLD.id
        AND tag IN (SELECT value FROM json_each(OLD.categories));
END;
CREATE TABLE settings_applied (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TRIGGER articles_same_as_ad AFTER DELETE ON articles
WHEN EXISTS (SELECT 1 FROM articles WHERE same_as = OLD.id)
BEGIN
    UPDATE articles SET same_as = (SELECT min(id) FROM articles WHERE same_as = OLD.id)
        WHERE same_as = OLD.id AND id != (SELECT min(id) FROM articles WHERE same_as = OLD.id);
    UPDATE articles SET same_as = NULL WHERE same_as = OLD.id;
END;
"""
"""Version 7: the publisher's categories, the same story in two feeds, filters applied to
what is stored.

- `categories`: a story's categories as a JSON list (NULL when it has none), written with
  the article; `article_categories` finds the stories of a category for `tag:` (a row per
  category of a story, written with it; the triggers follow a change or a deletion, the
  JSON list saying which rows to remove, so no second index is kept up).
- `same_as`: the id of the first stored copy of a story (same guid, or same link) that
  another feed carried first. Lists show a copy only when its first copy is not in them,
  and a decision on one is written on every copy. A refresh looks copies up for the
  stories it inserts through the two indexes on guid and link: the indexes and the
  look-ups cost a cold refresh of 15,000 stories ~0.05-0.1 s more of its ~0.5 s of
  database CPU (measured on the writer alone; the machine's noise is as large). When a
  first copy is deleted, the next one takes its place (the trigger).
- `settings_applied`: what the filters were when they were last applied to every stored
  story, so a change of the config's filters is applied once, at the next start."""


_SCHEMA_V8 = """
ALTER TABLE articles ADD COLUMN old_account_states INTEGER NOT NULL DEFAULT 0;
"""
"""Version 8: `old_account_states` is 1 on a story whose read and starred states were set
while it was bound to another sync account (the account changed). Matched to the new
account's story, it takes the new account's states instead of sending its own: the new
account gets nothing of the old one's."""


_SCHEMA_V9 = """
ALTER TABLE config_feeds_seen ADD COLUMN title TEXT;
"""
"""Version 9: `config_feeds_seen.title` is the title the config last gave the feed (NULL:
none, or not known, for feeds seen before this version). A title taken out of the config
gives back the feed's own only when the title in use is the config's, not one given by
OPML or `readerterm add --title`."""


_SCHEMA_V10 = """
CREATE TABLE search_stale (article_id INTEGER PRIMARY KEY);
INSERT INTO search_stale (article_id) SELECT article_id FROM article_texts;
"""
"""Version 10: Chinese, Japanese and Korean are indexed as character pairs (search_text),
and key points as their text, not their JSON (which spelled non-ASCII as \\u escapes):
every article is indexed again, in the background, after the new ones (`search_stale`,
not `search_pending`: its old entry answers meanwhile, so it is not "not searchable yet",
and neither a search nor `articles --search` waits for it)."""


def _create_v1(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V1)


def _search_later_v2(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V2)


def _body_later_v3(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V3)


def _one_date_index_v4(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V4)


def _summary_later_v5(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V5)


def _sync_v6(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V6)


def _same_story_v7(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V7)
    # Stories already stored twice become copies of their first (their states stay).
    from .copies import link_all_copies

    link_all_copies(connection)


def _old_account_v8(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V8)


def _config_title_v9(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V9)


def _cjk_search_v10(connection: sqlite3.Connection) -> None:
    _run(connection, _SCHEMA_V10)


def _run(connection: sqlite3.Connection, script: str) -> None:
    # executescript would COMMIT the surrounding transaction; run statement by statement.
    for statement in _split(script):
        connection.execute(statement)


def _split(script: str) -> list[str]:
    """Statements of a script; a trigger body's inner semicolons stay inside it."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return [s for s in statements if s]


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    0: _create_v1,
    1: _search_later_v2,
    2: _body_later_v3,
    3: _one_date_index_v4,
    4: _summary_later_v5,
    5: _sync_v6,
    6: _same_story_v7,
    7: _old_account_v8,
    8: _config_title_v9,
    9: _cjk_search_v10,
}
"""from_version -> function that brings the schema to from_version + 1."""
