"""What a story's content opens with: the publisher's own key points (a short list at the
top, or a list under a "Key points"-like heading), and a heading that repeats its title.
Both are taken out of the BeautifulSoup tree that extract.py then writes as markdown."""

from __future__ import annotations

from collections.abc import Iterator

from bs4.element import Comment, NavigableString, Tag

from .pagepoints import KEY_POINTS_HEADING, valid_items
from .safe import clean_line

# Containers we look through when asking "what does the content open with?".
_WRAPPERS = frozenset(
    {"html", "body", "div", "section", "article", "main", "header", "span", "center", "font"}
)
_SKIPPABLE_OPENERS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "figure", "hr", "br"})


def gone(tag: Tag) -> bool:
    """`tag.decomposed` in constant time: BeautifulSoup's property looks `_decomposed` up
    through `__getattr__`, which searches the tag's subtree for an element of that name
    when the attribute is unset (quadratic over a document)."""
    return bool(vars(tag).get("_decomposed", False))


# --- the publisher's own key points -------------------------------------------------------


def text_of(node: Tag | NavigableString) -> str:
    return clean_line(node.get_text(" ", strip=True) if isinstance(node, Tag) else str(node))


def _opening_blocks(node: Tag) -> Iterator[Tag | NavigableString]:
    """Block-level pieces of `node` in document order, looking through wrapper elements."""
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, Comment) and child.strip():
                yield child
        elif isinstance(child, Tag):
            if child.name in _WRAPPERS:
                yield from _opening_blocks(child)
            else:
                yield child


def _list_items(tag: Tag) -> list[str] | None:
    """The items of a list if it looks like key points: 2-6 sentence-like items."""
    if tag.name not in ("ul", "ol"):
        return None
    items = tag.find_all("li", recursive=False)
    texts = [text_of(item) for item in items]
    links = [" ".join(text_of(a) for a in item.find_all("a")) for item in items]
    return texts if valid_items(texts, links) else None


def _is_key_points_heading(node: Tag | NavigableString) -> bool:
    text = text_of(node)
    return bool(text) and len(text) <= 40 and bool(KEY_POINTS_HEADING.match(text))


def take_key_points(root: Tag) -> list[str]:
    """Find the publisher's key points (an opening list, or a list under a heading such as
    "Key points"), remove them (and that heading) from the tree, and return their texts."""
    # 1. A short list before the first paragraph.
    label: Tag | NavigableString | None = None
    for block in _opening_blocks(root):
        if isinstance(block, Tag) and block.name in ("ul", "ol"):
            items = _list_items(block)
            if items:
                block.decompose()
                if label is not None:
                    label.extract()
                return items
            break
        if _is_key_points_heading(block):
            label = block  # "Key points" as a heading or a bold paragraph
            continue
        if isinstance(block, Tag) and (
            block.name in _SKIPPABLE_OPENERS or not block.get_text(strip=True)
        ):
            continue
        break
    # 2. A list right after a "Key points"-like heading anywhere.
    for heading in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "strong", "b", "dt"]):
        if gone(heading) or not _is_key_points_heading(heading):
            continue
        following = heading.find_next(["ul", "ol"])
        if following is None:
            continue
        # Only text-free space between the heading and the list.
        own = {id(node) for node in heading.find_all(string=True)}
        between = ""
        for node in heading.next_elements:
            if node is following:
                break
            if isinstance(node, NavigableString) and id(node) not in own:
                between += str(node)
        if between.strip():
            continue
        items = _list_items(following)
        if items:
            following.decompose()
            outer = heading
            while outer.parent is not None and outer.parent.name in ("strong", "b", "p"):
                outer = outer.parent
            outer.decompose()
            return items
    return []


# --- the title, said once ------------------------------------------------------------------

_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", ": ", " · ", " :: ")


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .:!?\"'“”‘’")


def drop_title_heading(root: Tag, *titles: str | None) -> None:
    """Remove the heading that opens the content when it repeats the story's title (the
    reader and `extract` show the title above the body): the same words, or the words of
    a page title before its site name ("Bridge reopens | The Daily")."""
    wanted = [_comparable(clean_line(title)) for title in titles if title]
    wanted = [title for title in wanted if title]
    if not wanted:
        return
    for block in _opening_blocks(root):
        if not isinstance(block, Tag):
            return
        if block.name in ("h1", "h2", "h3"):
            heading = _comparable(text_of(block))
            if heading and any(
                title == heading or title.startswith(tuple(heading + m for m in _TITLE_SEPARATORS))
                for title in wanted
            ):
                block.decompose()
            return
        if block.name not in ("figure", "hr", "br") and block.get_text(strip=True):
            return
