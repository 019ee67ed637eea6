"""Shared by the store tests (test_store.py, test_store_schema.py, test_store_queries.py):
a clock, stored articles to write, and short ways to add a feed, apply an update and list
article ids. The `store` fixture (in memory and on disk) is in conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime

from readerterm.models import ArticleFilter, Validators
from readerterm.store import Store, StoredArticle

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def stored(guid: str, **changes: object) -> StoredArticle:
    base = StoredArticle(
        guid=guid,
        url=f"https://e.org/{guid}",
        title=f"Title {guid}",
        author="Author",
        published=datetime(2024, 5, 1, tzinfo=UTC),
        content_hash=f"hash-{guid}",
        summary=f"Summary of {guid}",
        body=f"Body of {guid}",
        key_points=(f"Point of {guid}",),
        key_points_origin="generated",
        words=3,
        image_url=None,
        needs_page=False,
    )
    return base._replace(**changes)


def add_feed(store: Store, url: str = "https://e.org/feed", title: str | None = None) -> int:
    return store.subscriptions.add_feed(url, title=title, tags=["news"], now=NOW)


def update(
    store: Store, feed_id: int, *articles: StoredArticle, **options: object
) -> tuple[int, int]:
    arguments: dict[str, object] = {
        "title": "Feed title",
        "site_url": "https://e.org/",
        "validators": Validators(etag='"v1"', last_modified="Sat, 01 Jun 2024 10:00:00 GMT"),
        "articles": articles,
        "now": NOW,
    }
    arguments.update(options)
    return store.updates.apply_update(feed_id, **arguments)  # type: ignore[arg-type]


def ids(store: Store, **view: object) -> list[int]:
    return store.views.query_ids(ArticleFilter(**view))  # type: ignore[arg-type]


def guid_of(store: Store, article_id: int) -> str:
    article = store.articles.article(article_id)
    assert article is not None
    return article.guid
