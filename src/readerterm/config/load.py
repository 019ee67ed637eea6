"""Reading config.toml strictly: unknown keys and wrong types name the file, line and key."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import ConfigError
from ..paths import RefusedFile, read_bounded
from .model import Config, FeedConfig, FilterRule, SyncConfig
from .places import line_of_key, shown_key, toml_problem

MAX_CONFIG_BYTES = 1024 * 1024
"""A config is a few kilobytes; anything above 1 MiB is refused before it is read whole."""


def load_config(path: Path) -> Config:
    """Read and validate `path`; a missing file gives the defaults."""
    return parse_config(path, read_config_text(path))


def read_config_text(path: Path) -> str:
    """The config file's text, read with bounds: "" when the file does not exist; a
    ConfigError naming the file when it is not a regular file (a FIFO, a device such as
    /dev/zero, a folder), is larger than MAX_CONFIG_BYTES, or is not UTF-8 text.

    The file is opened without blocking, so a FIFO with no writer is refused at once
    instead of waiting forever, and at most one byte more than the cap is ever read."""
    try:
        raw = read_bounded(path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return ""
    except RefusedFile as refused:
        raise ConfigError(f"{path}: the config file {refused}") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ConfigError(f"{path}: cannot read the config file: {reason}") from error
    try:
        return raw.decode("utf-8-sig")  # (a byte-order mark, as some editors save, is dropped)
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from error


def parse_config(path: Path, text: str) -> Config:
    """Check the text of config file `path`; errors name the file (and the line when known)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(toml_problem(path, str(error))) from error
    except RecursionError:
        # tomllib parses arrays and inline tables recursively: a file nested some
        # thousand levels deep exhausts the stack. No real config nests past a few levels.
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None
    try:
        return _config_from_table(path, data, text)
    except ConfigError as error:
        line = line_of_key(text, error.key) if error.key else None
        if line is None:
            raise
        prefix = f"{path}: "
        message = str(error).removeprefix(prefix)
        raise ConfigError(f"{path}, line {line}: {message}", key=error.key) from None


def _config_from_table(path: Path, data: dict[str, Any], text: str) -> Config:
    _reject_unknown(path, "", data, {"settings", "keys", "feeds", "filters", "searches", "sync"})
    settings = _table(path, "settings", data.get("settings", {}))
    _reject_unknown(
        path,
        "settings",
        settings,
        {"theme", "browser", "refresh_on_start", "refresh_minutes", "retention_days"},
    )
    keys = {
        str(key_id): _keys(path, f"keys.{key_id}", value)
        for key_id, value in _table(path, "keys", data.get("keys", {})).items()
    }
    feeds_raw = data.get("feeds", [])
    if not isinstance(feeds_raw, list):
        raise ConfigError(f"{path}: feeds must be a list of [[feeds]] tables", key="feeds")
    feeds = tuple(_feed(path, index, item) for index, item in enumerate(feeds_raw))
    _refuse_repeated_feeds(path, feeds, text)
    return Config(
        theme=_string(path, "settings.theme", settings.get("theme", "textual-dark")),
        browser=_command(path, "settings.browser", settings.get("browser", [])),
        refresh_on_start=_boolean(
            path, "settings.refresh_on_start", settings.get("refresh_on_start", True)
        ),
        refresh_minutes=_number(
            path, "settings.refresh_minutes", settings.get("refresh_minutes", 30), 0, 24 * 60
        ),
        retention_days=_number(
            path, "settings.retention_days", settings.get("retention_days", 0), 0, 100_000
        ),
        keys=keys,
        feeds=feeds,
        filters=_filters(path, data.get("filters", [])),
        searches=_searches(path, data.get("searches", {})),
        sync=_sync(path, data["sync"]) if "sync" in data else None,
        source=path,
    )


def _refuse_repeated_feeds(path: Path, feeds: tuple[FeedConfig, ...], text: str) -> None:
    """Refuse two [[feeds]] tables with one URL. The store keeps one subscription per URL,
    matched as written (after the spaces around it are dropped, as here), so the later
    table's title and tags would silently replace the earlier one's."""
    first: dict[str, int] = {}
    for index, feed in enumerate(feeds):
        earlier = first.setdefault(feed.url, index)
        if earlier == index:
            continue
        line = line_of_key(text, f"feeds[{earlier}].url")
        at = f" (line {line})" if line else ""
        raise ConfigError(
            f"{path}: [[feeds]] entry {index + 1} has the same url as entry {earlier + 1}{at},"
            f" {feed.url!r}: keep one of the two, with the title and tags the feed should have",
            key=f"feeds[{index}].url",
        )


def _keys(path: Path, key: str, value: object) -> str:
    """A [keys] entry as the comma-separated string the keymap reads: "n,N" as written,
    or a list such as ["n", "N"] joined with commas. In a list each item is one key, so
    "," is the comma key (written "comma" in the string form)."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, list) and value and all(isinstance(k, str) and k.strip() for k in value):
        for item in value:
            if "," in item and item.strip() != ",":
                raise ConfigError(
                    f"{path}: {key}: {item!r} holds a comma; give one key per item of the list",
                    key=key,
                )
        return ",".join("comma" if item.strip() == "," else item for item in value)
    raise ConfigError(
        f'{path}: {key} must be a key name such as "x" or "ctrl+r", or several keys as'
        ' "n,N" or ["n", "N"]',
        key=key,
    )


def _sync(path: Path, value: object) -> SyncConfig:
    table = _table(path, "sync", value)
    known = {"service", "url", "username", "password_command", "allow_insecure"}
    _reject_unknown(path, "sync", table, known)
    for required in ("service", "url", "username"):
        if required not in table:
            raise ConfigError(f"{path}: sync needs {required}", key="sync")
    service = _string(path, "sync.service", table["service"]).strip()
    if service not in ("greader", "fever"):
        raise ConfigError(
            f'{path}: sync.service must be "greader" or "fever", got {service!r}',
            key="sync.service",
        )
    url = _string(path, "sync.url", table["url"]).strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{path}: sync.url must be an http(s) URL", key="sync.url")
    username = _string(path, "sync.username", table["username"]).strip()
    if not username:
        raise ConfigError(f"{path}: sync.username is empty", key="sync.username")
    command = table.get("password_command", [])
    if not isinstance(command, list) or not all(isinstance(part, str) for part in command):
        raise ConfigError(
            f'{path}: sync.password_command must be a list of strings, such as ["pass", "rss"]',
            key="sync.password_command",
        )
    return SyncConfig(
        service=service,
        url=url,
        username=username,
        password_command=tuple(command),
        allow_insecure=_boolean(path, "sync.allow_insecure", table.get("allow_insecure", False)),
    )


def _filters(path: Path, value: object) -> tuple[FilterRule, ...]:
    if not isinstance(value, list):
        raise ConfigError(f"{path}: filters must be a list of [[filters]] tables", key="filters")
    rules = []
    for index, item in enumerate(value):
        where = f"filters[{index}]"
        table = _table(path, where, item)
        _reject_unknown(path, where, table, {"title", "regex", "feed"})
        words = _string(path, f"{where}.title", table.get("title", "")).split()
        pattern = _string(path, f"{where}.regex", table.get("regex", ""))
        feed = _string(path, f"{where}.feed", table.get("feed", "")).strip() or None
        if not words and not pattern:
            raise ConfigError(
                f"{path}: {shown_key(where)} needs title (words) or regex", key=f"{where}"
            )
        try:
            regex = re.compile(pattern, re.IGNORECASE) if pattern else None
        except re.error as error:
            raise ConfigError(
                f"{path}: {shown_key(f'{where}.regex')} is not a valid pattern: {error}",
                key=f"{where}.regex",
            ) from error
        rules.append(FilterRule(words=tuple(words), regex=regex, feed=feed))
    return tuple(rules)


def _searches(path: Path, value: object) -> dict[str, str]:
    table = _table(path, "searches", value)
    searches = {}
    for name, query in table.items():
        if not isinstance(query, str) or not query.strip():
            raise ConfigError(
                f'{path}: searches.{name} must be a query such as "is:unread rust"',
                key=f"searches.{name}",
            )
        searches[str(name)] = query.strip()
    return searches


def _feed(path: Path, index: int, item: object) -> FeedConfig:
    where = f"feeds[{index}]"
    table = _table(path, where, item)
    _reject_unknown(
        path,
        where,
        table,
        {"url", "title", "tags", "fetch_pages", "item_limit", "refresh_minutes", "headers"},
    )
    if "url" not in table:
        raise ConfigError(f"{path}: {shown_key(where)} has no url", key=f"{where}")
    url_key = f"{where}.url"
    url = _string(path, url_key, table["url"]).strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ConfigError(
            f"{path}: {shown_key(url_key)} must be an http(s) URL, got {url!r}", key=url_key
        )
    if problem := feed_url_problem(url):
        raise ConfigError(f"{path}: {shown_key(url_key)}, {url!r}: {problem}", key=url_key)
    title = table.get("title")
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(
            f"{path}: {shown_key(f'{where}.tags')} must be a list of strings",
            key=f"{where}.tags",
        )
    fetch_pages = table.get("fetch_pages", "auto")
    if fetch_pages not in ("auto", "always", "never"):
        raise ConfigError(
            f'{path}: {shown_key(f"{where}.fetch_pages")} must be "auto", "always" or "never"',
            key=f"{where}.fetch_pages",
        )
    headers = _table(path, f"{where}.headers", table.get("headers", {}))
    for name, value in headers.items():
        if not _HEADER_NAME.fullmatch(name):
            raise ConfigError(
                f"{path}: {shown_key(f'{where}.headers')}: {name!r} is no header name"
                " (letters, digits and - such as X-Api-Key; no spaces)",
                key=f"{where}.headers",
            )
        if not isinstance(value, str) or not value.isascii() or not value.isprintable():
            raise ConfigError(
                f"{path}: {shown_key(f'{where}.headers.{name}')} must be a one-line string"
                " of ASCII characters",
                key=f"{where}.headers",
            )
    item_limit = table.get("item_limit")
    minutes = table.get("refresh_minutes")
    return FeedConfig(
        url=url,
        fetch_pages=fetch_pages,
        item_limit=(
            _number(path, f"{where}.item_limit", item_limit, 1, 1_000_000)
            if item_limit is not None
            else None
        ),
        refresh_minutes=(
            _number(path, f"{where}.refresh_minutes", minutes, 1, 7 * 24 * 60)
            if minutes is not None
            else None
        ),
        headers={str(k): str(v) for k, v in headers.items()},
        title=_string(path, f"{where}.title", title) if title is not None else None,
        tags=tuple(t.strip() for t in tags if t.strip()),
    )


def _reject_unknown(path: Path, where: str, table: dict[str, Any], known: set[str]) -> None:
    """Refuse a key of `table` (the one at `where`; "" for the file's top level) that is
    not in `known`."""
    for key in table:
        if key not in known:
            allowed = ", ".join(sorted(known))
            dotted = f"{where}.{key}" if where else str(key)
            raise ConfigError(
                f"{path}: unknown key {shown_key(dotted)} (known here: {allowed})", key=dotted
            )


def _table(path: Path, key: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {shown_key(key)} must be a table", key=f"{key}")
    return value


def _string(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigError(
            f"{path}: {shown_key(key)} must be a string, got {type(value).__name__}",
            key=f"{key}",
        )
    return value


def _boolean(path: Path, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: {shown_key(key)} must be true or false", key=f"{key}")
    return value


def _command(path: Path, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            return tuple(shlex.split(value))
        except ValueError as error:
            raise ConfigError(f"{path}: {key}: {error}", key=f"{key}") from error
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return tuple(value)
    raise ConfigError(f'{path}: {key} must be a list of strings, such as ["firefox"]', key=f"{key}")


def _number(path: Path, key: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigError(
            f"{path}: {shown_key(key)} must be a whole number from {low} to {high}", key=key
        )
    return value


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
"""An HTTP header's name (a token, RFC 9110)."""


def feed_url_problem(url: str) -> str | None:
    """What keeps an http(s) URL from being fetched, in a few words, or None."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # (ValueError past 65535)
    except ValueError:
        return "its port is not 0-65535 (or an IPv6 host lacks its [brackets])"
    if not parts.hostname:
        return "no host name after the //"
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        return "a space or control character in it (a space is written %20)"
    return None
