"""The Textual front end. Importing this package does no work and loads no Textual:
the app module is imported inside `run`, so the CLI stays fast for headless commands.
`keymap_problems` checks a config's [keys] table without loading Textual.
May import: Textual, Rich and everything of readerterm's below the front ends; the only
package that imports Textual or Rich."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .keymap_check import keymap_problems

if TYPE_CHECKING:
    from ..config import Config
    from ..library import Library

__all__ = ["keymap_problems", "run"]


def run(
    library: Library,
    config: Config,
    *,
    config_path: Path | None = None,
    refresh_on_start: bool = True,
    notice: str | None = None,
) -> None:
    """Run the reader until the user quits.

    `config_path` is where a theme the user picks is remembered (None: nowhere, as in
    the demo). `notice` is shown once as a notification at start (for example where a
    starter config was written). A background refresh runs at start when
    `refresh_on_start` is true, the config allows it and the library is online.
    """
    from .app import ReaderTermApp

    ReaderTermApp(
        library,
        config,
        config_path=config_path,
        refresh_on_start=refresh_on_start,
        notice=notice,
    ).run()
