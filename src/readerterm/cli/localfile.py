"""Reading a file named on the command line (`import FILE`, `extract FILE`): a regular
file of at most `limit` bytes (paths.read_bounded), or a one-line error naming it."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError
from ..paths import RefusedFile, read_bounded
from ..text.safe import clean_line

MAX_FILE_BYTES = 10 * 1024 * 1024


def read_local_file(path: Path | str, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`; UsageError (one line, naming the file) when
    it cannot be read, is not a regular file, or holds more than `limit` bytes."""
    name = clean_line(str(path))
    try:
        return read_bounded(path, limit)
    except RefusedFile as refused:
        raise UsageError(f"cannot read {name}: it {refused}") from None
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror or error}") from None
