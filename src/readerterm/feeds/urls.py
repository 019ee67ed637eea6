"""Resolving links against a base URL, quickly for the usual case.

A feed of 50 items resolves a hundred links or more, nearly all of them already absolute
http(s) URLs. `urllib.parse.urljoin` returns such a URL as it is (it splits and rejoins it,
which changes nothing when it holds no query, fragment, parameters, brackets, spaces or
controls), at ~13 us a link; checking for that case takes ~1 us.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

_PLAIN_ABSOLUTE = re.compile(
    r"https?://[A-Za-z0-9\-._~!$&'()*+,=@%][A-Za-z0-9\-._~!$&'()*+,=@%:/]*\Z"
)
"""An absolute http(s) URL with a host, made only of characters urljoin keeps as they are:
no "?", "#", ";", brackets, whitespace, controls or non-ASCII."""


def is_plain_absolute(link: str) -> bool:
    """Whether `link` is an absolute http(s) URL that `urljoin` returns unchanged."""
    return _PLAIN_ABSOLUTE.match(link) is not None


def resolve(base: str, link: str) -> str:
    """`urljoin(base, link)`. Raises ValueError where urljoin does, except that a plain
    absolute link comes back as it is even beside a malformed base."""
    if _PLAIN_ABSOLUTE.match(link):
        return link
    return urljoin(base, link)
