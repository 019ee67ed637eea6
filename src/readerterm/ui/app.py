"""The Textual application: wires the library and config into the main screen."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from ..config import Config, remember_theme
from ..errors import ConfigError
from ..library import Library
from ..text.safe import clean_line
from . import warmup
from .key_names import character_of
from .keyhold import KeyHold
from .keys import KEYS, SCOPE_NAMES, ResolvedKeys, bindings, key_may_run, resolve_keymap
from .reload import CHECK_SECONDS, ConfigWatcher, reread_note, what_changed
from .run_async import run_async
from .screens.help import HelpScreen, binding_rows
from .screens.main import MainScreen
from .screens.triage import TriageScreen

ESSENTIAL = (("Quit", "quit"), ("Help", "help"))
"""Actions a user must always find a key for: (name, binding id)."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReaderTermApp(App[None]):
    """readerterm's TUI. Everything it shows comes from `library`; it never fetches itself."""

    CSS_PATH = "readerterm.tcss"
    TITLE = "readerterm"

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("app"))

    def __init__(
        self,
        library: Library,
        config: Config,
        *,
        config_path: Path | None = None,
        refresh_on_start: bool = True,
        notice: str | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__()
        self.library = library
        """The only way to data: reads, writes and refreshes."""
        self.config = config
        self.config_path = config_path
        """Where a theme the user picks is remembered; None: nowhere (the demo)."""
        self._saved_theme = config.theme
        self.refresh_on_start = refresh_on_start and config.refresh_on_start
        """Whether to refresh every feed in the background once the panes are filled."""
        self.notice = notice
        self.now = now
        """The clock used for ages (injected so tests and snapshots are deterministic)."""
        self.keys = resolve_keymap(config.keys)
        """The keymap in use: the user's [keys], and the defaults that moved aside."""
        self.running_from_palette = False
        """True while the command palette runs an action (an unbound one too)."""
        self.key_hold = KeyHold(self)
        """Keys typed while an input is being shown, replayed into it once it has focus."""
        self.config_refused = False
        """The file on disk was last read with an error: the config in use is an older one."""
        self.watcher = (
            ConfigWatcher(config_path, self.apply_config, self._refuse_config)
            if config_path is not None
            else None
        )
        """Reads the config again when it changes on disk (none for the demo)."""
        self._apply_keymap(self.keys)

    @property
    def unbound_actions(self) -> frozenset[tuple[str, str]]:
        """(scope, action) of the bindings the user's keys left without a key."""
        return self.keys.unbound_actions

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.library, self.config, now=self.now)

    def on_mount(self) -> None:
        self._apply_theme(self.config.theme)
        self._saved_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.notice:
            self.notify(self.notice, title="readerterm", markup=False, timeout=8)
        self._warn_of_lost_keys()
        self._exit_on_hangup()
        # Everything loaded so far lives as long as the app: keep the garbage collector
        # from walking it again and again (measured: GC pauses of ~120 ms down to ~6 ms).
        self.call_after_refresh(warmup.freeze_garbage_collector)
        self.call_after_refresh(self._after_first_screen)
        if self.watcher is not None:
            self.set_interval(CHECK_SECONDS, self.watcher.check, name="config-watch")
        if self.refresh_on_start and not self.library.offline:
            screen = self.screen
            if isinstance(screen, MainScreen):
                # Once the first screen is drawn: a sync reports to the status line at
                # once, and that line's parts do not exist before then.
                self.call_after_refresh(screen.start_refresh, None)

    def _exit_on_hangup(self) -> None:
        """SIGHUP (the terminal closed) and SIGTERM (`kill`) end the app as `q` does, so
        what follows it still runs: the library closes, the demo removes its folder.
        (Textual leaves both at their default, which ends the process there and then.)"""
        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            # (Windows has no SIGHUP nor loop signal handlers; a loop off the main thread
            # has none either)
            with contextlib.suppress(AttributeError, NotImplementedError, RuntimeError):
                loop.add_signal_handler(getattr(signal, name), self.exit)

    def _after_first_screen(self) -> None:
        """Background work that must not delay the first screen: stories stored but not
        yet searchable (by a command-line refresh, or this app's refreshes from now on)
        are indexed on the library's writer thread, and the Markdown widget is imported on
        a thread. (The story converter needs no preload: it is imported by the first
        conversion, which runs on a thread; preloading it moved no figure.)"""
        self.library.writer.index_in_background()
        self.run_worker(warmup.import_markdown_widget, thread=True, group="preload")

    async def on_unmount(self) -> None:
        """Close the library's network client on the loop that opened it."""
        try:
            await self.library.aclose()
        except Exception as error:  # shutting down: report, never raise
            self.log.error(f"closing the library failed: {error!r}")

    def _apply_theme(self, name: str) -> bool:
        """Use the theme `name`; False, with a warning, for a theme Textual does not know."""
        if name in self.available_themes:
            self.theme = name
            return True
        where = clean_line(str(self.config_path)) if self.config_path else "the config"
        self.notify(
            f"Unknown theme {clean_line(name)!r} in {where} ([settings] theme); using "
            f"{self.theme}. The palette (ctrl+p, Theme) lists every theme.",
            severity="warning",
            markup=False,
        )
        return False

    def _remember_theme(self, theme: Theme) -> None:
        """Write a newly picked theme into config.toml (comments kept)."""
        if self.config_path is None or theme.name == self._saved_theme:
            return
        try:
            remember_theme(self.config_path, theme.name)
        except ConfigError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._saved_theme = theme.name
        # Written by us: reading the file again must not take it for the user's edit.
        self.config = replace(self.config, theme=theme.name)

    def _apply_keymap(self, keys: ResolvedKeys) -> None:
        """Apply the config's [keys]; a keymap Textual cannot take is skipped, not fatal."""
        try:
            self.set_keymap(dict(keys.keymap))
        except Exception as error:  # the config layer validates; never crash here
            self.set_keymap({})
            self.call_later(
                self.notify,
                f"Ignoring the [keys] table: {error}",
                severity="warning",
                markup=False,
            )

    def _warn_of_lost_keys(self) -> None:
        """Say so when the user's [keys] took every key from Quit or Help (the rule that
        the user's bindings win would leave no key to leave by, without a word)."""
        lost = [name for name, binding_id in ESSENTIAL if binding_id in self.keys.unbound]
        if lost:
            one = len(lost) == 1
            self.notify(
                f"{' and '.join(lost)} {'has' if one else 'have'} no key now: [keys] gave "
                f"{'its key' if one else 'their keys'} to other actions; ctrl+p still runs "
                f"{'it' if one else 'them'}.",
                severity="warning",
                markup=False,
                timeout=10,
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return key_may_run(self, ("app",), action, parameters)

    # -- the config, read again -----------------------------------------------------------

    def action_reload_config(self) -> None:
        if self.watcher is None:
            self.notify("The demo reads its settings once, as it starts.")
            return
        run_async(self, partial(self.watcher.reload, asked=True), group="config", exclusive=True)

    def apply_config(self, config: Config, asked: bool = True) -> None:
        """Use a config read again: keys, theme, filters, feeds, searches, settings."""
        changed = what_changed(self.config, config)
        fixed = self._mark_config_refused(False)
        if not changed:
            if fixed:  # (the notice of the error may still show: this one follows it)
                self.notify("Config read again: the error is fixed; nothing else changed.")
            elif asked:
                self.notify("Config read again: nothing changed.")
            return
        old, self.config = self.config, config
        if old.keys != config.keys:
            self.keys = resolve_keymap(config.keys)
            self._apply_keymap(self.keys)
            self._warn_of_lost_keys()
        if old.theme != config.theme:
            self._saved_theme = config.theme  # (already in the file: not written again)
            if not self._apply_theme(config.theme):
                changed.remove("theme")  # the warning says the theme in use stays
        # The main screen says what changed: changed filters once they are applied, with
        # the stories they hid (in the same notice).
        mains = [screen for screen in self.screen_stack if isinstance(screen, MainScreen)]
        for screen in mains:
            screen.apply_config(config, changed)
        if changed and not mains:
            self.notify(reread_note(changed), markup=False)

    def _refuse_config(self, problem: str) -> None:
        self.notify(
            f"{problem}\nThe config in use is kept.",
            title="Config not read",
            severity="error",
            markup=False,
            timeout=10,
        )
        self._mark_config_refused(True)

    def _mark_config_refused(self, refused: bool) -> bool:
        """Whether the file on disk was refused (the main screens' status line says so
        until a reading succeeds); returns whether it was before."""
        was, self.config_refused = self.config_refused, refused
        if was != refused:
            for screen in self.screen_stack:
                if isinstance(screen, MainScreen):
                    screen.show_status()
        return was

    async def on_event(self, event: events.Event) -> None:
        if not self.key_hold.take(event):
            await super().on_event(event)

    def get_key_display(self, binding: Binding) -> str:
        """Textual's way of writing a key, but a character key named from Unicode shown as
        its character (`§`, `€`: Textual writes `section_sign`, a footer's width)."""
        shown = super().get_key_display(binding)
        if binding.key_display is None and shown == binding.key:
            return character_of(shown) or shown
        return shown

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            scope = "triage" if isinstance(self.screen, TriageScreen) else None
            help_keys = self.keys.keys_of(next(spec for spec in KEYS if spec.id == "help"))
            self.push_screen(HelpScreen(binding_rows(self), scope=scope, help_keys=help_keys))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands (themes, quit ...), its Keys opening readerterm's help screen
        rather than Textual's key panel, then every action the screen has a key for. On
        the main screen Textual's Quit (listed again with its key) and Maximize / Minimize
        are left out: `z` zooms the reader, and a list maximised hid the story Enter read."""
        textual_keys_panel = (self.action_show_help_panel, self.action_hide_help_panel)
        left_out = (self.action_quit, screen.action_maximize, screen.action_minimize)
        for command in super().get_system_commands(screen):
            if isinstance(screen, MainScreen) and command.callback in left_out:
                continue
            if command.callback in textual_keys_panel:
                yield SystemCommand(
                    command.title, "Every key, what it does and its binding id", self.action_help
                )
            else:
                yield command
        if isinstance(screen, MainScreen):
            scopes = {"app", "main"}
        elif isinstance(screen, TriageScreen):
            scopes = {"triage"}
        else:
            return
        for key, description, _binding_id, action, scope in binding_rows(self):
            if action is None or scope not in scopes:
                continue
            if scope not in ("app", "main"):
                description = f"{description} ({SCOPE_NAMES[scope]})"
            yield SystemCommand(
                description,
                f"Key: {key}" if key else "No key",
                lambda action=action, screen=screen: self._run_screen_action(action, screen),
            )

    async def _run_screen_action(self, action: str, screen: Screen[object]) -> None:
        self.running_from_palette = True
        try:
            await self.run_action(action, default_namespace=screen)
        finally:
            self.running_from_palette = False
