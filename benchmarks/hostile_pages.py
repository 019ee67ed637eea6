"""Hostile article pages and stories: the work one of them may cost (issue 20).

Part 1, one document at a time: each kind below is served from 127.0.0.1 by the tests'
HTTP server (tests/testserver.py) and read in a fresh process through the library, as
the reader does: a page by `Pages.extract_page` (fetch, extraction, store), feed HTML by
`Reading.open_article` (conversion, store). That process first reads an ordinary page
and story: its peak RSS then is the reader's usual peak. Printed per kind: the CPU
seconds of the process for the hostile document, its peak RSS and how far above the usual
peak, how the body begins, and its length. Target: <= 2 s of CPU, <= 200 MB above.

Part 2, a refresh: `readerterm refresh` (a real process: feeds, then the pages of
summary-only stories) over summary-only feeds whose pages are hostile, beside ordinary
feeds. Printed: its wall time, its peak RSS, and whether every ordinary feed's stories
were stored. Target: it finishes, and the ordinary feeds are stored.

Run:  uv run python benchmarks/hostile_pages.py [--only KIND ...] [--no-refresh]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from testserver import LocalServer

HTML = "text/html; charset=utf-8"
PROSE = (
    "The council met on Tuesday to settle a dispute that has run for most of the year, and"
    " members agreed a compromise late in the evening after a long debate."
)


def ordinary_page(topic: str = "harbour") -> str:
    story = "".join(f"<p>Part {n} of the {topic} story. {PROSE}</p>" for n in range(12))
    return (
        f"<html><head><title>The {topic}</title></head><body><nav>Home World Sport</nav>"
        f"<article><h1>The {topic}</h1>{story}</article><footer>Contact us</footer></body></html>"
    )


def wrapped(body: str) -> str:
    return f"<html><head><title>Hostile</title></head><body><article>{body}</article></body></html>"


def dots() -> str:
    return wrapped("<p>" + "A. " * 2_933_333 + "</p>")


def paragraphs(count: int) -> str:
    return "".join(f"<p>Word {n}.</p>" for n in range(count))


def nested(depth: int) -> str:
    return "<div>" * depth + PROSE + "</div>" * depth


def unclosed() -> str:
    return wrapped(f"<p>{PROSE}</p>" + "<a " * 3_000_000)


def scripts() -> str:
    script = "<script>var s = [" + "1," * 4_500_000 + "0];</script>"
    return ordinary_page().replace("<nav>", script + "<nav>")


def controls() -> str:
    return ordinary_page().replace("Part 3 of", "Part &#x1b;[31m 3 &#7;of")


# Each kind: (what it is, "page" or "feed" HTML, a function making its HTML).
KINDS: dict[str, tuple[str, str, Callable[[], str]]] = {
    "dots": ('8.8 MB of "A. A. A." in one paragraph', "page", dots),
    "paragraphs": ("300,000 short paragraphs (5 MB)", "page", lambda: wrapped(paragraphs(300_000))),
    "nested": ("10,000 nested <div>s (110 KB)", "page", lambda: wrapped(nested(10_000))),
    "unclosed": ('3,000,000 unclosed "<a " (9 MB)', "page", unclosed),
    "scripts": ("9 MB of script around a story", "page", scripts),
    "controls": ("a story with &#x1b; and &#7;", "page", controls),
    "feed-nested": ("feed HTML: 10,000 nested <div>s (110 KB)", "feed", lambda: nested(10_000)),
    "feed-nested-20k": ("feed HTML: 20,000 nested <div>s", "feed", lambda: nested(20_000)),
    "feed-paragraphs": (
        "feed HTML: 100,000 paragraphs (1.7 MB)",
        "feed",
        lambda: paragraphs(100_000),
    ),
    "feed-dots": (
        'feed HTML: 3 MB of "A. A. A."',
        "feed",
        lambda: "<p>" + "A. " * 1_000_000 + "</p>",
    ),
}


def teaser_feed(title: str, links: list[tuple[str, str]]) -> str:
    """A summary-only RSS feed: each (guid, link) item is a teaser, so its page is fetched."""
    items = "".join(
        f"<item><guid>{guid}</guid><title>{title} {guid}</title><link>{link}</link>"
        "<description>A short teaser. Read more</description></item>"
        for guid, link in links
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://example.org/</link>{items}</channel></rss>"
    )


def story_feed(title: str, stories: list[tuple[str, str]]) -> str:
    """An RSS feed carrying each (guid, html) story whole in content:encoded."""
    items = "".join(
        f"<item><guid>{guid}</guid><title>{title} {guid}</title><link>http://example.org/{guid}</link>"
        f"<content:encoded>{escape(html)}</content:encoded></item>"
        for guid, html in stories
    )
    return (
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/'
        f'content/"><channel><title>{title}</title><link>http://example.org/</link>{items}'
        "</channel></rss>"
    )


# --- part 1: one document, in a process of its own -------------------------------------------


def usage() -> tuple[float, float]:
    """(CPU seconds, peak RSS in MB) of this process so far."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime, used.ru_maxrss / 1024


async def one_document(kind: str, port: int) -> dict[str, object]:
    """Read an ordinary page and story, then the hostile one; what each cost."""
    from readerterm.library import Library
    from readerterm.store import Store

    mode = KINDS[kind][1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as work:
        library = Library(
            Store(Path(work) / "readerterm.db"), clock=lambda: datetime.now().astimezone()
        )
        try:
            feed = library.subscriptions.subscribe(f"{base}/feed.xml")
            if mode == "page":
                document = teaser_feed(
                    "Pages", [("usual", f"{base}/usual.html"), ("hostile", f"{base}/{kind}.html")]
                )
            else:
                document = story_feed(
                    "Stories", [("usual", ordinary_page()), ("hostile", KINDS[kind][2]())]
                )
            library.refresher.ingest_document(feed.id, document.encode())
            ids = {
                library.reading.stored_article(i).title.split()[-1]: i
                for i in library.reading.article_ids()
            }

            async def read(article_id: int) -> str:
                if mode == "page":
                    result = await library.pages.extract_page(article_id)
                    if result.error:
                        return f"failed: {result.error}"
                return (await library.reading.open_article(article_id)).body

            await read(ids["usual"])
            cpu_before, usual_peak = usage()
            started = time.monotonic()
            body = await read(ids["hostile"])
            wall = time.monotonic() - started
            cpu_after, peak = usage()
        finally:
            await library.aclose()
            library.close()
    return {
        "kind": kind,
        "cpu": round(cpu_after - cpu_before, 2),
        "wall": round(wall, 2),
        "usual_peak_mb": round(usual_peak),
        "peak_mb": round(peak),
        "above_mb": round(peak - usual_peak),
        "opens_with": body[:60].replace("\n", " "),
        "chars": len(body),
    }


def measure_documents(server: LocalServer, kinds: list[str]) -> bool:
    server.route("/usual.html", ordinary_page(), content_type=HTML)
    for kind in kinds:
        if KINDS[kind][1] == "page":
            server.route(f"/{kind}.html", KINDS[kind][2](), content_type=HTML)
    print(
        f"{'kind':16} {'CPU s':>6} {'wall s':>6} {'usual MB':>8} {'peak MB':>7} {'above':>6}  body"
    )
    ok = True
    for kind in kinds:
        child = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--port", str(server.port)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if child.returncode != 0:
            print(f"{kind:16} failed: {child.stderr.strip().splitlines()[-1:]}")
            ok = False
            continue
        row = json.loads(child.stdout.strip().splitlines()[-1])
        ok = ok and float(row["cpu"]) <= 2.0 and float(row["above_mb"]) <= 200
        print(
            f"{kind:16} {row['cpu']:6} {row['wall']:6} {row['usual_peak_mb']:8} "
            f"{row['peak_mb']:7} {row['above_mb']:6}  {row['chars']} chars: {row['opens_with']!r}"
        )
        print(f"{'':16} ({KINDS[kind][0]})")
    return ok


# --- part 2: a refresh over hostile feeds -------------------------------------------------


def measure_refresh(server: LocalServer, good_count: int) -> bool:
    """The refresh with ordinary feeds only (the reader's usual peak), then with the
    hostile feeds beside them."""
    hostile = ["dots", "dots", "dots", "dots", "paragraphs", "nested", "unclosed"]
    print(f"\nrefresh: {2 * good_count} ordinary feeds ({good_count} summary-only, their pages")
    print(f"fetched), then the same with {len(hostile)} summary-only feeds linking to hostile")
    print(f"pages ({', '.join(hostile)})")
    print(f"{'':10} {'exit':>4} {'wall s':>7} {'peak MB':>8} {'ordinary stored':>16} {'pages':>6}")
    print(f"{'':10} {'':>4} {'':>7} {'':>8} {'feeds':>8} {'pages':>7} {'noted':>6}")
    usual = run_refresh(server, [], good_count)
    print_refresh("ordinary", usual, good_count)
    hostile_run = run_refresh(server, hostile, good_count)
    print_refresh("+ hostile", hostile_run, good_count)
    above = hostile_run["peak"] - usual["peak"]
    print(f"peak above the usual refresh's: {above:.0f} MB")
    return (
        hostile_run["exit"] == 0
        and hostile_run["feeds"] == 2 * good_count
        and hostile_run["pages"] == good_count
    )


def print_refresh(label: str, run: dict[str, float], good_count: int) -> None:
    print(
        f"{label:10} {run['exit']:4.0f} {run['wall']:7.1f} {run['peak']:8.0f}"
        f" {run['feeds']:4.0f}/{2 * good_count:<3} {run['pages']:3.0f}/{good_count:<3}"
        f" {run['noted']:6.0f}"
    )


def serve_feeds(server: LocalServer, hostile: list[str], good_count: int) -> list[str]:
    base = f"http://127.0.0.1:{server.port}"
    urls = []
    for number, kind in enumerate(hostile):
        server.route(f"/h{number}.html", KINDS[kind][2](), content_type=HTML)
        page = [("a", f"{base}/h{number}.html")]
        server.route(f"/hostile{number}.xml", teaser_feed(f"Hostile {number}", page))
        urls.append(f"{base}/hostile{number}.xml")
    for number in range(good_count):
        server.route(f"/p{number}.html", ordinary_page(f"town {number}"), content_type=HTML)
        stories = [(f"s{k}", ordinary_page(f"river {number}-{k}")) for k in range(5)]
        server.route(f"/good{number}.xml", story_feed(f"Good {number}", stories))
        page = [("t", f"{base}/p{number}.html")]
        server.route(f"/teaser{number}.xml", teaser_feed(f"Teaser {number}", page))
        urls += [f"{base}/good{number}.xml", f"{base}/teaser{number}.xml"]
    return urls


def run_refresh(server: LocalServer, hostile: list[str], good_count: int) -> dict[str, float]:
    """`readerterm refresh` in a fresh cache: its exit status, wall time and peak RSS, the
    ordinary feeds with stories stored, their pages stored, and the stories with a note."""
    urls = serve_feeds(server, hostile, good_count)
    opml = "".join(f'<outline type="rss" text="{n}" xmlUrl="{u}"/>' for n, u in enumerate(urls))
    with tempfile.TemporaryDirectory() as work:
        environment = dict(os.environ)
        for name in ("CONFIG", "DATA", "CACHE"):
            environment[f"READERTERM_{name}_DIR"] = str(Path(work) / name.lower())
        environment.pop("READERTERM_OFFLINE", None)
        listing = Path(work) / "feeds.opml"
        listing.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{opml}</body></opml>')
        command = [sys.executable, "-m", "readerterm"]
        subprocess.run([*command, "import", str(listing)], env=environment, check=True)
        started = time.monotonic()
        with (Path(work) / "refresh.out").open("w") as sink:
            process = subprocess.Popen(
                [*command, "refresh"], env=environment, stdout=sink, stderr=sink
            )
            # wait4: the reader's own peak RSS (its worker processes have their own).
            _, status, used = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        return {
            "exit": process.returncode,
            "wall": wall,
            "peak": used.ru_maxrss / 1024,
            **stored(Path(work) / "data" / "readerterm.db"),
        }


def stored(database: Path) -> dict[str, float]:
    from readerterm.library import Library
    from readerterm.store import Store

    library = Library(Store(database), offline=True)
    try:
        feeds = pages = noted = 0
        for feed in library.store.subscriptions.feeds():
            ids = library.reading.article_ids(feed_id=feed.id)
            bodies = [library.reading.article(i).body for i in ids]
            if "/hostile" in feed.url:
                noted += sum(body.startswith("*(") for body in bodies)
                continue
            feeds += bool(ids)
            if "/teaser" in feed.url:
                pages += sum("Part 11 of the town" in body for body in bodies)
        return {"feeds": feeds, "pages": pages, "noted": noted}
    finally:
        library.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(KINDS), help="these kinds only")
    parser.add_argument("--no-refresh", action="store_true", help="skip part 2")
    parser.add_argument("--good", type=int, default=20, help="ordinary feeds of each sort")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(one_document(args.child, args.port))))
        return 0
    with LocalServer() as server:
        ok = measure_documents(server, args.only or list(KINDS))
        if not args.no_refresh:
            ok = measure_refresh(server, args.good) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
