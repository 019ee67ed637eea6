"""What `add`, `refresh` and `feeds` say of an address that gives no feed: what it gave,
in words ("not a feed: the server sent text/markdown"), where they quoted the XML
parser ("not a feed: <unknown>:2:1: not well-formed (invalid token)")."""

from __future__ import annotations

import json
from pathlib import Path

from child import readerterm_env, run_readerterm
from testserver import LocalServer

RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title>'
    "<item><title>One</title><description>Text.</description></item></channel></rss>"
)
MARKDOWN = "# readerterm\n\nA terminal news reader: it pulls your feeds.\n\n* one\n* two\n"
FORCE = "(use --force to add it anyway)"


def test_add_says_what_the_address_gave(http_server: LocalServer, tmp_path: Path) -> None:
    env = readerterm_env(tmp_path)
    http_server.route("/README.md", MARKDOWN, content_type="text/markdown")
    http_server.route("/notes", MARKDOWN, content_type=None)
    http_server.route("/logo", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type=None)
    http_server.route("/broken.xml", "<?xml version='1.0'?>\n<a><b></a>")
    said = {
        "/README.md": "not a feed: the server sent text/markdown",
        "/notes": "not a feed: the server sent plain text",
        "/logo": "not a feed: the server sent binary data",
        "/broken.xml": "not a feed: the XML is broken (a closing tag that does not match its"
        " opening tag at line 2, column 9)",
    }
    for path, reason in said.items():
        url = http_server.url(path)
        result = run_readerterm(env, "add", url)
        assert result.returncode == 1, result.stderr
        assert result.stderr == f"readerterm: {url}: {reason}; not subscribed {FORCE}\n"
    assert run_readerterm(env, "feeds").stdout == ""


def test_a_feed_that_turns_into_another_document_says_so(
    http_server: LocalServer, tmp_path: Path
) -> None:
    env = readerterm_env(tmp_path)
    http_server.route("/feed", RSS, content_type="application/rss+xml")
    url = http_server.url("/feed")
    assert run_readerterm(env, "add", url).returncode == 0
    http_server.route("/feed", MARKDOWN, content_type="text/markdown; charset=utf-8")
    reason = "not a feed: the server sent text/markdown"
    result = run_readerterm(env, "refresh", "--no-pages")
    assert result.returncode == 1
    assert f"  FAILED  Daily <{url}>: {reason}\n" in result.stdout
    listed = run_readerterm(env, "feeds").stdout  # (the error stored, as the reader shows it)
    assert listed.endswith(f"Daily  <{url}>  FAILED: {reason}\n"), listed
    (feed,) = json.loads(run_readerterm(env, "feeds", "--json").stdout)
    assert feed["error"] == reason
