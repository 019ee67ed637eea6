"""Every commented example a user may uncomment loads: the starter config's and the docs'.

An example is a run of commented TOML lines (a table header with its keys, or keys of the
table they stand in). Each is uncommented on its own, in its place, and the whole file is
loaded with `load_config`; a run of keys without a header is also tried line by line.
The docs' TOML blocks must load as they are, and with each of their commented examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerterm.config import load_config, starter_config_text

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]

_COMMENTED_TOML = re.compile(
    r"""^\s*\#\ ?(?:
        \[\[?\s*[A-Za-z0-9_.\-"]+\s*\]\]?\s*(?:\#.*)?$   # a table header
      | (?:"[^"]*"|[A-Za-z0-9_\-]+)\s*=\s*\S              # key = value
    )""",
    re.VERBOSE,
)
_HEADER = re.compile(r"^\s*#\s?\[")
_TOML_BLOCK = re.compile(r"^```toml\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _uncommented(line: str) -> str:
    return re.sub(r"^(\s*)# ?", r"\1", line, count=1)


def examples(text: str) -> Iterator[tuple[str, str]]:
    """(what was uncommented, the text with it uncommented), one example at a time."""
    lines = text.split("\n")
    number = 0
    while number < len(lines):
        if not _COMMENTED_TOML.match(lines[number]):
            number += 1
            continue
        end = number
        while end < len(lines) and _COMMENTED_TOML.match(lines[end]):
            end += 1
        runs = [(number, end)]
        if not any(_HEADER.match(line) for line in lines[number:end]) and end - number > 1:
            runs += [(line, line + 1) for line in range(number, end)]
        for start, stop in runs:
            changed = [*lines[:start], *map(_uncommented, lines[start:stop]), *lines[stop:]]
            yield "\n".join(lines[start:stop]), "\n".join(changed)
        number = end


def _loads(tmp_path: Path, text: str, where: str, example: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except Exception as error:
        pytest.fail(f"{where}: uncommenting\n{example}\ngives: {error}")


def test_the_finder_sees_the_starter_examples() -> None:
    found = [example for example, _ in examples(starter_config_text())]
    assert any("[[filters]]" in example for example in found)
    assert any("[sync]" in example for example in found)
    assert any("browser =" in example for example in found)
    assert any(example.strip() == '# toggle-read = "x"' for example in found)
    assert not any("readerterm configuration" in example for example in found)


def test_every_commented_example_of_the_starter_config_loads(tmp_path: Path) -> None:
    text = starter_config_text()
    tried = 0
    for example, uncommented in examples(text):
        _loads(tmp_path, uncommented, "the starter config", example)
        tried += 1
    assert tried >= 6


def _toml_blocks() -> list[tuple[str, str]]:
    return [
        (f"{path.relative_to(ROOT)} block {index + 1}", block)
        for path in DOCUMENTS
        for index, block in enumerate(_TOML_BLOCK.findall(path.read_text(encoding="utf-8")))
    ]


def test_the_docs_have_toml_blocks() -> None:
    assert len(_toml_blocks()) >= 8


@pytest.mark.parametrize(("where", "block"), _toml_blocks(), ids=lambda value: str(value)[:40])
def test_every_docs_toml_block_loads_as_is_and_with_each_example(
    tmp_path: Path, where: str, block: str
) -> None:
    _loads(tmp_path, block, where, "(nothing: the block as it is)")
    for example, uncommented in examples(block):
        _loads(tmp_path, uncommented, where, example)


def test_an_example_that_would_not_load_is_caught(tmp_path: Path) -> None:
    text = 'browser = []\n# browser = ["firefox"]\n'
    with pytest.raises(pytest.fail.Exception):
        for example, uncommented in examples(text):
            _loads(tmp_path, uncommented, "a config", example)
