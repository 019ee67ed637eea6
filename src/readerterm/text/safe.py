"""Make text from strangers safe to show in a terminal.

Every string that comes from a feed or a page passes through `clean_text` (multi-line
text) or `clean_line` (titles, names, links) before it is stored, so nothing above the
store ever sees terminal escapes, control characters, bidi overrides or zero-width marks.
"""

from __future__ import annotations

import re

# Whole escape sequences first (so their parameters do not survive as visible junk):
# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC (ESC P/X/^/_ ... ST),
# then any other two-character ESC sequence. The 8-bit forms (0x9b CSI, 0x9d OSC, ...)
# are covered the same way.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?               # CSI
    | (?:\x1b[\]P X^_]|[\x90\x98\x9d\x9e\x9f])       # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?          # ... up to BEL or ST
    | \x1b[@-Z\\-_]?                                 # other ESC sequences
    """,
    re.VERBOSE,
)

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates,
# zero-width characters and the BOM, line/paragraph separators, interlinear annotations.
# The zero-width joiner and non-joiner are not here: see _JOINERS.
UNSAFE_CHARACTERS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\ufffe\uffff\U000e0000-\U000e007f"
    "\u2028\u2029"
)
"""The characters above as the inside of a regular-expression class (other outputs, such
as JSON for a terminal, escape the same set)."""
_UNSAFE_CHARACTERS = re.compile(f"[{UNSAFE_CHARACTERS}]")
# Zero-width joiner and non-joiner: Persian and Indic words and emoji sequences (a family
# is man ZWJ woman ZWJ girl) need them between two characters of such scripts; anywhere
# else (beside ASCII, a space, the end of a line) they can only hide or spoof: removed.
_JOINERS = re.compile("[\u200c\u200d]+")
# Lone surrogates (undecodable bytes from a command line or file name) cannot be stored
# or printed as UTF-8; they become the replacement character.
_SURROGATES = re.compile("[\ud800-\udfff]")
SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
"""Runs of the spaces `clean_line` squeezes into one."""
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Remove escapes and invisible controls; keep newlines; squeeze runs of blank lines."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Fast path: printable text (str.isprintable, in C) holds no escape, control, bidi or
    # zero-width mark and no surrogate, so the three scans below would change nothing.
    if not text.replace("\n", "").isprintable():
        text = _SURROGATES.sub("\ufffd", text)
        text = _ESCAPE_SEQUENCE.sub("", text)
        text = _UNSAFE_CHARACTERS.sub("", text)
        text = _loose_joiners_removed(text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    if "\n\n\n" in text:  # the regular expression alone scans slowly (~7 us per KB)
        text = _MANY_BLANK_LINES.sub("\n\n", text)
    return text.strip()


def clean_line(text: str | None) -> str:
    """`clean_text` folded onto one line with single spaces: for titles, names, URLs."""
    if not text:
        return ""
    if text.isprintable():
        # Nothing to remove (see clean_text); the only spaces left to squeeze are plain.
        return (SPACES.sub(" ", text) if "  " in text else text).strip()
    text = _SURROGATES.sub("\ufffd", text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _UNSAFE_CHARACTERS.sub("", text.replace("\n", " ").replace("\r", " "))
    return SPACES.sub(" ", _loose_joiners_removed(text)).strip()


def _loose_joiners_removed(text: str) -> str:
    if "\u200c" not in text and "\u200d" not in text:
        return text

    def kept(match: re.Match[str]) -> str:
        start, end = match.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        return match.group() if _joins(before) and _joins(after) else ""

    return _JOINERS.sub(kept, text)


def _joins(character: str) -> bool:
    """A character a joiner may sit beside: not ASCII, not a space, not a control."""
    return ord(character) > 0x7F and not character.isspace() and character.isprintable()


def is_clean_line(text: str) -> bool:
    """True when `text` holds nothing `clean_line` would remove or change, and no
    zero-width joiner at all (a URL or a name to check needs none): no escapes, controls
    (C0, DEL, C1), bidi or zero-width marks, surrogates or line breaks."""
    return not (
        _ESCAPE_SEQUENCE.search(text)
        or _UNSAFE_CHARACTERS.search(text)
        or _JOINERS.search(text)
        or _SURROGATES.search(text)
        or "\n" in text
        or "\r" in text
    )


def without_surrogates(text: str) -> str:
    """`text` with lone surrogates (which no encoder accepts) replaced by U+FFFD."""
    try:
        text.encode("utf-8")  # fails exactly on surrogates; 15x faster than the scan
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text)
    return text
