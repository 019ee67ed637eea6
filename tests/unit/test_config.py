"""config.py: strict TOML config, errors that name the file, the line or the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from readerterm.config import (
    STARTER_FEEDS,
    Config,
    FeedConfig,
    load_config,
    starter_config_text,
    write_starter_config,
)
from readerterm.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)


# --- defaults and the starter file ----------------------------------------------------


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "nowhere" / "config.toml")
    assert config == Config()
    assert config.theme == "textual-dark"
    assert config.browser == ()
    assert config.refresh_on_start is True
    assert config.keys == {}
    assert config.feeds == ()


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "")) == Config()


def test_starter_config_parses_back_with_8_to_12_feeds(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "dir" / "config.toml"
    write_starter_config(path)
    config = load_config(path)
    assert 8 <= len(config.feeds) <= 12
    assert [feed.url for feed in config.feeds] == [url for url, _, _ in STARTER_FEEDS]
    assert all(feed.url.startswith("https://") for feed in config.feeds)
    assert all(feed.title for feed in config.feeds)
    assert {tag for feed in config.feeds for tag in feed.tags} == {
        "world",
        "technology",
        "science",
    }
    assert config.theme == "textual-dark"
    assert config.browser == ()
    assert config.refresh_on_start is True


def test_starter_config_is_commented_toml() -> None:
    text = starter_config_text()
    assert text.lstrip().startswith("#")
    assert "[settings]" in text
    assert "[keys]" in text
    tomllib.loads(text)  # valid TOML on its own


def test_full_config(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[settings]
theme = "nord"
browser = ["firefox", "--new-tab"]
refresh_on_start = false

[keys]
toggle-read = "x"
next-unread = "n,N"

[[feeds]]
url = "  https://example.org/feed.xml  "
title = "Example"
tags = ["news", " ", " tech "]

[[feeds]]
url = "HTTP://EXAMPLE.NET/rss"
""",
    )
    config = load_config(path)
    assert config.theme == "nord"
    assert config.browser == ("firefox", "--new-tab")
    assert config.refresh_on_start is False
    assert config.keys == {"toggle-read": "x", "next-unread": "n,N"}
    assert config.feeds == (
        FeedConfig(url="https://example.org/feed.xml", title="Example", tags=("news", "tech")),
        FeedConfig(url="HTTP://EXAMPLE.NET/rss", title=None, tags=()),
    )


# --- keys as a string or a list ------------------------------------------------------


def test_a_keys_entry_may_be_a_list_of_keys(tmp_path: Path) -> None:
    # A list was refused ("keys.next-unread must be a key name such as ..."), though it
    # is the natural form and settings.browser takes one.
    listed = load_config(write(tmp_path, '[keys]\nnext-unread = ["n", "N"]\nundo = [",", "u"]\n'))
    assert listed.keys == {"next-unread": "n,N", "undo": "comma,u"}
    written = load_config(write(tmp_path, '[keys]\nnext-unread = "n,N"\nundo = "comma,u"\n'))
    assert listed == written


@pytest.mark.parametrize(
    ("value", "told"),
    [
        (
            "[]",
            'must be a key name such as "x" or "ctrl+r", or several keys as "n,N" or ["n", "N"]',
        ),
        ('["n", " "]', 'or several keys as "n,N" or ["n", "N"]'),
        ('["n", 1]', 'or several keys as "n,N" or ["n", "N"]'),
        ("3", 'or several keys as "n,N" or ["n", "N"]'),
        ('["n,N"]', "'n,N' holds a comma; give one key per item of the list"),
    ],
    ids=["empty-list", "blank-item", "number-item", "number", "comma-in-item"],
)
def test_a_keys_entry_that_is_no_key_or_list_of_keys_says_both_forms(
    tmp_path: Path, value: str, told: str
) -> None:
    path = write(tmp_path, f"[keys]\nnext-unread = {value}\n")
    assert config_error(path).startswith(f"{path}, line 2: keys.next-unread"), config_error(path)
    assert told in config_error(path)


# --- browser as a string or a list -----------------------------------------------------


def test_browser_as_string_is_split_like_a_shell_would_but_never_run_by_one(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "[settings]\nbrowser = \"open -a 'Google Chrome' --args\"\n")
    assert load_config(path).browser == ("open", "-a", "Google Chrome", "--args")


def test_browser_string_with_shell_syntax_stays_literal_arguments(tmp_path: Path) -> None:
    path = write(tmp_path, '[settings]\nbrowser = "firefox; rm -rf ~"\n')
    assert load_config(path).browser == ("firefox;", "rm", "-rf", "~")


def test_browser_as_list(tmp_path: Path) -> None:
    path = write(tmp_path, '[settings]\nbrowser = ["w3m", "-o", "x=1"]\n')
    assert load_config(path).browser == ("w3m", "-o", "x=1")


def test_browser_with_unbalanced_quote_names_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[settings]\nbrowser = "firefox \'oops"\n')
    message = config_error(path)
    assert str(path) in message
    assert "settings.browser" in message


def test_browser_of_wrong_type(tmp_path: Path) -> None:
    path = write(tmp_path, "[settings]\nbrowser = [1, 2]\n")
    message = config_error(path)
    assert str(path) in message
    assert "settings.browser" in message


# --- errors ---------------------------------------------------------------------------


def test_invalid_toml_names_the_file_and_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[settings]\ntheme = "nord"\nbrowser = [oops\n')
    message = config_error(path)
    assert str(path) in message
    assert "invalid TOML" in message
    assert "line 3" in message


@pytest.mark.parametrize(
    ("text", "told"),
    [
        (
            '[settings]\ntheme = "nord\nrefresh_minutes = 5\n',
            "line 2, column 14: invalid TOML: a string is not closed (a quote is missing"
            " before the line ends)",
        ),
        (
            "[settings]\ntheme = 'nord\nbrowser = 'w3m'\n",
            "line 2, column 14: invalid TOML: a string is not closed (a quote is missing"
            " before the line ends)",
        ),
        (
            '[settings]\ntheme = "nord',
            "end of file: invalid TOML: a string is not closed (its closing quote is missing)",
        ),
        (
            '[settings]\ntheme "nord"\n',
            "line 2, column 7: invalid TOML: = is missing after the key (write key = value;"
            ' a key with a space in it goes in quotes: "my key" = 1)',
        ),
        (
            "[settings]\ntheme = 'a'\ntheme = 'b'\n",
            "line 3, column 12: invalid TOML: this key already has a value above (write each"
            " key once in its table)",
        ),
        (
            "[settings]\n[keys]\n[settings]\n",
            "line 3, column 10: invalid TOML: table [settings] is already defined above"
            " (write each [table] once; only [[tables]] repeat)",
        ),
        (
            "[[feeds]]\nurl = https://e.org/f\n",
            "line 2, column 7: invalid TOML: this value is not one TOML knows (text goes in"
            ' quotes, "like this"; true and false are lower case; a list is [...])',
        ),
        ("[keys]\nundo = {a = 1\n", "line 2, column 14: invalid TOML: Unclosed inline table"),
    ],
    ids=[
        "unclosed-string",
        "unclosed-literal-string",
        "unclosed-at-the-end",
        "missing-equals",
        "key-twice",
        "table-twice",
        "bare-value",
        "other-parser-text",
    ],
)
def test_invalid_toml_says_what_is_wrong_after_the_line(
    tmp_path: Path, text: str, told: str
) -> None:
    # The parser's text came first and the line last, in its terms:
    # "invalid TOML: Illegal character '\n' (at line 2, column 14)".
    path = write(tmp_path, text)
    assert config_error(path) == f"{path}, {told}"


def test_a_parser_message_without_a_place_is_passed_on() -> None:
    from readerterm.config.places import toml_problem

    assert toml_problem(Path("c.toml"), "Something new") == "c.toml: invalid TOML: Something new"


def test_not_utf8_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[settings]\ntheme = "\xff\xfe"\n')
    message = config_error(path)
    assert str(path) in message
    assert "UTF-8" in message


def test_unreadable_config_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()  # a directory where the file should be
    assert str(path) in config_error(path)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("colour = 1\n", "colour"),
        ('[settings]\nthem = "nord"\n', "settings.them"),
        ('[[feeds]]\nurl = "https://e.org/f"\nfolder = "x"\n', "folder in [[feeds]] entry 1"),
        (
            '[[feeds]]\nurl = "https://e.org/a"\n[[feeds]]\nurl = "https://e.org/b"\nx = 1\n',
            "x in [[feeds]] entry 2",
        ),
    ],
)
def test_unknown_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    message = config_error(write(tmp_path, text))
    assert str(tmp_path / "config.toml") in message
    assert f"unknown key {key}" in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[settings]\ntheme = 3\n", "settings.theme"),
        ('[settings]\nrefresh_on_start = "yes"\n', "settings.refresh_on_start"),
        ('settings = "dark"\n', "settings"),
        ('keys = ["x"]\n', "keys"),
        ("[keys]\ntoggle-read = 1\n", "keys.toggle-read"),
        ('[keys]\ntoggle-read = "  "\n', "keys.toggle-read"),
        ('[feeds]\nurl = "https://e.org/f"\n', "feeds"),
        ('feeds = ["https://e.org/f"]\n', "[[feeds]] entry 1"),
        ("[[feeds]]\nurl = 42\n", "url in [[feeds]] entry 1"),
        ('[[feeds]]\nurl = "https://e.org/f"\ntitle = 5\n', "title in [[feeds]] entry 1"),
        ('[[feeds]]\nurl = "https://e.org/f"\ntags = "news"\n', "tags in [[feeds]] entry 1"),
        ('[[feeds]]\nurl = "https://e.org/f"\ntags = [1]\n', "tags in [[feeds]] entry 1"),
        ('[[feeds]]\ntitle = "no url"\n', "[[feeds]] entry 1"),
    ],
)
def test_wrong_type_names_the_file_and_the_key(tmp_path: Path, text: str, key: str) -> None:
    message = config_error(write(tmp_path, text))
    assert str(tmp_path / "config.toml") in message
    assert key in message


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/feed.xml",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "example.org/feed.xml",
        "-https://example.org/feed",
        "",
    ],
)
def test_non_http_feed_url_is_refused(tmp_path: Path, url: str) -> None:
    message = config_error(write(tmp_path, f'[[feeds]]\nurl = "{url}"\n'))
    assert str(tmp_path / "config.toml") in message
    assert "url in [[feeds]] entry 1" in message
    assert "http" in message


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[settings]\ntheme = "nord"\ncolour = "red"\n', 3),
        ('[settings]\ntheme = "nord"\n\nrefresh_on_start = "yes"\n', 4),
        ('[[feeds]]\nurl = "https://e.org/a"\n\n[[feeds]]\nurl = "ftp://e.org/b"\n', 5),
    ],
)
def test_value_errors_name_the_line(tmp_path: Path, text: str, line: int) -> None:
    """Issue 6: config errors give the file, the line and the key, not only the key."""
    message = config_error(write(tmp_path, text))
    assert f"line {line}" in message


@pytest.mark.parametrize(
    ("text", "told", "key"),
    [
        (
            '[[feeds]]\nurl = "https://e.org/a"\n\n[[feeds]]\nurl = "ftp://e.org/b"\n',
            "line 5: url in [[feeds]] entry 2 must be an http(s) URL, got 'ftp://e.org/b'",
            "feeds[1].url",
        ),
        (
            '[[filters]]\ntitle = "ad"\n[[filters]]\nfeed = "HN"\n',
            "line 3: [[filters]] entry 2 needs title (words) or regex",
            "filters[1]",
        ),
        (
            '[[filters]]\nregex = "ok"\n[[filters]]\nregex = "("\n',
            "line 4: regex in [[filters]] entry 2 is not a valid pattern",
            "filters[1].regex",
        ),
        (
            '[[feeds]]\nurl = "https://e.org/a"\n[[feeds]]\nurl = "https://e.org/b"\nx = 1\n',
            "line 5: unknown key x in [[feeds]] entry 2 (known here:",
            "feeds[1].x",
        ),
    ],
    ids=["feed-url", "filter-without-words", "filter-regex", "unknown-key"],
)
def test_entries_of_a_list_of_tables_are_counted_from_one(
    tmp_path: Path, text: str, told: str, key: str
) -> None:
    # The messages said feeds[1] and filters[1] beside a line number counted from 1: a
    # user counting [[feeds]] tables took feeds[1] for the first. The key the error
    # carries, which finds the line, keeps the dotted form.
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}, {told}"), caught.value
    assert caught.value.key == key


def test_a_feed_listed_twice_names_both_entries(tmp_path: Path) -> None:
    # Both were read; the store keeps one subscription per URL, so the second entry's
    # title and tags replaced the first's, and the "news" tag was lost without a word.
    path = write(
        tmp_path,
        '[[feeds]]\nurl = "https://e.org/a"\ntags = ["news"]\n\n'
        '[[feeds]]\nurl = "https://e.org/b"\n\n'
        '[[feeds]]\ntitle = "A"\nurl = " https://e.org/a "\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == (
        f"{path}, line 10: [[feeds]] entry 3 has the same url as entry 1 (line 2),"
        " 'https://e.org/a': keep one of the two, with the title and tags the feed should have"
    )
    assert caught.value.key == "feeds[2].url"


def test_feed_urls_are_the_same_feed_only_as_the_store_matches_them(tmp_path: Path) -> None:
    # The store matches a config feed to a stored one by its URL as written: these are
    # two subscriptions there, so they are two feeds here.
    path = write(
        tmp_path,
        '[[feeds]]\nurl = "https://e.org/a"\n[[feeds]]\nurl = "https://E.org/a"\n'
        '[[feeds]]\nurl = "https://e.org/a/"\n',
    )
    assert len(load_config(path).feeds) == 3


@pytest.mark.parametrize(
    ("url", "told"),
    [
        ("http://127.0.0.1:18940/my feed.xml", "a space or control character in it"),
        ("http://exa mple.com/feed", "a space or control character in it"),
        ("http://127.0.0.1:99999/feed", "its port is not 0-65535"),
        ("https:///feed.xml", "no host name"),
    ],
)
def test_a_feed_url_that_cannot_be_fetched_is_a_config_error(
    tmp_path: Path, url: str, told: str
) -> None:
    # Each was read as fine: the reader crashed on it when the file was read again, and a
    # refresh printed a traceback (a port past 65535).
    path = write(tmp_path, f'[[feeds]]\nurl = "{url}"\n')
    message = config_error(path)
    assert message.startswith(f"{path}, line 2: url in [[feeds]] entry 1, {url!r}: {told}"), message


@pytest.mark.parametrize(
    "text",
    [
        "[settings]\ntheme = 'nord'\n",  # single quotes: a second theme line was added
        '[settings]  # mine\ntheme = "nord"\n',
        '[ settings ]\ntheme = "nord"\n',
        '[settings]\nrefresh_minutes = 30\n[[feeds]]\nurl = "https://e.org/f.xml"\n',
        "",
    ],
)
def test_a_picked_theme_leaves_a_config_that_reads(tmp_path: Path, text: str) -> None:
    from readerterm.config import remember_theme

    path = write(tmp_path, text)
    remember_theme(path, "dracula")
    assert load_config(path).theme == "dracula"  # (the file broke: "Cannot overwrite a value")


def test_a_theme_the_edit_cannot_place_is_refused_and_the_file_kept(tmp_path: Path) -> None:
    from readerterm.config import remember_theme

    text = 'settings = { theme = "nord" }\n'
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match='write theme = "dracula" under'):
        remember_theme(path, "dracula")
    assert path.read_text(encoding="utf-8") == text


def test_a_config_saved_with_a_byte_order_mark_reads(tmp_path: Path) -> None:
    # "invalid TOML: Invalid statement (at line 1, column 1)", line 1 an ordinary comment.
    path = tmp_path / "config.toml"
    path.write_bytes(b'\xef\xbb\xbf# mine\n[settings]\ntheme = "nord"\n')
    assert load_config(path).theme == "nord"


@pytest.mark.parametrize(
    ("headers", "told"),
    [
        ('{ "Bad Header" = "x" }', "'Bad Header' is no header name"),
        ('{ "X-Key" = "caf\\u00e9" }', "must be a one-line string of ASCII characters"),
        ('{ "X-Key" = "a\\tb" }', "must be a one-line string of ASCII characters"),
    ],
)
def test_a_header_no_request_can_carry_is_a_config_error(
    tmp_path: Path, headers: str, told: str
) -> None:
    # Accepted, then every fetch of the feed failed ("Illegal header name").
    path = write(tmp_path, f'[[feeds]]\nurl = "https://e.org/f.xml"\nheaders = {headers}\n')
    assert told in config_error(path)


def test_a_header_a_request_carries_is_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[feeds]]\nurl = "https://e.org/f.xml"\nheaders = { "X-Api-Key" = "abc 123=" }\n',
    )
    assert load_config(path).feeds[0].headers == {"X-Api-Key": "abc 123="}
