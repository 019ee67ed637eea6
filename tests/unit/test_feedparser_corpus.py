"""The ingest path over every document of feedparser's own test suite (about 2,100 files).

No exception may escape Library.refresher.ingest_document: a document that cannot be read becomes a
FAILED result whose reason is recorded on the feed, and everything else is stored.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from prerequisites import prerequisite
from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.store import Store

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpora" / "feedparser-tests"
CHUNKS = 4


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "LICENSE")


FILES = corpus_files()
NEEDS_CORPUS = prerequisite(
    bool(FILES), f"feedparser's test corpus is not at {CORPUS} (../shared/corpora)"
)


@NEEDS_CORPUS
def test_the_corpus_is_all_there() -> None:
    assert len(FILES) > 2000
    assert {p.relative_to(CORPUS).parts[0] for p in FILES} >= {
        "encoding",
        "entities",
        "illformed",
        "wellformed",
    }


@NEEDS_CORPUS
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_ingest_every_document(chunk: int, tmp_path: Path) -> None:
    library = Library(Store(tmp_path / "corpus.db"), offline=True)
    failures: dict[str, str] = {}
    try:
        for index, path in enumerate(FILES[chunk::CHUNKS]):
            name = str(path.relative_to(CORPUS))
            feed = library.subscriptions.subscribe(
                f"https://corpus.example/{chunk}/{index}/feed.xml"
            )
            try:
                result = library.refresher.ingest_document(feed.id, path.read_bytes())
            except Exception as error:  # the point of the test: nothing may escape
                pytest.fail(f"{name}: {type(error).__name__}: {error}")
            stored = library.subscriptions.feed(feed.id)
            if result.status is RefreshStatus.FAILED:
                assert result.error, name
                assert stored.error == result.error, name
                failures[name] = result.error
            else:
                assert result.status is RefreshStatus.UPDATED, name
                assert stored.error is None, name
                assert result.new_articles == stored.total, name
        assert library.store.db.integrity_ok()
    finally:
        library.close()
    # Almost every document in the corpus is a feed (a few are CDF, JSON or empty).
    documents = len(FILES[chunk::CHUNKS])
    assert len(failures) < documents * 0.02, json.dumps(failures, indent=1)


@NEEDS_CORPUS
def test_stored_text_has_no_control_characters(tmp_path: Path) -> None:
    """Every title and summary stored from the corpus is free of terminal controls."""
    library = Library(Store(tmp_path / "corpus.db"), offline=True)
    try:
        for index, path in enumerate(FILES[::7]):
            feed = library.subscriptions.subscribe(f"https://corpus.example/text/{index}/feed.xml")
            library.refresher.ingest_document(feed.id, path.read_bytes())
        for feed in library.subscriptions.feeds():
            assert not _unsafe(feed.title), feed.url
        for article_id in library.reading.article_ids():
            article = library.reading.article(article_id)
            for text in (article.title, article.author or "", *article.key_points):
                assert not _unsafe(text), (article.feed_title, text)
            for text in (article.summary, article.body):
                assert not _unsafe(text.replace("\n", "").replace("\t", "")), article.title
    finally:
        library.close()


def _unsafe(text: str) -> bool:
    return any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in text)
