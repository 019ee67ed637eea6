"""The config read strictly: defaults, the starter file, a full config, keys and browser as
a string or a list, themes written back, feed headers. Its mistakes and what they say are
in test_config_errors.py."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from config_files import config_error, write

from readerterm.config import (
    STARTER_FEEDS,
    Config,
    FeedConfig,
    load_config,
    starter_config_text,
    write_starter_config,
)
from readerterm.errors import ConfigError

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
