"""paths.py: platformdirs locations, READERTERM_* overrides, --config wins."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from readerterm.paths import APP_NAME, default_paths, offline_from_environment


def test_defaults_come_from_platformdirs() -> None:
    paths = default_paths(environ={})
    config_dir = platformdirs.user_config_path(APP_NAME, appauthor=False)
    assert paths.config_file == config_dir / "config.toml"
    assert paths.config_dir == config_dir
    assert paths.data_dir == platformdirs.user_data_path(APP_NAME, appauthor=False)
    assert paths.cache_dir == platformdirs.user_cache_path(APP_NAME, appauthor=False)
    assert paths.database == paths.data_dir / "readerterm.db"


def test_environment_overrides_every_location(tmp_path: Path) -> None:
    environ = {
        "READERTERM_CONFIG_DIR": str(tmp_path / "c"),
        "READERTERM_DATA_DIR": str(tmp_path / "d"),
        "READERTERM_CACHE_DIR": str(tmp_path / "k"),
    }
    paths = default_paths(environ=environ)
    assert paths.config_file == tmp_path / "c" / "config.toml"
    assert paths.data_dir == tmp_path / "d"
    assert paths.cache_dir == tmp_path / "k"
    assert paths.database == tmp_path / "d" / "readerterm.db"


def test_nothing_is_created(tmp_path: Path) -> None:
    default_paths(environ={"READERTERM_DATA_DIR": str(tmp_path / "new")})
    assert not (tmp_path / "new").exists()


def test_process_environment_is_used_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READERTERM_DATA_DIR", str(tmp_path / "data"))
    assert default_paths().data_dir == tmp_path / "data"


def test_blank_override_is_ignored() -> None:
    paths = default_paths(environ={"READERTERM_DATA_DIR": "   "})
    assert paths.data_dir == platformdirs.user_data_path(APP_NAME, appauthor=False)


def test_tilde_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    paths = default_paths(environ={"READERTERM_CACHE_DIR": "~/cache"})
    assert paths.cache_dir == tmp_path / "cache"


def test_config_option_wins_over_the_environment(tmp_path: Path) -> None:
    chosen = tmp_path / "elsewhere" / "my.toml"
    paths = default_paths(chosen, environ={"READERTERM_CONFIG_DIR": str(tmp_path / "c")})
    assert paths.config_file == chosen
    assert paths.config_dir == tmp_path / "elsewhere"


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_offline_from_environment_true(value: str) -> None:
    assert offline_from_environment({"READERTERM_OFFLINE": value}) is True


@pytest.mark.parametrize("value", ["", "0", "no", "false", "off"])
def test_offline_from_environment_false(value: str) -> None:
    assert offline_from_environment({"READERTERM_OFFLINE": value}) is False
    assert offline_from_environment({}) is False
