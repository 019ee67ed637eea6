"""The Textual application: wires the library and config into the main screen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..config import Config
from ..library import Library
from .screens.help import HelpScreen, binding_rows
from .screens.main import MainScreen


def utc_now() -> datetime:
    return datetime.now(UTC)


class ReaderTermApp(App[None]):
    """readerterm's TUI. Everything it shows comes from `library`; it never fetches itself."""

    CSS_PATH = "readerterm.tcss"
    TITLE = "readerterm"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Keys", key_display="?", id="help"),
    ]

    def __init__(
        self,
        library: Library,
        config: Config,
        *,
        refresh_on_start: bool = True,
        notice: str | None = None,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__()
        self.library = library
        """The only way to data: reads, writes and refreshes."""
        self.config = config
        self.refresh_on_start = refresh_on_start and config.refresh_on_start
        """Whether to refresh every feed in the background once the panes are filled."""
        self.notice = notice
        self.now = now
        """The clock used for ages (injected so tests and snapshots are deterministic)."""
        self._apply_keymap(config.keys)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.library, self.config, now=self.now)

    def on_mount(self) -> None:
        self._apply_theme(self.config.theme)
        if self.notice:
            self.notify(self.notice, title="readerterm", markup=False, timeout=8)
        if self.refresh_on_start and not self.library.offline:
            screen = self.screen
            if isinstance(screen, MainScreen):
                screen.start_refresh(None)

    async def on_unmount(self) -> None:
        """Close the library's network client on the loop that opened it."""
        try:
            await self.library.aclose()
        except Exception as error:  # shutting down: report, never raise
            self.log.error(f"closing the library failed: {error!r}")

    def _apply_theme(self, name: str) -> None:
        if name in self.available_themes:
            self.theme = name
        else:
            self.notify(
                f"Unknown theme {name!r} in the config; using {self.theme}.",
                severity="warning",
                markup=False,
            )

    def _apply_keymap(self, keys: dict[str, str]) -> None:
        """Apply the config's [keys]; a keymap Textual cannot take is skipped, not fatal."""
        try:
            self.set_keymap(dict(keys))
        except Exception as error:  # the config layer validates; never crash here
            self.set_keymap({})
            self.call_later(
                self.notify,
                f"Ignoring the [keys] table: {error}",
                severity="warning",
                markup=False,
            )

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(binding_rows(self)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not isinstance(screen, MainScreen):
            return
        for key, description, _binding_id, action in binding_rows(self):
            if action is None:
                continue
            yield SystemCommand(
                description, f"Key: {key}", lambda action=action: self._run_screen_action(action)
            )

    async def _run_screen_action(self, action: str) -> None:
        await self.run_action(action, default_namespace=self.screen)
