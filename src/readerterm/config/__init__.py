"""The user's config.toml, read strictly into a typed Config.

`model` holds the typed values, `load` reads and checks the file (errors name the file,
the line and the key, so a user can fix them without reading code; `places` finds the
line and words the parser's complaints), `starter` writes the
commented file of the first start, `theme` edits the theme in place. Subscriptions live in
the store; feeds listed here are subscribed once (see library/subscriptions.py).
May import: `readerterm.errors` and the standard library (tomllib); nothing else of
readerterm's.
"""

from __future__ import annotations

from .load import (
    MAX_CONFIG_BYTES,
    feed_url_problem,
    load_config,
    parse_config,
    read_config_text,
)
from .model import Config, FeedConfig, FilterRule, SyncConfig
from .places import line_of_key
from .starter import STARTER_FEEDS, starter_config_text, write_starter_config
from .theme import remember_theme

__all__ = [
    "MAX_CONFIG_BYTES",
    "STARTER_FEEDS",
    "Config",
    "FeedConfig",
    "FilterRule",
    "SyncConfig",
    "feed_url_problem",
    "line_of_key",
    "load_config",
    "parse_config",
    "read_config_text",
    "remember_theme",
    "starter_config_text",
    "write_starter_config",
]
