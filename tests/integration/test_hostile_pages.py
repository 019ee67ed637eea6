"""Issue 20: a refresh fetches article pages on its own for summary-only feeds, so one
hostile feed is enough to hand it any page. Real `readerterm refresh` processes against a
server on 127.0.0.1: pages of millions of "A. ", of 300,000 paragraphs, nested 1,000 deep
or holding an escaped control character. The refresh finishes, every other feed and page
is stored, the hostile stories say what was done with them, and the reader's memory
stays within bounds."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerterm.library import Library
from readerterm.store import Store
from readerterm.text import bounds
from testserver import LocalServer

WAIT = 300.0
HTML = "text/html; charset=utf-8"
PROSE = (
    "the council met on Tuesday and agreed that the old harbour wall would be rebuilt"
    " before the winter storms, at a cost of four million pounds shared by the town."
)


def page(body: str, title: str = "Harbour") -> str:
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>"


def story(name: str, paragraphs: int = 8) -> str:
    return "".join(f"<p>Part {n} of the {name} story: {PROSE}</p>" for n in range(paragraphs))


PAGES = {
    "dots": page("<p>" + "A. " * 2_933_333 + "</p>"),  # 8.8 MB
    "paragraphs": page("".join(f"<p>Word {n}.</p>" for n in range(300_000))),
    "nested": page("<div>" * 1_000 + story("nested") + "</div>" * 1_000),
    "control": page(story("bell").replace("Part 3 of", "Part &#x1b;[31m 3 &#7;of")),
}
GOOD = 6


def teaser_feed(server: LocalServer, name: str) -> str:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>{server.url('/')}</link>"
        f"<item><guid>{name}-1</guid><title>The {name} story</title>"
        f"<link>{server.url(f'/{name}.html')}</link>"
        "<description>A short teaser. Read more</description></item></channel></rss>"
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as local:
        for name, html in PAGES.items():
            local.route(f"/{name}.html", html, content_type=HTML)
            local.route(f"/{name}.xml", teaser_feed(local, name))
        for number in range(GOOD):
            local.route(f"/good{number}.html", page(story(f"good{number}")), content_type=HTML)
            local.route(f"/good{number}.xml", teaser_feed(local, f"good{number}"))
        yield local


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = dict(os.environ)
    for kind in ("CONFIG", "DATA", "CACHE"):
        environment[f"READERTERM_{kind}_DIR"] = str(tmp_path / kind.lower())
    environment.pop("READERTERM_OFFLINE", None)
    return environment


def test_a_refresh_over_hostile_pages_finishes_and_stores_the_rest(
    server: LocalServer, env: dict[str, str], tmp_path: Path
) -> None:
    names = [*PAGES, *(f"good{n}" for n in range(GOOD))]
    outlines = "".join(f'<outline type="rss" xmlUrl="{server.url(f"/{n}.xml")}"/>' for n in names)
    listing = tmp_path / "feeds.opml"
    listing.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    command = [sys.executable, "-m", "readerterm"]
    imported = subprocess.run([*command, "import", str(listing)], env=env, capture_output=True)
    assert imported.returncode == 0, imported.stderr

    process = subprocess.Popen(
        [*command, "refresh"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _, status, used = os.wait4(process.pid, 0)
    finally:
        if process.poll() is None:
            process.kill()
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    # Four such pages took a refresh to 5.7 GB; the reader's own peak here is ~0.2 GB.
    assert used.ru_maxrss / 1024 < 600

    bodies = stored_bodies(tmp_path / "data" / "readerterm.db")
    for number in range(GOOD):
        assert bodies[f"good{number}"].count("harbour wall") == 8, number
    assert bodies["dots"].startswith(bounds.CUT_NOTE)
    assert len(bodies["dots"]) <= bounds.MAX_PAGE_CHARACTERS + 200
    assert bodies["paragraphs"].startswith((bounds.CUT_NOTE, bounds.PLAIN_TEXT_NOTE))
    assert bodies["nested"].startswith(bounds.PLAIN_TEXT_NOTE)
    assert bodies["nested"].count("harbour wall") == 8
    assert bodies["control"].count("harbour wall") == 8  # (was 0: the page was discarded)
    assert "\x1b" not in bodies["control"] and "\x07" not in bodies["control"]


def stored_bodies(database: Path) -> dict[str, str]:
    """Each feed's one story's body, by feed name, as the reader shows it."""
    library = Library(Store(database), offline=True)
    try:
        bodies = {}
        for feed in library.store.subscriptions.feeds():
            (article_id,) = library.reading.article_ids(feed_id=feed.id)
            name = feed.url.rsplit("/", 1)[-1].removesuffix(".xml")
            bodies[name] = library.reading.article(article_id).body
        return bodies
    finally:
        library.close()
