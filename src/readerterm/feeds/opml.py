"""OPML 1.0/2.0 subscription lists: read outlines with feed URLs, write OPML 2.0.

Folders (nested outlines without a feed URL) become tags. Only http(s) feeds are taken;
everything else is reported as skipped with the reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.parsers import expat

from ..errors import UsageError
from ..models import Feed
from ..text.safe import clean_line
from .xmlerrors import xml_problem

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold at all, even escaped."""

_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)

MAX_DEPTH = 32
"""Deeper folder nesting than this is ignored (a hostile file may nest thousands deep)."""


@dataclass(frozen=True, slots=True)
class Outline:
    url: str
    title: str | None
    tags: tuple[str, ...]
    site_url: str | None = None
    """The outline's htmlUrl: the site the feed belongs to."""


def read_opml(content: bytes) -> tuple[list[Outline], list[str]]:
    """Feeds found in the document, and a reason for each outline that was skipped."""
    _refuse_declarations(content)
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        raise UsageError(_not_valid(content, error)) from error
    if root.tag != "opml":
        raise UsageError(f"not an OPML file (its root element is <{clean_line(root.tag)}>)")
    body = root.find("body")
    if body is None:
        raise UsageError("the OPML file has no <body>")
    found: list[Outline] = []
    skipped: list[str] = []
    _walk(body, (), 0, found, skipped)
    return found, skipped


class _Declared(Exception):
    pass


def _refuse_declarations(content: bytes) -> None:
    """Refuse a DOCTYPE or entity declaration (in any encoding) before building the tree."""

    def refuse(*_: object) -> None:
        raise _Declared

    if _DECLARATION.search(content):
        raise UsageError("the OPML file declares a DTD or entities; refusing to read it")
    checker = expat.ParserCreate()
    checker.StartDoctypeDeclHandler = refuse
    checker.EntityDeclHandler = refuse
    try:
        checker.Parse(content, True)
    except _Declared:
        raise UsageError("the OPML file declares a DTD or entities; refusing to read it") from None
    except expat.ExpatError as error:
        raise UsageError(_not_valid(content, error)) from error


def _not_valid(content: bytes, error: Exception) -> str:
    """Why a file is no OPML, in words: empty, not XML at all, or XML broken somewhere."""
    if not content.strip():
        return "not an OPML file: it is empty"
    wide = content.startswith((b"\xff\xfe", b"\xfe\xff"))  # (UTF-16: its "<" is two bytes)
    if not wide and not content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "not an OPML file: it is not XML"
    return f"not a valid OPML file: the XML is broken ({xml_problem(error) or 'unreadable'})"


def _walk(
    element: ET.Element,
    folders: tuple[str, ...],
    depth: int,
    found: list[Outline],
    skipped: list[str],
) -> None:
    for outline in element.findall("outline"):
        label = clean_line(outline.get("title") or outline.get("text")) or None
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            scheme = urlsplit(url).scheme.lower() if _parsable(url) else ""
            if scheme in {"http", "https"} and "\n" not in url and " " not in url:
                categories = [
                    clean_line(part.strip("/"))
                    for part in (outline.get("category") or "").split(",")
                ]
                tags = tuple(dict.fromkeys([*folders, *(c for c in categories if c)]))
                site = (outline.get("htmlUrl") or outline.get("htmlurl") or "").strip()
                site_ok = _parsable(site) and urlsplit(site).scheme.lower() in {"http", "https"}
                site_url = clean_line(site) if site_ok and " " not in site else None
                found.append(Outline(url=url, title=label, tags=tags, site_url=site_url))
            else:
                skipped.append(f"{clean_line(url)[:120]}: not an http(s) feed URL")
        elif depth + 1 >= MAX_DEPTH:
            skipped.append(f"{label or 'folder'}: nested too deeply, ignored")
        else:
            _walk(outline, (*folders, label) if label else folders, depth + 1, found, skipped)


def _parsable(url: str) -> bool:
    try:
        urlsplit(url)
    except ValueError:
        return False
    return True


def write_opml(feeds: Sequence[Feed], *, now: datetime) -> str:
    """OPML 2.0 with feeds grouped in folders by their first tag."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "readerterm subscriptions"
    ET.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.tags:
            folder = _xml_safe(feed.tags[0])
            if folder not in folders:
                folders[folder] = ET.SubElement(body, "outline", text=folder, title=folder)
            parent = folders[folder]
        title = _xml_safe(feed.title)
        attributes = {"type": "rss", "text": title, "title": title, "xmlUrl": _xml_safe(feed.url)}
        if feed.site_url:
            attributes["htmlUrl"] = _xml_safe(feed.site_url)
        if len(feed.tags) > 1:
            attributes["category"] = ",".join(_xml_safe(tag) for tag in feed.tags)
        ET.SubElement(parent, "outline", attributes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)
