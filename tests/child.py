"""Running readerterm, or a Python script, in a child process for the tests: an environment
whose files all live under one folder, a timeout so a hang fails the test instead of
stopping the run, and limits set in the child before it starts (its memory, file writes)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

WAIT = 60.0
"""Seconds a child may take: far more than any command here needs on a loaded machine."""

Limit = Callable[[], None]


def readerterm_env(folder: Path, **extra: str) -> dict[str, str]:
    """This process's environment with readerterm's config, data and cache folders under
    `folder`, online (READERTERM_OFFLINE unset) unless `extra` says otherwise."""
    environment = dict(os.environ)
    for kind in ("CONFIG", "DATA", "CACHE"):
        environment[f"READERTERM_{kind}_DIR"] = str(folder / kind.lower())
    environment.pop("READERTERM_OFFLINE", None)
    environment.update(extra)
    return environment


def database(env: dict[str, str]) -> Path:
    """Where a readerterm run with `env` (readerterm_env) keeps its database."""
    return Path(env["READERTERM_DATA_DIR"]) / "readerterm.db"


def memory_cap(size: int) -> Limit:
    """A limit: the child's address space is at most `size` bytes (enough for readerterm,
    not for reading /dev/zero)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


def full_disk() -> None:
    """A limit: every write of a file byte fails (RLIMIT_FSIZE 0, SIGXFSZ ignored, so the
    write returns EFBIG, which SQLite reports as a disk I/O error as it does ENOSPC)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def run_python(
    env: dict[str, str], *args: str, limit: Limit | None = None, timeout: float = WAIT
) -> subprocess.CompletedProcess[str]:
    """`python ARGS` with `env`, its output captured as text, no terminal on stdin."""
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=limit,
        check=False,
    )


def run_readerterm(
    env: dict[str, str], *args: str, limit: Limit | None = None, timeout: float = WAIT
) -> subprocess.CompletedProcess[str]:
    """`readerterm ARGS` (as `python -m readerterm`) with `env`."""
    return run_python(env, "-m", "readerterm", *args, limit=limit, timeout=timeout)
