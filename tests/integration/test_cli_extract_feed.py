"""`extract` given a feed (a URL or a file) says it is a feed and how to subscribe, where it
printed an empty story and exited 0 (for a file: the raw XML as the story's text)."""

from __future__ import annotations

import json
from pathlib import Path

from child import readerterm_env, run_readerterm
from testserver import LocalServer

RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title>'
    "<item><title>One</title><description>Text.</description></item></channel></rss>"
)
JSON_FEED = '{"version": "https://jsonfeed.org/version/1.1", "title": "Daily", "items": []}'


def test_a_feed_url_is_not_a_story(http_server: LocalServer, tmp_path: Path) -> None:
    env = readerterm_env(tmp_path)
    http_server.route("/feed.xml", RSS, content_type="application/rss+xml")
    url = http_server.url("/feed.xml")
    result = run_readerterm(env, "extract", url)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == (
        f"readerterm: {url}: a feed, not one story: `readerterm add {url}` subscribes to it"
    )
    listed = json.loads(run_readerterm(env, "extract", "--json", url).stdout)
    assert listed["error"].startswith("a feed, not one story") and "body" not in listed


ESCAPED_JSON_FEED = JSON_FEED.replace("/", "\\/")  # (PHP's json_encode writes it so)


def test_a_feed_file_is_not_a_story(tmp_path: Path) -> None:
    env = readerterm_env(tmp_path)
    for name, text in (
        ("feed.xml", RSS),
        ("bom.xml", "\ufeff" + RSS),
        ("feed.json", JSON_FEED),
        ("escaped.json", ESCAPED_JSON_FEED),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = run_readerterm(env, "extract", str(path))
        assert result.returncode == 1 and result.stdout == "", result.stdout
        assert "a feed, not one story" in result.stderr and "Traceback" not in result.stderr
    page = tmp_path / "page.html"  # (an XHTML page naming a feed in its head is a page)
    page.write_text(
        '<?xml version="1.0"?><html><head><link rel="alternate" href="/rss"/></head>'
        "<body><p>" + "A sentence of the story. " * 20 + "</p></body></html>",
        encoding="utf-8",
    )
    assert run_readerterm(env, "extract", str(page)).returncode == 0


def test_a_page_with_no_text_is_a_failure_not_an_empty_story(
    http_server: LocalServer, tmp_path: Path
) -> None:
    env = readerterm_env(tmp_path)
    http_server.route(
        "/app", "<html><body><div id=root></div></body></html>", content_type="text/html"
    )
    url = http_server.url("/app")
    result = run_readerterm(env, "extract", "--json", url)
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "source": url,
        "error": "no article text found (built by JavaScript?)",
    }
    menu = tmp_path / "menu.html"
    menu.write_text('<nav><a href="/">Home</a> <a href="/n">News</a></nav>', encoding="utf-8")
    result = run_readerterm(env, "extract", str(menu))
    said = result.stderr.strip()
    assert result.returncode == 1 and said == f"readerterm: {menu}: no article text found"
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    result = run_readerterm(env, "extract", str(empty))
    said = result.stderr.strip()
    assert result.returncode == 1 and said == f"readerterm: {empty}: no article text found"


def test_pages_and_text_that_mention_feeds_are_still_stories(tmp_path: Path) -> None:
    env = readerterm_env(tmp_path)
    sentences = "A sentence of the story that says something. " * 12
    sources = {
        # An HTML5 page may leave out <html>; a custom element's name may start "feed".
        "page.html": "<!doctype html><title>Why</title><feedback-widget></feedback-widget>"
        f"<article><h1>Why</h1><p>{sentences}</p><p>{sentences}</p></article>",
        "guide.txt": f"<rss> is the root element of an RSS document.\n\n{sentences}",
        # A list page: key points and a title, no body text: a story all the same.
        "list.html": "<html><head><title>Ten things</title></head><body><h1>Ten things</h1>"
        "<ul><li>Taxes on fuel rise by two cents a litre from January, the first rise.</li>"
        "<li>Spending on schools grows by four percent, most of it for pay.</li>"
        "<li>The deficit is forecast to fall to two percent of output by 2027.</li></ul>"
        "</body></html>",
    }
    for name, text in sources.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = run_readerterm(env, "extract", "--json", str(path))
        assert result.returncode == 0, (name, result.stdout, result.stderr)
        assert "error" not in json.loads(result.stdout), name
