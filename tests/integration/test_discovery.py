"""Issue 7, discovery: `add` given a web page finds the feed it links to, or one at a common
path, over real HTTP on 127.0.0.1 (`Subscriptions.add_feed`
and `python -m readerterm add`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from readerterm.errors import UsageError
from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer

HTML = "text/html; charset=utf-8"


def rss(title: str, *stories: str) -> bytes:
    items = "".join(
        f"<item><guid>{title}-{n}</guid><title>{story}</title>"
        f"<link>https://site.test/{n}</link></item>"
        for n, story in enumerate(stories)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://site.test/</link>{items}</channel></rss>"
    ).encode()


ATOM = (
    b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    b"<title>Site (Atom)</title><id>urn:site</id><updated>2024-01-01T00:00:00Z</updated>"
    b"<entry><id>urn:a1</id><title>Atom story</title><updated>2024-01-01T00:00:00Z</updated>"
    b"</entry></feed>"
)
JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Site (JSON)",
        "items": [{"id": "j1", "title": "JSON story"}],
    }
).encode()


def page(*links: str, body: str = "<p>Welcome to the site.</p>") -> str:
    head = "".join(links)
    return (
        f"<!DOCTYPE html><html><head><title>The site</title>{head}</head>"
        f"<body><nav>Home</nav>{body}</body></html>"
    )


def link(kind: str, href: str, title: str = "") -> str:
    return f'<link rel="alternate" type="{kind}" href="{href}" title="{title}">'


@pytest.fixture
async def library(tmp_path: Path) -> AsyncIterator[Library]:
    opened = Library(Store(tmp_path / "cache.sqlite"), fetcher=Fetcher())
    try:
        yield opened
    finally:
        await opened.aclose()
        opened.close()


async def test_a_page_with_one_relative_feed_link(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route(
        "/blog/post.html",
        page(link("application/rss+xml", "../feeds/main.xml", "Main")),
        content_type=HTML,
    )
    http_server.route("/feeds/main.xml", rss("Site news", "First", "Second"))

    result = await library.subscriptions.add_feed(http_server.url("/blog/post.html"))

    assert result.feed.url == http_server.url("/feeds/main.xml")
    assert result.feed.title == "Site news"
    assert result.refresh is not None and result.refresh.status is RefreshStatus.UPDATED
    assert result.alternatives == ()
    assert [f.url for f in library.subscriptions.feeds()] == [http_server.url("/feeds/main.xml")]
    assert len(library.reading.article_ids(feed_id=result.feed.id)) == 2


async def test_several_feed_links_subscribe_the_first_and_list_the_others(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route(
        "/",
        page(
            link("application/rss+xml", "/rss.xml", "RSS"),
            link("application/atom+xml", "/atom.xml", "Atom"),
            link("application/feed+json", "/feed.json", "JSON"),
            link("application/rss+xml", "/rss.xml", "RSS again"),  # repeated: listed once
        ),
        content_type=HTML,
    )
    http_server.route("/rss.xml", rss("Site (RSS)", "One"))
    http_server.route("/atom.xml", ATOM, content_type="application/atom+xml")
    http_server.route("/feed.json", JSON_FEED, content_type="application/feed+json")

    result = await library.subscriptions.add_feed(http_server.url("/"))

    assert result.feed.url == http_server.url("/rss.xml")
    assert result.alternatives == (http_server.url("/atom.xml"), http_server.url("/feed.json"))
    assert len(library.subscriptions.feeds()) == 1  # the others are only offered


async def test_a_json_feed_link_alone_is_followed(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/", page(link("application/feed+json", "feed.json")), content_type=HTML)
    http_server.route("/feed.json", JSON_FEED, content_type="application/feed+json")

    result = await library.subscriptions.add_feed(http_server.url("/"))

    assert result.feed.url == http_server.url("/feed.json")
    assert result.feed.title == "Site (JSON)"


async def test_links_resolve_against_the_page_after_a_redirect(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/old", redirect_to=http_server.url("/new/home/"), status=301)
    http_server.route(
        "/new/home/", page(link("application/rss+xml", "feed.xml")), content_type=HTML
    )
    http_server.route("/new/home/feed.xml", rss("Moved site", "Story"))

    result = await library.subscriptions.add_feed(http_server.url("/old"))

    assert result.feed.url == http_server.url("/new/home/feed.xml")


@pytest.mark.parametrize("path", ["/feed", "/rss.xml"])
async def test_a_page_without_links_falls_back_to_common_paths(
    http_server: LocalServer, library: Library, path: str
) -> None:
    http_server.route("/articles/today", page(), content_type=HTML)
    http_server.route(path, rss("Hidden feed", "Found me"))

    result = await library.subscriptions.add_feed(http_server.url("/articles/today"))

    assert result.feed.url == http_server.url(path)
    assert result.feed.title == "Hidden feed"
    assert [f.url for f in library.subscriptions.feeds()] == [http_server.url(path)]


async def test_a_page_with_no_feed_anywhere_is_refused_and_nothing_is_stored(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/", page(), content_type=HTML)
    # common paths answer with another HTML page or a 404
    http_server.route("/feed", page(body="<p>Not a feed either.</p>"), content_type=HTML)

    with pytest.raises(UsageError) as raised:
        await library.subscriptions.add_feed(http_server.url("/"))

    message = str(raised.value)
    assert "no feed was found" in message
    assert http_server.url("/") in message
    assert library.subscriptions.feeds() == []
    assert library.reading.article_ids() == []
    assert http_server.requests_to("/feed") and http_server.requests_to("/rss.xml")


async def test_a_page_linking_only_to_broken_feeds_is_refused(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/", page(link("application/rss+xml", "/gone.xml")), content_type=HTML)

    with pytest.raises(UsageError, match="no feed was found"):
        await library.subscriptions.add_feed(http_server.url("/"))
    assert library.subscriptions.feeds() == []


async def test_a_broken_first_link_falls_through_to_the_next(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route(
        "/",
        page(
            link("application/rss+xml", "/gone.xml"),
            link("application/atom+xml", "/atom.xml"),
        ),
        content_type=HTML,
    )
    http_server.route("/atom.xml", ATOM, content_type="application/atom+xml")

    result = await library.subscriptions.add_feed(http_server.url("/"))

    assert result.feed.url == http_server.url("/atom.xml")


async def test_dead_links_still_fall_back_to_common_paths(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/", page(link("application/rss+xml", "/gone.xml")), content_type=HTML)
    http_server.route("/rss.xml", rss("Real feed", "Story"))

    result = await library.subscriptions.add_feed(http_server.url("/"))

    assert result.feed.url == http_server.url("/rss.xml")


async def test_the_feed_already_subscribed_is_reported(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/", page(link("application/rss+xml", "/rss.xml")), content_type=HTML)
    http_server.route("/rss.xml", rss("Site news", "One"))
    library.subscriptions.subscribe(http_server.url("/rss.xml"), title="Mine")

    with pytest.raises(UsageError, match="already subscribed") as raised:
        await library.subscriptions.add_feed(http_server.url("/"))

    assert http_server.url("/rss.xml") in str(raised.value)
    assert [f.url for f in library.subscriptions.feeds()] == [http_server.url("/rss.xml")]
    assert library.reading.article_ids() == []  # nothing was stored for the page's feed


async def test_the_page_url_itself_already_subscribed_is_reported_without_fetching(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/rss.xml", rss("Site news", "One"))
    library.subscriptions.subscribe(http_server.url("/rss.xml"))

    with pytest.raises(UsageError, match="already subscribed"):
        await library.subscriptions.add_feed(http_server.url("/rss.xml"))
    assert http_server.requests == []


# -- the command line ----------------------------------------------------------------------


def readerterm(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for kind in ("CONFIG", "DATA", "CACHE"):
        env[f"READERTERM_{kind}_DIR"] = str(tmp_path / kind.lower())
    env.pop("READERTERM_OFFLINE", None)
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "readerterm", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_add_of_a_page_names_the_feed_and_lists_alternatives(
    http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.route(
        "/",
        page(
            link("application/atom+xml", "/atom.xml"),
            link("application/rss+xml", "/rss.xml"),
        ),
        content_type=HTML,
    )
    http_server.route("/atom.xml", ATOM, content_type="application/atom+xml")
    http_server.route("/rss.xml", rss("Site (RSS)", "One"))

    added = readerterm(tmp_path, "add", http_server.url("/"))

    assert added.returncode == 0, added.stderr
    assert "Site (Atom)" in added.stdout
    assert http_server.url("/atom.xml") in added.stdout
    assert http_server.url("/rss.xml") in added.stdout  # the alternative
    listed = readerterm(tmp_path, "feeds", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [f["url"] for f in json.loads(listed.stdout)] == [http_server.url("/atom.xml")]

    again = readerterm(tmp_path, "add", http_server.url("/"))
    assert again.returncode == 1
    assert "already subscribed" in again.stderr


def test_cli_add_of_a_page_without_feeds_fails_clearly(
    http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.route("/", page(), content_type=HTML)

    added = readerterm(tmp_path, "add", http_server.url("/"))

    assert added.returncode == 1
    assert "no feed was found" in added.stderr
    assert "Traceback" not in added.stderr


# --- issue 18: adding as a user types it ---------------------------------------------------


async def test_a_url_typed_without_a_scheme_is_tried_as_https_then_http(
    http_server: LocalServer, library: Library
) -> None:
    http_server.route("/plain.xml", rss("Plain", "One"))
    address = http_server.url("/plain.xml").removeprefix("http://")
    added = await library.subscriptions.add_feed(address)
    assert added.feed.url == f"http://{address}"  # https failed: the server speaks http
    assert added.feed.total == 1


async def test_a_url_without_a_scheme_that_nothing_answers_reports_the_https_try(
    library: Library,
) -> None:
    from readerterm.library.subscriptions import CannotAdd

    with pytest.raises(CannotAdd, match=r"https://nothing\.invalid/feed"):
        await library.subscriptions.add_feed("nothing.invalid/feed")


async def test_the_config_filters_apply_to_what_add_brings_in(
    http_server: LocalServer, library: Library
) -> None:
    from readerterm.config import Config, FilterRule

    library.settings.configure(Config(filters=(FilterRule(words=("sponsored",)),)))
    http_server.route("/mixed.xml", rss("Mixed", "Real news", "A sponsored story"))
    added = await library.subscriptions.add_feed(http_server.url("/mixed.xml"))
    shown = library.reading.article_rows(library.reading.article_ids(feed_id=added.feed.id))
    assert [row.title for row in shown] == ["Real news"]
    assert added.feed.total == 2  # the other is hidden, never deleted


def test_the_cli_says_how_to_add_a_feed_that_cannot_be_read(
    http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.route("/broken.xml", "this is not a feed", content_type="text/plain")
    env = dict(os.environ)
    for part in ("CONFIG", "DATA", "CACHE"):
        env[f"READERTERM_{part}_DIR"] = str(tmp_path / part.lower())
    done = subprocess.run(
        [sys.executable, "-m", "readerterm", "add", http_server.url("/broken.xml")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "(use --force to add it anyway)" in done.stderr and "Traceback" not in done.stderr
