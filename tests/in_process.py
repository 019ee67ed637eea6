"""Running readerterm's command line in the test's own process, against a home of its own
under the test's folder (see child.py for running it as a child process)."""

from __future__ import annotations

from pathlib import Path

import pytest

import readerterm.net.fetch
from readerterm.__main__ import main
from readerterm.paths import Paths, default_paths

QUIET_CONFIG = "[settings]\nrefresh_on_start = false\n"


class NoFetcher:
    """Stands in for the fetcher where a test must not touch the network."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a test tried to use the network")


def use_home(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    config: str | None = None,
    network: bool = True,
) -> Paths:
    """readerterm's folders under `tmp_path`, online; `config` written as its config.toml
    when given; with `network=False` any fetch fails the test."""
    for kind in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"READERTERM_{kind}_DIR", str(tmp_path / kind.lower()))
    monkeypatch.delenv("READERTERM_OFFLINE", raising=False)
    if config is not None:
        path = tmp_path / "config" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(config, encoding="utf-8")
    if not network:
        monkeypatch.setattr(readerterm.net.fetch, "Fetcher", NoFetcher)
    return default_paths()


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`readerterm ARGV`: its exit status, and what it wrote to stdout and stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err
