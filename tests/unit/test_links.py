"""links.py: only http(s) links open, through an argument list, never a shell."""

from __future__ import annotations

import shutil
import subprocess
import webbrowser
from typing import Any, ClassVar

import pytest

from readerterm.errors import UsageError
from readerterm.links import open_in_browser, openable_link


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
    assert openable_link(url) == url


def test_surrounding_whitespace_is_stripped() -> None:
    assert openable_link("  https://example.org/  ") == "https://example.org/"


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
        "https://example.org/a b",
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
    assert openable_link(url) is None


class FakePopen:
    calls: ClassVar[list[tuple[list[str], dict[str, Any]]]] = []

    def __init__(self, argv: list[str], **kwargs: Any) -> None:
        FakePopen.calls.append((argv, kwargs))


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
    open_in_browser("https://example.org/", ("w3m",))
    assert popen[0][0] == ["/usr/bin/w3m", "https://example.org/"]


@pytest.mark.parametrize("url", ["-https://example.org/", "javascript:alert(1)", "file:///x"])
def test_refused_link_never_starts_anything(
    popen: list[tuple[list[str], dict[str, Any]]], url: str
) -> None:
    with pytest.raises(UsageError, match="not an http"):
        open_in_browser(url, ["firefox"])
    assert popen == []


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


def test_system_default_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def fake_open(url: str) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    open_in_browser(" https://example.org/x ")
    assert opened == ["https://example.org/x"]


def test_no_system_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    with pytest.raises(UsageError, match="no browser"):
        open_in_browser("https://example.org/", [])
