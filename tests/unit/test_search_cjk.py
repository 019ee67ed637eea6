"""Search in Chinese, Japanese and Korean: a word matches inside a run of characters with
no spaces ("タイトル" in "日本語のタイトル"), as the title filters do, through the query
syntax of `/` and `readerterm articles --search` (parse_query); Latin is unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_helpers import add_feed, stored, update

from readerterm.library.query import parse_query
from readerterm.models import ArticleFilter
from readerterm.store import SCHEMA_VERSION, Store, match_expression
from readerterm.store.schema import MIGRATIONS
from readerterm.store.search_text import index_text, query_string

STORIES = {
    "ja": "日本語のタイトル",
    "zh": "今日广告合作伙伴",
    "ko": "삼성은 새 휴대폰을 발표했다",
    "budget": "2024年の予算案",
    "games": "東京Olympicsの開会式",
    "zeppelin": "Zeppelin over the city",
}


@pytest.fixture
def titled(store: Store) -> Store:
    feed = add_feed(store)
    articles = [
        stored(guid, title=title, summary="", body="", key_points=())
        for guid, title in STORIES.items()
    ]
    update(store, feed, *articles)
    return store


def found(store: Store, text: str, sort: str = "date") -> set[str]:
    """The guids a search typed as `text` lists."""
    view = parse_query(text, base=ArticleFilter(sort=sort)).view  # type: ignore[arg-type]
    guids = set()
    for article_id in store.views.query_ids(view):
        article = store.articles.article(article_id)
        assert article is not None
        guids.add(article.guid)
    return guids


@pytest.mark.parametrize(
    ("text", "guids"),
    [
        ("タイトル", {"ja"}),
        ("日本語", {"ja"}),
        ("語のタ", {"ja"}),
        ("日本語のタイトル", {"ja"}),
        ("广告", {"zh"}),
        ("合作伙伴", {"zh"}),
        ("今日广告合作伙伴", {"zh"}),
        ("삼성", {"ko"}),  # a stem with its particle joined on (삼성은)
        ("휴대폰", {"ko"}),
        ("발표", {"ko"}),
        ("予算", {"budget"}),
        ("開会式", {"games"}),
    ],
)
def test_a_cjk_word_matches_inside_a_run(titled: Store, text: str, guids: set[str]) -> None:
    assert found(titled, text) == guids
    assert found(titled, text, sort="rank") == guids


def test_the_characters_of_a_cjk_word_match_only_in_their_order(titled: Store) -> None:
    assert found(titled, "タイトルの") == set()  # the run ends at ル
    assert found(titled, "日本のタイトル") == set()  # 語 left out
    assert found(titled, "語本日") == set()
    assert found(titled, "广告今日") == set()
    assert found(titled, "삼성이") == set()


@pytest.mark.parametrize(
    ("text", "guids"),
    [
        ("日", {"ja", "zh"}),  # first in a run, and inside 今日广告
        ("本", {"ja"}),  # inside it
        ("ル", {"ja"}),  # the last one
        ("の", {"ja", "budget", "games"}),
        ("告", {"zh"}),
        ("은", {"ko"}),
        ("年", {"budget"}),
        ("猫", set()),
        ("日本", {"ja"}),
        ("トル", {"ja"}),  # the last pair
        ("伙伴", {"zh"}),
        ("삼성", {"ko"}),
        ("성은", {"ko"}),
        ("猫犬", set()),
    ],
)
def test_one_and_two_character_words(titled: Store, text: str, guids: set[str]) -> None:
    assert found(titled, text) == guids


@pytest.mark.parametrize(
    ("text", "guids"),
    [
        ("2024年", {"budget"}),
        ("2024年の予算", {"budget"}),
        ("2024", {"budget"}),  # a number is a word of its own next to CJK
        ("Olympics", {"games"}),  # and so is a Latin word
        ("olymp*", {"games"}),
        ("東京Olympics", {"games"}),
        ("京Olympics", {"games"}),
        ("Olympicsの開会", {"games"}),
        ("東京 Olympics", {"games"}),  # words: each must be in the story
        ("東京 zeppelin", set()),
        ("2025年", set()),
        ("大阪Olympics", set()),
    ],
)
def test_cjk_mixed_with_latin_and_digits(titled: Store, text: str, guids: set[str]) -> None:
    assert found(titled, text) == guids


def test_the_examples_of_the_docs(store: Store) -> None:
    feed = add_feed(store)
    update(store, feed, stored("games", title="東京Olympicsの2024年大会"))
    update(store, feed, stored("ads", title="今日广告合作"), stored("ko", title="삼성은"))
    for text in ("Olympics", "2024年", "年大会", "東京"):
        assert found(store, text) == {"games"}, text
    assert found(store, "广告") == {"ads"}
    assert found(store, "삼성") == {"ko"}


def test_a_quoted_phrase_and_words_set_apart_by_an_ideographic_space(titled: Store) -> None:
    assert found(titled, '"日本語のタイトル"') == {"ja"}
    assert found(titled, '"日本語 タイトル"') == {"ja"}
    assert found(titled, "日本語\u3000タイトル") == {"ja"}  # as a Japanese keyboard types it
    assert found(titled, '"日本語のタイトル" is:unread') == {"ja"}
    assert found(titled, '"日本語のタイトル" is:starred') == set()


def test_cjk_in_key_points_summary_and_body_is_found(store: Store) -> None:
    feed = add_feed(store)
    update(
        store,
        feed,
        stored("points", title="A", summary="", body="", key_points=("カフェの新メニュー",)),
        stored("summary", title="B", summary="北京大学の研究", body="", key_points=()),
        stored("body", title="C", summary="", body="서울특별시에서", key_points=()),
        stored("latin", title="D", summary="", body="", key_points=("Café’s menu",)),
    )
    assert found(store, "メニュー") == {"points"}
    assert found(store, "大学") == {"summary"}
    assert found(store, "서울") == {"body"}
    # Key points are indexed as text, not as the JSON they are kept in (\u00e9, \u2019).
    assert found(store, "cafe") == {"latin"}


def test_latin_queries_are_written_as_before() -> None:
    assert match_expression("sa* zeppelin NEAR( AND") == '"sa"* "zeppelin" "NEAR" "AND"'
    assert match_expression("Москва café_au_lait") == '"Москва" "café_au_lait"'
    text = "Zeppelin’s crew, café — Москва Ελλάδα ภาษาไทย 2024-06-01 U.S."
    assert index_text(text) == text  # no CJK: the index is given the text itself


def test_cjk_query_strings() -> None:
    assert query_string("日本語", False) == '"日本 本語"'
    assert query_string("日", False) == '"日"*'
    assert query_string("日本", True) == '"日本"*'
    assert query_string("2024年", False) == '"2024 年"*'
    assert query_string("東京Olympics", False) == '"東京 京 Olympics"'
    assert query_string("A日B", False) == '"A 日 B"'
    assert index_text("東京Olympics") == " 東京 京 Olympics"
    assert index_text("日本語のタイトル。") == " 日本 本語 語の のタ タイ イト トル ル 。"


def test_an_upgraded_cache_indexes_cjk_again(tmp_path: Path) -> None:
    """A version 9 cache indexed "日本語のタイトル" as one word: opening it queues every
    article to be indexed again in the background, and once it has been, a word inside it
    is found. Meanwhile the old entry answers, and no story counts as not searchable (the
    search bar said the whole cache was not searchable yet)."""
    path = tmp_path / "rt.db"
    connection = sqlite3.connect(path, isolation_level=None)
    for version in range(9):
        MIGRATIONS[version](connection)
    connection.execute("PRAGMA user_version = 9")
    connection.execute(
        "INSERT INTO feeds (id, url, added_at) VALUES (1, 'https://e.org/feed', '2024-01-01')"
    )
    connection.execute(
        "INSERT INTO articles (id, feed_id, guid, title, sort_at, content_hash, first_seen)"
        " VALUES (7, 1, 'g', '日本語のタイトル', '2024-01-01', 'h', '2024-01-01')"
    )
    connection.execute("INSERT INTO article_texts (article_id, body) VALUES (7, 'Zeppelin')")
    connection.execute(
        "INSERT INTO article_search (rowid, title, key_points, summary, body)"
        " VALUES (7, '日本語のタイトル', '[]', '', 'Zeppelin')"
    )  # as version 9 indexed it
    connection.execute("DELETE FROM search_pending")
    connection.close()

    store = Store(path)
    try:
        assert int(store.db.execute("PRAGMA user_version").fetchone()[0]) == SCHEMA_VERSION
        assert store.search.pending_search_count() == 0
        assert found(store, "zeppelin") == {"g"}  # the old entry
        assert found(store, "タイトル") == set()  # (a search does not wait for it)
        assert store.search.index_pending() == 0  # nor does the queue of new stories
        assert found(store, "タイトル") == set()
        assert store.search.index_pending(stale=True) == 0  # the background's turn
        assert found(store, "タイトル") == {"g"}
        assert found(store, "zeppelin") == {"g"}
    finally:
        store.close()


def test_a_batch_of_long_cjk_stories_ends_at_its_share_of_characters(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 50 stories of ~1,600 CJK characters took ~140 ms a batch, a triage key waiting on it.
    from readerterm.store import search_index

    feed = add_feed(store)
    body = "日本語の記事本文です。" * 160  # 1,760 characters, 1,600 of them CJK
    update(store, feed, *(stored(f"long{n}", title=f"Story {n}", body=body) for n in range(8)))
    monkeypatch.setattr(search_index, "CJK_IN_BATCH", 3_000)
    assert store.search.index_pending(limit=search_index.INDEX_BATCH) == 0
    staged: list[int] = []
    write = search_index.SearchIndex._write

    def counted(index: search_index.SearchIndex, ids: list[int]) -> None:
        staged.append(len(ids))
        write(index, ids)

    monkeypatch.setattr(search_index.SearchIndex, "_write", counted)
    store.db.execute("INSERT INTO search_pending (article_id) SELECT article_id FROM article_texts")
    assert store.search.index_pending(None) == 0
    assert staged == [2, 2, 2, 2]  # the second story passes 3,000: a batch ends with it
    assert len(found(store, "記事")) == 8


def test_a_search_indexes_first_for_a_short_time_only(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 200 CJK stories waiting held the search box ~560 ms on the reader's event loop.
    from readerterm.store import search_index, views

    feed = add_feed(store)
    body = "日本語の記事本文です。" * 160
    update(store, feed, *(stored(f"s{n}", title=f"Story {n}", body=body) for n in range(6)))
    monkeypatch.setattr(search_index, "CJK_IN_BATCH", 1)  # a story a batch
    monkeypatch.setattr(views, "FIRST_SECONDS", 0.0)  # time for one batch, no more
    assert store.search.pending_search_count() == 6
    assert len(found(store, "記事")) == 1  # the one indexed; the rest is the background's
    assert store.search.pending_search_count() == 5
    assert store.search.index_pending(None) == 0
    assert len(found(store, "記事")) == 6
