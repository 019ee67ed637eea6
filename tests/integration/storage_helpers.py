"""Shared by the storage and process tests (test_crash_safety.py,
test_unusable_databases.py, test_full_disk_keys.py): making files and folders read-only.
Where a child keeps its database and how long to wait for it are in tests/child.py."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

from prerequisites import missing


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files or folders unwritable, even for root (chmod, plus `chattr +i` as root)."""
    modes = {p: p.stat().st_mode for p in paths}
    immutable: list[Path] = []
    try:
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        if os.geteuid() == 0:
            for p in paths:
                done = subprocess.run(["chattr", "+i", str(p)], capture_output=True, check=False)
                if done.returncode != 0:
                    missing("running as root, chattr +i must work to make a file read-only")
                immutable.append(p)
        yield
    finally:
        for p in immutable:
            subprocess.run(["chattr", "-i", str(p)], capture_output=True, check=False)
        for p, mode in modes.items():
            p.chmod(mode)
