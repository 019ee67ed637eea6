"""Issue 20: a title, an author or a feed's name is stored shortened, however long the
feed sends it (a 5 MB title was one 5 MB line in `readerterm articles`).

Through a real refresh from a feed served on 127.0.0.1 and the CLI's output; the sync
path stores through the same `feeds.update.plan`, checked here directly.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from in_process import QUIET_CONFIG, run_main, use_home
from readerterm.feeds.rows import MAX_AUTHOR, MAX_TITLE, shortened
from readerterm.feeds.update import plan
from readerterm.models import ParsedArticle, ParsedFeed
from readerterm.paths import Paths
from testserver import LocalServer

LONG_TITLE = "Headline " * 600_000  # 5.4 MB
LONG_AUTHOR = "Writer " * 20_000
LONG_NAME = "Channel " * 200_000
LINE = MAX_TITLE + 200
"""The longest line a list may print: a title or a name, plus its columns."""


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    return use_home(tmp_path, monkeypatch, config=QUIET_CONFIG)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, *argv)


def stored(paths: Paths, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(paths.database)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def assert_shortened(text: object, limit: int, word: str) -> None:
    assert isinstance(text, str)
    assert len(text) <= limit and text.endswith("…"), (len(text), text[-40:])
    assert text[:-1].rstrip().endswith(word), text[-40:]  # cut after a whole word
    assert len(text) > limit * 0.8


def test_a_refresh_stores_long_titles_names_and_authors_shortened(
    paths: Paths, http_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    http_server.route(
        "/feed.xml",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{LONG_NAME}</title>'
        f"<item><guid>1</guid><title>{LONG_TITLE}</title><author>{LONG_AUTHOR}</author>"
        "<description>A short story.</description></item>"
        "<item><guid>2</guid><title>A short title</title></item></channel></rss>",
    )
    status, out, err = run(capsys, "add", http_server.url("/feed.xml"))
    assert status == 0, err
    assert len(out) < 2 * LINE, len(out)

    ((name,),) = stored(paths, "SELECT title FROM feeds")
    assert_shortened(name, MAX_TITLE, "Channel")
    (long_one, short_one) = stored(paths, "SELECT title, author FROM articles ORDER BY guid")
    assert_shortened(long_one[0], MAX_TITLE, "Headline")
    assert_shortened(long_one[1], MAX_AUTHOR, "Writer")
    assert short_one == ("A short title", None)

    for command in ("articles", "feeds"):
        status, out, err = run(capsys, command)
        assert status == 0, err
        assert max(len(line) for line in out.splitlines()) <= LINE, command


def test_a_name_given_on_the_command_line_is_shortened(
    paths: Paths, http_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    http_server.route(
        "/feed.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Short</title></channel></rss>',
    )
    status, _, err = run(capsys, "add", http_server.url("/feed.xml"), "--title", LONG_NAME)
    assert status == 0, err
    ((user_title,),) = stored(paths, "SELECT user_title FROM feeds")
    assert_shortened(user_title, MAX_TITLE, "Channel")


def test_the_plan_a_sync_stores_through_shortens_too() -> None:
    now = datetime.now(UTC)
    article = ParsedArticle(
        guid="1",
        url=None,
        title=LONG_TITLE,
        author=LONG_AUTHOR,
        published=None,
        summary_html="",
        content_html="<p>Body</p>",
    )
    prepared = plan(
        ParsedFeed(title=LONG_NAME, site_url=None, articles=(article,)), known=(), now=now
    )
    assert_shortened(prepared.title, MAX_TITLE, "Channel")
    (row,) = prepared.articles
    assert_shortened(row.title, MAX_TITLE, "Headline")
    assert_shortened(row.author, MAX_AUTHOR, "Writer")


def test_shortened_cuts_text_without_spaces_at_the_limit() -> None:
    assert shortened("short", 10) == "short"
    assert shortened("界" * 50, 10) == "界" * 9 + "…"
    assert shortened("a " * 3 + "b" * 50, 10) == "a a a bbb…"
