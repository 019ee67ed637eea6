"""The document-level half of the fast feed reader (fastparse.py): whether a document
decodes as feedparser would decode it, and parsing it with lxml, its CDATA sections set
aside first (a large speed-up on feeds that wrap every text in CDATA)."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree


class Unsure(Exception):
    """The document leaves the subset the fast reader reproduces exactly."""


DECLARATIONS = re.compile(rb"<!(?:doctype|entity)", re.IGNORECASE)
BASE_ATTRIBUTE = re.compile(rb"base\s*=")
XMLNS = re.compile(rb"xmlns")
"""(findall counts them in 60 % of the time bytes.count takes)"""
_XML_DECLARATION = re.compile(rb"<\?xml\s")
_XML_VERSION_1_0 = re.compile(rb"""<\?xml\s+version\s*=\s*(["'])1\.0\1""")
# The encoding feedparser sees declared: its pattern reads only the first line.
_DECLARED_ENCODING = re.compile(rb"""<\?[^\n]*encoding=['"]([^\n]*?)['"][^\n]*\?>""")


_CDATA_START = b"<![CDATA["
_MARK_START = "\ue000"
_MARK_END = "\ue001"
"""A section set aside is marked by a prefix unique to its document (a private-use
character and a random number) and its own number, ended by another private-use
character. A document cannot spell a mark it does not know, even with references."""
_WHOLE_FROM_BYTES = 9_000_000
"""Documents this long are parsed whole: libxml2 refuses a text node of ~10 MB (section
and neighbouring text together), and only a document that long can hold one."""
_NOT_XML_BYTES = bytes(set(range(32)) - {9, 10, 13})
"""Bytes XML forbids in text (U+FFFE and U+FFFF are looked for once decoded)."""
_ASCII_XML_TEXT = "".join(
    "\ufffe" if code in _NOT_XML_BYTES or code > 127 else chr(code) for code in range(256)
)
"""A decoding table for ASCII that fails on what XML forbids: both in one pass."""


@dataclass(frozen=True, slots=True)
class SetAside:
    """CDATA sections taken out of a document, and the prefix of their marks."""

    mark: str
    texts: list[str]

    def restored(self, text: str) -> str:
        """`text` with each of this document's marks replaced by its section."""
        pieces = text.split(self.mark)
        out = [pieces[0]]
        for piece in pieces[1:]:
            number, end, rest = piece.partition(_MARK_END)
            if not (end and number.isascii() and number.isdigit()):
                raise Unsure  # (no mark of ours is ever cut short)
            index = int(number)
            if index >= len(self.texts):
                raise Unsure
            out += (self.texts[index], rest)
        return "".join(out)


NOTHING_SET_ASIDE = SetAside("", [])


def _set_aside_cdata(document: bytes) -> tuple[bytes, SetAside]:
    """The document with the content of each CDATA section replaced by a mark, and those
    contents, as lxml would read them (line ends normalised to "\n").

    libxml2 reads CDATA one character at a time: of a 300 KB feed whose stories come as
    CDATA HTML, ~85 % of the parsing time. Finding the sections costs a fraction of that.
    A section lxml would refuse (a character XML forbids) stays for it to refuse, and a
    document long enough to hold a text lxml refuses is left whole. A "<![CDATA["
    inside a comment or a processing instruction starts no section: `_marks_hidden`
    finds the mark there after parsing, and the document is parsed whole instead.
    """
    if _CDATA_START not in document or len(document) > _WHOLE_FROM_BYTES:
        return document, NOTHING_SET_ASIDE
    mark = _MARK_START + os.urandom(8).hex()
    mark_bytes = mark.encode()
    ascii_only = document.isascii()
    view = memoryview(document)
    pieces: list[bytes] = []
    texts: list[str] = []
    position = 0
    while (start := document.find(_CDATA_START, position)) >= 0:
        content = start + len(_CDATA_START)
        end = _cdata_end(document, content)
        if end < 0:
            break  # never closed: lxml reports it
        try:
            text = _xml_text(view[content:end], ascii_only)
        except UnicodeDecodeError:
            break  # a character XML forbids: lxml reports it
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        pieces += (document[position:start], b"<![CDATA[", mark_bytes)
        pieces.append(b"%d\xee\x80\x81]]>" % len(texts))
        texts.append(text)
        position = end + 3
    if not texts:
        return document, NOTHING_SET_ASIDE
    pieces.append(document[position:])
    return b"".join(pieces), SetAside(mark, texts)


def _cdata_end(document: bytes, position: int) -> int:
    """Where the first "]]>" from `position` is (-1: none). "]" is rare in text, and a
    search for one byte is ~5x faster than for three."""
    while (end := document.find(b"]", position)) >= 0:
        if document[end : end + 3] == b"]]>":
            return end
        position = end + 1
    return -1


def _xml_text(data: memoryview, ascii_only: bool) -> str:
    """Bytes of a valid UTF-8 document decoded; UnicodeDecodeError where XML forbids a
    character."""
    if ascii_only:
        return codecs.charmap_decode(data, "strict", _ASCII_XML_TEXT)[0]
    raw = data.tobytes()
    if len(raw.translate(None, _NOT_XML_BYTES)) != len(raw):
        raise UnicodeDecodeError("utf-8", raw, 0, 1, "a character XML forbids")
    text = raw.decode("utf-8")
    if "\ufffe" in text or "\uffff" in text:
        raise UnicodeDecodeError("utf-8", raw, 0, 1, "a character XML forbids")
    return text


def _marks_hidden(root: Any, mark: str) -> bool:
    """Whether a mark of `_set_aside_cdata` sits in a comment or a processing instruction
    (of the root element or around it): the "<![CDATA[" it replaced started no section."""
    nodes = [*root.itersiblings(preceding=True), *root.itersiblings()]
    nodes += root.iter(etree.Comment, etree.ProcessingInstruction)
    return any(mark in (node.text or "") for node in nodes)


def parse(document: bytes) -> tuple[Any, bytes, SetAside]:
    """The document's root element, its markup (the document itself, or the document
    with its CDATA sections set aside: see `_set_aside_cdata`), and what was set aside."""
    parser = etree.XMLParser(
        encoding="utf-8",
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_blank_text=False,
    )
    shortened, set_aside = _set_aside_cdata(document)
    if set_aside.texts:
        # (a "section" that began in a comment can leave the rest ill-formed)
        with contextlib.suppress(etree.XMLSyntaxError, ValueError):
            root = etree.fromstring(shortened, parser)
            if not _marks_hidden(root, set_aside.mark):
                return root, shortened, set_aside
    try:
        return etree.fromstring(document, parser), document, NOTHING_SET_ASIDE
    except (etree.XMLSyntaxError, ValueError) as error:
        raise Unsure from error


def check_encoding(document: bytes, headers: Mapping[str, str]) -> None:
    """The document must decode as UTF-8 (or be ASCII) by feedparser's own rules."""
    data = document
    bom = ""
    if data.startswith(codecs.BOM_UTF8):
        data, bom = data[3:], "utf-8"
    if not data.startswith(b"<") or data[1:2] == b"\x00" or data[:4] == b"\x4c\x6f\xa7\x94":
        raise Unsure
    if _XML_DECLARATION.match(data) and not _XML_VERSION_1_0.match(data):
        raise Unsure
    found = _DECLARED_ENCODING.match(data)
    declared = ""
    if found:
        if not found.group(1).isascii():
            raise Unsure
        declared = found.group(1).decode("ascii").lower()
    mime, charset = _content_type(headers.get("content-type") or "")
    if (
        mime in ("application/xml", "application/xml-dtd")
        or mime == "application/xml-external-parsed-entity"
        or (mime.startswith("application/") and mime.endswith("+xml"))
    ):
        proposed = charset or declared or "utf-8"
    elif mime.startswith("text/"):
        proposed = charset or "us-ascii"
    elif "content-type" not in headers:
        proposed = declared or "iso-8859-1"
    else:
        proposed = declared or "utf-8"
    tried: list[str] = []
    for candidate in (proposed, declared, bom):
        if not candidate or candidate in tried:
            continue
        tried.append(candidate)
        try:
            codec = codecs.lookup(candidate).name
        except LookupError:
            continue
        if codec == "utf-8":
            if data.isascii():  # (~70x faster than decoding it)
                return
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            return
        if codec in ("ascii", "iso8859-1", "latin-1", "cp1252") or codec.startswith("iso8859-"):
            if data.isascii():
                return
            if codec == "ascii":
                continue
        raise Unsure
    raise Unsure


def _content_type(header: str) -> tuple[str, str]:
    """MIME type and charset of a Content-Type header, as feedparser splits them."""
    pieces = header.split(";")
    mime = pieces[0].strip()
    charset = ""
    for piece in pieces[1:]:
        key, _, value = piece.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    return mime, charset


def check_markup(root: Any, markup: bytes, *, may_declare: bool) -> None:
    """Refuse what would change feedparser's reading. It is looked for in the markup
    alone: the text of a CDATA section ("database = ...", an inline SVG's xmlns) declares
    nothing."""
    if may_declare and DECLARATIONS.search(markup):
        raise Unsure
    if BASE_ATTRIBUTE.search(markup):
        raise Unsure
    if root.getroottree().docinfo.doctype:
        raise Unsure
    # Namespaces declared only on the root, so one prefix map holds everywhere.
    if len(XMLNS.findall(markup)) != len(root.nsmap):
        raise Unsure
