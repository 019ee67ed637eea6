"""Reading a file named on the command line, with a bound: a regular file of at most
`limit` bytes, or a one-line error.

`/dev/zero` would otherwise be read until memory runs out, a FIFO with no writer would
hang the command for ever, and a directory would end in a traceback. The file is opened
without blocking (a FIFO's open waits for a writer otherwise), checked on the open file
(no race with a rename), and read at most `limit + 1` bytes (a file that grows meanwhile).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import UsageError
from ..text.safe import clean_line

MAX_FILE_BYTES = 10 * 1024 * 1024


def read_local_file(path: Path | str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`; UsageError (one line, naming the file) when
    it cannot be read, is not a regular file, or holds more than `limit` bytes."""
    name = clean_line(str(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(f"cannot read {name}: it is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UsageError(f"cannot read {name}: not a regular file (a device, FIFO or socket)")
        if os.fstat(descriptor).st_size > limit:
            raise UsageError(f"{name} is larger than {_size(limit)}")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            content = file.read(limit + 1)
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror}") from None
    finally:
        os.close(descriptor)
    if len(content) > limit:
        raise UsageError(f"{name} is larger than {_size(limit)}")
    return content


def _size(count: int) -> str:
    mib = count / (1024 * 1024)
    return f"{mib:g} MiB" if mib >= 1 else f"{count} bytes"
