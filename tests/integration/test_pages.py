"""Issue 3, full text from article pages: a summary-only feed on 127.0.0.1 links to article
pages wrapped in navigation, promos, a cookie banner, related links and a footer. After a
refresh and a page fetch the reader has each page's body and the publisher's key points,
with the page's byline, date and lead image, and reads the same offline afterwards."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from readerterm.library import Library, PageResult
from readerterm.models import Article, RefreshStatus
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
HTML = "text/html; charset=utf-8"

# Text that surrounds every article on the site and must never reach the reader.
CHROME = (
    "Skip to main content",
    "World Politics Business Climate",
    "We use cookies to improve your experience",
    "Accept all cookies",
    "Sign up for our morning briefing newsletter",
    "Most read this week",
    "Ten photographs of puffins",
    "Contact the newsroom",
    "All rights reserved",
)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def paragraphs(topic: str) -> list[str]:
    """Six distinct paragraphs of plain news prose (about 170 words)."""
    return [
        f"The council of {topic} met on Tuesday to settle a dispute that has run for most of"
        " the year, and members agreed a compromise late in the evening after a long debate.",
        f"Residents of {topic} had complained that the old arrangement left the eastern"
        " districts without a regular service, while the western ones paid for more than"
        " they used.",
        "Under the new plan the budget is split by population rather than by area, which"
        " officials said would move about four million pounds a year toward the east.",
        "Opposition members called the change rushed and said that the figures had been"
        " published only two days before the vote, leaving little time for scrutiny.",
        "The chair of the finance committee answered that every figure had been available"
        " in draft since March and that the final numbers differed only in rounding.",
        f"The first payments under the plan are due in September, and a review of {topic}"
        " will follow after twelve months to check whether the service has improved.",
    ]


def article_page(
    title: str,
    topic: str,
    *,
    key_points: list[str] | None = None,
    opening_list: list[str] | None = None,
    author: str = "Rosa Lind",
    published: str = "2024-05-30T07:15:00+00:00",
    image: str = "/images/lead.jpg",
) -> str:
    """A news page: chrome around an <article> with the story, optionally key points."""
    story = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(topic))
    boxed = ""
    if key_points:
        items = "".join(f"<li>{html.escape(p)}</li>" for p in key_points)
        boxed = f'<div class="key-points"><h2>Key points</h2><ul>{items}</ul></div>'
    opening = ""
    if opening_list:
        opening = "<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in opening_list) + "</ul>"
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{html.escape(title)} | The Daily Local</title>
<meta name="author" content="{html.escape(author)}">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:image" content="{image}">
<meta property="article:published_time" content="{published}">
</head><body>
<a href="#main">Skip to main content</a>
<header><nav><ul>
<li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/business">Business</a></li><li><a href="/climate">Climate</a></li>
</ul><p>World Politics Business Climate</p></nav></header>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience
on our site.</p><button>Accept all cookies</button></div>
<aside class="promo"><p>Sign up for our morning briefing newsletter.</p></aside>
<main id="main"><article>
<h1>{html.escape(title)}</h1>
<p class="byline">By {html.escape(author)}</p>
{opening}{boxed}{story}
<h3>Related stories</h3>
<ul class="related">
<li><a href="/a">Bridge repairs finish early</a></li>
<li><a href="/b">Library opening hours extended</a></li>
<li><a href="/c">New bus route for the hills</a></li>
</ul>
</article></main>
<aside class="most-read"><h2>Most read this week</h2><ol>
<li><a href="/p">Ten photographs of puffins</a></li><li><a href="/q">A recipe for rain</a></li>
</ol></aside>
<footer><p>Contact the newsroom</p><p>© 2024 The Daily Local. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li></ul></footer>
</body></html>"""


HARBOUR_POINTS = [
    "The harbour council agreed a new budget split by population.",
    "About four million pounds a year will move to the eastern districts.",
    "A review will follow twelve months after the first payments.",
]
ORCHARD_POINTS = [
    "Orchard growers will get their first payments in September.",
    "Opposition members said the vote was rushed through in two days.",
    "The finance chair said every figure had been public since March.",
]

Story = tuple[str, str, str]
"""path of the page, title, feed summary"""

STORIES: list[Story] = [
    ("/articles/harbour", "Harbour budget agreed", "The council settled its dispute."),
    ("/articles/orchard", "Orchard payments due", "Growers will be paid in autumn."),
    ("/articles/valley", "Valley service review", "A review is planned for next year."),
    ("/articles/missing", "A story that vanished", "This page is gone."),
]


def summary_feed(server: LocalServer) -> bytes:
    items = "".join(
        f'<item><guid isPermaLink="false">{path}</guid><title>{escape(title)}</title>'
        f"<link>{server.url(path)}</link>"
        f"<description>{escape(f'<p>{summary}</p>')}"
        f"{escape(f'<p><a href={server.url(path)}>Continue reading</a></p>')}</description>"
        "</item>"
        for path, title, summary in STORIES
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>The Daily Local</title>'
        f"<link>{server.url('/')}</link>{items}</channel></rss>"
    ).encode()


def full_feed(server: LocalServer) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs("the fens"))
    return (
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>Full Text Weekly</title>"
        f"<link>{server.url('/')}</link>"
        '<item><guid isPermaLink="false">full-1</guid><title>Fens budget agreed</title>'
        f"<link>{server.url('/articles/full')}</link>"
        f"<description>Short teaser.</description>"
        f"<content:encoded>{escape(body)}</content:encoded></item>"
        "</channel></rss>"
    ).encode()


def serve_site(server: LocalServer) -> None:
    server.route("/feed.xml", summary_feed(server))
    server.route("/full.xml", full_feed(server))
    server.route(
        "/articles/harbour",
        article_page("Harbour budget agreed", "the harbour", key_points=HARBOUR_POINTS),
        content_type=HTML,
    )
    server.route(
        "/articles/orchard",
        article_page(
            "Orchard payments due",
            "the orchards",
            opening_list=ORCHARD_POINTS,
            author="Tomas Reed",
            published="2024-05-29T18:00:00+00:00",
            image="https://cdn.example.test/orchard.jpg",
        ),
        content_type=HTML,
    )
    server.route(
        "/articles/valley",
        article_page("Valley service review", "the valley", author="Ada Moss"),
        content_type=HTML,
    )
    server.route("/articles/full", article_page("Fens", "the fens"), content_type=HTML)
    # /articles/missing is not routed: the server answers 404


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite"


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def library(database: Path, clock: Clock) -> AsyncIterator[Library]:
    opened = Library(Store(database), fetcher=Fetcher(), clock=clock)
    try:
        yield opened
    finally:
        await opened.aclose()
        opened.close()


def by_path(library: Library, server: LocalServer) -> dict[str, int]:
    """Article id by the path of its link."""
    found = {}
    for article_id in library.reading.article_ids():
        url = library.reading.article(article_id).url or ""
        found[url.removeprefix(server.base_url)] = article_id
    return found


async def refresh_and_fetch_pages(
    library: Library, server: LocalServer
) -> tuple[dict[str, int], dict[int, PageResult]]:
    library.subscriptions.subscribe(server.url("/feed.xml"))
    library.subscriptions.subscribe(server.url("/full.xml"))
    statuses = [r.status async for r in library.refresher.refresh()]
    assert statuses == [RefreshStatus.UPDATED, RefreshStatus.UPDATED]
    ids = by_path(library, server)
    wanted = library.pages.pages_to_fetch()
    results = {r.article_id: r async for r in library.pages.fetch_pages(wanted)}
    return ids, results


def assert_no_chrome(article: Article) -> None:
    for phrase in CHROME:
        assert phrase not in article.body, phrase
    for link_text in ("Bridge repairs finish early", "Library opening hours extended"):
        assert link_text not in article.body


def assert_story(article: Article, topic: str) -> None:
    body = " ".join(article.body.split())
    for paragraph in paragraphs(topic):
        assert paragraph in body
    assert article.words >= 150


async def test_summary_only_feed_gets_page_text_and_publisher_key_points(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)

    ids, results = await refresh_and_fetch_pages(library, http_server)

    # the full-content feed is never page-fetched
    assert set(results) == {ids[path] for path, _, _ in STORIES}
    assert http_server.requests_to("/articles/full") == []
    assert results[ids["/articles/missing"]].error
    assert all(results[ids[p]].error is None for p, _, _ in STORIES[:3])

    harbour = library.reading.article(ids["/articles/harbour"])
    assert_story(harbour, "the harbour")
    assert_no_chrome(harbour)
    assert harbour.key_points == tuple(HARBOUR_POINTS)
    assert harbour.key_points_origin == "page"
    for point in HARBOUR_POINTS:
        assert point not in harbour.body  # shown once, beside the body
    assert "Key points" not in harbour.body
    assert harbour.author == "Rosa Lind"
    assert harbour.published is not None and harbour.published.date() == date(2024, 5, 30)
    assert harbour.image_url == http_server.url("/images/lead.jpg")
    assert harbour.extracted_at == NOW
    assert not harbour.read

    orchard = library.reading.article(ids["/articles/orchard"])
    assert_story(orchard, "the orchards")
    assert_no_chrome(orchard)
    assert orchard.key_points == tuple(ORCHARD_POINTS)
    assert orchard.key_points_origin == "page"
    for point in ORCHARD_POINTS:
        assert point not in orchard.body
    assert orchard.author == "Tomas Reed"
    assert orchard.published is not None and orchard.published.date() == date(2024, 5, 29)
    assert orchard.image_url == "https://cdn.example.test/orchard.jpg"

    valley = library.reading.article(ids["/articles/valley"])
    assert_story(valley, "the valley")
    assert_no_chrome(valley)
    assert valley.key_points_origin == "generated"
    assert 1 <= len(valley.key_points) <= 5
    flat = " ".join(valley.body.split())
    # each one of the body's sentences, or one of them without an aside (compress.drop_asides)
    assert all(from_one_sentence(point, flat) for point in valley.key_points)
    assert valley.author == "Ada Moss"

    full = library.reading.article(ids["/articles/full"])
    assert full.extracted_at is None
    assert_story(full, "the fens")


def from_one_sentence(point: str, body: str) -> bool:
    """Whether the pieces of `point` between its commas come, in order, from one sentence."""
    pieces = [piece.strip() for piece in point.rstrip(".").split(",") if piece.strip()]
    for sentence in re.split(r"(?<=[.!?])\s+", body):
        position = 0
        for piece in pieces:
            position = sentence.find(piece, position)
            if position < 0:
                break
            position += len(piece)
        else:
            return True
    return False


async def test_a_page_that_fails_is_recorded_and_not_retried(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, results = await refresh_and_fetch_pages(library, http_server)
    missing = ids["/articles/missing"]

    assert "404" in (results[missing].error or "")
    assert library.pages.pages_to_fetch() == []  # neither the failed page nor the done ones
    article = library.reading.article(missing)
    assert article.extracted_at is None
    assert "This page is gone." in article.body  # the feed's summary is still there
    assert len(http_server.requests_to("/articles/missing")) == 1


async def test_pages_read_the_same_offline_without_any_request(
    http_server: LocalServer, library: Library, database: Path
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    online = {article_id: library.reading.article(article_id) for article_id in ids.values()}
    await library.aclose()
    library.close()
    http_server.clear()

    offline = Library.open_at(database, offline=True)
    try:
        for article_id, expected in online.items():
            assert offline.reading.article(article_id) == expected
        assert offline.pages.pages_to_fetch() == []
        again = [r async for r in offline.pages.fetch_pages(list(ids.values()))]
        assert all(r.error for r in again)
        assert (await offline.pages.extract_page(ids["/articles/harbour"])).error
        assert offline.reading.article(ids["/articles/harbour"]) == online[ids["/articles/harbour"]]
    finally:
        await offline.aclose()
        offline.close()
    assert http_server.requests == []


async def test_extract_page_again_re_extracts(
    http_server: LocalServer, library: Library, clock: Clock
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    harbour = ids["/articles/harbour"]
    first = library.reading.article(harbour)
    changed = [*HARBOUR_POINTS[:2], "The eastern districts will see a new bus service first."]
    http_server.route(
        "/articles/harbour",
        article_page("Harbour budget agreed", "the new harbour", key_points=changed),
        content_type=HTML,
    )
    later = NOW + timedelta(hours=3)
    clock.now = later

    result = await library.pages.extract_page(harbour)

    assert result.error is None
    second = library.reading.article(harbour)
    assert second.key_points == tuple(changed)
    assert second.key_points_origin == "page"
    assert_story(second, "the new harbour")
    assert second.body != first.body
    assert second.extracted_at == later
    assert library.pages.pages_to_fetch() == []


async def test_a_failed_page_can_be_re_extracted_by_hand(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    missing = ids["/articles/missing"]
    http_server.route(
        "/articles/missing",
        article_page("A story that vanished", "the lost town", key_points=HARBOUR_POINTS),
        content_type=HTML,
    )

    assert (await library.pages.extract_page(missing)).error is None

    article = library.reading.article(missing)
    assert article.extracted_at == NOW
    assert_story(article, "the lost town")
    assert article.key_points_origin == "page"


async def test_the_page_date_keeps_its_time_of_day(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)

    harbour = library.reading.article(ids["/articles/harbour"])

    assert harbour.published == datetime(2024, 5, 30, 7, 15, tzinfo=UTC)


async def test_an_unchanged_feed_keeps_the_extracted_text(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    before = library.reading.article(ids["/articles/harbour"])
    http_server.clear()

    assert [r.status async for r in library.refresher.refresh()] == [RefreshStatus.UPDATED] * 2

    assert library.reading.article(ids["/articles/harbour"]) == before
    assert library.pages.pages_to_fetch() == []


async def test_a_feed_edit_of_the_teaser_keeps_the_extracted_text(
    http_server: LocalServer, library: Library
) -> None:
    serve_site(http_server)
    ids, _ = await refresh_and_fetch_pages(library, http_server)
    harbour = ids["/articles/harbour"]
    http_server.route(
        "/feed.xml",
        summary_feed(http_server).replace(
            b"Harbour budget agreed", b"Harbour budget agreed after long debate"
        ),
    )

    [r async for r in library.refresher.refresh()]

    article = library.reading.article(harbour)
    assert article.title == "Harbour budget agreed after long debate"
    assert article.extracted_at == NOW
    assert article.key_points == tuple(HARBOUR_POINTS)
    assert_story(article, "the harbour")
