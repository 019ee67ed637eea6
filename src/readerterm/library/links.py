"""Opening links from feeds: only http(s), never through a shell.

A console browser (w3m, lynx, ...) draws in the terminal it starts in. Started in the
background like a graphical one, it would fight the reader for the screen and the keys, so
it gets the terminal to itself until it exits (`Launch.in_terminal`; the reader suspends
meanwhile). On a Unix without a display, the system's default browser would be such a
console browser started in the background: readerterm looks for one itself then.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import webbrowser
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UsageError
from ..text.safe import is_clean_line


class NoBrowser(UsageError):
    """Nothing here can show a web page; the reader adds which key copies the link."""


CONSOLE_BROWSERS = frozenset(
    {"w3m", "lynx", "elinks", "links", "links2", "browsh", "carbonyl", "cha", "www-browser"}
)
"""Programs that run in the terminal (www-browser: Debian's name for the console default)."""
CONSOLE_BROWSER_SEARCH = ("www-browser", "w3m", "lynx", "elinks", "links")
"""Looked for, in this order, where there is no display and nothing else is set."""


@dataclass(frozen=True, slots=True)
class Launch:
    argv: tuple[str, ...]
    in_terminal: bool
    """A console browser: it must have the terminal until it exits."""

    @property
    def name(self) -> str:
        return Path(self.argv[0]).name


def checked_link(url: str | None) -> tuple[str | None, str]:
    """The link to hand to a browser, or None and why not. A space in its path, query or
    fragment is written %20, as a browser's address bar does; anywhere else (the host),
    or any other space or control character, refuses it."""
    if not url or not url.strip():
        return None, "this story has no link"
    url = url.strip()
    parts = urlsplit(url)
    if url.startswith("-") or parts.scheme.lower() not in {"http", "https"}:
        return None, f"not an http(s) link, not opened: {shown_link(url)}"
    if not parts.netloc:
        return None, f"the link names no host, not opened: {shown_link(url)}"
    if " " in parts.netloc:
        return None, f"the link's host holds a space, not opened: {shown_link(url)}"
    url = url.replace(" ", "%20")
    if not is_clean_line(url) or any(ch.isspace() for ch in url):
        odd = "the link holds a control character or odd space"
        return None, f"{odd}, not opened: {shown_link(url)}"
    return url, ""


def shown_link(url: str) -> str:
    """A link quoted in a message: as is where it is printable, escaped where it is not."""
    return f'"{url}"' if is_clean_line(url) and url.isprintable() else repr(url)


def browser_launch(
    url: str | None,
    command: Sequence[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> tuple[str, Launch | None]:
    """The link to open and how: the user's command, else $BROWSER, else None for the
    system's default browser, or, without a display, the first console browser found.

    Raises UsageError for a link that is not http(s) or a browser that is not there.
    """
    link, why_not = checked_link(url)
    if link is None:
        raise UsageError(why_not)
    env = os.environ if environ is None else environ
    if command:
        return link, _launch([*command, link])
    entries = [entry.strip() for entry in env.get("BROWSER", "").split(os.pathsep)]
    if any(entries):
        return link, _from_browser_variable([entry for entry in entries if entry], link)
    if has_display(env):
        return link, None
    for name in CONSOLE_BROWSER_SEARCH:
        program = shutil.which(name)
        if program is not None:
            return link, Launch((program, link), in_terminal=True)
    raise NoBrowser(
        "no display here, and no console browser (w3m, lynx, elinks, links) on PATH: "
        "set [settings] browser in config.toml"
    )


def _from_browser_variable(entries: list[str], link: str) -> Launch:
    """The first installed command of $BROWSER, read as Python's webbrowser reads it: each
    entry a command line, "%s" standing for the link (appended when there is none)."""
    first_error: UsageError | None = None
    for entry in entries:
        try:
            words = shlex.split(entry, posix=os.name != "nt")
        except ValueError as error:
            raise UsageError(f"cannot read $BROWSER ({error}): {entry[:80]!r}") from None
        if not words:
            continue
        argv = [word.replace("%s", link) for word in words]
        if not any("%s" in word for word in words):
            argv.append(link)
        try:
            return _launch(argv)
        except UsageError as error:
            first_error = first_error or error
    raise first_error or UsageError("$BROWSER names no command")


def has_display(environ: Mapping[str, str]) -> bool:
    """Whether graphical programs can show here (always on macOS and Windows)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _launch(argv: list[str]) -> Launch:
    program = shutil.which(argv[0])
    if program is None:
        raise UsageError(f"browser command not found: {argv[0]}")
    console = Path(program).stem.lower() in CONSOLE_BROWSERS  # (w3m.exe on Windows)
    return Launch((program, *argv[1:]), in_terminal=console)


def start_in_background(launch: Launch) -> None:
    """Start a graphical browser and go on (it never holds the reader's terminal). A
    thread waits for it, so that a browser that exits leaves no zombie process behind
    (one a link, for as long as the reader ran)."""
    try:
        browser = subprocess.Popen(
            list(launch.argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        raise UsageError(f"could not start {launch.name}: {error.strerror}") from error
    threading.Thread(target=browser.wait, name="browser-wait", daemon=True).start()


def run_in_terminal(launch: Launch) -> None:
    """Run a console browser in this terminal until it exits.

    Ctrl-C in it reaches this process too (one process group): ignored here meanwhile, as
    os.system does, so it only ever stops the browser.
    """
    with _interrupts_ignored():
        try:
            subprocess.run(list(launch.argv), check=False)
        except OSError as error:
            raise UsageError(f"could not start {launch.name}: {error.strerror}") from error


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    names = ("SIGINT", "SIGQUIT")
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    try:
        previous = [(number, signal.signal(number, signal.SIG_IGN)) for number in numbers]
    except ValueError:  # not the main thread: signals stay as they are
        previous = []
    try:
        yield
    finally:
        for number, handler in previous:
            signal.signal(number, handler)


def open_in_browser(
    url: str | None,
    command: Sequence[str] | None = None,
    hand_over_terminal: Callable[[Callable[[], None]], None] | None = None,
) -> None:
    """Open `url` with the user's browser command (an argument list) or the system default.

    A console browser runs in this terminal until it exits, inside `hand_over_terminal`
    (the reader suspends itself around it). Raises UsageError for a link that is not
    http(s) or a browser that cannot be started.
    """
    link, launch = browser_launch(url, command)
    if launch is None:
        if not webbrowser.open(link):
            raise NoBrowser("no browser found: set [settings] browser in config.toml")
    elif launch.in_terminal:
        (hand_over_terminal or _directly)(partial(run_in_terminal, launch))
    else:
        start_in_background(launch)


def _directly(run: Callable[[], None]) -> None:
    run()
