"""A real FreshRSS for integration tests: the `FreshRSS` helper and the module-scoped
`freshrss` fixture.

The server is the upstream tree in ../shared/servers/freshrss (from the repo root; the
environment variable READERTERM_FRESHRSS_DIR names another place), run by its start.sh
with PHP's built-in web server on 127.0.0.1 and a fresh data directory. Without PHP or
the tree, the fixture skips with one line saying how to get them; on CI (CI=true) it
fails instead, so the sync tests cannot silently stop running.

    from freshrss import freshrss  # noqa: F401  (the fixture)

    def test_something(freshrss: FreshRSS) -> None:
        ... freshrss.greader_url, freshrss.user, freshrss.api_password ...
"""

from __future__ import annotations

import contextlib
import copy
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from testserver import LocalServer

REPO_ROOT = Path(__file__).resolve().parents[1]
WRONG_PASSWORD = (
    "wrong user name or password? (FreshRSS takes the API password set in Profile, not the"
    " login one)"
)
"""What readerterm says when FreshRSS refuses the password (after "refused user U (401): ")."""
INSTALL_HINT = (
    "apt-get install -y --no-install-recommends php-cli php-sqlite3 php-xml php-mbstring "
    "php-curl php-intl php-zip php-gmp"
)


class FreshRSSUnavailable(Exception):
    """PHP or the FreshRSS tree is missing; the message says how to get them."""


def freshrss_dir() -> Path:
    """Where the FreshRSS scripts are: READERTERM_FRESHRSS_DIR, else the shared tree."""
    configured = os.environ.get("READERTERM_FRESHRSS_DIR")
    if configured:
        return Path(configured).resolve()
    return (REPO_ROOT / ".." / "shared" / "servers" / "freshrss").resolve()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FreshRSS:
    """One FreshRSS server with its own data directory (deleted by `stop`)."""

    def __init__(self, home: Path, data_dir: Path, info: dict[str, str]) -> None:
        self.home = home
        self.data_dir = data_dir
        self.base_url = info["BASE_URL"]
        self.greader_url = info["GREADER_URL"]
        self.fever_url = info["FEVER_URL"]
        self.user = info["FRESHRSS_USER"]
        self.api_password = info["FRESHRSS_API_PASSWORD"]
        self.pid = int(info["PID"])
        self.port = int(self.base_url.rsplit(":", 1)[1])

    def __repr__(self) -> str:
        return f"FreshRSS({self.base_url!r}, data_dir={str(self.data_dir)!r})"

    @classmethod
    def start(cls, home: Path | None = None, *, attempts: int = 3) -> FreshRSS:
        """Start a server on a free port; FreshRSSUnavailable if PHP or the tree is
        missing, RuntimeError if it does not come up."""
        home = home or freshrss_dir()
        hint = f"(see {home / 'README.md'})"
        if not (home / "start.sh").is_file():
            raise FreshRSSUnavailable(
                f"FreshRSS tests need the FreshRSS tree at {home}: put it there or set "
                f"READERTERM_FRESHRSS_DIR to its directory {hint}"
            )
        if shutil.which("php") is None:
            raise FreshRSSUnavailable(f"FreshRSS tests need PHP: {INSTALL_HINT} {hint}")
        data_dir = Path(tempfile.mkdtemp(prefix="readerterm-freshrss-"))
        failure = ""
        for _ in range(attempts):
            completed = subprocess.run(
                [str(home / "start.sh"), str(_free_port()), str(data_dir)],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            if completed.returncode == 0:
                return cls(home, data_dir, _parse_info(completed.stdout))
            if completed.returncode == 2:  # PHP or an extension is missing
                shutil.rmtree(data_dir, ignore_errors=True)
                raise FreshRSSUnavailable(
                    f"FreshRSS tests need PHP with its extensions: {INSTALL_HINT} {hint}"
                )
            failure = completed.stderr.strip()[-2000:]  # usually the port was taken
        shutil.rmtree(data_dir, ignore_errors=True)
        raise RuntimeError(f"FreshRSS did not start:\n{failure}")

    def refresh(self) -> str:
        """Make FreshRSS fetch all feeds now, and return its summary line.

        FreshRSS skips a feed fetched earlier in the same wall-clock second, so this
        first waits for the next second to begin: anything fetched before the call (a
        subscribe, an earlier refresh) is then fetched again."""
        time.sleep(1.0 - time.time() % 1.0 + 0.01)
        completed = subprocess.run(
            [str(self.home / "refresh.sh"), str(self.data_dir), self.user],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        # Status 1 means "no feed updated" (also when the user has none): not an error.
        if completed.returncode not in (0, 1):
            raise RuntimeError(f"refresh.sh failed ({completed.returncode}): {completed.stderr}")
        return completed.stdout.strip()

    def add_user(self, name: str, api_password: str) -> FreshRSS:
        """Create another user on this server (alphanumeric `name`) and return the server
        as that user sees it: same address, its own subscriptions, stories and states."""
        (self.data_dir / "tmp").mkdir(exist_ok=True)
        subprocess.run(
            [
                "php",
                str(self.home / "app" / "cli" / "create-user.php"),
                *("--user", name, "--password", f"{api_password}-web"),
                *("--api-password", api_password),
            ],
            env={
                **os.environ,
                "DATA_PATH": str(self.data_dir),
                "TMPDIR": str(self.data_dir / "tmp"),
            },
            capture_output=True,
            timeout=60,
            check=True,
        )
        other = copy.copy(self)
        other.user, other.api_password = name, api_password
        return other

    def stop(self, *, purge: bool = True) -> None:
        """Stop the server and delete the data directory (unless not `purge`).

        Does what stop.sh does (signal the server's own process group, nothing else)
        without its wait: where nothing reaps orphans promptly (PID 1 in some
        containers), the dead server stays a zombie that `kill -0` still finds, and
        stop.sh would poll for 1-5 s."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, sig)
            deadline = time.monotonic() + 5
            while _running(self.pid) and time.monotonic() < deadline:
                time.sleep(0.01)
            if not _running(self.pid):
                break
        for name in ("server.pid", "server.port"):
            (self.data_dir / name).unlink(missing_ok=True)
        if purge:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def restart(self) -> None:
        """Start the server again on its port and data directory (after `stop(purge=False)`)."""
        completed = subprocess.run(
            [str(self.home / "start.sh"), str(self.port), str(self.data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"FreshRSS did not start again:\n{completed.stderr[-2000:]}")
        self.pid = int(_parse_info(completed.stdout)["PID"])

    def log(self) -> str:
        """The PHP server's log (for failing tests)."""
        path = self.data_dir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _running(group: int) -> bool:
    """Whether any process of the process group is alive; zombies (dead, not yet
    reaped) do not count."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == str(group) and fields[0] != "Z":
            return True
    return False


def _parse_info(output: str) -> dict[str, str]:
    """start.sh's KEY='value' lines as a dict."""
    info = {}
    for line in output.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.isidentifier():
            words = shlex.split(value)
            info[key] = words[0] if words else ""
    return info


def start_or_skip() -> FreshRSS:
    """A started server; pytest.skip without PHP or the tree (pytest.fail when CI=true)."""
    try:
        return FreshRSS.start()
    except FreshRSSUnavailable as exc:
        reason = str(exc)
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def freshrss() -> Iterator[FreshRSS]:
    """A FreshRSS server shared by the tests of one module, stopped afterwards."""
    server = start_or_skip()
    try:
        yield server
    finally:
        server.stop()


def sample_feed(slug: str, count: int) -> str:
    """An RSS feed of `count` stories named after `slug`, for a FreshRSS to subscribe to."""
    items = "".join(
        f"<item><title>{slug} story {n}</title><link>http://news.example/{slug}/{n}</link>"
        f"<guid>{slug}-{n}</guid><pubDate>Mon, 0{1 + n % 9} Jun 2026 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{slug} {n}: what happened, told at some length.&lt;/p&gt;"
        "</description></item>"
        for n in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {slug}</title>'
        f"<link>http://news.example/{slug}</link><description>d</description>{items}"
        "</channel></rss>"
    )


@pytest.fixture(scope="module")
def feeds() -> Iterator[LocalServer]:
    """An HTTP server on 127.0.0.1 for the feeds a module's FreshRSS subscribes to."""
    server = LocalServer().start()
    yield server
    server.stop()
