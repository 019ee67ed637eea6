"""The publisher's key points where a page keeps them apart from its main text: a list
under a "Key points"-like heading, or in a box whose class or id says so, found in the raw
page with lxml (fast on big pages) when the extractor left them out. And what makes a
list look like key points at all (extract.py asks the same of lists in the main text)."""

from __future__ import annotations

import re
from typing import Any

from . import keypoints
from .safe import clean_line, clean_text

MIN_LIST_ITEMS = 2
MAX_LIST_ITEMS = 6
MIN_ITEM_WORDS = 3
MAX_ITEM_WORDS = 80
KEY_POINTS_HEADING = re.compile(
    r"""^\W*(?:the\s+)?(?:
        key\s+(?:points?|takeaways?|facts|findings|highlights|messages)
      | (?:story\s+|article\s+)?highlights | takeaways? | in\s+brief | at\s+a\s+glance
      | summary | (?:article|story)\s+summary | what\s+we\s+know(?:\s+so\s+far)?
      | what\s+you\s+need\s+to\s+know | need\s+to\s+know | tl;?\s*dr | quick\s+read
      | in\s+short | the\s+short\s+version | main\s+points | the\s+essentials | bottom\s+line
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)


def valid_items(texts: list[str], link_texts: list[str]) -> bool:
    """2 to 6 items of 3 to 80 words, most of them not just a link (menus, related stories)."""
    if not MIN_LIST_ITEMS <= len(texts) <= MAX_LIST_ITEMS:
        return False
    link_only = 0
    for text, links in zip(texts, link_texts, strict=True):
        words = len(text.split())
        if words < MIN_ITEM_WORDS or words > MAX_ITEM_WORDS:
            return False
        if links and len(links.split()) >= 0.8 * words:
            link_only += 1
    return link_only * 2 <= len(texts)


_KEY_POINTS_HINT = re.compile(
    r"key[\s_-]?(?:points?|takeaways?|facts)|highlights|takeaways|in brief|at a glance"
    r"|what we know|need to know|tl;?\s*dr|summary",
    re.IGNORECASE,
)
_KEY_POINTS_CLASS = re.compile(
    r"(?:^|[\s_-])(?:key-?(?:points?|takeaways?|facts)|keypoints|takeaways|(?:story-)?highlights"
    r"|tldr|at-?a-?glance|in-?brief|(?:article-|story-)?summary(?:-list)?)(?:$|[\s_-])",
    re.IGNORECASE,
)


def key_points_in_page(html: str) -> list[str]:
    """Key points the extractor left out: a list under a "Key points"-like heading, or in a
    box whose class or id says so, anywhere in the raw page (lxml: fast on big pages)."""
    if not _KEY_POINTS_HINT.search(html):
        return []
    from lxml import html as lxml_html

    try:
        tree = lxml_html.fromstring(html)
    except (ValueError, TypeError, lxml_html.etree.ParserError):
        return []
    for found in tree.iter("ul", "ol"):
        if any(a.tag in ("nav", "footer", "menu") for a in found.iterancestors()):
            continue
        if not (_under_key_points_heading(found) or _in_key_points_box(found)):
            continue
        items = found.findall("li")
        texts = [clean_line(item.text_content()) for item in items]
        links = [clean_line(" ".join(a.text_content() for a in item.iter("a"))) for item in items]
        if valid_items(texts, links):
            return texts
    return []


def _under_key_points_heading(element: Any) -> bool:
    node, depth = element, 0
    while node is not None and depth < 3:
        previous = node.getprevious()
        while previous is not None and not isinstance(previous.tag, str):
            previous = previous.getprevious()  # comments, processing instructions
        if previous is not None:
            text = clean_line(previous.text_content())
            return len(text) <= 40 and bool(KEY_POINTS_HEADING.match(text))
        node, depth = node.getparent(), depth + 1
    return False


def _in_key_points_box(element: Any) -> bool:
    node, depth = element, 0
    while node is not None and depth < 4:
        marks = f"{node.get('class', '')} {node.get('id', '')}"
        if _KEY_POINTS_CLASS.search(marks):
            return True
        node, depth = node.getparent(), depth + 1
    return False


def drop_lines(body: str, items: list[str]) -> str:
    """Remove the markdown lines that repeat the key points taken from elsewhere on the page."""
    wanted = {keypoints.markdown_to_text(item).casefold() for item in items}
    kept = [
        line
        for line in body.split("\n")
        if keypoints.markdown_to_text(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)).casefold()
        not in wanted
    ]
    return clean_text("\n".join(kept))
