"""The command line, run in-process through readerterm.__main__.main, never on the network:
the parser and its usage errors, add, remove, feeds and an offline refresh. `articles` is
in test_cli_articles.py; the commands that read or write files (extract, import, export,
--config) are in test_cli_files.py."""

from __future__ import annotations

from datetime import datetime

import pytest
from cli_home import (
    FEED,
    offline_home,  # noqa: F401  (the autouse fixture `paths`)
    run,
    run_json,
    seed,
    stored_urls,
)

from readerterm import __version__
from readerterm.__main__ import main
from readerterm.library import Library
from readerterm.paths import Paths

FEED_KEYS = {"id", "url", "title", "tags", "unread", "last_refresh", "error"}


# --- the parser ----------------------------------------------------------------------------


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.strip() == f"readerterm {__version__}"


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    out = capsys.readouterr().out
    for command in ("add", "remove", "feeds", "refresh", "articles", "extract", "import", "export"):
        assert command in out
    assert "READERTERM_OFFLINE" in out


@pytest.mark.parametrize("command", ["add", "articles", "extract", "export"])
def test_command_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert "example:" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], ["add"], ["extract"], ["articles", "--limit", "many"], ["feeds", "--nope"]],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "usage", "said"),
    [
        (["feeds", "--nope"], "feeds", " feeds: error: unrecognized arguments: --nope"),
        (["--demo", "feeds"], "[-h]", ": error: --demo opens the reader on sample"),
        (["--demo", "--nope"], "[-h]", ": error: unrecognized arguments: --nope"),
        (["--nope", "feeds"], "[-h]", ": error: unrecognized arguments: --nope"),
    ],
)
def test_a_usage_error_shows_the_usage_of_its_command(
    capsys: pytest.CaptureFixture[str], argv: list[str], usage: str, said: str
) -> None:
    """`feeds --nope` showed the top-level usage; `--demo feeds` opened the full-screen
    reader, even into a pipe, and dropped the command."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.startswith(f"usage: readerterm {usage} ")
    assert f"\nreaderterm{said}" in err


@pytest.mark.parametrize("limit", ["-5", "ten"])
def test_a_limit_that_is_not_a_count_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["articles", "--limit", limit])
    assert caught.value.code == 2
    assert "is not a count (0 or more)" in capsys.readouterr().err


def test_non_utf8_arguments_do_not_crash(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    """Bytes that are not UTF-8 on the command line reach Python as lone surrogates
    (e.g. a Latin-1 terminal typing `--title café`); they must give a message or be
    cleaned, never a traceback."""
    status, _, err = run(capsys, "add", FEED, "--offline", "--force", "--title", "caf\udce9")
    assert status in (0, 1), err
    status, _, err = run(capsys, "articles", "--search", "caf\udce9")
    assert status in (0, 1), err


# --- add / remove / feeds -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["ftp://x", "file:///etc/passwd", "javascript:alert(1)", "not-a-url", "-https://x.org"]
)
def test_add_invalid_url(capsys: pytest.CaptureFixture[str], paths: Paths, url: str) -> None:
    status, _, err = run(capsys, "add", "--force", "--", url)
    assert status == 1
    assert "http" in err
    assert err.startswith("readerterm: ")
    assert "Traceback" not in err
    assert stored_urls(paths) == []


def test_add_offline_with_force(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    status, out, _ = run(
        capsys, "add", FEED, "--offline", "--force", "--title", "Daily", "--tag", "a", "--tag", "b"
    )
    assert status == 0
    assert FEED in out
    (feed,) = run_json(capsys, "feeds", "--json")
    assert feed["url"] == FEED
    assert feed["title"] == "Daily"
    assert feed["tags"] == ["a", "b"]


def test_add_offline_without_force_stores_nothing(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    status, _, err = run(capsys, "add", FEED, "--offline")
    assert status == 1
    assert "--force" in err
    assert stored_urls(paths) == []


def test_offline_environment_is_the_same_as_the_option(
    capsys: pytest.CaptureFixture[str], paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READERTERM_OFFLINE", "1")
    status, _, err = run(capsys, "add", FEED)
    assert status == 1
    assert "offline" in err
    assert stored_urls(paths) == []


def test_add_twice(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    assert run(capsys, "add", FEED, "--offline", "--force")[0] == 0
    status, _, err = run(capsys, "add", FEED, "--offline", "--force")
    assert status == 1
    assert "already subscribed" in err


def test_feeds_json_keys(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    assert run_json(capsys, "feeds", "--json") == []
    seed(paths)
    (feed,) = run_json(capsys, "feeds", "--json")
    assert set(feed) >= FEED_KEYS
    assert feed["url"] == FEED
    assert feed["title"] == "Full Text Daily"
    assert feed["tags"] == ["local"]
    assert feed["unread"] == 3
    assert feed["error"] is None
    assert datetime.fromisoformat(feed["last_refresh"]).tzinfo is not None


def test_feeds_json_reports_the_last_error(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    feed_id = seed(paths)
    library = Library.open(paths, offline=True)
    library.refresher.ingest_document(feed_id, b"{}")
    library.close()
    (feed,) = run_json(capsys, "feeds", "--json")
    assert "JSON" in feed["error"]
    assert feed["unread"] == 3
    status, out, _ = run(capsys, "feeds")
    assert status == 0
    assert "FAILED" in out and "JSON" in out


def test_feeds_text_when_empty(capsys: pytest.CaptureFixture[str]) -> None:
    # On stderr, as for `articles`: a script counting the lines of stdout counts none.
    assert run(capsys, "feeds") == (0, "", "No feeds yet: readerterm add URL subscribes to one.\n")


def test_remove_by_id_and_by_url(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    feed_id = seed(paths)
    seed(paths, "rss091.xml", "https://old.example.org/rss")
    starred = run_json(capsys, "articles", "--json", "--feed", str(feed_id))[0]["id"]
    assert run(capsys, "mark", "star", str(starred))[0] == 0
    status, out, _ = run(capsys, "remove", str(feed_id))
    assert status == 0
    assert "Removed" in out and FEED in out
    assert out.rstrip().endswith("and its 3 articles, 1 of them starred.")  # (said nothing)
    assert stored_urls(paths) == ["https://old.example.org/rss"]
    assert run(capsys, "remove", "https://old.example.org/rss")[0] == 0
    assert stored_urls(paths) == []
    assert run_json(capsys, "articles", "--json") == []


def test_remove_unknown_feed(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "remove", "42")
    assert status == 1
    assert "no subscribed feed matches" in err


# --- refresh (offline only) ----------------------------------------------------------------------


def test_refresh_offline(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    seed(paths)
    results = run_json(capsys, "refresh", "--offline", "--json")
    assert [(r["url"], r["status"]) for r in results] == [(FEED, "skipped")]
    status, out, _ = run(capsys, "refresh", "--offline")
    assert status == 0
    assert "1 skipped" in out
    assert len(run_json(capsys, "articles", "--json")) == 3  # the cache is untouched


def test_a_long_feed_name_is_cut_with_an_ellipsis_in_articles() -> None:
    from readerterm.cli.commands import cut

    assert cut("The Field Notebook — Science", 24) == "The Field Notebook — Sc…"
    assert cut("Circuit Weekly", 24) == "Circuit Weekly" + " " * 10
    # A wide character takes two columns: the column still lines up.
    assert cut("東京新聞ニュース速報と解説", 24) == "東京新聞ニュース速報と…" + " "
    assert cut("東京新聞", 24) == "東京新聞" + " " * 16


@pytest.mark.parametrize(
    ("argv", "told"),
    [
        (("show", "9223372036854775808"), "not an article id: '9223372036854775808'"),
        (("mark", "read", "100000000000000000000"), "not an article id"),
        (("show", "²"), "not an article id: '²'"),
        (("remove", "²"), "no subscribed feed matches '²'"),
        (("articles", "--feed", "²"), "no subscribed feed matches '²'"),
        (("refresh", "99999999999999999999"), "no subscribed feed matches"),
    ],
)
def test_an_id_no_row_can_have_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], paths: Paths, argv: tuple[str, ...], told: str
) -> None:
    # "²" is a digit to str.isdigit and not to int(); 20 digits overflow SQLite's integer.
    seed(paths)
    status, _, err = run(capsys, *argv)
    assert status == 1 and err.startswith(f"readerterm: {told}"), err
    assert "Traceback" not in err


def test_an_id_in_full_width_digits_or_the_largest_one_is_an_id(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    seed(paths)
    first = run_json(capsys, "articles", "--json")[0]["id"]
    wide = "".join(chr(ord("０") + int(digit)) for digit in str(first))  # (an IME's digits)
    assert run_json(capsys, "show", "--json", wide)["id"] == first
    status, _, err = run(capsys, "show", str(2**63 - 1))
    assert status == 1 and err.startswith(f"readerterm: no article with id {2**63 - 1}")
    feed = run_json(capsys, "feeds", "--json")[0]["id"]
    wide_feed = "".join(chr(ord("０") + int(digit)) for digit in str(feed))
    results = run_json(capsys, "--offline", "refresh", "--json", wide_feed)
    assert [result["url"] for result in results] == [FEED]  # the feed, found by its id


def test_mark_with_no_id_found_says_only_that(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    # `mark read 99999` said "0 articles marked read" above "no article with id 99999".
    seed(paths)
    missing = "readerterm: no article with id 99999\n"
    assert run(capsys, "mark", "read", "99999") == (1, "", missing)
    both = run(capsys, "mark", "star", "99999", "99998")
    assert both == (1, "", missing + "readerterm: no article with id 99998\n")
    # Some found: they are marked and counted, the others named, and the status is 1.
    first = run_json(capsys, "articles", "--json")[0]["id"]
    assert run(capsys, "mark", "read", str(first), "99999") == (
        1,
        "1 article marked read\n",
        missing,
    )
    assert run_json(capsys, "articles", "--json")[0]["read"] is True
    # Found and already so: nothing to change, and nothing wrong.
    assert run(capsys, "mark", "read", str(first)) == (0, "0 articles marked read\n", "")
