"""Reading config.toml again while the reader runs: when the file changes on disk (its
size and time are looked at every few seconds, on a thread) or on ctrl+r.

The file is read and checked on a thread; only a config that loads whole and whose keys
hold together replaces the one in use. A broken edit keeps the old config, and a
notification says why (with the file, line and key, as at start).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, FeedConfig, parse_config, read_config_text
from ..errors import ConfigError
from .formatting import shown_line, stories
from .keymap_check import keymap_problems

CHECK_SECONDS = 2.0
"""How often the file's size and time are looked at."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """The outcome of one reading: the new config, or why it was refused."""

    config: Config | None
    problem: str | None = None


def stamp(path: Path) -> tuple[int, int] | None:
    """The file's (modification time, size); None when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def read_config(path: Path) -> Loaded:
    """Read and check the config as the start does (blocking: run it on a thread)."""
    try:
        text = read_config_text(path)  # one bounded reading: no FIFO, device or huge file
        config = parse_config(path, text)
    except ConfigError as error:
        return Loaded(None, str(error))
    problems = keymap_problems(config.keys, path=path, text=text)
    if problems:
        return Loaded(None, problems[0])
    return Loaded(config)


PARTS = ("keys", "theme", "filters", "feeds", "saved searches", "settings")
"""The parts of the config a reader notices, in the order notices name them."""


def what_changed(old: Config, new: Config) -> list[str]:
    """The parts of the config a reader notices (PARTS) that differ, in words."""
    settings = (old.browser, old.refresh_minutes, old.retention_days, old.sync)
    changed = {
        "keys": old.keys != new.keys,
        "theme": old.theme != new.theme,
        "filters": old.filters != new.filters,
        "feeds": old.feeds != new.feeds,
        "saved searches": old.searches != new.searches,
        "settings": settings != (new.browser, new.refresh_minutes, new.retention_days, new.sync),
    }
    return [name for name in PARTS if changed[name]]


def reread_note(changed: Sequence[str], filtered: tuple[int, int] | None = None) -> str:
    """One notice for a config read again: what changed, with what changed filters did
    to the stored stories, (hidden, shown again), after "filters" (two notices, one now
    and one when the filters were applied, said half each)."""
    # (in what_changed's order, however the readings that waited for the filters came)
    parts = [part for part in PARTS if part in changed]
    parts += [part for part in dict.fromkeys(changed) if part not in PARTS]
    if filtered is not None and any(filtered) and "filters" in parts:
        hidden, shown = filtered
        parts[parts.index("filters")] = f"filters ({stories(hidden)} hidden, {shown} shown again)"
    return f"Config read again: {', '.join(parts)}."


def dropped_feeds_note(old: Config, new: Config) -> str | None:
    """What to say of feeds taken out of the config: they stay (config feeds are
    subscribed once; removing is a command's work)."""
    dropped = {item.url for item in old.feeds} - {item.url for item in new.feeds}
    if not dropped:
        return None
    one = len(dropped) == 1
    return (
        f"{'A feed' if one else f'{len(dropped)} feeds'} taken out of the config"
        f" {'stays' if one else 'stay'} subscribed, stories and all: `readerterm remove URL`"
        " removes one."
    )


def removed_feeds_note(old: Config, removed: Sequence[FeedConfig], add_key: str) -> str | None:
    """What to say of feeds an edit lists that were removed since the config first added
    them: they stay removed (a config feed is subscribed once), which an edit that lists
    one again would otherwise meet with no word."""
    listed_before = {item.url for item in old.feeds}
    again = [item for item in removed if item.url not in listed_before]
    if not again:
        return None
    names = ", ".join(shown_line(item.title or item.url) for item in again)
    one = len(again) == 1
    return (
        f"Not subscribed again: {names} {'was' if one else 'were'} removed before, and a feed"
        f" the config added stays removed: press {add_key} (or run `readerterm add URL`) to"
        f" add {'it' if one else 'them'} back."
    )


class ConfigWatcher:
    """Notices edits of the config file and hands a good new config to `apply` (with
    whether the user asked for it); a bad one goes to `refuse` with the reason."""

    def __init__(
        self,
        path: Path,
        apply: Callable[[Config, bool], None],
        refuse: Callable[[str], None],
    ) -> None:
        self.path = path
        self._apply = apply
        self._refuse = refuse
        self._stamp = stamp(path)
        self._busy = False

    async def check(self) -> None:
        """Read the file again when its size or time changed since the last reading."""
        now = await asyncio.to_thread(stamp, self.path)
        if now != self._stamp and not self._busy:
            await self.reload(asked=False)

    async def reload(self, *, asked: bool) -> None:
        """Read the file now; apply it, or say why not."""
        self._busy = True
        try:
            self._stamp = await asyncio.to_thread(stamp, self.path)
            loaded = await asyncio.to_thread(read_config, self.path)
        finally:
            self._busy = False
        if loaded.config is None:
            self._refuse(loaded.problem or f"{self.path}: cannot read the config file")
            return
        self._apply(loaded.config, asked)
