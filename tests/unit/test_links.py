"""links.py: only http(s) links open, through an argument list, never a shell."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import webbrowser
from typing import Any, ClassVar

import pytest

from readerterm.errors import UsageError
from readerterm.library.links import (
    Launch,
    NoBrowser,
    browser_launch,
    checked_link,
    open_in_browser,
    run_in_terminal,
)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/story",
        "http://example.org/a?b=c&d=e#f",
        "HTTPS://EXAMPLE.ORG/",
        "https://user@example.org:8443/path",
    ],
)
def test_http_links_are_openable(url: str) -> None:
    assert checked_link(url)[0] == url


def test_surrounding_whitespace_is_stripped() -> None:
    assert checked_link("  https://example.org/  ")[0] == "https://example.org/"


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "   ",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "ftp://example.org/file",
        "data:text/html,<script>x</script>",
        "mailto:someone@example.org",
        "-https://example.org/",
        "--remote=https://example.org/",
        "-new-tab",
        "https://",
        "https:///path-only",
        "example.org/no-scheme",
        "//example.org/protocol-relative",
        "https://example.org/\x00",
        "https://example.org/\x1b[31m",
        "https://example.org/\x7f",
        "https://example.org/\nX-Injected: 1",
        "https://example.org/\tx",
        "https://example.org/\x85next-line",  # C1 control
        "https://example.org/\x9b2J",  # 8-bit CSI
        "https://example.org/\u202egnp.exe",  # bidi override: shown is not opened
    ],
)
def test_other_links_are_refused(url: str | None) -> None:
    assert checked_link(url)[0] is None


def test_a_space_in_a_link_is_written_as_a_browser_would() -> None:
    # It was refused as "not an http(s) link", which it is.
    assert checked_link("https://example.org/odd?q=a b")[0] == "https://example.org/odd?q=a%20b"


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("", "this story has no link"),
        ("ftp://example.org/file", 'not an http(s) link, not opened: "ftp://example.org/file"'),
        ("https://", 'the link names no host, not opened: "https://"'),
        ("https://exa mple.org/x", "the link's host holds a space, not opened: "),
        (
            "https://example.org/\x1b[31m",
            "the link holds a control character or odd space, not opened: 'https://",
        ),
        ("https://example.org/a\xa0b", "the link holds a control character or odd space"),
    ],
)
def test_a_refused_link_says_why(url: str, said: str) -> None:
    with pytest.raises(UsageError) as refused:
        browser_launch(url, ["true"])
    assert str(refused.value).startswith(said)


class FakePopen:
    calls: ClassVar[list[tuple[list[str], dict[str, Any]]]] = []

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        FakePopen.calls.append((argv, kwargs))

    def wait(self) -> int:
        return 0


@pytest.fixture
def popen(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, Any]]]:
    FakePopen.calls = []
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    monkeypatch.setattr(shutil, "which", lambda name: f"/usr/bin/{name}")
    return FakePopen.calls


def test_browser_command_gets_an_argument_list(
    popen: list[tuple[list[str], dict[str, Any]]],
) -> None:
    url = "https://example.org/story?a=1&b=$(id);`id`|x>y"
    open_in_browser(url, ["firefox", "--new-tab"])
    assert len(popen) == 1
    argv, kwargs = popen[0]
    assert argv == ["/usr/bin/firefox", "--new-tab", url]
    assert not kwargs.get("shell", False)
    assert kwargs.get("stdin") is subprocess.DEVNULL


def test_link_is_the_last_argument_even_with_no_options(
    popen: list[tuple[list[str], dict[str, Any]]],
) -> None:
    open_in_browser("https://example.org/", ("firefox",))
    assert popen[0][0] == ["/usr/bin/firefox", "https://example.org/"]


@pytest.mark.parametrize("url", ["-https://example.org/", "javascript:alert(1)", "file:///x"])
def test_refused_link_never_starts_anything(
    popen: list[tuple[list[str], dict[str, Any]]], url: str
) -> None:
    with pytest.raises(UsageError, match="not an http"):
        open_in_browser(url, ["firefox"])
    assert popen == []


def test_a_browser_that_exits_leaves_no_zombie(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each o left a finished browser "<defunct>" until the reader quit: nothing waited.
    started: list[subprocess.Popen[bytes]] = []
    real = subprocess.Popen

    def recorded(argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(real(argv, **kwargs))
        return started[-1]

    monkeypatch.setattr(subprocess, "Popen", recorded)
    open_in_browser("https://example.org/", [sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while started[0].returncode is None and time.monotonic() < deadline:
        time.sleep(0.02)  # (set by the wait that reaps it: poll() here would reap it too)
    assert started[0].returncode == 0


def test_missing_browser_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    FakePopen.calls = []
    with pytest.raises(UsageError, match="not found: nosuchbrowser"):
        open_in_browser("https://example.org/", ["nosuchbrowser"])
    assert FakePopen.calls == []


def test_browser_that_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(argv: list[str], **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr(subprocess, "Popen", broken)
    with pytest.raises(UsageError, match="could not start firefox"):
        open_in_browser("https://example.org/", ["firefox"])


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("BROWSER", raising=False)


@pytest.mark.usefixtures("desktop")
def test_system_default_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def fake_open(url: str) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    open_in_browser(" https://example.org/x ")
    assert opened == ["https://example.org/x"]


@pytest.mark.usefixtures("desktop")
def test_no_system_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    # NoBrowser, so that the reader adds which key copies the link instead.
    with pytest.raises(NoBrowser, match=r"no browser found: set .* config\.toml$"):
        open_in_browser("https://example.org/", [])


def which_only(*names: str) -> Any:
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_a_console_browser_gets_the_terminal_until_it_exits(
    popen: list[tuple[list[str], dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[list[str]] = []
    handed_over: list[bool] = []
    monkeypatch.setattr(subprocess, "run", lambda argv, **_: ran.append(list(argv)))

    def hand_over(run: Any) -> None:
        handed_over.append(True)
        run()

    open_in_browser("https://example.org/", ["w3m", "-o", "confirm_qq=0"], hand_over)
    assert ran == [["/usr/bin/w3m", "-o", "confirm_qq=0", "https://example.org/"]]
    assert handed_over == [True]
    assert popen == []  # never started in the background, beside the reader


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="always a display there")
def test_without_a_display_a_console_browser_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", which_only("lynx", "w3m"))
    no_display: dict[str, str] = {}
    link, launch = browser_launch("https://example.org/", None, no_display)
    assert launch == Launch(("/usr/bin/w3m", link), in_terminal=True)
    assert browser_launch("https://example.org/", None, {"WAYLAND_DISPLAY": "w"})[1] is None
    monkeypatch.setattr(shutil, "which", which_only())
    # The reader adds which key copies the link (the user may have moved it).
    with pytest.raises(NoBrowser, match=r"no console browser .* config\.toml$"):
        browser_launch("https://example.org/", None, no_display)


def test_the_browser_variable_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", which_only("lynx", "firefox"))
    url = "https://example.org/a?b=1"
    assert browser_launch(url, None, {"BROWSER": "lynx -accept_all_cookies"})[1] == Launch(
        ("/usr/bin/lynx", "-accept_all_cookies", url), in_terminal=True
    )
    assert browser_launch(url, None, {"BROWSER": "firefox --new-tab %s:lynx"})[1] == Launch(
        ("/usr/bin/firefox", "--new-tab", url), in_terminal=False
    )
    # The configured command comes first.
    assert browser_launch(url, ["lynx"], {"BROWSER": "firefox", "DISPLAY": ":0"})[1] == Launch(
        ("/usr/bin/lynx", url), in_terminal=True
    )


def test_a_broken_browser_variable_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", which_only("lynx"))
    with pytest.raises(UsageError, match=r"cannot read \$BROWSER"):
        browser_launch("https://example.org/", None, {"BROWSER": 'my "browser'})
    # The first installed entry is used, as Python's webbrowser does.
    entries = os.pathsep.join(["nosuchbrowser %s", "lynx"])
    assert browser_launch("https://example.org/", None, {"BROWSER": entries})[1] == Launch(
        ("/usr/bin/lynx", "https://example.org/"), in_terminal=True
    )
    with pytest.raises(UsageError, match="not found: nosuchbrowser"):
        browser_launch("https://example.org/", None, {"BROWSER": "nosuchbrowser"})


def test_ctrl_c_only_stops_the_console_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    handlers: list[object] = []

    def run(argv: list[str], **_: object) -> None:
        handlers.append(signal.getsignal(signal.SIGINT))

    monkeypatch.setattr(subprocess, "run", run)
    before = signal.getsignal(signal.SIGINT)
    run_in_terminal(Launch(("/usr/bin/w3m", "https://example.org/"), in_terminal=True))
    assert handlers == [signal.SIG_IGN]  # while the browser ran
    assert signal.getsignal(signal.SIGINT) is before
