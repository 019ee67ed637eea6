"""A new or changed filter of the config applies to the stories already stored: they are
hidden (the `filtered` flag), never deleted, and shown again when the filter goes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

import readerterm.net.fetch
from readerterm.__main__ import main
from readerterm.config import Config, FilterRule
from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.paths import default_paths
from readerterm.store import Store

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
TITLES = ("Sponsored: a new phone", "[ad] Buy now", "Bridge reopens", "Council votes")


def rss(*titles: str, channel: str = "Daily") -> bytes:
    items = "".join(
        f"<item><guid>{title}</guid><title>{title.replace('&', '&amp;')}</title>"
        "<description>Text.</description></item>"
        for title in titles
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{channel}</title>'
        f"<link>https://daily.example.org/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def library() -> Iterator[Library]:
    opened = Library(Store(":memory:"), offline=True, clock=lambda: NOW)
    try:
        feed = opened.subscriptions.subscribe("https://daily.example.org/feed.xml")
        opened.refresher.ingest_document(feed.id, rss(*TITLES))
        yield opened
    finally:
        opened.close()


def shown(library: Library) -> set[str]:
    return {library.reading.article(i).title for i in library.reading.article_ids()}


def stored(library: Library) -> set[str]:
    ids = library.reading.query(ArticleFilter(show_hidden=True))
    return {library.reading.article(i).title for i in ids}


SPONSORED = FilterRule(words=("sponsored",))
AD = FilterRule(regex=re.compile(r"^\[ad\]", re.IGNORECASE))


def test_a_new_filter_hides_stored_stories_without_deleting_them(library: Library) -> None:
    assert shown(library) == set(TITLES)
    assert library.settings.configure(Config(filters=(SPONSORED,))) == (1, 0)
    assert shown(library) == set(TITLES) - {"Sponsored: a new phone"}
    assert stored(library) == set(TITLES)
    total = library.subscriptions.feeds()[0]
    assert total.total == 4 and total.unread == 3


def test_a_changed_filter_shows_what_it_no_longer_hides(library: Library) -> None:
    library.settings.configure(Config(filters=(SPONSORED,)))
    assert library.settings.configure(Config(filters=(AD,))) == (1, 1)
    assert shown(library) == set(TITLES) - {"[ad] Buy now"}
    assert library.settings.configure(Config()) == (0, 1)
    assert shown(library) == set(TITLES)
    assert stored(library) == set(TITLES)


def test_the_same_filters_cost_nothing_the_next_time(library: Library) -> None:
    assert library.settings.configure(Config(filters=(SPONSORED, AD))) == (2, 0)
    assert library.settings.configure(Config(filters=(SPONSORED, AD))) is None
    assert library.settings.configure(Config()) == (0, 2)
    assert library.settings.configure(Config()) is None


def test_a_filter_for_one_feed_hides_only_in_that_feed(library: Library) -> None:
    other = library.subscriptions.subscribe("https://other.example.org/feed.xml")
    library.refresher.ingest_document(other.id, rss("Sponsored: elsewhere", channel="Other"))
    library.settings.configure(Config(filters=(FilterRule(words=("sponsored",), feed="daily"),)))
    assert "Sponsored: elsewhere" in shown(library)
    assert "Sponsored: a new phone" not in shown(library)


def test_new_stories_are_still_filtered_at_refresh(library: Library) -> None:
    library.settings.configure(Config(filters=(SPONSORED,)))
    feed = library.subscriptions.feeds()[0]
    library.refresher.ingest_document(feed.id, rss(*TITLES, "Sponsored: more"))
    assert not {"Sponsored: more", "Sponsored: a new phone"} & shown(library)


def test_the_command_line_applies_a_changed_config_to_stored_stories(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for kind in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"READERTERM_{kind}_DIR", str(tmp_path / kind.lower()))
    monkeypatch.delenv("READERTERM_OFFLINE", raising=False)
    monkeypatch.setattr(readerterm.net.fetch, "Fetcher", None)
    paths = default_paths()
    library = Library.open(paths, offline=True)
    try:
        feed = library.subscriptions.subscribe("https://daily.example.org/feed.xml")
        library.refresher.ingest_document(feed.id, rss(*TITLES))
    finally:
        library.close()

    def titles() -> set[str]:
        assert main(["articles", "--json"]) == 0
        return {item["title"] for item in json.loads(capsys.readouterr().out)}

    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text("[[filters]]\nregex = '^\\[ad\\]'\n", encoding="utf-8")
    assert titles() == set(TITLES) - {"[ad] Buy now"}
    paths.config_file.write_text("", encoding="utf-8")
    assert titles() == set(TITLES)


async def test_the_reader_can_apply_filters_on_the_writers_thread(tmp_path: Path) -> None:
    library = Library(Store(tmp_path / "rt.db"), offline=True, clock=lambda: NOW)
    try:
        feed = library.subscriptions.subscribe("https://daily.example.org/feed.xml")
        library.refresher.ingest_document(feed.id, rss(*TITLES))
        assert library.settings.configure(Config(filters=(SPONSORED,)), apply=False) is None
        assert shown(library) == set(TITLES)
        assert await library.writer.run(library.settings.apply_filters) == (1, 0)
        assert shown(library) == set(TITLES) - {"Sponsored: a new phone"}
    finally:
        library.close()


def test_title_words_match_whole_words_only(library: Library) -> None:
    feed = library.subscriptions.feeds()[0]
    titles = ("AI chips sell out", "Strait talks resume", "Number 21 wins", "U.S. and AI: a pact")
    library.refresher.ingest_document(feed.id, rss(*TITLES, *titles))
    library.settings.configure(Config(filters=(FilterRule(words=("ai",)),)))
    assert not {"AI chips sell out", "U.S. and AI: a pact"} & shown(library)
    assert "Strait talks resume" in shown(library)  # ("ai" inside a word)
    library.settings.configure(Config(filters=(FilterRule(words=("number", "1")),)))
    assert "Number 21 wins" in shown(library)
    library.settings.configure(Config(filters=(FilterRule(words=("u.s.",)),)))
    assert "U.S. and AI: a pact" not in shown(library)


@pytest.mark.parametrize(
    ("word", "title", "hidden"),
    [
        ("广告", "今日广告合作推荐", True),  # no spaces between Chinese words
        ("スポンサー", "スポンサー記事：新製品", True),
        ("ｽﾎﾟﾝｻｰ", "ｽﾎﾟﾝｻｰ記事", True),
        ("สวัสดี", "ข่าวสวัสดีครับ", True),
        ("삼성", "삼성은 새 전화를 발표했다", True),  # a Korean particle joined on
        ("straße", "STRASSE closed", True),  # case-folded, as before
        ("новости", "Новости дня", True),
        ("нов", "Новости дня", False),
        ("c++", "C++ 26 is out", True),
        ("ai", "Strait talks", False),
    ],
)
def test_a_title_word_in_any_script(word: str, title: str, hidden: bool) -> None:
    assert FilterRule(words=(word,)).hides(title, "Daily") is hidden


def test_stories_hidden_by_a_word_inside_a_word_are_shown_again(library: Library) -> None:
    # Filters applied before title words matched whole words are applied again, once.
    feed = library.subscriptions.feeds()[0]
    library.refresher.ingest_document(feed.id, rss(*TITLES, "Strait talks resume"))
    old_rules = json.dumps([[["ai"], None, None]])
    library.settings._store.articles.apply_filters(
        old_rules, lambda title, _feed: "ai" in title.lower()
    )
    assert "Strait talks resume" not in shown(library)
    assert library.settings.configure(Config(filters=(FilterRule(words=("ai",)),))) == (0, 1)
    assert "Strait talks resume" in shown(library)
