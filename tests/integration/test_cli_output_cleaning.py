"""Issue 20: nothing from outside reaches the terminal raw through a command's output.

Every command's plain output (and its errors) is given a payload of OSC (window title,
clipboard write), CSI (screen clear), an 8-bit CSI and bidi overrides, from a real page
served on 127.0.0.1 or from what a cache holds (written with sqlite3 as a damaged or older
cache would hold it), and must show the visible text without any of those characters.
`--json` must not write them raw either (json.dumps escapes C0 controls, not C1 or bidi).
The commands run in-process through readerterm.__main__.main.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from in_process import QUIET_CONFIG, run_main, use_home
from readerterm.paths import Paths
from testserver import LocalServer

PAYLOAD = "\x1b]0;PWNED\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31m\x9d0;x\x9c\u202e\u2066"
"""Window title, clipboard write, screen clear, 8-bit CSI and OSC, right-to-left override
and isolate."""
XML_PAYLOAD = "\x9b31m\x9d0;x\x9c\u202e\u2066"
"""What of PAYLOAD an XML document can hold (no C0 control, not even as &#x1b;)."""
BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def evil(word: str) -> str:
    """`word`'s visible text with the payload in its middle: "Evil <payload>word"."""
    return f"Evil {PAYLOAD}{word}"


def assert_clean(text: str, *visible: str) -> None:
    """No control character but newline and tab, no bidi mark; each of `visible` is there."""
    bad = [
        ch for ch in text if ch in BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    ]
    assert not bad, (bad, text[:2000])
    for words in visible:
        assert words in text, (words, text[:2000])


def assert_clean_json(text: str) -> object:
    """Escaped, not raw: the same checks as plain output, and it still parses."""
    assert_clean(text)
    return json.loads(text)


def rss(title: str, link: str, description: str = "A long enough story body.") -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
        f"<link>http://127.0.0.1/</link><item><guid>1</guid><title>{title}</title>"
        f"<link>{link}</link><description>{description}</description></item></channel></rss>"
    )


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    return use_home(tmp_path, monkeypatch, config=QUIET_CONFIG)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    return run_main(capsys, *argv)


def write(paths: Paths, sql: str, *parameters: object) -> None:
    """Write into the cache as a damaged or older readerterm might have left it."""
    connection = sqlite3.connect(paths.database)
    try:
        connection.execute(sql, parameters)
        connection.commit()
    finally:
        connection.close()


@pytest.fixture
def hostile(
    paths: Paths, http_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> Iterator[LocalServer]:
    """One feed subscribed from the server, one stored story opened once; then the cache's
    feed name, error, story title, author, body and key points carry the payload."""
    http_server.route("/feed.xml", rss("A story", http_server.url("/missing.html")))
    status, _, err = run(capsys, "add", http_server.url("/feed.xml"))
    assert status == 0, err
    assert run(capsys, "show", "1")[0] == 0  # converted and stored: show reads it back
    write(paths, "UPDATE feeds SET user_title = ?, error = ?", evil("Feed"), evil("Error"))
    write(paths, "UPDATE articles SET title = ?, author = ?", evil("Story"), evil("Author"))
    write(
        paths,
        "UPDATE article_texts SET body = ?, key_points = ?",
        f"{evil('Body')}\n\n  {evil('Indented')}",
        json.dumps([evil("Point")]),
    )
    yield http_server


# -- add: the page's other feeds, as the page wrote their links ------------------------------


def test_add_page_lists_the_other_feeds_cleaned(
    paths: Paths, http_server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    http_server.route("/feed.xml", rss("A story", "http://127.0.0.1/a"))
    http_server.route(
        "/page.html",
        '<!doctype html><html><head><link rel="alternate" type="application/rss+xml"'
        ' href="/feed.xml" title="Main">'
        f'<link rel="alternate" type="application/atom+xml" href="/comments{PAYLOAD}.xml">'
        f'<link rel="alternate" type="application/rss+xml" href="/{PAYLOAD}more.xml">'
        "</head><body>A page</body></html>",
        content_type="text/html; charset=utf-8",
    )

    status, out, err = run(capsys, "add", http_server.url("/page.html"))

    assert status == 0, err
    assert_clean(out + err, "Subscribed to Local news", "comments.xml", "more.xml")
    assert "also offers" in out


# -- what the cache holds, through each command -----------------------------------------------


def test_feeds_prints_names_links_and_errors_cleaned(
    hostile: LocalServer, paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    write(paths, "UPDATE feeds SET url = ?", f"http://127.0.0.1/{evil('Link')}")
    status, out, err = run(capsys, "feeds")
    assert status == 0, err
    assert_clean(out + err, "Evil Feed", "<http://127.0.0.1/Evil Link>", "FAILED: Evil Error")
    assert_clean_json(run(capsys, "feeds", "--json")[1])


def test_articles_lists_titles_cleaned(
    hostile: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "articles")
    assert status == 0, err
    assert_clean(out + err, "Evil Story", "Evil Feed")
    (story,) = assert_clean_json(run(capsys, "articles", "--json")[1])  # type: ignore[misc]
    assert story["title"] == evil("Story")  # the value is kept; only its form is escaped


def test_show_prints_title_points_and_body_cleaned(
    hostile: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "show", "1")
    assert status == 0, err
    assert_clean(out + err, "Evil Story", "  - Evil Point", "Evil Body", "Evil Indented")
    assert_clean_json(run(capsys, "show", "--json", "1")[1])


def test_refresh_names_failed_feeds_and_pages_cleaned(
    hostile: LocalServer, paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile.route("/feed.xml", "down", status=500)
    status, out, err = run(capsys, "refresh")
    assert status == 1
    assert_clean(out + err, "FAILED  Evil Feed", "HTTP 500", "FAILED  page 'Evil Story'")
    write(paths, "UPDATE article_texts SET page_error = NULL")  # the page is tried again
    listed = assert_clean_json(run(capsys, "refresh", "--json")[1])
    assert [item["kind"] for item in listed] == ["feed", "page"]  # type: ignore[attr-defined]


def test_export_writes_names_cleaned(
    hostile: LocalServer, paths: Paths, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, err = run(capsys, "export")
    assert status == 0, err
    assert_clean(out + err, "Evil Feed")
    status, _, err = run(capsys, "export", str(tmp_path / "out.opml"))
    assert status == 0, err
    assert_clean((tmp_path / "out.opml").read_text(encoding="utf-8"), "Evil Feed")


def test_import_report_lines_are_cleaned(
    hostile: LocalServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = tmp_path / "mine.opml"
    url = hostile.url("/feed.xml")
    document.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        f'<outline type="rss" text="again" xmlUrl="{url}"/>'
        f'<outline type="rss" text="bad" xmlUrl="http://{XML_PAYLOAD}.test/x"/>'
        "</body></opml>",
        encoding="utf-8",
    )
    status, out, err = run(capsys, "import", str(document))
    assert status == 0, err
    assert_clean(out + err, "Imported 0 feeds; 1 already subscribed.", "skipped:")


def test_remove_names_the_feed_cleaned(
    hostile: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "remove", "1")
    assert status == 0, err
    assert_clean(out + err, "Removed Evil Feed")


def test_mark_reports_cleaned(hostile: LocalServer, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "mark", "read", "1", "7")
    assert status == 1
    assert_clean(out + err, "1 article marked read", "no article with id 7")
    status, out, err = run(capsys, "mark", "read", f"1{PAYLOAD}")
    assert status == 1
    assert_clean(out + err, "not an article id")


# -- extract: a page, a file and a file name ----------------------------------------------------


def test_extract_prints_page_and_errors_cleaned(
    paths: Paths, http_server: LocalServer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    paragraph = f"<p>{evil('Paragraph')} with enough words to be kept as the body text.</p>"
    http_server.route(
        "/story.html",
        f"<html><head><title>{evil('Headline')}</title></head><body><article>"
        f"<h1>{evil('Headline')}</h1>{paragraph * 6}</article></body></html>",
        content_type="text/html; charset=utf-8",
    )
    text_file = tmp_path / "notes.txt"
    text_file.write_text(f"- {evil('Bullet')}\n- second\n\n{evil('Text')} body.\n", "utf-8")
    missing = str(tmp_path / f"gone{PAYLOAD}.html")

    status, out, err = run(
        capsys, "extract", http_server.url("/story.html"), str(text_file), missing
    )

    assert status == 1  # the missing file
    # (A page's HTML loses its raw controls in the HTML parser, before readerterm's cleaning
    # sees it, so the page's visible words are checked one by one.)
    assert_clean(out + err, "Headline", "Paragraph", "Evil Bullet", "Evil Text", "gone.html")
    for line in run(capsys, "extract", "--json", str(text_file), missing)[1].splitlines():
        assert_clean_json(line)


# -- sync: the server's account line and errors -----------------------------------------------


def test_sync_status_and_errors_are_cleaned(
    paths: Paths,
    http_server: LocalServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths.config_file.write_text(
        '[settings]\nrefresh_on_start = false\n\n[sync]\nservice = "greader"\n'
        f'url = "{http_server.url("/api/greader.php")}"\nusername = "me"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("READERTERM_SYNC_PASSWORD", "secret")
    status, out, err = run(capsys, "sync")
    assert status == 1
    assert_clean(out + err, "readerterm: ")
    assert_clean_json(run(capsys, "sync", "--json")[1])
    write(paths, "UPDATE sync_account SET last_error = ?, username = ?", evil("Sync"), evil("User"))
    status, out, err = run(capsys, "feeds")
    assert status == 0, err
    assert_clean(out + err, "Evil User", "FAILED", "Evil Sync")


# -- a damaged cache: bytes that are not UTF-8, quoted by SQLite's decode error ----------------


def test_damaged_bytes_in_the_cache_are_read_as_replacement_characters_and_cleaned(
    hostile: LocalServer, paths: Paths, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text that is not UTF-8 (SQLite's decode error quoted it raw, escapes and all) is read
    with U+FFFD in place of the bad bytes and cleaned: the listings still work."""
    damaged = b"A\xff" + PAYLOAD.encode("utf-8") + b"\xfe\x1b[2J" * 20_000 + b"Z"
    write(paths, "UPDATE feeds SET user_title = CAST(? AS TEXT)", damaged)
    write(paths, "UPDATE articles SET title = CAST(? AS TEXT)", damaged)
    for command in (["feeds"], ["articles"], ["feeds", "--json"], ["articles", "--json"]):
        status, out, err = run(capsys, *command)
        assert status == 0, (command, err[:300])
        assert err == ""
        assert_clean(out, "A\ufffd")
