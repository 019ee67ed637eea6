"""`readerterm --demo` in a real terminal (a pty), ended by a signal instead of `q`: the
demo used to leave its folder in the temp dir when its terminal closed (SIGHUP) or it was
killed (SIGTERM); now the app exits as on `q` and the folder goes."""

from __future__ import annotations

import os
import pty
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from child import WAIT, readerterm_env


class DemoInPty:
    """`readerterm --demo` on a pty, everything it draws collected by a thread."""

    def __init__(self, tmp_path: Path) -> None:
        self.temp_dir = tmp_path / "tmp"
        self.temp_dir.mkdir()
        env = readerterm_env(tmp_path, TMPDIR=str(self.temp_dir), COLUMNS="100", LINES="30")
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "readerterm", "--demo"],
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
        )
        os.close(slave)
        self.drawn = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child is gone (EIO) or the test closed the terminal
                return
            if not chunk:
                return
            self.drawn += chunk

    def wait_for_screen(self) -> Path:
        """The demo's folder, once the demo's notice is on the screen (its signal
        handlers are set by then)."""
        deadline = time.monotonic() + WAIT
        while b"throwaway folder" not in self.drawn:
            assert self.process.poll() is None, bytes(self.drawn).decode(errors="replace")
            assert time.monotonic() < deadline, "the demo never drew its first screen"
            time.sleep(0.05)
        (folder,) = self.temp_dir.glob("readerterm-demo-*")
        assert (folder / "readerterm.db").exists()
        return folder

    def close_terminal(self) -> None:
        os.close(self.master)
        self.reader.join(WAIT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(WAIT)
        if self.reader.is_alive():
            self.close_terminal()


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[DemoInPty]:
    running = DemoInPty(tmp_path)
    yield running
    running.stop()


def test_sigterm_ends_the_demo_as_q_does(demo: DemoInPty) -> None:
    folder = demo.wait_for_screen()
    demo.process.send_signal(signal.SIGTERM)
    assert demo.process.wait(WAIT) == 0
    assert not folder.exists()
    demo.reader.join(WAIT)
    assert b"\x1b[?1049l" in demo.drawn  # the screen given back: the app ended as on q


def test_a_closed_terminal_ends_the_demo_and_removes_its_folder(demo: DemoInPty) -> None:
    folder = demo.wait_for_screen()
    demo.close_terminal()  # what closing the window does; the hangup signal follows it
    demo.process.send_signal(signal.SIGHUP)
    demo.process.wait(WAIT)  # (its status: whatever writing to a closed terminal made it)
    assert not folder.exists()
    assert list(demo.temp_dir.iterdir()) == []
