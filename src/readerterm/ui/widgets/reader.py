"""The reader: a header, then the key points in a narrow column beside the body.

On a narrow terminal the screen adds the `-stacked` class and the key points sit above
the body instead. Header and key points stay in place while the body scrolls only when
all of them fit and the body keeps BODY_SHARE of the pane (at least BODY_LINES). In a
shorter pane (a long title, many points, the lists or the search bar above) they flow
with the body as one scrolling column (FLOW_STYLES), so j/k and Space reach every line
and no key point is cut to a fragment. Every string is shown as plain text; only the
body is Markdown, and its links are handed to the screen (Markdown.LinkClicked), never
opened here.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from math import ceil
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Offset, Region
from textual.message import Message
from textual.widget import MountError
from textual.widgets import Static

from ...models import MARKS, Article, ArticleRow
from ..formatting import shown_text
from ..key_lookup import key_for
from ..keys import bindings, key_may_run
from .article_header import header_content, key_points_renderable

if TYPE_CHECKING:
    from textual.app import App
    from textual.widgets import Markdown


BODY_CHUNK = 5_000
"""Characters of body rendered at a time (a screenful or two): the first chunk shows at
once and the rest is appended in the background, so a very long article opens fast."""

BODY_LINES = 5
"""Lines the body keeps at the least below (or beside) key points that stay in place."""

BODY_SHARE = Fraction(2, 5)
"""Share of the pane's lines the body keeps below key points that stay in place: with
less, Space would page a few lines at a time, so everything scrolls together instead."""

BESIDE_PERCENT = 34
BESIDE_MAX = 48
"""The width of the key points beside the body: as readerterm.tcss sets #key-points (a test
in tests/ui/test_short_reader.py keeps the two the same)."""

FLOW_STYLES = (
    ("#article-scroll", "overflow_y", "auto"),
    ("#article-columns", "layout", "vertical"),
    ("#article-columns", "height", "auto"),
    ("#article-body", "height", "auto"),
    ("#article-body", "overflow_y", "hidden"),
)
"""What flowing as one column changes above the body's text (the key points take the
`-flow` class), set as inline styles (None puts the stylesheet's back): a class on an
ancestor of the body would restyle every block of the story, some 40 ms each time a
story opens in the other layout."""


def placeholder(app: App[object]) -> str:
    """What the empty reader says, naming the keys as [keys] maps them."""

    opens, next_unread, help_key = (key_for(app, a) for a in ("open", "next_unread", "help"))
    return (
        f"No article open.\n\n{opens} or a click opens the highlighted article; "
        f"{next_unread} opens the next unread one; {help_key} lists every key."
    )


class ReaderBody(VerticalScroll):
    """The scrolling body; j/k scroll it, Space pages it down and b up, g and G go to the
    story's top and end. When header and key points scroll with it (a short pane), the
    keys scroll their column instead."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings("reader"))

    class Back(Message):
        """The user asked to go back to the article list (Left)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "zoom" and self.screen.maximized is None:
            return False  # (z Back is for the zoomed reader: the screen's z zooms)
        return key_may_run(self.app, ("reader",), action, parameters)

    def action_zoom(self) -> None:
        """`z Back` in a zoomed reader's footer: the screen's `z` does the work."""
        raise SkipAction

    def _column(self) -> VerticalScroll | None:
        """The column that scrolls in this body's place, when it does not scroll itself."""
        if self.allow_vertical_scroll:
            return None
        return next((node for node in self.ancestors if isinstance(node, ArticleScroll)), None)

    def action_scroll_down(self) -> None:
        column = self._column()
        (column.action_scroll_down if column else super().action_scroll_down)()

    def action_scroll_up(self) -> None:
        column = self._column()
        (column.action_scroll_up if column else super().action_scroll_up)()

    def action_back(self) -> None:
        self.post_message(self.Back())

    def action_page_up(self) -> None:
        (self._column() or self).scroll_page_up(animate=False)

    def action_scroll_home(self) -> None:
        (self._column() or self).scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        """The story's end: the body chunks not drawn yet are drawn first."""
        pane = next((node for node in self.ancestors if isinstance(node, ReaderPane)), None)
        if pane is not None:
            pane.scroll_to_end()


class KeyPoints(VerticalScroll, can_focus=False):
    """The article's key points as a bulleted list with hanging indents."""


class ReaderColumns(Vertical):
    """The key points and the body: side by side, or stacked."""


class ArticleScroll(VerticalScroll, can_focus=False):
    """Header, key points and body. It scrolls only when they flow together (a short
    pane); otherwise it holds still and the body scrolls alone."""

    def scroll_to_region(self, region: Region, *args: Any, **kwargs: Any) -> Offset:
        """Only the reader's keys and the mouse scroll the column: bringing the focused
        body into view (Tab, a click, zoom, Escape) would scroll the key points away."""
        if kwargs.get("top") or kwargs.get("force"):
            return super().scroll_to_region(region, *args, **kwargs)
        on_complete = kwargs.get("on_complete")
        if on_complete is not None:
            self.call_after_refresh(on_complete)
        return Offset()


def split_body(body: str, size: int = BODY_CHUNK) -> list[str]:
    """Cut markdown into chunks of about `size` characters at paragraph breaks."""
    chunks: list[str] = []
    while len(body) > size:
        cut = body.rfind("\n\n", 0, size)
        if cut <= 0:
            cut = body.find("\n\n", size)
            if cut == -1:
                break
        chunks.append(body[:cut])
        body = body[cut:]
    chunks.append(body)
    return chunks


class ReaderPane(Vertical):
    """Shows one article, or a hint when none is open."""

    ALLOW_MAXIMIZE = True

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        """The article on show."""
        self._pending: list[str] = []
        """Body chunks not rendered yet (appended as the reader scrolls)."""
        self._appending = False
        """True while a chunk is being appended."""
        self._markdown: Markdown | None = None
        """The body, once an article was shown (see `_body_markdown`)."""
        self._flowing = False
        """Header, key points and body scroll together (see `_fit_key_points`)."""
        self._to_end = False
        """G (or End) was pressed: draw the whole body, then scroll to its end."""

    def compose(self) -> ComposeResult:
        yield Static(Content(placeholder(self.app)), id="reader-placeholder")
        with ArticleScroll(id="article-scroll"):
            yield Static(id="article-header")
            with ReaderColumns(id="article-columns"):
                with KeyPoints(id="key-points"):
                    yield Static(id="key-points-text")
                # The body's Markdown widget is mounted when the first article opens:
                # importing it (markdown-it, Pygments) costs the start ~30 ms for nothing.
                yield ReaderBody(id="article-body")

    def on_mount(self) -> None:
        self.border_title = "Reader"
        self.set_class(True, "-empty")
        self.watch(self.body, "scroll_y", lambda: self._fill_body(), init=False)
        self.watch(self.column, "scroll_y", lambda: self._fill_body(), init=False)

    def on_resize(self, event: events.Resize) -> None:
        self._fit_key_points()

    @property
    def stacked(self) -> bool:
        """Key points above the body (narrow terminals) rather than beside it."""
        return self.has_class("-stacked")

    @property
    def flowing(self) -> bool:
        """Header, key points and body scroll together (a short pane)."""
        return self._flowing

    def _set_flowing(self, flowing: bool) -> None:
        if flowing != self._flowing:
            self._flowing = flowing
            for selector, rule, value in FLOW_STYLES:
                setattr(self.query_one(selector).styles, rule, value if flowing else None)
            self.query_one(KeyPoints).set_class(flowing, "-flow")

    def set_stacked(self, stacked: bool) -> None:
        if stacked != self.stacked:
            self.set_class(stacked, "-stacked")
            self._fit_key_points()

    def _draw_key_points(self, article: Article, *, compact: bool, width: int) -> int:
        """Show the key points (compact: the stacked form); their lines at `width`."""
        text = self.query_one("#key-points-text", Static)
        if not article.key_points:
            text.update("")
            return 0
        text.update(key_points_renderable(article, compact=compact))
        return text.get_content_height(self.size, self.size, max(1, width))

    def _fit_key_points(self) -> None:
        """Keep header and key points in place when all of them fit and the body keeps
        its share of the pane; otherwise let them scroll with the body (flowing)."""
        article = self.article
        if article is None:
            return
        self.set_class(not article.key_points, "-no-key-points")
        width, height = self.size
        header = self.query_one("#article-header", Static)
        if width <= 0 or height <= 0:  # not laid out yet: drawn again on resize
            header.update(header_content(article))
            self._draw_key_points(article, compact=self.stacked, width=width - 2)
            return
        # (less the padding, and the scrollbar the column shows once it flows: whether it
        # flows is decided below, from the header's height)
        header_width = width - 2 - self.column.styles.scrollbar_size_vertical
        header.update(header_content(article, header_width))
        header_lines = header.get_content_height(self.size, self.size, header_width) + 1
        body_lines = max(BODY_LINES, ceil(height * BODY_SHARE))
        if self.stacked:  # (minus padding; plus the rule under them)
            points = self._draw_key_points(article, compact=True, width=width - 2)
            fits = header_lines + points + (points > 0) + body_lines <= height
        else:  # (minus padding and the rule beside them)
            beside = min(width * BESIDE_PERCENT // 100, BESIDE_MAX) - 3
            points = self._draw_key_points(article, compact=False, width=beside)
            fits = header_lines + max(points, body_lines) <= height
            if not fits:
                self._draw_key_points(article, compact=True, width=width - 2)
        self._set_flowing(not fits)

    @property
    def body(self) -> ReaderBody:
        return self.query_one("#article-body", ReaderBody)

    @property
    def column(self) -> ArticleScroll:
        return self.query_one("#article-scroll", ArticleScroll)

    @property
    def scroller(self) -> VerticalScroll:
        """What scrolls the story: the whole column (flowing), else the body."""
        return self.column if self.flowing else self.body

    def _body_markdown(self) -> Markdown:
        """The body's Markdown widget, mounted on first use."""
        if self._markdown is None:
            from textual.widgets import Markdown

            self._markdown = Markdown(open_links=False, id="article-markdown")
            self.body.mount(self._markdown)
        return self._markdown

    def show_state(self, row: ArticleRow) -> None:
        """The shown story's marks (MARKS) changed: redraw its header, leaving the body
        where it is."""
        article = self.article
        if article is None or article.id != row.id:
            return
        marks = {name: getattr(row, name) for name in MARKS}
        if all(getattr(article, name) == value for name, value in marks.items()):
            return  # (asked after every re-read of the lists: most change nothing)
        self.article = replace(article, **marks)
        self._fit_key_points()

    @property
    def article_id(self) -> int | None:
        """The id of the story shown (None: none)."""
        return self.article.id if self.article is not None else None

    def show_article(self, article: Article | None) -> None:
        """Show `article` (None: the placeholder) with the body scrolled to the top."""
        self.article = article
        self._pending = []
        self._to_end = False
        self.set_class(article is None, "-empty")
        if article is None:
            if self._markdown is not None:
                self._markdown.update("")
            return
        self._fit_key_points()  # (it draws the header too, for the pane's width)
        self.query_one("#key-points", KeyPoints).scroll_home(animate=False)
        self.column.scroll_home(animate=False)
        self.body.scroll_home(animate=False)
        # The core cleans every body it stores; cleaning again here costs little and keeps
        # escapes off the screen whatever the store holds.
        self._body_markdown()
        self._render_body(article.id, shown_text(article.body))

    @work(exclusive=True, group="reader-body")
    async def _render_body(self, article_id: int, body: str) -> None:
        """Render the first chunk now; later chunks are appended as the reader scrolls
        near the end (or pages), so a long story costs what is read of it."""
        markdown = self._body_markdown()
        chunks = split_body(body)
        self._pending = chunks[1:]
        try:
            await markdown.update(chunks[0])
        except MountError:  # the app is closing (q as the story opened): nothing to draw on
            return
        self.call_after_refresh(self._fill_body, article_id)

    def _near_end(self) -> bool:
        scroller = self.scroller
        return scroller.max_scroll_y - scroller.scroll_y < 2 * max(1, scroller.size.height)

    def _fill_body(self, article_id: int | None = None) -> None:
        """Append the next chunk when the end of what is rendered is near (after G, the
        rest, then scroll to the end)."""
        if self._to_end and not self._pending and not self._appending:
            self._to_end = False
            self.scroller.scroll_end(animate=False)
            return
        if self._appending or not self._pending or self.article is None:
            return
        if article_id is not None and self.article.id != article_id:
            return
        if self._to_end or self._near_end():
            self._append_chunk(self.article.id)

    @work(group="reader-append")
    async def _append_chunk(self, article_id: int) -> None:
        # One append at a time, never cancelled half way (a chunk taken from the queue and
        # then cancelled would be lost); the next one starts when this one is drawn.
        if self._appending:
            return
        self._appending = True
        try:
            if not self._pending or self.article is None or self.article.id != article_id:
                return
            # (G too takes a chunk at a time, as _fill_body asks: the whole rest of a long
            # story at once would be parsed and mounted in one go on the event loop)
            await self._body_markdown().append(self._pending.pop(0))
        except MountError:  # the app is closing
            return
        finally:
            self._appending = False
        # Whatever article is on show by now (the reader may have moved on meanwhile).
        self.call_after_refresh(self._fill_body)

    def scroll_to_end(self) -> None:
        """G: to the story's end, once the chunks not drawn yet are (see _fill_body)."""
        if self.article is None:
            return
        self._to_end = True
        self.scroller.scroll_end(animate=False)  # (at once, to what is drawn so far)
        if self._pending and not self._appending:
            self._append_chunk(self.article.id)
        else:
            self._fill_body()

    def page_down(self) -> bool:
        """Page the story down; False when it was already at the end."""
        scroller = self.scroller
        if scroller.scroll_y >= scroller.max_scroll_y:
            if self._pending and self.article is not None:
                self._append_chunk(self.article.id)
                return True
            return False
        scroller.scroll_page_down(animate=False)
        return True
