"""Issue 6, config and command line: hostile config files, OPML files and `add` URLs.

Every command runs as a real `python -m readerterm` process with READERTERM_*_DIR in a
temporary directory. Nothing reaches the network: the only server is on 127.0.0.1.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from child import WAIT, database, readerterm_env, run_readerterm
from readerterm.errors import StoreError
from readerterm.library import Library
from readerterm.store import Store
from testserver import LocalServer

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
    b"<item><guid>1</guid><title>One story</title></item></channel></rss>"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return readerterm_env(tmp_path)


def readerterm(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_readerterm(env, *args, timeout=WAIT)


def config_file(env: dict[str, str]) -> Path:
    return Path(env["READERTERM_CONFIG_DIR"]) / "config.toml"


def stored_feed_urls(env: dict[str, str]) -> list[str]:
    """What the database holds, read directly (no readerterm code involved)."""
    if not database(env).exists():
        return []
    connection = sqlite3.connect(database(env))
    try:
        return [row[0] for row in connection.execute("SELECT url FROM feeds ORDER BY id")]
    finally:
        connection.close()


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    message = result.stderr.strip()
    assert "Traceback" not in result.stderr, result.stderr
    assert "\n" not in message, message
    assert message.startswith("readerterm: "), message
    for word in words:
        assert word in message, (word, message)
    return message


# --- config ---------------------------------------------------------------------------------


def write_config(env: dict[str, str], text: str) -> Path:
    path = config_file(env)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[settings]\ntheme = "dark\n', ["invalid TOML", "line 2"]),
        ("[settings]\ntheme = 'a'\ntheme = 'b'\n", ["invalid TOML", "line 3"]),
        ("[[feeds]]\nurl = https://example.org/feed\n", ["invalid TOML", "line 2"]),
        ("\n\n\n[keys\n", ["invalid TOML", "line 4"]),
    ],
    ids=["unterminated-string", "duplicate-key", "bare-url", "unclosed-table"],
)
def test_invalid_toml_names_the_file_and_the_line(
    env: dict[str, str], text: str, words: list[str]
) -> None:
    path = write_config(env, text)

    result = readerterm(env, "feeds")

    assert_one_line_error(result, str(path), *words)
    assert not database(env).exists()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[setings]\ntheme = 'nord'\n", "setings"),
        ("[settings]\nthemes = 'nord'\n", "settings.themes"),
        (
            "[[feeds]]\nurl = 'https://a.test/feed'\ncommand = 'rm -rf ~'\n",
            "command in [[feeds]] entry 1",
        ),
        ("[[filters]]\ntitle = 'ad'\nexec = 'sh'\n", "exec in [[filters]] entry 1"),
    ],
)
def test_unknown_keys_are_named(env: dict[str, str], text: str, key: str) -> None:
    path = write_config(env, text)

    result = readerterm(env, "feeds")

    assert_one_line_error(result, str(path), "unknown key", key)
    assert not database(env).exists()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[settings]\nrefresh_on_start = 'yes'\n", "settings.refresh_on_start"),
        ("[settings]\ntheme = 7\n", "settings.theme"),
        ("[settings]\nbrowser = 5\n", "settings.browser"),
        ("settings = 3\n", "settings"),
        ("[keys]\ntoggle-read = 5\n", "keys.toggle-read"),
        ("feeds = 'https://a.test/feed'\n", "feeds"),
        ("[[feeds]]\nurl = 5\n", "url in [[feeds]] entry 1"),
        ("[[feeds]]\nurl = 'file:///etc/passwd'\n", "url in [[feeds]] entry 1"),
        ("[[feeds]]\nurl = 'javascript:alert(1)'\n", "url in [[feeds]] entry 1"),
        ("[[feeds]]\nurl = 'https://a.test/'\ntags = 'news'\n", "tags in [[feeds]] entry 1"),
        (
            "[[feeds]]\nurl = 'https://a.test/'\nfetch_pages = true\n",
            "fetch_pages in [[feeds]] entry 1",
        ),
        ("[[filters]]\nregex = '('\n", "regex in [[filters]] entry 1"),
        ("[searches]\nmine = 3\n", "searches.mine"),
    ],
)
def test_wrong_types_and_values_are_named(env: dict[str, str], text: str, key: str) -> None:
    path = write_config(env, text)

    result = readerterm(env, "feeds")

    assert_one_line_error(result, str(path), key)
    assert stored_feed_urls(env) == []


def test_a_config_that_is_a_folder(env: dict[str, str]) -> None:
    path = config_file(env)
    path.mkdir(parents=True)

    result = readerterm(env, "feeds")

    assert_one_line_error(result, str(path))


# --- OPML -------------------------------------------------------------------------------------


def opml(*outlines: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>mine</title>'
        f"</head><body>{''.join(outlines)}</body></opml>\n"
    )


def outline(url: str, title: str = "A feed", **extra: str) -> str:
    attributes = "".join(f" {name}={quoteattr(value)}" for name, value in extra.items())
    return f'<outline type="rss" text={quoteattr(title)} xmlUrl={quoteattr(url)}{attributes}/>'


def import_file(env: dict[str, str], tmp_path: Path, content: str | bytes) -> tuple[int, str, str]:
    path = tmp_path / "subscriptions.opml"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    result = readerterm(env, "import", str(path))
    return result.returncode, result.stdout, result.stderr


def test_opml_with_commands_urls_and_newlines_imports_only_http_feeds(
    env: dict[str, str], tmp_path: Path, http_server: LocalServer
) -> None:
    marker = tmp_path / "pwned"
    touch = f"touch {marker}"
    http_server.route("/feed.xml", RSS)
    good = http_server.url("/feed.xml")
    odd_but_http = http_server.url("/feed.xml?q=$(id)`id`;id|id")
    document = opml(
        outline(good, f"$({touch})", htmlUrl=f"`{touch}`", description=f"; {touch}"),
        outline(odd_but_http, "Shell in the query"),
        outline(f"|{touch}", "A pipe"),
        outline(f"`{touch}`", "Backticks"),
        outline(f"$({touch})", "Substitution"),
        outline("file:///etc/passwd", "Local file"),
        outline("javascript:alert(1)", "Script"),
        outline("ftp://127.0.0.1/feed", "FTP"),
        outline("data:text/xml,<rss/>", "Data"),
        outline(f"{good}\n{touch}", "Newline"),
        outline(good.replace("feed.xml", "x.xml&#10;rm -rf ~"), "Escaped newline"),
        outline(f"-{good}", "Leading dash"),
        '<outline type="rss" text="Podcast" xmlUrl="http://127.0.0.1:1/p.xml" '
        f'download_command="{touch}" exec="{touch}"/>',
    ).replace("&amp;#10;", "&#10;")

    code, out, err = import_file(env, tmp_path, document)

    assert code == 0, err
    assert "Traceback" not in err
    urls = stored_feed_urls(env)
    assert urls == [good, odd_but_http, "http://127.0.0.1:1/p.xml"]
    for skipped in ("file:///etc/passwd", "javascript:alert(1)", "ftp://127.0.0.1/feed"):
        assert skipped in out
    listing = readerterm(env, "feeds", "--json")
    titles = {feed["url"]: feed["title"] for feed in json.loads(listing.stdout)}
    assert titles[good] == f"$({touch})"  # kept as text, never run
    refreshed = readerterm(env, "refresh", "--no-pages", "--json", good, odd_but_http)
    assert {r["status"] for r in json.loads(refreshed.stdout)} == {"updated"}
    exported = readerterm(env, "export")
    assert exported.returncode == 0
    assert not marker.exists()


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        '<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE opml [<!ENTITY x SYSTEM "http://127.0.0.1:9/evil.dtd">]>',
        '<!DOCTYPE opml SYSTEM "http://127.0.0.1:9/evil.dtd">',
    ],
    ids=["billion-laughs", "external-file", "external-http", "external-dtd"],
)
def test_opml_entity_attacks_are_refused_and_nothing_is_imported(
    env: dict[str, str], tmp_path: Path, prolog: str
) -> None:
    document = opml(outline("https://a.test/feed", "&d;"), outline("https://b.test/feed"))
    document = document.replace("<opml", prolog + "<opml", 1)

    code, _, err = import_file(env, tmp_path, document)

    assert code == 1
    assert "Traceback" not in err
    assert "DTD" in err or "entit" in err
    assert stored_feed_urls(env) == []


def test_opml_nested_100000_deep_does_not_crash(env: dict[str, str], tmp_path: Path) -> None:
    depth = 100_000
    document = opml(
        outline("https://shallow.test/feed", "Shallow"),
        '<outline text="folder">' * depth
        + outline("https://deep.test/feed", "Deep")
        + "</outline>" * depth,
    )

    code, out, err = import_file(env, tmp_path, document)

    assert code == 0, err
    assert "Traceback" not in err and "RecursionError" not in err
    assert stored_feed_urls(env) == ["https://shallow.test/feed"]
    assert "nested too deeply" in out


def test_a_broken_opml_file_imports_nothing(env: dict[str, str], tmp_path: Path) -> None:
    document = opml(*(outline(f"https://site{i}.test/feed") for i in range(50)))
    broken = document[: len(document) * 2 // 3]  # cut off in the middle of the outlines

    code, _, err = import_file(env, tmp_path, broken)

    assert code == 1
    assert "Traceback" not in err and "not a valid OPML file" in err
    assert stored_feed_urls(env) == []


def test_an_import_that_fails_part_way_leaves_nothing(tmp_path: Path) -> None:
    library = Library(Store(tmp_path / "readerterm.db"))
    try:
        connection: sqlite3.Connection = library.store.db  # a per-connection size limit
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 3}")
        long_title = "A rather long feed title " * 20
        document = opml(*(outline(f"https://site{i}.test/feed", long_title) for i in range(500)))

        with pytest.raises(StoreError):
            library.subscriptions.import_opml(document.encode())

        assert library.subscriptions.feeds() == []
    finally:
        library.close()


# --- add with URLs that are not feeds -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("javascript:alert(1)", ["only http:// and https://", "javascript:alert(1)"]),
        ("file:///etc/passwd", ["only http:// and https://", "file:///etc/passwd"]),
        ("ftp://127.0.0.1/feed.xml", ["only http:// and https://"]),
        ("-rf", ["only http:// and https://", "-rf"]),
        ("http://", ["not a valid feed URL"]),
        ("https:///feed.xml", ["not a valid feed URL"]),
        ("http://127.0.0.1:1/feed\nrm -rf ~", ["not a valid feed URL"]),
        ("http://127.0.0.1:1/feed\x1b]0;pwned\x07", ["not a valid feed URL"]),
        ("http://[::1", ["not a valid URL"]),
        # Tried as https://, then http:// (issue 18); neither answers here, nothing stored.
        ("example.invalid/feed.xml", ["https://example.invalid/feed.xml", "not subscribed"]),
    ],
    ids=[
        "javascript",
        "file",
        "ftp",
        "dash-rf",
        "no-host",
        "empty-host",
        "newline",
        "escape",
        "bad-ipv6",
        "no-scheme",
    ],
)
def test_add_refuses_invalid_urls_before_storing_anything(
    env: dict[str, str], url: str, words: list[str]
) -> None:
    result = readerterm(env, "add", "--", url)

    message = assert_one_line_error(result, *words)
    assert "\x1b" not in message and "\x07" not in message
    assert stored_feed_urls(env) == []


def test_add_with_a_dash_url_is_an_option_error_not_a_url(env: dict[str, str]) -> None:
    result = readerterm(env, "add", "-rf")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert stored_feed_urls(env) == []


def test_add_of_a_page_that_is_not_a_feed_stores_nothing(
    env: dict[str, str], http_server: LocalServer
) -> None:
    http_server.route(
        "/login", b"<html><body><form>Sign in</form></body></html>", content_type="text/html"
    )

    result = readerterm(env, "add", http_server.url("/login"))

    assert_one_line_error(result, "not subscribed")
    assert stored_feed_urls(env) == []


def test_add_of_a_real_feed_on_the_local_server(
    env: dict[str, str], http_server: LocalServer
) -> None:
    http_server.route("/feed.xml", RSS)

    result = readerterm(env, "add", http_server.url("/feed.xml"))

    assert result.returncode == 0, result.stderr
    assert stored_feed_urls(env) == [http_server.url("/feed.xml")]
