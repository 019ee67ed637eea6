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


def header_content(article: Article, width: int | None = None) -> Content:
    """Title; feed · byline · date · reading time; then the link, the lead image (as a
    link line) and where the text came from: all plain text. At `width` columns, the facts
    line breaks between two facts, not inside one ("3 min / read"), and each link keeps
    one line (fit_link)."""
    facts = [
        shown_line(article.feed_title),
        shown_line(article.author),
        long_date(article.published),
        reading_time(article.words),
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
    fold anywhere, even inside its host."""
    room = None if width is None else width - label
    if room is None or cell_len(link) <= room:
        return link
    scheme, sep, rest = link.partition("://")
    host = scheme + sep + rest.split("/", 1)[0] if sep else ""
    tail_room = room - cell_len(host) - 1
    if not host or tail_room < 12:  # a host that leaves no room for the path: cut the end
        head = link[: max(room - 1, 1)]
        while len(head) > 1 and cell_len(head) > room - 1:
            head = head[:-1]
        return head + "…"
    tail = link[len(host) :][-tail_room:]  # (a character takes a cell or more)
    while cell_len(tail) > tail_room:
        tail = tail[1:]
    return f"{host}…{tail}"


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
