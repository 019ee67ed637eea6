"""The demo's throwaway folder in the system temp dir, and the sweep of ones left behind.

A demo removes its folder when it ends, SIGHUP and SIGTERM included; SIGKILL or a crash
leaves it. So each folder names its owner's pid in a file, and each demo start removes
the folders of demos whose process is gone.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

from ..errors import ReaderTermError

PREFIX = "readerterm-demo-"
NAME = re.compile(re.escape(PREFIX) + r"[a-z0-9_]{8}")
"""A folder `tempfile.mkdtemp(prefix=PREFIX)` makes, and nothing else of that prefix."""
PID_FILE = "owner.pid"
NO_OWNER_SECONDS = 24 * 3600
"""A folder with no pid file (an older readerterm's, or a start killed at once) is
removed once it is this old: younger, it may be a demo still writing its pid."""


def make_demo_folder() -> Path:
    """A new folder for a demo, its pid recorded; left-behind folders are swept first."""
    if os.name == "posix":  # (Windows' os.kill ends the process it is given)
        remove_stale_demo_folders(Path(tempfile.gettempdir()))
    try:
        folder = Path(tempfile.mkdtemp(prefix=PREFIX))
        (folder / PID_FILE).write_text(f"{os.getpid()}\n", encoding="ascii")
    except OSError as error:  # TMPDIR missing or read-only: the user's to fix, no traceback
        raise ReaderTermError(f"cannot make the demo's folder: {error}") from None
    return folder


def remove_stale_demo_folders(temp_dir: Path, now: float | None = None) -> list[Path]:
    """Remove the demo folders in `temp_dir` that are this user's and whose demo is gone;
    returns them. Links and other users' folders are never touched."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(temp_dir))
    except OSError:
        return removed
    for entry in entries:
        if not NAME.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            continue
        folder = Path(entry.path)
        if _owner_may_live(folder, now - info.st_mtime):
            continue
        # (rmtree refuses a folder swapped for a link since the check, and never follows one)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _owner_may_live(folder: Path, age: float) -> bool:
    """Whether the demo that made `folder` may still be running."""
    try:
        pid = int((folder / PID_FILE).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return age < NO_OWNER_SECONDS
    if pid <= 0:  # (kill(0) or kill(-n) would ask about a whole process group)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process has that pid now: alive, not ours to judge
        return True
    return True
