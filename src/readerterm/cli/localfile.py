"""Reading a file named on the command line (`import FILE`, `extract FILE`): a regular
file of at most `limit` bytes (paths.read_bounded), or a one-line error naming it."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..paths import RefusedFile, read_bounded
from ..text.safe import clean_line

MAX_FILE_BYTES = 10 * 1024 * 1024


class UnreadableFile(UsageError):
    """ "cannot read NAME: REASON"; `reason` alone for a caller that names the file itself."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"cannot read {name}: {reason}")
        self.reason = reason


def read_local_file(path: Path | str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`; UnreadableFile (one line, naming the file)
    when it cannot be read, is not a regular file, or holds more than `limit` bytes."""
    name = clean_line(str(path))
    try:
        return read_bounded(path, limit)
    except RefusedFile as refused:
        raise UnreadableFile(name, f"it {refused}") from None
    except OSError as error:
        raise UnreadableFile(name, clean_line(error.strerror or str(error))) from None
