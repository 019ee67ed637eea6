"""The sweep at each demo start of folders left by demos that cannot end cleanly (SIGKILL,
a crash): real folders, real pids, one of a live process and one of a process gone."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from readerterm.demo.folder import (
    NO_OWNER_SECONDS,
    PID_FILE,
    make_demo_folder,
    remove_stale_demo_folders,
)
from readerterm.errors import ReaderTermError

ON_LINUX = Path("/proc/self/ns/pid").exists()


def finished_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def demo_folder(temp_dir: Path, name: str, pid: int | None, age: float = 0) -> Path:
    folder = temp_dir / name
    folder.mkdir()
    (folder / "readerterm.db").write_bytes(b"stories")
    if pid is not None:
        (folder / PID_FILE).write_text(f"{pid}\n")
    stamp = time.time() - age
    os.utime(folder, (stamp, stamp))
    return folder


def test_only_folders_of_demos_gone_are_removed(tmp_path: Path) -> None:
    dead = finished_pid()
    gone = demo_folder(tmp_path, "readerterm-demo-dead0001", dead)
    live = demo_folder(tmp_path, "readerterm-demo-live0001", os.getpid())
    old = demo_folder(tmp_path, "readerterm-demo-old_0001", None, age=NO_OWNER_SECONDS + 60)
    starting = demo_folder(tmp_path, "readerterm-demo-new_0001", None)
    garbled = demo_folder(tmp_path, "readerterm-demo-bad_0001", None)
    (garbled / PID_FILE).write_text("0\n")  # never kill(0): that asks about a process group
    not_a_demo = demo_folder(tmp_path, "readerterm-demo-notes", dead)  # not mkdtemp's name
    (tmp_path / "elsewhere").mkdir()
    elsewhere = demo_folder(tmp_path / "elsewhere", "x", dead)
    link = tmp_path / "readerterm-demo-link0001"
    link.symlink_to(elsewhere, target_is_directory=True)
    a_file = tmp_path / "readerterm-demo-file0001"
    a_file.write_text(f"{dead}\n")

    removed = remove_stale_demo_folders(tmp_path)

    assert sorted(removed) == sorted([gone, old, garbled])
    assert not gone.exists() and not old.exists() and not garbled.exists()
    for kept in (live, starting, not_a_demo, elsewhere, a_file):
        assert kept.exists()
    assert link.is_symlink() and (elsewhere / "readerterm.db").exists()


def test_a_new_demo_records_its_pid_and_sweeps_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where TMPDIR would point
    left = demo_folder(tmp_path, "readerterm-demo-dead0002", finished_pid())
    folder = make_demo_folder()
    assert folder.parent == tmp_path and not left.exists()
    pid, *identity = (folder / PID_FILE).read_text().split()
    assert pid == str(os.getpid())
    assert len(identity) == (2 if ON_LINUX else 0)  # its start and pid namespace
    assert remove_stale_demo_folders(tmp_path) == []  # its own is live


def test_a_temp_dir_that_cannot_hold_it_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "missing"))
    with pytest.raises(ReaderTermError, match="cannot make the demo's folder"):
        make_demo_folder()


@pytest.mark.skipif(not ON_LINUX, reason="start times and pid namespaces are read from /proc")
def test_a_reused_pid_or_another_namespace_is_not_taken_for_a_live_demo(tmp_path: Path) -> None:
    """A pid alone misled: taken by another process after its demo was killed, it kept the
    folder for good; and a demo in another container sharing /tmp has a pid that may not
    exist here, so its live folder was removed."""
    after_command = Path(f"/proc/{os.getpid()}/stat").read_text().rsplit(")", 1)[1]
    start = after_command.split()[19]  # (field 22: the start, in clock ticks since boot)
    namespace = os.stat("/proc/self/ns/pid").st_ino
    mine = demo_folder(tmp_path, "readerterm-demo-mine0001", None)
    (mine / PID_FILE).write_text(f"{os.getpid()} {start} {namespace}\n")
    reused = demo_folder(tmp_path, "readerterm-demo-reus0001", None)
    (reused / PID_FILE).write_text(f"{os.getpid()} {int(start) - 1} {namespace}\n")
    elsewhere = demo_folder(tmp_path, "readerterm-demo-else0001", None)
    (elsewhere / PID_FILE).write_text(f"{finished_pid()} 5 {namespace + 1}\n")
    old = demo_folder(tmp_path, "readerterm-demo-else0002", None, age=NO_OWNER_SECONDS + 60)
    (old / PID_FILE).write_text(f"{os.getpid()} {start} {namespace + 1}\n")
    stamp = time.time() - NO_OWNER_SECONDS - 60  # (the file's creation made it young)
    os.utime(old, (stamp, stamp))

    removed = remove_stale_demo_folders(tmp_path)

    assert sorted(removed) == sorted([reused, old])
    assert mine.exists() and elsewhere.exists()
    assert not reused.exists() and not old.exists()
