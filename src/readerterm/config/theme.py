"""Remembering the theme chosen in the reader: config.toml edited in place."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ConfigError
from .load import parse_config, read_config_text

_THEME_LINE = re.compile(r"""^(\s*theme\s*=\s*)(?:"[^"\n]*"|'[^'\n]*')(.*)$""", re.MULTILINE)
_SETTINGS = re.compile(r"^[ \t]*\[[ \t]*settings[ \t]*\][ \t]*(?:#.*)?$", re.MULTILINE)


def remember_theme(path: Path, theme: str) -> None:
    """Write the chosen theme into config.toml, keeping the rest of the file (comments too).

    Adds a [settings] table if the file has none; creates the file if it does not exist.
    """
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", theme):
        raise ConfigError(f"{path}: not a theme name: {theme!r}", key="settings.theme")
    text = read_config_text(path)  # bounded: a FIFO or a huge file is refused
    settings = _SETTINGS.search(text)
    if settings is not None:
        end = re.search(r"^[ \t]*\[", text[settings.end() :], re.MULTILINE)
        section_end = settings.end() + (end.start() if end else len(text) - settings.end())
        section = text[settings.end() : section_end]
        if _THEME_LINE.search(section):
            section = _THEME_LINE.sub(lambda m: f'{m.group(1)}"{theme}"{m.group(2)}', section, 1)
        else:
            section = f'\ntheme = "{theme}"' + section
        text = text[: settings.end()] + section + text[section_end:]
    else:
        text = f'[settings]\ntheme = "{theme}"\n\n' + text
    if not _says_theme(path, text, theme):  # (a layout this edit does not know: left alone)
        raise ConfigError(
            f'{path}: cannot save the theme there; write theme = "{theme}" under'
            " [settings] yourself",
            key="settings.theme",
        )
    temporary = path.with_name(path.name + ".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot save the theme: {error.strerror}") from error


def _says_theme(path: Path, text: str, theme: str) -> bool:
    """Whether `text` is a config readerterm reads, its theme `theme`: the edit is written
    only then (a second theme line, or a table moved, would stop the next start)."""
    try:
        return parse_config(path, text).theme == theme
    except ConfigError:
        return False
