"""A feed server for benchmarks: many loopback addresses, added latency, conditional GET.

Feed n is served at http://127.0.0.H:PORT/feeds/n.xml, where H = 1 + n // per_host, so
a client's per-host connection limit acts as it does against real sites. Every response
(200 and 304 alike) waits `latency` seconds first. Each feed has a fixed ETag and
Last-Modified; a request whose If-None-Match or If-Modified-Since matches gets 304.
Bodies go out gzipped to clients that accept gzip (as most sites do).

Run it as a program: it prints "READY <port>" once every address listens, then serves
until stdin closes. GET /_stats (any address) returns the counts of responses by status
as JSON and resets them; it is neither delayed nor counted.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

try:
    from feedgen import FeedDocument, generate
except ImportError:  # imported as benchmarks.perfserver
    from .feedgen import FeedDocument, generate

LAST_MODIFIED = "Sun, 01 Jun 2025 12:00:00 GMT"


@dataclass(frozen=True, slots=True)
class _Served:
    document: FeedDocument
    gzipped: bytes
    etag: str


def host_of(number: int, per_host: int) -> str:
    return f"127.0.0.{1 + number // per_host}"


def feed_urls(count: int, port: int, per_host: int) -> list[str]:
    return [f"http://{host_of(n, per_host)}:{port}/feeds/{n}.xml" for n in range(count)]


def start_server_for(options: Any) -> tuple[subprocess.Popen[str], int]:
    """`start_server` with a benchmark's parsed options (feeds, items, atom, per_host,
    latency)."""
    return start_server(
        feeds=options.feeds,
        items=options.items,
        atom=options.atom,
        per_host=options.per_host,
        latency=options.latency,
    )


def start_server(
    *, feeds: int, items: int, atom: int, per_host: int, latency: float
) -> tuple[subprocess.Popen[str], int]:
    """This file run as a program in its own process; returns it and its port once every
    address listens. Closing its stdin stops it."""
    command = [
        sys.executable, __file__, "--feeds", str(feeds), "--items", str(items),
        "--atom", str(atom), "--per-host", str(per_host), "--latency", str(latency),
    ]  # fmt: skip
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    line = server.stdout.readline().split()
    if len(line) != 2 or line[0] != "READY":
        server.kill()
        raise RuntimeError("the feed server did not start")
    return server, int(line[1])


class FeedServer:
    def __init__(self, documents: Sequence[FeedDocument], latency: float) -> None:
        self.latency = latency
        self.feeds = {
            d.number: _Served(
                d, gzip.compress(d.body, 6), '"' + hashlib.sha1(d.body).hexdigest()[:16] + '"'
            )
            for d in documents
        }
        self.stats: Counter[str] = Counter()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path = lines[0].split(" ")[:2]
                headers = {}
                for line in lines[1:]:
                    name, _, value = line.partition(":")
                    if name:
                        headers[name.strip().lower()] = value.strip()
                if path == "/_stats":
                    body = json.dumps(dict(self.stats)).encode()
                    self.stats.clear()
                    writer.write(self._head(200, "application/json", len(body)) + body)
                    await writer.drain()
                    continue
                await asyncio.sleep(self.latency)
                writer.write(self._respond(method, path, headers))
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, OSError):
            return
        finally:
            writer.close()

    def _respond(self, method: str, path: str, headers: dict[str, str]) -> bytes:
        served = None
        if path.startswith("/feeds/") and path.endswith(".xml"):
            number = path[len("/feeds/") : -len(".xml")]
            served = self.feeds.get(int(number)) if number.isdigit() else None
        if method not in ("GET", "HEAD") or served is None:
            self.stats["404"] += 1
            return self._head(404, "text/plain", 9) + b"not found"
        etag_match = headers.get("if-none-match") == served.etag
        date_match = headers.get("if-modified-since") == LAST_MODIFIED
        if etag_match or (date_match and "if-none-match" not in headers):
            self.stats["304"] += 1
            return self._head(304, None, None, served.etag)
        self.stats["200"] += 1
        use_gzip = "gzip" in headers.get("accept-encoding", "")
        body = served.gzipped if use_gzip else served.document.body
        head = self._head(
            200, served.document.content_type, len(body), served.etag, gzipped=use_gzip
        )
        return head if method == "HEAD" else head + body

    @staticmethod
    def _head(
        status: int,
        content_type: str | None,
        length: int | None,
        etag: str | None = None,
        *,
        gzipped: bool = False,
    ) -> bytes:
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
        lines = [f"HTTP/1.1 {status} {reason}", "Connection: keep-alive"]
        if content_type:
            lines.append(f"Content-Type: {content_type}; charset=utf-8")
        if length is not None:
            lines.append(f"Content-Length: {length}")
        if gzipped:
            lines.append("Content-Encoding: gzip")
            lines.append("Vary: Accept-Encoding")
        if etag:
            lines.append(f"ETag: {etag}")
            lines.append(f"Last-Modified: {LAST_MODIFIED}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _free_port(hosts: Sequence[str]) -> int:
    """A port free on every one of the hosts."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind((hosts[0], 0))
            port = int(probe.getsockname()[1])
        sockets = []
        try:
            for host in hosts:
                s = socket.socket()
                sockets.append(s)
                s.bind((host, port))
            return port
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise OSError("no port is free on every loopback address")


async def serve(documents: Sequence[FeedDocument], per_host: int, latency: float) -> None:
    server = FeedServer(documents, latency)
    hosts = sorted({host_of(d.number, per_host) for d in documents} | {"127.0.0.1"})
    port = _free_port(hosts)
    servers = [
        await asyncio.start_server(server.handle, host, port, backlog=256, reuse_address=True)
        for host in hosts
    ]
    print(f"READY {port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the parent closes our stdin
    for s in servers:
        s.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--atom", type=int, default=10, help="how many feeds are Atom")
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    args = parser.parse_args(argv)
    documents = generate(args.feeds, args.items, atom_feeds=args.atom)
    asyncio.run(serve(documents, args.per_host, args.latency))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
