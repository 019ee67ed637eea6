"""Where the sync password comes from, and what a user is told when it cannot be had."""

from __future__ import annotations

import sys

import pytest

import readerterm.sync.password
from readerterm.sync.client import check_url
from readerterm.sync.password import PASSWORD_VARIABLE, sync_password
from readerterm.sync.protocol import SyncError


@pytest.fixture(autouse=True)
def no_password_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)


def test_the_command_prints_the_password() -> None:
    assert sync_password([sys.executable, "-c", "print('s3cret')"]) == "s3cret"


def test_a_command_that_hangs_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # It said "could not run (TimeoutExpired)": it ran, and never answered.
    monkeypatch.setattr(readerterm.sync.password, "COMMAND_TIMEOUT", 0.5)
    with pytest.raises(SyncError) as raised:
        sync_password([sys.executable, "-c", "import time; time.sleep(30)"])
    told = str(raised.value)
    assert "gave no password in 0.5 s" in told and "TimeoutExpired" not in told


def test_a_command_that_fails_says_what_it_wrote_to_stderr_never_stdout() -> None:
    """It said only "failed (exit status 3)", leaving the user to run it by hand."""
    script = (
        "import sys; print('half-a-secret'); print('gpg: decryption failed', file=sys.stderr);"
        " print('\\x1b[31mError: mail/reader is not in the password store.', file=sys.stderr);"
        " sys.exit(3)"
    )
    with pytest.raises(SyncError) as raised:
        sync_password([sys.executable, "-c", script])
    told = str(raised.value)
    assert told.endswith(
        "failed (exit status 3): Error: mail/reader is not in the password store."
    ), told
    assert "half-a-secret" not in told and "\x1b" not in told


def test_a_url_holding_credentials_names_the_settings_that_exist() -> None:
    # It said to use "the username and password settings": [sync] has no password key.
    with pytest.raises(SyncError) as raised:
        check_url("https://me:pw@rss.example.org/api/greader.php", allow_insecure=False)
    told = str(raised.value)
    assert "pw" not in told.replace("password", "")
    assert "username" in told and "password_command" in told and PASSWORD_VARIABLE in told
