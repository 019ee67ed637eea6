"""Opening links from feeds: only http(s), never through a shell."""

from __future__ import annotations

import shutil
import subprocess
import webbrowser
from collections.abc import Sequence
from urllib.parse import urlsplit

from .errors import UsageError
from .text import is_clean_line


def openable_link(url: str | None) -> str | None:
    """The URL if it is a plain http(s) link we may hand to a browser, else None."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("-") or not is_clean_line(url) or any(ch.isspace() for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url


def open_in_browser(url: str | None, command: Sequence[str] | None = None) -> None:
    """Open `url` with the user's browser command (an argument list) or the system default.

    Raises UsageError for a link that is not http(s) or a browser that cannot be started.
    """
    link = openable_link(url)
    if link is None:
        raise UsageError(f"not an http(s) link, not opened: {url!r}")
    if command:
        program = shutil.which(command[0])
        if program is None:
            raise UsageError(f"browser command not found: {command[0]}")
        try:
            subprocess.Popen(
                [program, *command[1:], link],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as error:
            raise UsageError(f"could not start {command[0]}: {error.strerror}") from error
        return
    if not webbrowser.open(link):
        raise UsageError("no browser found; set [settings] browser in config.toml")
