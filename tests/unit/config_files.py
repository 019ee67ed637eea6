"""Writing a config file and reading the error it gives, for the config tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from readerterm.config import load_config
from readerterm.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    return str(caught.value)
