"""Issue 7, per-feed settings from config.toml over real HTTP on 127.0.0.1: custom headers
go only to the feed's own host, `refresh(due_only=True)` honours the refresh intervals,
and `fetch_pages` decides which articles `pages_to_fetch` offers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from readerterm.config import Config, FeedConfig
from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer

SECRET = {"Authorization": "Bearer s3cret-token", "X-Api-Key": "k-123"}
START = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def rss(name: str, *, words: int = 12, count: int = 2) -> bytes:
    text = " ".join(["word"] * words)
    items = "".join(
        f'<item><guid isPermaLink="false">{name}-{n}</guid><title>{name} story {n}</title>'
        f"<link>https://pages.test/{name}/{n}</link>"
        f"<description>&lt;p&gt;{text}&lt;/p&gt;</description></item>"
        for n in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>'
        f"<link>https://pages.test/</link>{items}</channel></rss>"
    ).encode()


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
async def library(tmp_path: Path, clock: Clock) -> AsyncIterator[Library]:
    opened = Library(Store(tmp_path / "cache.sqlite"), fetcher=Fetcher(), clock=clock)
    try:
        yield opened
    finally:
        await opened.aclose()
        opened.close()


def apply_config(library: Library, config: Config) -> None:
    """What the app does at start: subscribe/update config feeds, then take the settings."""
    library.subscriptions.add_config_feeds(config.feeds)
    library.settings.configure(config)


async def refresh(library: Library, *, due_only: bool = False) -> dict[str, RefreshStatus]:
    return {r.feed_url: r.status async for r in library.refresher.refresh(due_only=due_only)}


# -- headers ---------------------------------------------------------------------------------


async def test_feed_headers_are_sent_to_that_feed_only(
    http_server: LocalServer, library: Library
) -> None:
    private, public = http_server.url("/private.xml"), http_server.url("/public.xml")
    http_server.route("/private.xml", rss("private"))
    http_server.route("/public.xml", rss("public"))
    apply_config(
        library, Config(feeds=(FeedConfig(url=private, headers=SECRET), FeedConfig(url=public)))
    )

    assert await refresh(library) == {
        private: RefreshStatus.UPDATED,
        public: RefreshStatus.UPDATED,
    }

    (sent,) = http_server.requests_to("/private.xml")
    assert sent.headers["authorization"] == SECRET["Authorization"]
    assert sent.headers["x-api-key"] == SECRET["X-Api-Key"]
    (other,) = http_server.requests_to("/public.xml")
    assert "authorization" not in other.headers and "x-api-key" not in other.headers


async def test_feed_headers_do_not_follow_a_redirect_to_another_host(
    http_server: LocalServer, library: Library
) -> None:
    url = http_server.url("/feed.xml")
    http_server.route("/feed.xml", redirect_to=http_server.url("/elsewhere.xml", host="localhost"))
    http_server.route("/elsewhere.xml", rss("elsewhere"))
    apply_config(library, Config(feeds=(FeedConfig(url=url, headers=SECRET),)))

    assert await refresh(library) == {url: RefreshStatus.UPDATED}

    (first,) = http_server.requests_to("/feed.xml")
    (second,) = http_server.requests_to("/elsewhere.xml")
    assert first.host == "127.0.0.1" and first.headers["authorization"] == SECRET["Authorization"]
    assert second.host == "localhost"
    assert "authorization" not in second.headers and "x-api-key" not in second.headers


async def test_feed_headers_do_not_follow_a_redirect_to_another_port(
    http_server: LocalServer, library: Library
) -> None:
    with LocalServer() as other:
        url = http_server.url("/feed.xml")
        http_server.route("/feed.xml", redirect_to=other.url("/feed.xml"))
        other.route("/feed.xml", rss("other port"))
        apply_config(library, Config(feeds=(FeedConfig(url=url, headers=SECRET),)))

        assert await refresh(library) == {url: RefreshStatus.UPDATED}

        (received,) = other.requests_to("/feed.xml")
        assert "authorization" not in received.headers


async def test_feed_headers_follow_a_redirect_on_the_same_host(
    http_server: LocalServer, library: Library
) -> None:
    url = http_server.url("/feed")
    http_server.route("/feed", redirect_to=http_server.url("/feed/"))
    http_server.route("/feed/", rss("slash"))
    apply_config(library, Config(feeds=(FeedConfig(url=url, headers=SECRET),)))

    await refresh(library)

    (received,) = http_server.requests_to("/feed/")
    assert received.headers["authorization"] == SECRET["Authorization"]


async def test_feed_headers_survive_a_permanent_move_on_the_same_host(
    http_server: LocalServer, library: Library
) -> None:
    url = http_server.url("/feed")
    http_server.route("/feed", redirect_to=http_server.url("/feed/"), status=301)
    http_server.route("/feed/", rss("moved"))
    apply_config(library, Config(feeds=(FeedConfig(url=url, headers=SECRET),)))
    await refresh(library)
    assert library.subscriptions.feeds()[0].url == http_server.url(
        "/feed/"
    )  # the subscription moved
    http_server.clear()

    await refresh(library)

    (received,) = http_server.requests_to("/feed/")
    assert received.headers.get("authorization") == SECRET["Authorization"]


# -- refresh intervals -------------------------------------------------------------------------


async def test_due_only_honours_the_global_interval(
    http_server: LocalServer, library: Library, clock: Clock
) -> None:
    a, b = http_server.url("/a.xml"), http_server.url("/b.xml")
    http_server.route("/a.xml", rss("a"))
    http_server.route("/b.xml", rss("b"))
    library.settings.configure(Config(refresh_minutes=30))
    library.subscriptions.subscribe(a)
    assert await refresh(library, due_only=True) == {a: RefreshStatus.UPDATED}
    library.subscriptions.subscribe(b)  # never refreshed: due

    clock.advance(minutes=10)
    assert set(await refresh(library, due_only=True)) == {b}

    clock.advance(minutes=10)
    assert await refresh(library, due_only=True) == {}  # a refreshed 20, b 10 minutes ago

    clock.advance(minutes=11)
    assert set(await refresh(library, due_only=True)) == {a}

    # without due_only every feed is refreshed
    assert set(await refresh(library)) == {a, b}


async def test_due_only_honours_a_per_feed_interval(
    http_server: LocalServer, library: Library, clock: Clock
) -> None:
    fast, slow, default = (http_server.url(p) for p in ("/fast.xml", "/slow.xml", "/dflt.xml"))
    for path in ("/fast.xml", "/slow.xml", "/dflt.xml"):
        http_server.route(path, rss(path.strip("/.xml")))
    apply_config(
        library,
        Config(
            refresh_minutes=30,
            feeds=(
                FeedConfig(url=fast, refresh_minutes=5),
                FeedConfig(url=slow, refresh_minutes=120),
                FeedConfig(url=default),
            ),
        ),
    )
    assert set(await refresh(library, due_only=True)) == {fast, slow, default}

    clock.advance(minutes=6)
    assert set(await refresh(library, due_only=True)) == {fast}

    clock.advance(minutes=30)  # 36 minutes since slow and default, 30 since fast
    assert set(await refresh(library, due_only=True)) == {fast, default}

    clock.advance(minutes=90)
    assert set(await refresh(library, due_only=True)) == {fast, slow, default}


async def test_due_only_counts_a_failed_or_unchanged_refresh(
    http_server: LocalServer, library: Library, clock: Clock
) -> None:
    ok, broken = http_server.url("/ok.xml"), http_server.url("/broken.xml")
    http_server.route("/ok.xml", rss("ok"), etag='"v1"')
    http_server.route("/broken.xml", b"oops", status=500, content_type="text/plain")
    library.settings.configure(Config(refresh_minutes=15))
    library.subscriptions.subscribe(ok)
    library.subscriptions.subscribe(broken)
    assert await refresh(library) == {ok: RefreshStatus.UPDATED, broken: RefreshStatus.FAILED}

    clock.advance(minutes=16)
    assert await refresh(library, due_only=True) == {
        ok: RefreshStatus.NOT_MODIFIED,
        broken: RefreshStatus.FAILED,
    }
    clock.advance(minutes=5)
    assert await refresh(library, due_only=True) == {}


async def test_an_interval_of_zero_makes_every_feed_due(
    http_server: LocalServer, library: Library, clock: Clock
) -> None:
    url = http_server.url("/a.xml")
    http_server.route("/a.xml", rss("a"))
    library.settings.configure(Config(refresh_minutes=0))
    library.subscriptions.subscribe(url)
    await refresh(library)
    clock.advance(seconds=1)
    assert set(await refresh(library, due_only=True)) == {url}


# -- page fetching ---------------------------------------------------------------------------


@pytest.fixture
def offline_library(tmp_path: Path) -> Iterator[Library]:
    opened = Library(Store(tmp_path / "pages.sqlite"), offline=True, clock=lambda: START)
    try:
        yield opened
    finally:
        opened.close()


def feed_ids_of(library: Library, article_ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for article_id in article_ids:
        title = library.reading.article(article_id).feed_title
        counts[title] = counts.get(title, 0) + 1
    return counts


def test_fetch_pages_setting_decides_what_pages_to_fetch_offers(offline_library: Library) -> None:
    library = offline_library
    feeds = {
        "auto-short": ("https://a.test/feed", "auto", 12),
        "auto-full": ("https://b.test/feed", "auto", 400),
        "never-short": ("https://c.test/feed", "never", 12),
        "always-full": ("https://d.test/feed", "always", 400),
    }
    config = Config(
        feeds=tuple(FeedConfig(url=url, fetch_pages=mode) for url, mode, _ in feeds.values())
    )
    apply_config(library, config)
    for name, (url, _, words) in feeds.items():
        library.refresher.ingest_document(
            library.subscriptions.find_feed(url).id, rss(name, words=words)
        )

    assert feed_ids_of(library, library.pages.pages_to_fetch()) == {
        "auto-short": 2,
        "always-full": 2,
    }

    # the next start reads a changed config: the settings follow it
    changed = Config(
        feeds=(
            FeedConfig(url=feeds["auto-short"][0], fetch_pages="never"),
            FeedConfig(url=feeds["auto-full"][0], fetch_pages="always"),
            FeedConfig(url=feeds["never-short"][0], fetch_pages="auto"),
            FeedConfig(url=feeds["always-full"][0], fetch_pages="auto"),
        )
    )
    apply_config(library, changed)

    assert feed_ids_of(library, library.pages.pages_to_fetch()) == {
        "auto-full": 2,
        "never-short": 2,
    }


def test_pages_to_fetch_skips_read_articles_and_can_be_limited_to_feeds(
    offline_library: Library,
) -> None:
    library = offline_library
    one = library.subscriptions.subscribe("https://one.test/feed").id
    two = library.subscriptions.subscribe("https://two.test/feed").id
    library.refresher.ingest_document(one, rss("one", count=3))
    library.refresher.ingest_document(two, rss("two", count=2))
    first = library.reading.article_ids(feed_id=one)[0]
    library.store.articles.set_read([first], True)

    assert len(library.pages.pages_to_fetch()) == 4
    assert first not in library.pages.pages_to_fetch()
    assert set(library.pages.pages_to_fetch([two])) == set(library.reading.article_ids(feed_id=two))
    assert len(library.pages.pages_to_fetch(limit=1)) == 1
