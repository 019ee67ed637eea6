"""A sync server's titles, authors and folder names are stored shortened, as a feed's are."""

from __future__ import annotations

from datetime import UTC, datetime

from readerterm.feeds.rows import MAX_AUTHOR, MAX_TITLE
from readerterm.sync.engine import _parsed
from readerterm.sync.protocol import RemoteItem


def test_a_servers_long_title_and_author_are_cut_at_a_word() -> None:
    item = RemoteItem(
        id="1",
        feed_id="feed/1",
        url="https://example.org/story",
        guid=None,
        title="headline " * 600_000,
        author="Someone " * 1_000,
        published=datetime(2026, 1, 1, tzinfo=UTC),
        content_html="<p>Body.</p>",
        read=False,
        starred=False,
    )
    parsed = _parsed(item)
    assert len(parsed.title) <= MAX_TITLE
    assert parsed.title.endswith("headline…")
    assert parsed.author is not None
    assert len(parsed.author) <= MAX_AUTHOR
    assert parsed.author.endswith("Someone…")
