"""Find the feeds a web page links to (`<link rel="alternate" type="...rss+xml">`)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from ..text.safe import clean_line

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
        "text/xml",
        "application/xml",
    }
)
COMMON_PATHS = ("/feed", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/rss")
"""Where sites often keep a feed they do not link to."""


class _FeedLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "a") or len(self.found) >= 20:
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rel = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES and values.get("href"):
            self.found.append((values["href"], values.get("title", "")))


def feed_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """(absolute URL, title) of each feed the page advertises, in page order, no repeats."""
    parser = _FeedLinks()
    try:
        parser.feed(html[:2_000_000])
        parser.close()
    except (ValueError, AssertionError):
        pass
    links: dict[str, str] = {}
    for href, title in parser.found:
        # Cleaned as a feed's own links are (parse.py): escapes and bidi marks in an href
        # neither reach the terminal that lists it nor the address fetched.
        try:
            absolute = urljoin(base_url, clean_line(href))
            scheme = urlsplit(absolute).scheme
        except ValueError:  # (an href such as "http://[x" is no URL)
            continue
        if scheme in ("http", "https") and not any(ch.isspace() for ch in absolute):
            links.setdefault(absolute, clean_line(title))
    return list(links.items())


def common_feed_urls(page_url: str) -> list[str]:
    parts = urlsplit(page_url)
    root = f"{parts.scheme}://{parts.netloc}"
    return [root + path for path in COMMON_PATHS]
