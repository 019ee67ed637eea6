"""What the article-page tests (test_pages.py, test_pages_updates.py) share: a news site
on the test server, with a summary-only feed whose stories link to article pages wrapped
in navigation, promos and a footer, and a full-content feed; the fixtures `library` (a
Library on the file `database`, whose `clock` the tests can move on); one refresh and
page fetch of both feeds; and checks that a story's text is all there with none of the
site's chrome."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import UTC, datetime
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


@pytest.fixture(name="database")
def cache_database(tmp_path: Path) -> Path:
    return tmp_path / "cache.sqlite"


@pytest.fixture(name="clock")
def settable_clock() -> Clock:
    return Clock(NOW)


@pytest.fixture(name="library")
async def fetching_library(database: Path, clock: Clock) -> AsyncIterator[Library]:
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
