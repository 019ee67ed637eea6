"""Where readerterm keeps its files (platformdirs, overridden by READERTERM_* variables),
and the one way a file the user names is read (`read_bounded`).

Nothing is created here; the code that writes a file makes its directory first.
"""

from __future__ import annotations

import os
import stat
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


class RefusedFile(Exception):
    """A file `read_bounded` will not read; the message completes "FILE ..."."""


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises RefusedFile when it is not a regular file (a FIFO, a device such as /dev/zero,
    a folder, a socket) or holds more than `limit` bytes, and OSError when it cannot be
    opened or read (FileNotFoundError when it does not exist). `/dev/zero` would otherwise
    be read until memory runs out and a FIFO with no writer would wait for ever. The file
    is checked before it is opened (opening a device can act on it), opened without
    blocking, checked again on the open descriptor (no race with a rename), and at most
    `limit + 1` bytes are read (a file that grows meanwhile is refused too).
    """
    mode = os.stat(path).st_mode  # (opening some devices does something: not those)
    if not stat.S_ISREG(mode):
        raise RefusedFile(f"is not a regular file ({_kind(mode)})")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise RefusedFile(f"is not a regular file ({_kind(mode)})")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(descriptor)
    if size > limit:
        raise RefusedFile(f"is larger than {_size(limit)}")
    return b"".join(chunks)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def _size(count: int) -> str:
    mib = count / (1024 * 1024)
    return f"{mib:g} MiB" if mib >= 1 else f"{count} bytes"
