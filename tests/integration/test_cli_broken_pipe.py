"""A command whose reader stops early (`readerterm extract FILE | head -3`) ends quietly
with status 1, as a listing cut short by its reader should, instead of a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from child import WAIT, readerterm_env


@pytest.mark.parametrize(
    ("json", "read_first"),
    [
        (False, 100),  # `| head -c 100`: the reader takes a little, then goes
        # `| true`: gone before the first write (a write already waiting on a full pipe
        # may be let through when its reader closes, on some kernels, so for the one-write
        # JSON output the reader leaves first)
        (True, 0),
    ],
)
def test_output_cut_short_by_its_reader_ends_without_a_traceback(
    tmp_path: Path, json: bool, read_first: int
) -> None:
    story = tmp_path / "story.txt"
    paragraphs = (
        f"Paragraph {n} of a long story, in words enough to fill lines." for n in range(3000)
    )
    story.write_text("\n\n".join(paragraphs), encoding="utf-8")
    options = ["--json"] if json else []
    child = subprocess.Popen(
        [sys.executable, "-m", "readerterm", "extract", *options, str(story), str(story)],
        env=readerterm_env(tmp_path, READERTERM_OFFLINE="1"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    if read_first:
        assert child.stdout.read(read_first)
    child.stdout.close()
    errors = child.stderr.read().decode()
    assert child.wait(timeout=WAIT) == 1
    assert "Traceback" not in errors
    assert "BrokenPipeError" not in errors
