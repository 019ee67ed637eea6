"""SQLite storage: the only package that imports sqlite3.

Rows become models here; nothing above the store sees a row. Article bodies live in their
own table so that listing articles never reads them; FTS5 indexes titles, key points,
summaries and bodies; triggers queue what changed and `index_pending` indexes it in batches.
"""

from __future__ import annotations

from ..feeds.rows import KnownArticle, PreparedUpdate, StoredArticle
from .articles import ArticlesMixin, Retention, made_summary, plain_body
from .base import StoreBase
from .checkpoint import SQLITE_AUTOCHECKPOINT_PAGES, WRITER_AUTOCHECKPOINT_PAGES, Checkpointer
from .feeds import FeedsMixin, FetchState, NewFeed
from .queries import QueriesMixin, match_expression
from .schema import SCHEMA_VERSION
from .search_index import SearchIndexMixin

__all__ = [
    "SCHEMA_VERSION",
    "SQLITE_AUTOCHECKPOINT_PAGES",
    "WRITER_AUTOCHECKPOINT_PAGES",
    "Checkpointer",
    "FetchState",
    "KnownArticle",
    "NewFeed",
    "PreparedUpdate",
    "Retention",
    "Store",
    "StoreBase",
    "StoredArticle",
    "made_summary",
    "match_expression",
    "plain_body",
]


class Store(FeedsMixin, ArticlesMixin, QueriesMixin, SearchIndexMixin):
    """One SQLite database: feeds, articles, their texts, states and search index."""
