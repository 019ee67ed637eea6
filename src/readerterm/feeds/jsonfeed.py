"""JSON Feed 1.0 and 1.1 (jsonfeed.org), which feedparser does not read, mapped to the
same ParsedFeed as RSS and Atom. Pure; every field is checked for its type."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import ParseError
from ..models import ParsedArticle, ParsedFeed
from ..text.safe import clean_line, without_surrogates
from .categories import categories
from .xmlerrors import json_problem

VERSION_PREFIX = "https://jsonfeed.org/version/"
MAX_ITEMS = 1000


def looks_like_json_feed(content: bytes) -> bool:
    """A JSON object (the `version` key may come after any amount of items)."""
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    # (PHP's json_encode writes "https:\/\/jsonfeed.org\/version\/1.1" by default)
    return head.startswith(b"{") and _VERSION_URL.search(content) is not None


_VERSION_URL = re.compile(rb"jsonfeed\.org\\?/version")


def parse_json_feed(content: bytes, *, url: str) -> ParsedFeed:
    text = None
    try:
        text = content.decode("utf-8-sig")
        document = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise ParseError(f"not a valid JSON Feed: {json_problem(error, text)}") from error
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        VERSION_PREFIX
    ):
        raise ParseError("the server sent JSON, but not a JSON Feed")
    items = document.get("items")
    if not isinstance(items, list):
        raise ParseError("the JSON Feed has no items list")
    feed_author = _author(document)
    articles = []
    seen: set[str] = set()
    for item in items[:MAX_ITEMS]:
        if not isinstance(item, dict):
            continue
        article = _article(item, url, feed_author)
        if article.guid in seen:
            continue
        seen.add(article.guid)
        articles.append(article)
    return ParsedFeed(
        title=_text(document.get("title")) or urlsplit(url).netloc or url,
        site_url=_link(url, document.get("home_page_url")),
        articles=tuple(articles),
    )


def _article(item: dict[str, Any], feed_url: str, feed_author: str | None) -> ParsedArticle:
    link = _link(feed_url, item.get("url")) or _link(feed_url, item.get("external_url"))
    content_html = _string(item.get("content_html"))
    if not content_html and (plain := _string(item.get("content_text"))):
        content_html = "".join(
            f"<p>{_escape(paragraph)}</p>" for paragraph in plain.split("\n\n") if paragraph
        )
    summary = _string(item.get("summary"))
    title = _text(item.get("title"))
    guid = clean_line(str(item.get("id") or "")) or link or ""
    if not guid:
        digest = hashlib.sha1(f"{title}\n{content_html[:500]}".encode()).hexdigest()
        guid = f"sha1:{digest}"
    image = _link(feed_url, item.get("image")) or _link(feed_url, item.get("banner_image"))
    return ParsedArticle(
        guid=guid,
        url=link,
        title=title or "(untitled)",
        author=_author(item) or feed_author,
        published=_date(item.get("date_published")) or _date(item.get("date_modified")),
        summary_html=_escape(summary) if summary else "",
        content_html=content_html,
        image_url=image,
        enclosures=_attachments(item, feed_url),
        categories=categories([{"term": tag} for tag in _list(item.get("tags"))]),
    )


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _attachments(item: dict[str, Any], feed_url: str) -> tuple[str, ...]:
    attachments = item.get("attachments")
    if not isinstance(attachments, list):
        return ()
    links = (_link(feed_url, a.get("url")) for a in attachments if isinstance(a, dict))
    return tuple(dict.fromkeys(link for link in links if link))[:20]


def _author(node: dict[str, Any]) -> str | None:
    authors = node.get("authors")
    if isinstance(authors, list):
        names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
        if any(names):
            return ", ".join(n for n in names if n)
    author = node.get("author")  # JSON Feed 1.0
    if isinstance(author, dict):
        return _text(author.get("name")) or None
    return None


def _string(value: object) -> str:
    return without_surrogates(value) if isinstance(value, str) else ""


def _text(value: object) -> str:
    return clean_line(value) if isinstance(value, str) else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(base: str, value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        absolute = urljoin(base, clean_line(value))
        return absolute if urlsplit(absolute).scheme in ("http", "https") else None
    except ValueError:
        return None


def _date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
