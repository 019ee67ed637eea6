"""What the reader shows above a story's body: the header (title, facts, links) and the
key points block, as plain text laid out for a width; the reader pane places them."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.content import Content

from ...models import KEY_POINTS_FROM, Article
from ..formatting import long_date, reading_time, shown_line
from .article_list import HIDDEN_MARKER, LATER_MARKER, STAR_MARKER, UNREAD_MARKER


def states(article: Article) -> list[str]:
    """The story's marks as the list draws them, in words: a key that changes the story on
    screen shows its effect here too (the list may not hold the story, or be hidden)."""
    marks = [
        (not article.read, f"{UNREAD_MARKER} unread"),
        (article.starred, f"{STAR_MARKER} starred"),
        (article.later, f"{LATER_MARKER} later"),
        (article.dismissed, f"{HIDDEN_MARKER} dismissed"),
        (article.filtered, f"{HIDDEN_MARKER} filtered"),
    ]
    return [word for marked, word in marks if marked]


def header_content(article: Article, width: int | None = None) -> Content:
    """Title; feed · byline · date · reading time · the story's marks; then the link, the
    lead image (as a link line) and where the text came from: all plain text. At `width`
    columns, the facts line breaks between two facts, not inside one ("3 min / read"), and
    each link keeps one line (fit_link)."""
    facts = [
        shown_line(article.feed_title),
        shown_line(article.author),
        long_date(article.published),
        reading_time(article.words),
        *states(article),
    ]
    parts: list[str | tuple[str, str]] = [
        (shown_line(article.title) or "(untitled)", "bold"),
        "\n",
        (fact_lines([fact for fact in facts if fact], width), "italic"),
    ]
    link = shown_line(article.url)
    if link:
        parts += ["\n", (fit_link(link, width), "underline")]
    image = shown_line(article.image_url)
    if image:
        parts += ["\n", ("Image: ", "dim"), (fit_link(image, width, 7), "underline dim")]
    for attached in article.enclosures:
        link = shown_line(attached)
        if link:
            parts += ["\n", ("Media: ", "dim"), (fit_link(link, width, 7), "underline dim")]
    if article.extracted_at is not None:
        parts += ["\n", (f"Full text from the page, {long_date(article.extracted_at)}", "dim")]
    tags = ", ".join(shown_line(tag) for tag in article.tags if shown_line(tag))
    if tags:
        parts += ["\n", (f"Tags: {tags}", "dim")]
    return Content.assemble(*parts)


def fit_link(link: str, width: int | None, label: int = 0) -> str:
    """`link` on one line of `width` columns after a `label` that many columns wide: the
    middle of a longer one gives way to "…", keeping its host and the end of its path
    (`y` copies the whole link, `o` opens it). A URL has no space to wrap at, so it would
    fold anywhere, even inside its host. A host too long for the line keeps its end, the
    domain that owns it ("…login-verify.evil.example"), never its deceiving start."""
    room = None if width is None else width - label
    if room is None or room < 2 or cell_len(link) <= room:
        return link
    scheme, sep, rest = link.partition("://")
    host = scheme + sep + rest.split("/", 1)[0] if sep else ""
    if not host:
        return _cells_from_start(link, room - 1) + "…"
    spare = room - cell_len(host) - 1
    if spare >= PATH_ROOM:
        return f"{host}…{_cells_from_end(link[len(host) :], spare)}"
    if spare >= 0:
        return f"{host}…"
    return "…" + _cells_from_end(host[len(scheme + sep) :], room - 1)


PATH_ROOM = 12
"""Columns the end of a path needs to say something ("…/story-slug"); with less, only
the host is shown."""


def _cells_from_start(text: str, cells: int) -> str:
    head = text[:cells]  # (a character takes a cell or more)
    while len(head) > 1 and cell_len(head) > cells:
        head = head[:-1]
    return head


def _cells_from_end(text: str, cells: int) -> str:
    tail = text[-cells:] if cells > 0 else ""
    while len(tail) > 1 and cell_len(tail) > cells:
        tail = tail[1:]
    return tail


def fact_lines(facts: list[str], width: int | None) -> str:
    """`facts` joined by " · ", a new line before a fact that would not fit in `width`
    (one longer than a line still wraps inside itself)."""
    lines = [""]
    for fact in facts:
        joined = f"{lines[-1]} · {fact}" if lines[-1] else fact
        if lines[-1] and width is not None and cell_len(joined) > width:
            lines.append(fact)
        else:
            lines[-1] = joined
    return "\n".join(lines)


def key_points_renderable(article: Article, *, compact: bool = False) -> Group:
    """A heading, then a two-column grid (bullet, text) so wrapped lines hang.
    Compact (stacked layout): the origin on the heading line, no blank lines."""
    title = Text("Key points", style="bold")
    origin = KEY_POINTS_FROM.get(article.key_points_origin, "")
    if origin:
        title.append(f" ({origin})" if compact else f"\n{origin}", style="italic dim")
    grid = Table.grid(padding=(0, 1, 0 if compact else 1, 0), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(ratio=1)
    for point in article.key_points:
        grid.add_row(Text("•"), Text(shown_line(point)))
    return Group(title, grid) if compact else Group(title, Text(""), grid)
