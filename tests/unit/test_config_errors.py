"""config.toml mistakes: each error names the file, the line and the key, in words a user
can act on (TOML syntax, unknown keys, wrong types, entries counted from 1, a feed listed
twice). Moved out of test_config.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_files import config_error, write

from readerterm.config import load_config
from readerterm.errors import ConfigError


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
