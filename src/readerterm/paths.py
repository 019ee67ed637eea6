"""Where readerterm keeps its files: platformdirs, overridden by READERTERM_* variables.

Nothing is created here; the code that writes a file makes its directory first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "readerterm"


@dataclass(frozen=True, slots=True)
class Paths:
    config_file: Path
    data_dir: Path
    cache_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "readerterm.db"

    @property
    def config_dir(self) -> Path:
        return self.config_file.parent


def default_paths(
    config_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> Paths:
    """Resolve the three locations; `config_file` (from --config) wins over the environment."""
    env = os.environ if environ is None else environ

    def choose(variable: str, fallback: Path) -> Path:
        value = env.get(variable, "").strip()
        return Path(value).expanduser() if value else fallback

    config_dir = choose(
        "READERTERM_CONFIG_DIR", platformdirs.user_config_path(APP_NAME, appauthor=False)
    )
    return Paths(
        config_file=config_file if config_file is not None else config_dir / "config.toml",
        data_dir=choose(
            "READERTERM_DATA_DIR", platformdirs.user_data_path(APP_NAME, appauthor=False)
        ),
        cache_dir=choose(
            "READERTERM_CACHE_DIR", platformdirs.user_cache_path(APP_NAME, appauthor=False)
        ),
    )


def offline_from_environment(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get("READERTERM_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}
