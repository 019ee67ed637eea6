"""The user's config.toml, read strictly into a typed Config.

Errors name the file and the key, so a user can fix them without reading code.
Subscriptions live in the store; feeds listed here are subscribed once (see Library).
"""

from __future__ import annotations

import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """A feed listed in the config file."""

    url: str
    title: str | None = None
    tags: tuple[str, ...] = ()
    fetch_pages: str = "auto"
    """"auto": fetch article pages when the feed has no full text; "always"; "never"."""
    item_limit: int | None = None
    """Keep at most this many articles of the feed (starred and later ones always stay)."""
    refresh_minutes: int | None = None
    """Refresh this feed at most this often (overrides the global interval)."""
    headers: dict[str, str] = field(default_factory=dict)
    """Extra request headers (credentials), sent only to the feed's own host."""


@dataclass(frozen=True, slots=True)
class FilterRule:
    """Hide articles at refresh time (newsboat's killfile): by title words or a regex,
    optionally only in feeds whose title contains `feed`. Hidden articles can be shown."""

    words: tuple[str, ...] = ()
    """All of these must appear in the title (case-insensitive)."""
    regex: re.Pattern[str] | None = None
    """Or: this regular expression must match somewhere in the title."""
    feed: str | None = None

    def hides(self, title: str, feed_title: str) -> bool:
        if self.feed and self.feed.casefold() not in feed_title.casefold():
            return False
        if self.regex is not None and self.regex.search(title):
            return True
        folded = title.casefold()
        return bool(self.words) and all(word.casefold() in folded for word in self.words)


@dataclass(frozen=True, slots=True)
class SyncConfig:
    """The `[sync]` table: the aggregator server readerterm syncs with. The password is
    never here: it comes from `password_command` or READERTERM_SYNC_PASSWORD."""

    service: str
    """"greader" (Google Reader API) or "fever"."""
    url: str
    username: str
    password_command: tuple[str, ...] = ()
    allow_insecure: bool = False
    """Send the password over plain HTTP to a host other than this machine."""


@dataclass(frozen=True, slots=True)
class Config:
    theme: str = "textual-dark"
    """Textual theme name."""
    browser: tuple[str, ...] = ()
    """Command (argument list) that opens links; empty means the system default."""
    refresh_on_start: bool = True
    """Refresh every feed in the background when the TUI starts."""
    refresh_minutes: int = 30
    """Refresh all feeds this often while the TUI is open; 0 turns it off."""
    retention_days: int = 0
    """Delete articles older than this many days (0: keep all); starred and later stay."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> key(s), applied with Textual's keymap."""
    feeds: tuple[FeedConfig, ...] = ()
    filters: tuple[FilterRule, ...] = ()
    searches: dict[str, str] = field(default_factory=dict)
    """Saved searches (name -> query), shown as virtual feeds."""
    sync: SyncConfig | None = None
    """The server to sync with; None: readerterm fetches the feeds itself."""


STARTER_FEEDS: tuple[tuple[str, str, str], ...] = (
    ("https://feeds.bbci.co.uk/news/world/rss.xml", "BBC News: World", "world"),
    ("https://www.theguardian.com/world/rss", "The Guardian: World", "world"),
    ("https://feeds.npr.org/1001/rss.xml", "NPR News", "world"),
    ("https://www.aljazeera.com/xml/rss/all.xml", "Al Jazeera", "world"),
    ("https://feeds.arstechnica.com/arstechnica/index", "Ars Technica", "technology"),
    ("https://www.theverge.com/rss/index.xml", "The Verge", "technology"),
    ("https://lwn.net/headlines/rss", "LWN.net", "technology"),
    ("https://hnrss.org/frontpage", "Hacker News: Front Page", "technology"),
    ("https://www.nature.com/nature.rss", "Nature", "science"),
    ("https://www.sciencedaily.com/rss/all.xml", "ScienceDaily", "science"),
    ("https://www.quantamagazine.org/feed/", "Quanta Magazine", "science"),
)


def starter_config_text() -> str:
    """The commented config.toml written on first start."""
    feeds = "\n".join(
        f'[[feeds]]\nurl = "{url}"\ntitle = "{title}"\ntags = ["{tag}"]\n'
        for url, title, tag in STARTER_FEEDS
    )
    return f"""\
# readerterm configuration.
# Feeds listed here are subscribed the next time readerterm starts (once: a feed you
# remove with `readerterm remove` stays removed). `readerterm add URL` subscribes too.
# Per feed: title, tags, and fetch_pages = "auto" (fetch the article page when the feed
# carries only a summary), "always" or "never".

[settings]
# Any Textual theme: textual-dark, textual-light, nord, gruvbox, dracula, tokyo-night ...
theme = "textual-dark"
# Command that opens links, as an argument list; empty uses $BROWSER or the system default
# (with no display, w3m, lynx, elinks or links). A console browser has the terminal until it exits.
# browser = ["firefox", "--new-tab"]
browser = []
# Refresh all feeds in the background when the reader starts,
refresh_on_start = true
# and again every this many minutes while it is open (0: never).
refresh_minutes = 30

# Saved searches appear as virtual feeds (syntax: words, feed:NAME, tag:NAME,
# is:unread|starred|later, after:2026-11-01, before:2026-11-20).
[searches]
# "Unread science" = "tag:science is:unread"

# Filters hide matching articles at refresh time (they can still be shown):
# [[filters]]
# title = "sponsored"          # words that must all be in the title
# regex = "^\\[ad\\]"          # or a regular expression on the title
# feed = "Hacker News"         # optional: only in this feed

# Sync with the FreshRSS or Miniflux server you already run (docs/sync.md): it then
# fetches the feeds, and readerterm reads, marks and stars in step with your other devices.
# [sync]
# service = "greader"                               # or "fever"
# url = "https://rss.example.org/api/greader.php"   # the API's address
# username = "me"
# password_command = ["pass", "show", "rss"]        # or set READERTERM_SYNC_PASSWORD

[keys]
# Remap any key by its binding id (`?` in the reader lists them), for example:
# toggle-read = "x"
# next-unread = "n,N"

{feeds}"""


def load_config(path: Path) -> Config:
    """Read and validate `path`; a missing file gives the defaults."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file: {error.strerror}") from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from error
    try:
        return _config_from_table(path, data)
    except ConfigError as error:
        line = line_of_key(raw.decode("utf-8"), error.key) if error.key else None
        if line is None:
            raise
        prefix = f"{path}: "
        message = str(error).removeprefix(prefix)
        raise ConfigError(f"{path}, line {line}: {message}", key=error.key) from None


_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_PART = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def line_of_key(text: str, key: str) -> int | None:
    """The line (1-based) where a dotted key such as `feeds[2].url` is written, found by
    walking the table headers; None when it cannot be told (then no line is shown)."""
    parts = [(m.group(1), int(m.group(2)) if m.group(2) else None) for m in _KEY_PART.finditer(key)]
    if not parts:
        return None
    table, index = parts[0]
    leaf = parts[1][0] if len(parts) > 1 else None
    seen = -1
    in_table = table if leaf is None else None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            name = header.group(1).strip().strip('"')
            if name == table:
                seen += 1
                wanted = index is None or seen == index
                if leaf is None and wanted:
                    return number
                in_table = table if wanted else None
            else:
                in_table = None
            continue
        if leaf is None and in_table is None and re.match(rf"\s*{re.escape(table)}\s*=", line):
            return number
        if in_table == table and leaf and re.match(rf"\s*\"?{re.escape(leaf)}\"?\s*=", line):
            return number
    return None


def write_starter_config(path: Path) -> None:
    """Create the config file (and its directory) with the starter feeds."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_config_text(), encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot write the config file: {error.strerror}") from error


def _config_from_table(path: Path, data: dict[str, Any]) -> Config:
    _reject_unknown(path, "", data, {"settings", "keys", "feeds", "filters", "searches", "sync"})
    settings = _table(path, "settings", data.get("settings", {}))
    _reject_unknown(
        path,
        "settings.",
        settings,
        {"theme", "browser", "refresh_on_start", "refresh_minutes", "retention_days"},
    )
    keys = _table(path, "keys", data.get("keys", {}))
    for key_id, value in keys.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                f'{path}: keys.{key_id} must be a key name such as "x" or "ctrl+r"',
                key=f"keys.{key_id}",
            )
    feeds_raw = data.get("feeds", [])
    if not isinstance(feeds_raw, list):
        raise ConfigError(f"{path}: feeds must be a list of [[feeds]] tables", key="feeds")
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
        keys={str(k): str(v) for k, v in keys.items()},
        feeds=tuple(_feed(path, index, item) for index, item in enumerate(feeds_raw)),
        filters=_filters(path, data.get("filters", [])),
        searches=_searches(path, data.get("searches", {})),
        sync=_sync(path, data["sync"]) if "sync" in data else None,
    )


def _sync(path: Path, value: object) -> SyncConfig:
    table = _table(path, "sync", value)
    known = {"service", "url", "username", "password_command", "allow_insecure"}
    _reject_unknown(path, "sync.", table, known)
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
        _reject_unknown(path, f"{where}.", table, {"title", "regex", "feed"})
        words = _string(path, f"{where}.title", table.get("title", "")).split()
        pattern = _string(path, f"{where}.regex", table.get("regex", ""))
        feed = _string(path, f"{where}.feed", table.get("feed", "")).strip() or None
        if not words and not pattern:
            raise ConfigError(f"{path}: {where} needs title (words) or regex", key=f"{where}")
        try:
            regex = re.compile(pattern, re.IGNORECASE) if pattern else None
        except re.error as error:
            raise ConfigError(
                f"{path}: {where}.regex is not a valid pattern: {error}", key=f"{where}.regex"
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
        f"{where}.",
        table,
        {"url", "title", "tags", "fetch_pages", "item_limit", "refresh_minutes", "headers"},
    )
    if "url" not in table:
        raise ConfigError(f"{path}: {where} has no url", key=f"{where}")
    url = _string(path, f"{where}.url", table["url"]).strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ConfigError(
            f"{path}: {where}.url must be an http(s) URL, got {url!r}", key=f"{where}.url"
        )
    title = table.get("title")
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"{path}: {where}.tags must be a list of strings", key=f"{where}.tags")
    fetch_pages = table.get("fetch_pages", "auto")
    if fetch_pages not in ("auto", "always", "never"):
        raise ConfigError(
            f'{path}: {where}.fetch_pages must be "auto", "always" or "never"',
            key=f"{where}.fetch_pages",
        )
    headers = _table(path, f"{where}.headers", table.get("headers", {}))
    for name, value in headers.items():
        if not isinstance(value, str) or "\n" in value or "\r" in value:
            raise ConfigError(
                f"{path}: {where}.headers.{name} must be a one-line string",
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


def _reject_unknown(path: Path, prefix: str, table: dict[str, Any], known: set[str]) -> None:
    for key in table:
        if key not in known:
            allowed = ", ".join(sorted(known))
            raise ConfigError(
                f"{path}: unknown key {prefix}{key} (known here: {allowed})", key=f"{prefix}{key}"
            )


def _table(path: Path, key: str, value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {key} must be a table", key=f"{key}")
    return value


def _string(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise ConfigError(
            f"{path}: {key} must be a string, got {type(value).__name__}", key=f"{key}"
        )
    return value


def _boolean(path: Path, key: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: {key} must be true or false", key=f"{key}")
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
        raise ConfigError(f"{path}: {key} must be a whole number from {low} to {high}", key=key)
    return value


_THEME_LINE = re.compile(r'^(\s*theme\s*=\s*)"[^"\n]*"(.*)$', re.MULTILINE)


def remember_theme(path: Path, theme: str) -> None:
    """Write the chosen theme into config.toml, keeping the rest of the file (comments too).

    Adds a [settings] table if the file has none; creates the file if it does not exist.
    """
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", theme):
        raise ConfigError(f"{path}: not a theme name: {theme!r}", key="settings.theme")
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the config file: {error}") from error
    settings = re.search(r"^\[settings\]\s*$", text, re.MULTILINE)
    if settings is not None:
        end = re.search(r"^\[", text[settings.end() :], re.MULTILINE)
        section_end = settings.end() + (end.start() if end else len(text) - settings.end())
        section = text[settings.end() : section_end]
        if _THEME_LINE.search(section):
            section = _THEME_LINE.sub(lambda m: f'{m.group(1)}"{theme}"{m.group(2)}', section, 1)
        else:
            section = f'\ntheme = "{theme}"' + section
        text = text[: settings.end()] + section + text[section_end:]
    else:
        text = f'[settings]\ntheme = "{theme}"\n\n' + text
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot save the theme: {error.strerror}") from error
