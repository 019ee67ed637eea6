"""A host that accepts connections and never answers, beside healthy feeds (issue 20).

5,000 feeds on a silent host (a listening socket on 127.0.0.2 that never reads or
writes) and 50 healthy feeds from the test server on 127.0.0.1, refreshed once with the
fetcher's default timeouts (connect 10 s, read 20 s, 4 requests per host). Prints the
refresh's wall time, how many silent feeds timed out and how many were skipped as "not
answering", and whether every healthy feed was stored. Target: <= 60 s, healthy stored.

Run:  uv run python benchmarks/unanswering.py [--silent N] [--good N]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.store import NewFeed, Store
from testserver import LocalServer


def rss(title: str) -> str:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><guid>{title}-1</guid><title>{title} story</title></item></channel></rss>"
    )


async def run(silent_count: int, good_count: int) -> int:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.2", 0))
    listener.listen(8192)
    silent = f"127.0.0.2:{listener.getsockname()[1]}"
    server = LocalServer().start()
    with tempfile.TemporaryDirectory() as work:
        library = Library(Store(Path(work) / "readerterm.db"))
        try:
            urls = [f"http://{silent}/feed{n}.xml" for n in range(silent_count)]
            for n in range(good_count):
                server.route(f"/good{n}.xml", rss(f"Good {n}"))
                urls.append(server.url(f"/good{n}.xml"))
            now = datetime.now().astimezone()
            library.store.subscriptions.add_feeds([NewFeed(u, None, ()) for u in urls], now=now)
            started = time.monotonic()
            results = [result async for result in library.refresher.refresh()]
            elapsed = time.monotonic() - started
        finally:
            await library.aclose()
            library.close()
            server.stop()
            listener.close()
    bad = [r for r in results if silent in r.feed_url]
    good = [r for r in results if silent not in r.feed_url]
    skipped = sum("not answering" in (r.error or "") for r in bad)
    stored = sum(r.status is RefreshStatus.UPDATED for r in good)
    print(f"{silent_count} feeds on a silent host + {good_count} healthy feeds")
    print(f"refresh wall time   {elapsed:6.1f} s   (target <= 60 s)")
    print(f"silent: timed out   {len(bad) - skipped:6d}")
    print(f"silent: skipped     {skipped:6d}   ('not answering')")
    print(f"healthy stored      {stored:6d} of {good_count}")
    return 0 if elapsed <= 60 and stored == good_count else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--silent", type=int, default=5000)
    parser.add_argument("--good", type=int, default=50)
    args = parser.parse_args()
    return asyncio.run(run(args.silent, args.good))


if __name__ == "__main__":
    sys.exit(main())
