"""`readerterm articles`, run in-process through readerterm.__main__.main: its JSON and
text forms, filters, limits, headers on a terminal, rows fitted to its width, and what an
empty listing says. Moved out of test_cli.py."""

from __future__ import annotations

import sys
from datetime import datetime

import pytest
from cli_home import (
    FEED,
    offline_home,  # noqa: F401  (the autouse fixture `paths`)
    run,
    run_json,
    seed,
)

from readerterm.library import Library
from readerterm.paths import Paths

ARTICLE_KEYS = {"id", "feed", "title", "url", "author", "published", "read", "starred", "summary"}


# --- articles ---------------------------------------------------------------------------------


def test_articles_json_keys(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    seed(paths)
    articles = run_json(capsys, "articles", "--json")
    assert len(articles) == 3
    for article in articles:
        assert set(article) >= ARTICLE_KEYS
        assert article["feed"] == "Full Text Daily"
        assert article["read"] is False and article["starred"] is False
        assert isinstance(article["summary"], str)
        assert "<" not in article["summary"]
    first = articles[0]
    # Listing converts nothing (that is for reading): what was stored is what it shows.
    library = Library.open(paths, offline=True)
    assert all(library.store.articles.unconverted_html(a["id"]) is not None for a in articles)
    assert first["key_points"] == [] and first["key_points_origin"] is None
    # Opened once, it is converted, and what the reader showed is listed from then on (this
    # two-sentence brief gets no key points: they would only repeat it).
    opened = library.reading.article(first["id"])
    assert library.store.articles.unconverted_html(first["id"]) is None
    listed_again = run_json(capsys, "articles", "--json")[0]
    assert listed_again["key_points"] == list(opened.key_points) == []
    assert first["title"] == "Rivers rise after a week of rain"
    assert first["url"] == "https://daily.example.org/2024/rivers"
    assert first["author"] == "Sam Reporter"
    assert datetime.fromisoformat(first["published"]) == datetime.fromisoformat(
        "2024-03-04T08:30:00+00:00"
    )
    assert first["summary"] == "Short teaser about the rivers."


def test_articles_filters(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    feed_id = seed(paths)
    seed(paths, "rss091.xml", "https://old.example.org/rss")
    assert len(run_json(capsys, "articles", "--json")) == 5
    assert len(run_json(capsys, "articles", "--json", "--feed", str(feed_id))) == 3
    assert len(run_json(capsys, "articles", "--json", "--feed", FEED, "--limit", "2")) == 2
    assert run_json(capsys, "articles", "--json", "--limit", "0") == []
    found = run_json(capsys, "articles", "--json", "--search", "bridge")
    assert [a["title"] for a in found] == ["Council approves new bridge"]
    assert run_json(capsys, "articles", "--json", "--search", "%_'\"") == []
    library = Library.open(paths, offline=True)
    first = library.reading.article_ids()[0]
    library.reading.set_read(first, True)
    library.reading.set_starred(first, True)
    library.close()
    unread = run_json(capsys, "articles", "--json", "--unread")
    assert len(unread) == 4 and first not in [a["id"] for a in unread]
    assert [a["id"] for a in run_json(capsys, "articles", "--json", "--starred")] == [first]


def test_articles_text(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    seed(paths, "hostile_titles.xml", "https://evil.example.org/feed")
    status, out, _ = run(capsys, "articles")
    assert status == 0
    assert "[@click=app.quit]Quit[/]" in out
    assert "\x1b" not in out


def test_listings_have_a_header_on_a_terminal_only(
    capsys: pytest.CaptureFixture[str], paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(paths)
    piped = {command: run(capsys, command)[1].splitlines() for command in ("feeds", "articles")}
    assert piped["feeds"][0].split()[0] == "1" and piped["articles"][0].split()[0].isdigit()
    assert piped["feeds"][0].endswith(f"  [local]  <{FEED}>")  # its tags, then its address
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")  # (wide enough for every row: see the next test)
    for command, header in (
        ("feeds", "  id  unread/total   title  [tags]  <feed address>"),
        ("articles", "    id    published         feed                      title"),
    ):
        status, out, _ = run(capsys, command)
        lines = out.splitlines()
        assert status == 0 and lines[0].startswith(header), lines[0]
        assert lines[1:] == piped[command]  # the rows as a script reads them
    # The columns line up under their names.
    feed_row, article_row = piped["feeds"][0], piped["articles"][0]
    assert feed_row.index("/") == "  id  unread/total".index("/")
    assert article_row.index(" 20") + 1 == "    id    published".index("published")


def test_rows_fit_the_terminal_and_a_failure_keeps_its_whole_message(
    capsys: pytest.CaptureFixture[str], paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_id = seed(paths)
    library = Library.open(paths, offline=True)
    library.refresher.ingest_document(feed_id, b"{}")  # the feed's last refresh failed
    library.close()
    piped = run(capsys, "feeds")[1].splitlines()
    assert len(piped) == 1 and "FAILED: " in piped[0]  # a script's row keeps its failure
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "40")
    for command in ("feeds", "articles"):
        lines = run(capsys, command)[1].splitlines()
        assert len(lines[1]) == 40 and lines[1].endswith("…"), lines  # cut, not wrapped
        assert len(lines[0]) <= 40, lines  # the header too
    _, row, failure = run(capsys, "feeds")[1].splitlines()
    assert row == piped[0][: len(row) - 1] + "…"
    assert failure.strip() == piped[0][piped[0].index("FAILED: ") :]  # whole, on its own line


def test_articles_unknown_feed(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "articles", "--feed", "nope")
    assert status == 1
    assert "no subscribed feed" in err


def test_a_search_it_cannot_read_is_refused_as_the_reader_says(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    # `--search 'after:2026-13-45'` listed every story with status 0: the term was dropped
    # and nothing else was left to search for. The reader's message, one line, status 1.
    seed(paths)
    date = "readerterm: after:2026-13-45 is not a date; write after:2026-11-01\n"
    for options in ((), ("--json",)):
        assert run(capsys, "articles", *options, "--search", "after:2026-13-45") == (1, "", date)
        named = run(capsys, "articles", *options, "--search", "feed:")
        assert named == (1, "", "readerterm: feed: needs a name, e.g. feed:news\n")
    # Every problem, still one line; and none with the words it could read.
    status, out, err = run(capsys, "articles", "--search", "bridge is:nope before:x")
    assert (status, out) == (1, "") and err.count("\n") == 1
    assert "is:nope is not a state" in err and "before:x is not a date" in err
    found = run_json(capsys, "articles", "--json", "--search", "bridge after:2000-01-01")
    assert [a["title"] for a in found] == ["Council approves new bridge"]


def test_an_empty_listing_says_so_on_stderr(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    no_feeds = "No feeds yet: readerterm add URL subscribes to one.\n"
    assert run(capsys, "articles") == (0, "", no_feeds)  # (refresh would fetch nothing)
    library = Library.open(paths, offline=True)
    library.subscriptions.subscribe(FEED)
    library.close()
    assert run(capsys, "articles") == (0, "", "No stories yet: readerterm refresh fetches them.\n")
    assert run(capsys, "articles", "--unread") == (0, "", "No stories match.\n")
    assert run(capsys, "articles", "--search", "") == (0, "", "No stories match.\n")
    assert run(capsys, "articles", "--json")[1] == "[]\n"


def test_limit_0_lists_nothing_and_says_nothing(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    # `--limit 0` asks for no story, and none is the whole answer (as `head -n 0` gives):
    # it said "No stories match." on stderr, of stories that did match.
    seed(paths)
    assert run(capsys, "articles", "--limit", "0") == (0, "", "")
    assert run(capsys, "articles", "--unread", "--limit", "0") == (0, "", "")
    assert run(capsys, "articles", "--json", "--limit", "0") == (0, "[]\n", "")
    assert run(capsys, "articles", "--unread", "--limit", "1")[0] == 0  # (1 still lists one)


def test_a_search_indexes_everything_a_refresh_left_waiting(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    seed(paths)
    library = Library.open(paths, offline=True)
    try:
        waiting = library.reading.search_pending()
    finally:
        library.close()
    assert waiting == 3  # what ingest stored waits for the index, as after a refresh
    status, out, _ = run(capsys, "articles", "--search", "bridge")
    assert status == 0 and "Council approves new bridge" in out
    library = Library.open(paths, offline=True)
    try:
        assert library.reading.search_pending() == 0  # (listing rows converts no article)
    finally:
        library.close()


def test_a_search_in_another_script_waits_for_entries_an_older_version_made(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    # After the upgrade to schema 10 the old entries are made anew by the reader only,
    # in the background: a command never runs it, so `articles --search タイトル` never
    # found the story. A search in ASCII, which the old entries answer, does not wait.
    seed(paths)
    library = Library.open(paths, offline=True)
    try:
        story = library.reading.article_ids()[0]
        db = library.store.db
        db.execute("UPDATE articles SET title = '日本語のタイトル' WHERE id = ?", (story,))
        library.store.search.index_pending(None)
        db.execute(  # the entry as version 9 made it: the run as one word
            "UPDATE article_search SET title = '日本語のタイトル' WHERE rowid = ?", (story,)
        )
        db.execute("INSERT INTO search_stale (article_id) VALUES (?)", (story,))
    finally:
        library.close()
    status, out, _ = run(capsys, "articles", "--search", "bridge")
    assert status == 0 and "Council approves new bridge" in out
    library = Library.open(paths, offline=True)
    try:
        assert library.reading.search_pending(stale=True) == 1  # (ASCII: no wait)
    finally:
        library.close()
    status, out, _ = run(capsys, "articles", "--search", "タイトル")
    assert status == 0 and "日本語のタイトル" in out
    library = Library.open(paths, offline=True)
    try:
        assert library.reading.search_pending(stale=True) == 0
    finally:
        library.close()
