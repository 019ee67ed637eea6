"""The main screen when the config is read again: filters applied to every stored story
(off the event loop), feeds the config adds subscribed and refreshed, a note for those it
no longer names, the refresh interval, and a saved search on show read again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...config import Config
from ...library import Library
from ..reload import dropped_feeds_note, removed_feeds_note, reread_note
from ..run_async import run_async
from .unsaved import warn_once

if TYPE_CHECKING:
    from .main import MainScreen


class Reconfigure:
    def __init__(self, library: Library, screen: MainScreen) -> None:
        self._library = library
        self._screen = screen
        self._unsaid: list[str] = []
        """What readings said changed, to say once their filters are applied: a reading
        that comes meanwhile replaces the filter pass, and says them with its own."""

    def apply(self, config: Config, changed: Sequence[str] = ()) -> None:
        """The config was read again: its filters, feeds, searches and intervals. Says
        what `changed` (the app's list), once the filters are applied when they changed."""
        screen = self._screen
        old, screen.config = screen.config, config
        self._library.settings.configure(config, apply=False)
        if "filters" in changed or self._unsaid:
            self._unsaid = list(dict.fromkeys([*self._unsaid, *changed]))
        elif changed:
            screen.notify(reread_note(changed), markup=False)
        run_async(screen, self._apply_filters, group="filters", exclusive=True)
        config_feeds = self._library.subscriptions.add_config_feeds(config.feeds)
        if config_feeds.not_written:
            warn_once(screen, config_feeds.not_written)
        added = config_feeds.added
        if note := dropped_feeds_note(old, config):
            screen.notify(note, markup=False, timeout=10)
        if note := removed_feeds_note(old, config_feeds.removed, screen.key_for("add_feed")):
            screen.notify(note, markup=False, timeout=10)
        if old.refresh_minutes != config.refresh_minutes:
            screen.background.start_auto_refresh()
        screen.listing.sync_from_library(ids=True)
        if old.searches != config.searches and screen.entry_key.startswith("search:"):
            # The saved search on show was edited (its query read again) or is gone.
            if screen.feed_list.index_of(screen.entry_key) is None:
                screen.feed_list.select_key("all")
            else:
                screen.show_entry(screen.entry_key)
        if added:
            screen.start_refresh([feed.id for feed in added], quiet=True)

    async def _apply_filters(self) -> None:
        """Changed filters, applied to every stored story on the writer's thread (it reads
        each title: ~0.3 s at 100,000 stories), then the lists re-read; then the notice
        of what the readings waiting for it changed, with how many stories they hid."""
        filtered = await self._library.writer.run(self._library.settings.apply_filters)
        parts, self._unsaid = self._unsaid, []
        if filtered is not None and any(filtered):
            self._screen.ids_stale = True
            self._screen.listing.start_sync_off_loop()
            if "filters" not in parts:  # (a reading whose worker gave way to this one's)
                parts.append("filters")
        if parts:
            self._screen.notify(reread_note(parts, filtered), markup=False)
