"""What the config says, as typed values (read by load.py)."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


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
    """All of these must appear in the title as whole words (case-insensitive): "AI"
    hides "AI chips" and not "Strait talks"."""
    regex: re.Pattern[str] | None = None
    """Or: this regular expression must match somewhere in the title."""
    feed: str | None = None

    def hides(self, title: str, feed_title: str) -> bool:
        if self.feed and self.feed.casefold() not in feed_title.casefold():
            return False
        if self.regex is not None and self.regex.search(title):
            return True
        folded = title.casefold()
        return bool(self.words) and all(_whole_word(word).search(folded) for word in self.words)


@functools.lru_cache(maxsize=256)
def _whole_word(word: str) -> re.Pattern[str]:
    """`word` (case-folded) where no letter or digit runs on into either of its ends ("c++"
    and "U.S." too). An end in a script whose words are not set apart by spaces (Chinese,
    Japanese, Thai ...) needs no such bound: "广告" is a word of "今日广告合作"."""
    folded = word.casefold()
    before = r"(?<!\w)" if _spaced(folded[:1]) else ""
    after = r"(?!\w)" if _spaced(folded[-1:]) else ""
    return re.compile(before + re.escape(folded) + after)


_UNSPACED_SCRIPTS = (
    *("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR"),
    *("TIBETAN", "HANGUL"),  # (Korean spaces its words, with particles joined on: 삼성은)
)


def _spaced(character: str) -> bool:
    """Whether words of `character`'s script are set apart by spaces (Latin, Cyrillic ...)."""
    return not unicodedata.name(character, "").startswith(_UNSPACED_SCRIPTS)


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
    source: Path | None = field(default=None, compare=False)
    """The file it was read from, for messages that send the user there (None: the
    defaults, no file). Not part of what the config says: two files alike are equal."""
