"""The starter config is written whole or not at all, and never over a link the user made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from readerterm.__main__ import _starter_config
from readerterm.config import load_config


def test_a_link_to_a_config_that_is_not_there_is_left_alone(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.symlink_to(tmp_path / "dotfiles-not-mounted" / "readerterm.toml")
    assert _starter_config(config) is None
    assert config.is_symlink()
    assert os.readlink(config) == str(tmp_path / "dotfiles-not-mounted" / "readerterm.toml")


def test_the_starter_config_is_written_whole(tmp_path: Path) -> None:
    config = tmp_path / "readerterm" / "config.toml"
    notice = _starter_config(config)
    assert notice is not None and "starter config" in notice
    assert load_config(config).feeds
    assert sorted(path.name for path in config.parent.iterdir()) == ["config.toml"]


def test_a_config_that_cannot_be_written_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"

    def no_space(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    notice = _starter_config(config)
    assert notice is not None
    assert "No space left on device" in notice and "default settings" in notice
    assert list(tmp_path.iterdir()) == []
