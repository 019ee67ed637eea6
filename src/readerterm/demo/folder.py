"""The demo's throwaway folder in the system temp dir, and the sweep of ones left behind.

A demo removes its folder when it ends, SIGHUP and SIGTERM included; SIGKILL or a crash
leaves it. So each folder names its owner's pid in a file, and each demo start removes
the folders of demos whose process is gone.

A pid alone can mislead: once its demo is gone another process may take it, and a /tmp
shared between containers holds folders of demos whose pids mean nothing here. Where
/proc says (Linux), the file also records the owner's start time and pid namespace: a
pid now held by a process started at another time is a demo gone, and a folder from
another namespace is judged by its age alone, as one with no pid.
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
        owner = " ".join([str(os.getpid()), *_identity(os.getpid())])
        (folder / PID_FILE).write_text(f"{owner}\n", encoding="ascii")
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
        pid_text, *recorded = (folder / PID_FILE).read_text(encoding="ascii").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return age < NO_OWNER_SECONDS
    if pid <= 0:  # (kill(0) or kill(-n) would ask about a whole process group)
        return False
    here = _identity(os.getpid())
    if len(recorded) == 2 and len(here) == 2 and recorded[1] != here[1]:
        return age < NO_OWNER_SECONDS  # another pid namespace: its pids mean nothing here
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process has that pid now: alive, not ours to judge
        return True
    now = _identity(pid)
    return not (recorded and now and recorded[0] != now[0])  # (else: the pid was reused)


def _identity(pid: int) -> list[str]:
    """[start time, pid namespace] of process `pid` where /proc says (Linux), else []:
    the start in clock ticks since boot (field 22 of /proc/PID/stat, counted after the
    command's closing bracket, as the command may hold spaces and brackets), the
    namespace as the inode of /proc/PID/ns/pid."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        start = stat_line.rsplit(")", 1)[1].split()[19]
        namespace = os.stat(f"/proc/{pid}/ns/pid").st_ino
    except (OSError, IndexError):
        return []
    return [start, str(namespace)]
