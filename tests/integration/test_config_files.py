"""Issue 20, local files: a config that is not a plain, small, shallow TOML file.

`--config FILE` and the reader's reload both read the file with bounds: a FIFO, a device,
a folder or a file above 1 MiB is refused with the one-line config error naming the file,
and a file nested thousands of levels deep is an invalid-TOML error, not a RecursionError.
Every reading runs in a real `python -m readerterm` process (or a child Python for the
reload), with a timeout and a memory cap, so a regression fails instead of hanging the
suite or eating the machine's memory.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from child import database, memory_cap, readerterm_env, run_python, run_readerterm

MAX_CONFIG_BYTES = 1024 * 1024
"""The documented cap on a config file's size."""
MEMORY_CAP = 1024 * 1024 * 1024
"""Address space allowed to each child: before the fix, /dev/zero ran into it at once."""


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return readerterm_env(tmp_path)


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_readerterm(env, *args, limit=memory_cap(MEMORY_CAP))


def assert_config_error(result: subprocess.CompletedProcess[str], path: Path, *words: str) -> None:
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    message = result.stderr.strip()
    assert "Traceback" not in result.stderr, result.stderr
    assert "\n" not in message, message
    assert message.startswith(f"readerterm: {path}"), message
    for word in words:
        assert word in message, (word, message)


def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "config.fifo"
    os.mkfifo(path)
    return path


def oversized(tmp_path: Path) -> Path:
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" * (MAX_CONFIG_BYTES - 1) + b"\n" + b"# one byte too many\n")
    return path


def folder(tmp_path: Path) -> Path:
    path = tmp_path / "a-folder.toml"
    path.mkdir()
    return path


@pytest.mark.parametrize("command", [["feeds"], []], ids=["feeds", "reader-start"])
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (fifo, ["not a regular file", "FIFO"]),
        (lambda _: Path("/dev/zero"), ["not a regular file", "device"]),
        (folder, ["not a regular file", "folder"]),
        (oversized, ["larger than 1 MiB"]),
    ],
    ids=["fifo", "dev-zero", "folder", "oversized"],
)
def test_a_config_that_is_not_a_small_regular_file_is_refused(
    env: dict[str, str], tmp_path: Path, make: object, words: list[str], command: list[str]
) -> None:
    assert callable(make)
    path = make(tmp_path)

    result = run(env, "--config", str(path), *command)

    assert_config_error(result, path, *words)
    assert not database(env).exists()


def test_a_config_just_under_the_cap_is_read(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "padded.toml"
    padding = b"#" * (MAX_CONFIG_BYTES - 100) + b"\n"
    path.write_bytes(padding + b"[settings]\nrefresh_on_start = false\n")

    result = run(env, "--config", str(path), "feeds")

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def deep_array(depth: int) -> str:
    return "a = " + "[" * depth + "]" * depth + "\n"


def deep_inline_table(depth: int) -> str:
    return "a = " + "{ b = " * depth + "1" + " }" * depth + "\n"


def deep_under_known_key(depth: int) -> str:
    return "[settings]\ntheme = " + "[" * depth + "1" + "]" * depth + "\n"


@pytest.mark.parametrize(
    "text",
    [deep_array(2000), deep_inline_table(2000), deep_under_known_key(2000), deep_array(100_000)],
    ids=["array-2000", "inline-table-2000", "settings-theme-2000", "array-100000"],
)
def test_a_config_nested_thousands_deep_is_a_config_error(
    env: dict[str, str], tmp_path: Path, text: str
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")

    result = run(env, "--config", str(path), "feeds")

    assert_config_error(result, path, "invalid TOML", "nested too deeply")
    assert not database(env).exists()


def test_a_config_nested_a_few_hundred_deep_is_checked_as_usual(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(deep_under_known_key(300), encoding="utf-8")

    result = run(env, "--config", str(path), "feeds")

    assert_config_error(result, path, "settings.theme must be a string")


RELOAD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from readerterm.ui.reload import read_config
    loaded = read_config(Path(sys.argv[1]))
    print("refused" if loaded.config is None else "applied")
    print(loaded.problem or "")
    """
)


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (fifo, ["not a regular file"]),
        (lambda _: Path("/dev/zero"), ["not a regular file"]),
        (oversized, ["larger than 1 MiB"]),
        (lambda tmp: _write(tmp / "deep.toml", deep_inline_table(2000)), ["nested too deeply"]),
    ],
    ids=["fifo", "dev-zero", "oversized", "deep"],
)
def test_the_reader_reload_refuses_the_same_files(
    tmp_path: Path, make: object, words: list[str]
) -> None:
    """The watcher's reading (on a thread in the reader) goes through the same bounds: a
    bad file keeps the old config and says why, instead of hanging or growing."""
    assert callable(make)
    path = make(tmp_path)

    result = run_python(dict(os.environ), "-c", RELOAD, str(path), limit=memory_cap(MEMORY_CAP))

    assert result.returncode == 0, result.stderr
    verdict, problem = result.stdout.splitlines()[:2]
    assert verdict == "refused"
    assert problem.startswith(str(path)), problem
    for word in words:
        assert word in problem, (word, problem)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
