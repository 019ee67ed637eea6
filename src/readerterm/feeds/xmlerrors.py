"""What an XML or JSON parser's complaint means, in words for a reader of the feed.

The parsers say "<unknown>:2:1: not well-formed (invalid token)" (xml.sax, which feedparser
uses), "syntax error: line 1, column 0" (ElementTree, expat) or "Expecting value: line 1
column 59 (char 58)" (json): their own names for their own states. A message shown to the
user names what is wrong with the document and where, as a person would say it.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from xml.parsers import expat
from xml.sax import SAXParseException

from ..text.safe import clean_line

# Expat's messages (xml.parsers.expat.errors) for what a document served as a feed or an
# OPML file may get wrong; a message not listed here is kept (cleaned), as it is English.
_XML_WORDS = {
    "syntax error": "malformed markup",
    "not well-formed (invalid token)": "malformed markup",
    "no element found": "an unexpected end",
    "unclosed token": "an unfinished tag",
    "mismatched tag": "a closing tag that does not match its opening tag",
    "undefined entity": "an entity XML does not define (such as &nbsp;)",
    "junk after document element": "more content after the document's end",
    "duplicate attribute": "an attribute given twice in one tag",
    "unbound prefix": "a namespace prefix that is not declared",
    "reference to invalid character number": "a reference to a character XML does not allow",
    "unclosed CDATA section": "an unfinished CDATA section",
    "partial character": "a broken character",
    "encoding specified in XML declaration is incorrect": "text in another encoding than"
    " the one it declares",
    "unknown encoding": "an encoding readerterm does not know",
    "XML declaration not well-formed": "a malformed XML declaration",
    "XML or text declaration not at start of entity": "an XML declaration that is not at its start",
}


def xml_problem(error: object, *, lines_added: int = 0) -> str | None:
    """What an XML parser's error (xml.sax's SAXParseException, expat's ExpatError,
    ElementTree's ParseError) found, and where: "malformed markup at line 2, column 1".
    None for any other error. `lines_added`: lines the parser was given before the
    document's own (feedparser puts an XML declaration on a line of its own before a
    document that has none)."""
    if isinstance(error, SAXParseException):  # (feedparser's)
        said: str | None = error.getMessage()
        line, column = error.getLineNumber(), error.getColumnNumber()
    elif isinstance(error, expat.ExpatError):
        said, line, column = _expat_message(error.code), error.lineno, error.offset
    elif isinstance(error, ET.ParseError):
        said, (line, column) = _expat_message(error.code), error.position
    else:
        return None
    if not said:
        return None
    if isinstance(line, int):
        line -= lines_added
    words = _XML_WORDS.get(said) or clean_line(said)[:120]
    if isinstance(line, int) and isinstance(column, int) and line > 0 and column >= 0:
        return f"{words} at line {line}, column {column + 1}"  # (the parsers count from 0)
    return words


def json_problem(error: BaseException, document: str | None = None) -> str:
    """What json.loads (or the UTF-8 decoding before it) found wrong, and where."""
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(error, RecursionError):
        return "it is nested too deep to read"
    if isinstance(error, json.JSONDecodeError):
        where = f"line {error.lineno}, column {error.colno}"
        if document is not None and error.pos >= len(document.rstrip()):
            return f"the JSON ends too early (at {where})"
        return f"broken JSON at {where}"
    return "broken JSON"


def _expat_message(code: object) -> str | None:
    try:
        return expat.ErrorString(code) if isinstance(code, int) else None
    except (ValueError, TypeError):
        return None
