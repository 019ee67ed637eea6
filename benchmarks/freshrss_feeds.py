"""Generated feeds served from 127.0.0.1 and a real FreshRSS subscribed to all of them,
set up before anything is timed: the world benchmarks/sync.py and
`benchmarks/responsiveness.py --sync` measure against (see sync.py's docstring)."""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from feedgen import generate  # noqa: E402
from freshrss import FreshRSS  # noqa: E402
from testserver import LocalServer  # noqa: E402


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class FreshRSSWithFeeds:
    """Generated feeds served from this process, and a FreshRSS subscribed to all of them
    that holds every item. A context manager; `start` and `stop` otherwise."""

    def __init__(self, feeds: int, items: int, atom: int | None = None) -> None:
        self.feeds = feeds
        self.items = items
        self.atom = max(1, feeds // 30) if atom is None else atom
        self.feed_server = LocalServer()
        self.freshrss: FreshRSS | None = None
        self.feed_urls: list[str] = []

    def __enter__(self) -> FreshRSSWithFeeds:
        return self if self.freshrss is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def server(self) -> FreshRSS:
        assert self.freshrss is not None, "not started"
        return self.freshrss

    def start(self) -> FreshRSSWithFeeds:
        """Serve the feeds, start FreshRSS and subscribe it; FreshRSSUnavailable without
        PHP or the FreshRSS tree."""
        started = time.perf_counter()
        documents = generate(self.feeds, self.items, atom_feeds=self.atom, now=datetime.now(UTC))
        self.feed_server.start()
        try:
            for document in documents:
                path = f"/feeds/{document.number}.xml"
                self.feed_server.route(path, document.body, content_type=document.content_type)
                self.feed_urls.append(self.feed_server.url(path))
            self.freshrss = FreshRSS.start()
            say(f"FreshRSS at {self.freshrss.base_url}; importing {self.feeds} feeds ...")
            self._greader("reader/api/0/subscription/import", self._opml().encode())
            held, expected = self.item_count(), self.feeds * self.items
            for _ in range(3):
                if held >= expected:
                    break
                say(f"FreshRSS holds {held} of {expected} items; refreshing ...")
                say(self.server.refresh())
                held = self.item_count()
            if held < expected:
                raise RuntimeError(f"FreshRSS holds {held} items of {expected}")
        except BaseException:
            self.stop()
            raise
        say(f"FreshRSS holds {held} items ({time.perf_counter() - started:.0f} s to set up)")
        return self

    def stop(self) -> None:
        if self.freshrss is not None:
            self.freshrss.stop()
            self.freshrss = None
        self.feed_server.stop()

    def sync_table(self, service: str) -> str:
        """config.toml's `[sync]` table for this server (the password goes in the
        environment: `password`)."""
        url = self.server.greader_url if service == "greader" else self.server.fever_url
        return f'[sync]\nservice = "{service}"\nurl = "{url}"\nusername = "{self.server.user}"\n'

    @property
    def password(self) -> str:
        return self.server.api_password

    def item_count(self) -> int:
        query = "s=user/-/state/com.google/reading-list&n=1000000&output=json"
        reply = self._greader(f"reader/api/0/stream/items/ids?{query}")
        return len(json.loads(reply)["itemRefs"])

    def cpu_seconds(self) -> float:
        """User + system time of the server's processes (its process group) so far."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parts = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if parts[2] == str(self.server.pid):
                total += int(parts[11]) + int(parts[12])
        return total / os.sysconf("SC_CLK_TCK")

    def requests_logged(self) -> int:
        """Requests PHP's server has logged so far."""
        return self.server.log().count("]: ")

    def _opml(self) -> str:
        outlines = "".join(
            f'<outline type="rss" text="Feed {n}" xmlUrl={quoteattr(url)}/>'
            for n, url in enumerate(self.feed_urls)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>bench'
            f'</title></head><body><outline text="Bench">{outlines}</outline></body></opml>'
        )

    def _greader(self, path: str, body: bytes | None = None) -> str:
        """One Google Reader API call (logged in each time: only setup uses this)."""
        base = self.server.greader_url
        form = urllib.parse.urlencode({"Email": self.server.user, "Passwd": self.password})
        with urllib.request.urlopen(f"{base}/accounts/ClientLogin", form.encode(), 30) as reply:
            lines = reply.read().decode().splitlines()
        auth = next(line[5:] for line in lines if line.startswith("Auth="))
        request = urllib.request.Request(
            f"{base}/{path}", body, {"Authorization": f"GoogleLogin auth={auth}"}
        )
        with urllib.request.urlopen(request, timeout=1800) as reply:
            return str(reply.read().decode())
