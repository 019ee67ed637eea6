"""The vocabulary of the fast feed reader (fastparse.py): the elements and namespaces
whose reading by feedparser it reproduces, and the small readers of attributes, tags and
dates it shares."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from .fastparse_document import SetAside, Unsure
from .urls import resolve

# Namespaces (lower case, as feedparser compares them) -> feedparser's prefix for them.
# Elements in any other namespace make the reader give up.
NAMESPACES = {
    "": "",
    "http://www.w3.org/2005/atom": "",
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://search.yahoo.com/mrss/": "media",
    "http://search.yahoo.com/mrss": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://wellformedweb.org/commentapi/": "wfw",
    "http://purl.org/rss/1.0/modules/slash/": "slash",
    "http://rssnamespace.org/feedburner/ext/1.0": "feedburner",
    "http://purl.org/rss/1.0/modules/syndication/": "sy",
}
CANONICAL_PREFIXES = frozenset(NAMESPACES.values()) - {""}
ATOM = "http://www.w3.org/2005/Atom"
XML_NS = "{http://www.w3.org/XML/1998/namespace}"

TITLE = "title"
LINK = "link"
ID = frozenset({"guid", "id"})
DESCRIPTION = frozenset({"description", "dc:description"})  # HTML unless typed
SUMMARY = frozenset({"summary", "itunes:summary"})  # plain text unless typed
AUTHOR = frozenset({"author", "dc:creator", "dc:author", "itunes:author"})
PUBLISHED = frozenset({"pubdate", "published", "issued", "dcterms:issued"})
UPDATED = frozenset({"updated", "modified", "lastbuilddate", "dc:date", "dcterms:modified"})
OTHER_DATES = frozenset({"dcterms:created", "expirationdate"})
# Elements whose values parse.py never reads and whose handling in feedparser touches
# nothing it does read (they must still be leaves: no child elements).
HARMLESS_IN_ENTRY = frozenset(
    {
        "comments",
        "rights",
        "copyright",
        "dc:language",
        "dc:rights",
        "dc:publisher",
        "wfw:comment",
        "wfw:commentrss",
        "slash:comments",
        "slash:section",
        "slash:department",
        "slash:hit_parade",
        "feedburner:origlink",
        "feedburner:origenclosurelink",
        "itunes:duration",
        "itunes:explicit",
        "itunes:episode",
        "itunes:episodetype",
        "itunes:season",
        "itunes:image",
        "itunes:block",
        "itunes:subtitle",
        "itunes:title",
        "media:rating",
        "media:credit",
        "media:restriction",
        "media:license",
    }
)
HARMLESS_IN_FEED = frozenset(
    {
        "description",
        "subtitle",
        "language",
        "copyright",
        "rights",
        "managingeditor",
        "webmaster",
        "generator",
        "docs",
        "ttl",
        "category",
        "cloud",
        "rating",
        "icon",
        "logo",
        "author",
        "dc:language",
        "dc:rights",
        "dc:creator",
        "dc:publisher",
        "dc:subject",
        "sy:updateperiod",
        "sy:updatefrequency",
        "sy:updatebase",
        "itunes:author",
        "itunes:summary",
        "itunes:subtitle",
        "itunes:explicit",
        "itunes:image",
        "itunes:type",
        "itunes:keywords",
        "itunes:block",
        "itunes:complete",
        "itunes:new-feed-url",
    }
)
# Elements feedparser reads as an entry's tags (parse.py keeps their terms as categories).
CATEGORY = frozenset({"category", "dc:subject", "media:category"})
KEYWORDS = {"media:keywords": None, "itunes:keywords": "http://www.itunes.com/"}
"""Comma-separated terms, and the scheme feedparser gives each."""
MEDIA_CATEGORY_SCHEME = "http://search.yahoo.com/mrss/category_schema"
IMAGE_PARTS = frozenset({"title", "url", "link", "width", "height", "description"})
AUTHOR_PARTS = frozenset({"name", "email", "uri"})
MEDIA_GROUP_PARTS = frozenset(
    {"media:content", "media:thumbnail", "media:category", "media:keywords"}
    | {n for n in HARMLESS_IN_ENTRY if n[:6] == "media:"}
)
TEXT_TYPES = {"text": "text/plain", "plain": "text/plain", "html": "text/html"}
C1_CONTROLS = re.compile("[\x80-\x9f]")
EXTRA_SLASHES = re.compile(r"[A-Za-z][A-Za-z0-9+,\-.]*:///")
AMPERSAND_NAME = re.compile(r"&([A-Za-z0-9_]+);")


class ElementNames:
    """feedparser's name for each element: the prefix it knows for the namespace, then
    the local name in lower case. Namespaces must be declared on the root (checked by
    `check_markup`), so one map from the root's prefixes holds everywhere."""

    def __init__(self, namespaces: Mapping[str | None, str]) -> None:
        self.prefixes: dict[str | None, str] = {}
        for prefix, uri in namespaces.items():
            canonical = NAMESPACES.get(uri.lower())
            if canonical is not None:
                self.prefixes[prefix] = canonical
            elif prefix in CANONICAL_PREFIXES or "backend.userland.com/rss" in uri.lower():
                # feedparser may know this namespace and rename our prefixes after it
                raise Unsure
        self.known: dict[str, str] = {}
        """Names found so far (a feed repeats a dozen tags)."""

    def of(self, element: Any) -> str:
        tag = element.tag
        if not isinstance(tag, str):
            return ""  # a comment or processing instruction
        name = self.known.get(tag)
        if name is None:
            name = self.known[tag] = self._name_of(tag)
        return name

    def _name_of(self, tag: str) -> str:
        if tag[0] == "{":
            uri, local = tag[1:].split("}", 1)
            canonical = NAMESPACES.get(uri.lower())
            if canonical is None:
                raise Unsure
        else:
            local, canonical = tag, ""
        if canonical:
            canonical = self.prefixes.get(canonical, canonical)
            return f"{canonical}:{local.lower()}"
        return local.lower()


class ElementText:
    """An element's text as feedparser hands it over, from a document whose CDATA sections
    were set aside before parsing (`set_aside` puts them back) and whose relative links
    resolve against `base`."""

    def __init__(self, base: str, set_aside: SetAside) -> None:
        self.base = base
        self.set_aside = set_aside

    def of(self, element: Any, *, resolve: bool = False) -> str:
        """Stripped, resolved when it is a link, repaired when it is UTF-8 that was read
        as Latin-1."""
        if len(element):  # (as leaf: inline, for the thousands of calls a feed makes)
            raise Unsure
        text: str = self.inner(element.text).strip()
        if resolve and text:
            text = self.resolved(text)
        if not text.isascii():
            with contextlib.suppress(UnicodeError):
                text = text.encode("iso-8859-1").decode("utf-8")
            if C1_CONTROLS.search(text):
                raise Unsure  # feedparser maps these through Windows-1252
        return text

    def inner(self, text: str | None) -> str:
        """A text or tail as lxml read it from the whole document: with the CDATA
        sections set aside put back in their places."""
        if not text:
            return ""
        set_aside = self.set_aside
        if set_aside.texts and set_aside.mark in text:
            return set_aside.restored(text)
        return text

    def resolved(self, link: str) -> str:
        if EXTRA_SLASHES.match(link):
            raise Unsure  # feedparser removes those slashes first
        try:
            return resolve(self.base, link)
        except ValueError:
            return ""


def add_tag(tags: list[dict[str, Any]], term: Any, scheme: Any, label: Any) -> None:
    """feedparser's way: nothing when all three are empty, and never the same tag twice."""
    if not term and not scheme and not label:
        return
    tag = {"term": term, "scheme": scheme, "label": label}
    if tag not in tags:
        tags.append(tag)


def leaf(element: Any) -> None:
    """Element children (and comments, which split text) are beyond this reader."""
    if len(element):
        raise Unsure


def attributes_of(element: Any, allowed: frozenset[str] | None = None) -> dict[str, str]:
    """Attributes as feedparser keys them: lower-case names, rel and type values lower
    case; attributes in a namespace (other than xml:lang) are beyond this reader."""
    items = element.items()
    if not items:
        return {}
    found: dict[str, str] = {}
    for key, value in items:
        if key == XML_NS + "lang":
            continue
        if allowed is not None and key not in allowed:
            raise Unsure
        if key[0] == "{":
            raise Unsure
        name = key.lower()
        if name in found:
            raise Unsure
        found[name] = value.lower() if name in ("rel", "type") else value
    return found


def text_type(element: Any, default: str) -> str | None:
    """feedparser's content type for a text element, when it is plain text or HTML."""
    attributes = attributes_of(element)
    if set(attributes) - {"type"}:
        return None
    kind = attributes.get("type", default)
    kind = TEXT_TYPES.get(kind, kind)
    return kind if kind in ("text/plain", "text/html") else None


def text_attributes(element: Any) -> None:
    if text_type(element, "text/plain") is None:
        raise Unsure


_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_ZONES = {"gmt": 0, "ut": 0, "utc": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6}
_ZONES |= {"mdt": -6, "mst": -7, "pdt": -7, "pst": -8}
_RFC822 = re.compile(
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun), )?(\d{1,2}) ([a-z]{3}) (\d{4}) "
    r"(\d{2}):(\d{2})(?::(\d{2}))? ([a-z]{1,3}|[+-]\d{4})"
)
_W3DTF = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(z|[+-]\d{2}:\d{2}))?"
)


def date(text: str) -> time.struct_time | None:
    """The UTC time feedparser reads from a date in the two common shapes (RFC 822 and
    W3C); any other non-empty text is beyond this reader."""
    if not text:
        return None
    lowered = text.lower()
    zone_hours = zone_minutes = 0
    if found := _RFC822.fullmatch(lowered):
        day, month_name, year, hour, minute, second, zone = found.groups()
        month = _MONTHS.get(month_name)
        if month is None:
            raise Unsure
        if zone[0] in "+-":
            zone_hours, zone_minutes = int(zone[1:3]), int(zone[3:])
        elif zone in _ZONES:
            zone_hours = _ZONES[zone]
        else:
            raise Unsure
    elif found := _W3DTF.fullmatch(lowered):
        year, month_text, day, hour, minute, second, zone = found.groups()
        month = int(month_text)
        if zone and zone != "z":
            zone_hours, zone_minutes = int(zone[1:3]), int(zone[4:])
    else:
        raise Unsure
    if zone and zone[0] == "-":
        zone_hours, zone_minutes = -zone_hours, -zone_minutes
    try:
        stamp = datetime(
            int(year), month, int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
        if zone_hours or zone_minutes:
            stamp -= timedelta(hours=zone_hours, minutes=zone_minutes)
        return stamp.utctimetuple()
    except (ValueError, OverflowError) as error:
        raise Unsure from error
