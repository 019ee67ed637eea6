"""The commented config.toml written on first start, with a starter set of news feeds."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..errors import ConfigError

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
# Command that opens links, as an argument list; without one, $BROWSER or the system default
# (with no display, w3m, lynx, elinks or links). A console browser has the terminal until it exits.
# browser = ["firefox", "--new-tab"]
# Refresh all feeds in the background when the reader starts,
refresh_on_start = true
# and again every this many minutes while it is open (0: never).
refresh_minutes = 30

# Saved searches appear as virtual feeds (syntax: words, feed:NAME, tag:NAME,
# is:unread|starred|later, after:2026-11-01, before:2026-11-20).
[searches]
# "Unread science" = "tag:science is:unread"

# Filters hide matching articles, new ones as they come and stored ones when the config
# is read again (H shows hidden stories):
# [[filters]]
# title = "sponsored"          # whole words that must all be in the title
# regex = '^\\[ad\\]'            # or a regular expression on the title
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


def write_starter_config(path: Path) -> None:
    """Create the config file (and its directory) with the starter feeds: written whole
    beside it and then moved into place, so a write that fails (a full disk) leaves no
    half-written config behind and nothing that was at `path`, a link included, is touched."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(starter_config_text(), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        reason = error.strerror or str(error)
        raise ConfigError(f"{path}: cannot write the config file: {reason}") from error
