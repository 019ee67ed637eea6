"""Where in config.toml a problem is, said for the person who wrote the file: the line of
a dotted key (`feeds[2].url`), an entry of a list of tables counted from 1 ("[[feeds]]
entry 3"), and tomllib's complaints in words. Split out of load.py, which checks the
values."""

from __future__ import annotations

import ast
import re
from pathlib import Path

_TOML_PLACE = re.compile(
    r"(?P<what>.*) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)",
    re.DOTALL,
)
"""How tomllib ends its messages: "Invalid value (at line 3, column 7)"."""

_UNCLOSED_STRING = "a string is not closed (a quote is missing before the line ends)"
_TOML_MISTAKES: tuple[tuple[re.Pattern[str], str], ...] = (
    # A line break inside a one-line string: "..." or '...' left open.
    (re.compile(r"(?:Illegal|Found invalid) character '\\n'"), _UNCLOSED_STRING),
    (
        re.compile(r"Unterminated string|Expected \"'+\""),
        "a string is not closed (its closing quote is missing)",
    ),
    (
        re.compile(r"Expected '=' after a key in a key/value pair"),
        "= is missing after the key (write key = value; a key with a space in it goes in"
        ' quotes: "my key" = 1)',
    ),
    (
        re.compile(r"Cannot declare \((?P<table>.*)\) twice"),
        "table [{table}] is already defined above (write each [table] once; only [[tables]]"
        " repeat)",
    ),
    (
        re.compile(r"Cannot overwrite a value"),
        "this key already has a value above (write each key once in its table)",
    ),
    (
        re.compile(r"Invalid value"),
        'this value is not one TOML knows (text goes in quotes, "like this"; true and false'
        " are lower case; a list is [...])",
    ),
)
"""tomllib's messages for the commonest mistakes, and what to tell the user instead."""


def toml_problem(path: Path, parser_says: str) -> str:
    """The message for a file tomllib cannot read, leading with the line (and column):
    in words for the commonest mistakes, else the parser's own text."""
    place = _TOML_PLACE.fullmatch(parser_says)
    if place is None:
        return f"{path}: invalid TOML: {parser_says}"
    what = place["what"]
    for pattern, words in _TOML_MISTAKES:
        if found := pattern.fullmatch(what):
            table = _table_name(found.groupdict().get("table"))
            if table is not None:
                what = words.format(table=table)
            break
    where = f"line {place['line']}, column {place['column']}" if place["line"] else "end of file"
    return f"{path}, {where}: invalid TOML: {what}"


def _table_name(parts: str | None) -> str | None:
    """A table's dotted name from tomllib's repr of its key parts ("'feeds', 'headers'"),
    "" when there is none to read, None when it cannot be read."""
    if parts is None:
        return ""
    try:
        names = ast.literal_eval(f"({parts})")
    except (ValueError, SyntaxError):
        return None
    if not isinstance(names, tuple) or not all(isinstance(name, str) for name in names):
        return None
    return ".".join(names)


_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_PART = re.compile(r"([^.\[\]]+)(?:\[(\d+)\])?")


def line_of_key(text: str, key: str) -> int | None:
    """The line (1-based) where a dotted key such as `feeds[2].url` is written, found by
    walking the table headers; None when it cannot be told (then no line is shown)."""
    parts = [(m.group(1), int(m.group(2)) if m.group(2) else None) for m in _KEY_PART.finditer(key)]
    if not parts:
        return None
    table, index = parts[0]
    leaf = parts[1][0] if len(parts) > 1 else None
    seen = -1
    in_table = table if leaf is None else None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE_HEADER.match(line)
        if header:
            name = header.group(1).strip().strip('"')
            if name == table:
                seen += 1
                wanted = index is None or seen == index
                if leaf is None and wanted:
                    return number
                in_table = table if wanted else None
            else:
                in_table = None
            continue
        if leaf is None and in_table is None and re.match(rf"\s*{re.escape(table)}\s*=", line):
            return number
        if in_table == table and leaf and re.match(rf"\s*\"?{re.escape(leaf)}\"?\s*=", line):
            return number
    return None


_ENTRY = re.compile(r"([^.\[\]]+)\[(\d+)\](?:\.(.+))?")


def shown_key(key: str) -> str:
    """A dotted key as a message shows it: an entry of a list of tables is counted from 1,
    as a reader of the file counts them (`feeds[11].url` is `url in [[feeds]] entry 12`).
    ConfigError.key keeps the dotted form, which `line_of_key` reads."""
    entry = _ENTRY.fullmatch(key)
    if entry is None:
        return key
    table, index, rest = entry.groups()
    named = f"[[{table}]] entry {int(index) + 1}"
    return f"{rest} in {named}" if rest else named
