"""Where the sync password comes from: READERTERM_SYNC_PASSWORD, else `password_command`.

The command runs as an argument list (never through a shell), its first line of output is
the password, and the password lives only in this process's memory: readerterm never
writes it to a file, a log or the database, and no message quotes it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from ..text.safe import clean_line
from .protocol import SyncError

PASSWORD_VARIABLE = "READERTERM_SYNC_PASSWORD"
COMMAND_TIMEOUT = 60.0
"""Seconds a password command may take (a password manager may ask for a passphrase)."""


def sync_password(command: Sequence[str]) -> str:
    """The password, or a SyncError saying how to give one."""
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:
        return from_environment
    if not command:
        raise SyncError(
            f"sync needs a password: set password_command in the [sync] table of the config"
            f" or the {PASSWORD_VARIABLE} variable"
        )
    name = command[0]
    try:
        done = subprocess.run(
            list(command),
            capture_output=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise SyncError(f"the sync password_command {name!r} was not found") from None
    except subprocess.TimeoutExpired:
        raise SyncError(
            f"the sync password_command {name!r} gave no password in {COMMAND_TIMEOUT:g} s"
            " (is it waiting for input? it gets none)"
        ) from None
    except (OSError, subprocess.SubprocessError) as error:
        reason = type(error).__name__
        raise SyncError(f"the sync password_command {name!r} could not run ({reason})") from None
    if done.returncode != 0:
        # Its own word on why, from what it wrote to stderr ("... is not in the password
        # store."); never stdout, which may hold the password.
        said = [
            line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.strip()
        ]
        why = f": {clean_line(said[-1])[:200]}" if said else ""
        raise SyncError(
            f"the sync password_command {name!r} failed (exit status {done.returncode}){why}"
        )
    lines = done.stdout.decode("utf-8", errors="replace").splitlines()
    password = lines[0].strip() if lines else ""
    if not password:
        raise SyncError(f"the sync password_command {name!r} printed no password")
    return password
