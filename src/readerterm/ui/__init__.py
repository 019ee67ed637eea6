"""The Textual front end. Importing this package does no work and loads no Textual:
the app module is imported inside `run`, so the CLI stays fast for headless commands."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import Config
    from ..library import Library

__all__ = ["run"]


def run(
    library: Library,
    config: Config,
    *,
    refresh_on_start: bool = True,
    notice: str | None = None,
) -> None:
    """Run the reader until the user quits.

    `notice` is shown once as a notification at start (for example where a starter
    config was written). A background refresh runs at start when `refresh_on_start` is
    true, the config allows it and the library is online.
    """
    from .app import ReaderTermApp

    ReaderTermApp(library, config, refresh_on_start=refresh_on_start, notice=notice).run()
