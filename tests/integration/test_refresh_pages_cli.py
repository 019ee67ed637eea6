"""`readerterm refresh` names the article pages that failed and why: a line each in its
plain output, and objects of their own ("kind": "page") after the feeds' in `--json`.
Real processes against a server on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from child import WAIT, readerterm_env, run_readerterm
from readerterm.cli.output import PAGE_FAILURES_LISTED
from testserver import LocalServer

HTML = "text/html; charset=utf-8"
STORY = "".join(
    f"<p>Paragraph {n} of the harbour story: the council met on Tuesday and agreed that the"
    " old harbour wall would be rebuilt before the winter storms, at a cost of four million"
    " pounds shared between the town and the port.</p>"
    for n in range(1, 7)
)


def feed(server: LocalServer) -> str:
    items = "".join(
        f"<item><guid>{name}</guid><title>{title}</title><link>{server.url(path)}</link>"
        "<description>A short teaser. Read more</description></item>"
        for name, title, path in (
            ("ok", "Harbour wall to be rebuilt", "/ok.html"),
            ("gone", "Ferry timetable changes", "/gone.html"),
        )
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Port news</title>'
        f"<link>{server.url('/')}</link>{items}</channel></rss>"
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        local.route("/feed.xml", feed(local))
        local.route(
            "/ok.html",
            f"<html><head><title>Harbour</title></head><body><article>{STORY}</article></body>"
            "</html>",
            content_type=HTML,
        )
        local.route("/gone.html", "<html><body>Not here</body></html>", status=404)
        yield local


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return readerterm_env(tmp_path)


def readerterm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_readerterm(env, *args, timeout=WAIT)


def test_refresh_names_each_page_that_failed(server: LocalServer, env: dict[str, str]) -> None:
    added = readerterm(env, "add", server.url("/feed.xml"))
    assert added.returncode == 0, added.stderr
    result = readerterm(env, "refresh")
    assert result.returncode == 0, result.stderr  # a page that failed is not a feed that did
    assert "1 article page fetched for offline reading, 1 failed" in result.stdout
    (line,) = [line for line in result.stdout.splitlines() if "FAILED" in line]
    assert "Ferry timetable changes" in line
    assert server.url("/gone.html") in line
    assert "404" in line


def test_refresh_json_lists_the_pages_that_failed_after_the_feeds(
    server: LocalServer, env: dict[str, str]
) -> None:
    assert readerterm(env, "add", server.url("/feed.xml")).returncode == 0
    result = readerterm(env, "refresh", "--json")
    assert result.returncode == 0, result.stderr
    listed = json.loads(result.stdout)
    feeds = [item for item in listed if item["kind"] == "feed"]
    pages = [item for item in listed if item["kind"] == "page"]
    assert listed == feeds + pages
    assert len(feeds) == 1 and feeds[0]["url"] == server.url("/feed.xml")
    assert {"feed_id", "url", "title", "status", "new", "updated", "error"} <= set(feeds[0])
    (page,) = pages
    assert page["url"] == server.url("/gone.html")
    assert page["title"] == "Ferry timetable changes"
    assert page["feed_id"] == feeds[0]["feed_id"]
    assert page["status"] == "failed"
    assert "404" in page["error"]
    assert isinstance(page["article_id"], int)


def test_many_failed_pages_are_named_up_to_ten_then_counted(tmp_path: Path) -> None:
    # A feed of 25 teasers whose pages all fail: ten lines and a count, not 25 lines (a
    # feed of 500 printed 500); --json still lists every one.
    with LocalServer() as local:
        items = "".join(
            f"<item><guid>g{n}</guid><title>Story {n}</title><link>{local.url(f'/p{n}')}</link>"
            "<description>A short teaser. Read more</description></item>"
            for n in range(25)
        )
        local.route(
            "/feed.xml",
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Port news</title>'
            f"<link>{local.url('/')}</link>{items}</channel></rss>",
        )
        for n in range(25):
            local.route(f"/p{n}", "<html><body>Not here</body></html>", status=404)
        plain, as_json = readerterm_env(tmp_path / "plain"), readerterm_env(tmp_path / "json")
        for env in (plain, as_json):
            assert readerterm(env, "add", local.url("/feed.xml")).returncode == 0
        result = readerterm(plain, "refresh")
        assert result.returncode == 0, result.stderr
        failed = [line for line in result.stdout.splitlines() if "FAILED  page" in line]
        assert len(failed) == PAGE_FAILURES_LISTED == 10
        assert "  ... and 15 more pages failed (refresh --json lists every one)" in result.stdout
        listed = json.loads(readerterm(as_json, "refresh", "--json").stdout)
        assert len([item for item in listed if item["kind"] == "page"]) == 25
