"""Issue 20: a host that accepts connections and never answers cannot hold a refresh.

The silent host is a listening socket on 127.0.0.2 that never reads or writes; the
healthy feeds come from the project's test server. After the silent host has let two
requests time out, its other feeds fail at once ("not answering") for that refresh.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerterm.library import Library
from readerterm.models import RefreshStatus
from readerterm.net.fetch import Fetcher
from readerterm.store import Store
from testserver import LocalServer

SILENT_FEEDS = 40
READ_TIMEOUT = 1.0


@pytest.fixture
def silent_host() -> Iterator[str]:
    """host:port of a server (127.0.0.2) that accepts every connection and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.2", 0))  # another host than the test server's 127.0.0.1
    listener.listen(4096)  # the kernel completes each handshake; nothing is ever read
    try:
        yield f"127.0.0.2:{listener.getsockname()[1]}"
    finally:
        listener.close()


def rss(title: str) -> str:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><guid>{title}-1</guid><title>{title} story</title></item></channel></rss>"
    )


async def test_a_silent_host_is_skipped_after_two_timeouts_and_the_rest_is_stored(
    silent_host: str, http_server: LocalServer, tmp_path: Path
) -> None:
    fetcher = Fetcher(connect_timeout=READ_TIMEOUT, read_timeout=READ_TIMEOUT, deadline=5.0)
    library = Library(Store(tmp_path / "rt.db"), fetcher=fetcher)
    try:
        for n in range(SILENT_FEEDS):
            library.subscriptions.subscribe(f"http://{silent_host}/feed{n}.xml")
        for n in range(5):
            http_server.route(f"/good{n}.xml", rss(f"Good {n}"))
            library.subscriptions.subscribe(http_server.url(f"/good{n}.xml"))
        for _ in range(2):  # each refresh gives the host another chance, once
            started = time.monotonic()
            results = [result async for result in library.refresher.refresh()]
            elapsed = time.monotonic() - started
            silent = [r for r in results if silent_host in r.feed_url]
            good = [r for r in results if silent_host not in r.feed_url]
            assert len(good) == 5
            assert all(
                r.status in (RefreshStatus.UPDATED, RefreshStatus.NOT_MODIFIED) for r in good
            )
            assert all(r.status is RefreshStatus.FAILED for r in silent)
            timed_out = [r for r in silent if "not answering" not in (r.error or "")]
            skipped = [r for r in silent if "not answering" in (r.error or "")]
            # Four ask the host at once; when the first times out, its slot may go to one
            # more before the second timeout stops the host being asked (on a loaded
            # machine the four time out some milliseconds apart: 5 timed out in one CI run).
            asked = 4 + 1
            assert len(timed_out) <= asked and len(skipped) >= SILENT_FEEDS - asked
            # 40 feeds 4 at a time would take 10 timeouts in a row; one round is enough.
            assert elapsed < 4 * READ_TIMEOUT, elapsed
        assert sum(feed.total for feed in library.subscriptions.feeds()) == 5
    finally:
        await library.aclose()
        library.close()
