"""One connection of readerterm's HTTP/1.1 transport (http1.py), and the pool of one
host's connections: what arrives on the socket waits in `Connection` until the request's
task reads it through h11."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any

import h11
import httpx

READ_AHEAD = 256 * 1024
"""A connection stops reading from its socket while this much waits to be parsed."""
KEEPALIVE_SECONDS = 5.0
"""An idle connection older than this is closed rather than used again (as httpcore's)."""
_DRAIN_UNREAD = 64 * 1024
"""An answer closed unread (a 304, a redirect) keeps its connection if no more than this
of it is left, already arrived."""

NO_ANSWER = "the server closed the connection without answering"


class Connection(asyncio.Protocol):
    """One TCP (or TLS) connection: what arrives waits here for the request's task."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.parser = h11.Connection(h11.CLIENT)
        self._transport: asyncio.Transport | None = None
        self._received: deque[bytes] = deque()
        self._buffered = 0
        self._paused = False
        self._eof = False
        self._lost: Exception | None = None
        self._waiter: asyncio.Future[None] | None = None
        self.answered = False
        """Something arrived since the request was sent."""
        self.idle_since = 0.0

    # -- asyncio.Protocol: called by the event loop ----------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self.answered = True
        self._received.append(data)
        self._buffered += len(data)
        if self._buffered > READ_AHEAD and not self._paused and self._transport is not None:
            self._paused = True
            self._transport.pause_reading()
        self._wake()

    def eof_received(self) -> bool | None:
        self._eof = True
        self._wake()
        return None  # (close our side too)

    def connection_lost(self, exc: Exception | None) -> None:
        self._eof = True
        self._lost = exc
        self._transport = None
        self._wake()

    def _wake(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    # -- for the request's task -------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self._transport is None or self._transport.is_closing()

    def usable_again(self, now: float) -> bool:
        """Whether this idle connection may carry another request: still open, not kept
        too long, and the server said nothing meanwhile (nor hung up)."""
        return (
            not self.closed
            and not self._received
            and not self._eof
            and now - self.idle_since <= KEEPALIVE_SECONDS
        )

    def send(self, data: bytes) -> None:
        if self._transport is None or self._transport.is_closing():
            raise httpx.WriteError("the connection was closed")
        self.answered = False
        self._transport.write(data)

    async def next_event(self, timeout: float | None) -> Any:
        """The next h11 event of the answer, waiting at most `timeout` for each piece."""
        while True:
            try:
                event = self.parser.next_event()
                if event is not h11.NEED_DATA:
                    return event
                data = await self._receive(timeout)
                if not data and self.parser.their_state is h11.SEND_RESPONSE:
                    raise httpx.RemoteProtocolError(NO_ANSWER)
                self.parser.receive_data(data)
            except h11.RemoteProtocolError as error:
                raise httpx.RemoteProtocolError(str(error)) from error

    def finish_from_buffer(self) -> bool:
        """Read the rest of the answer from what already arrived, without waiting: True
        if it ends there, so that the connection can carry another request."""
        drained = 0
        try:
            while drained <= _DRAIN_UNREAD:
                event = self.parser.next_event()
                if isinstance(event, h11.EndOfMessage):
                    return True
                if isinstance(event, h11.Data):
                    drained += len(event.data)
                elif event is h11.NEED_DATA and self._received:
                    self.parser.receive_data(self._take_received())
                else:
                    return False
        except h11.RemoteProtocolError:
            return False
        return False

    async def _receive(self, timeout: float | None) -> bytes:
        """What arrived since the last call (b"" once the server has closed)."""
        while not self._received:
            if self._eof:
                if self._lost is not None:
                    reason = str(self._lost) or type(self._lost).__name__
                    raise httpx.ReadError(reason) from self._lost
                return b""
            waiter = self._waiter = self._loop.create_future()
            timer = None if timeout is None else self._loop.call_later(timeout, _expire, waiter)
            try:
                await waiter
            finally:
                if timer is not None:
                    timer.cancel()
        return self._take_received()

    def _take_received(self) -> bytes:
        data = b"".join(self._received) if len(self._received) > 1 else self._received[0]
        self._received.clear()
        self._buffered = 0
        if self._paused and self._transport is not None:
            self._paused = False
            self._transport.resume_reading()
        return data

    def close(self) -> None:
        """Close at once: a TLS connection's close() would wait (up to 30 s) for the
        server to acknowledge, holding the socket, and nothing is left to send."""
        if self._transport is not None:
            self._transport.abort()
            self._transport = None


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(httpx.ReadTimeout("timed out waiting for the server"))


class HostPool:
    """The connections to one host: at most `limit` carry requests at once; idle ones
    wait to be used again."""

    __slots__ = ("idle", "retired", "slots", "users")

    def __init__(self, limit: int) -> None:
        self.slots = asyncio.Semaphore(limit)
        self.idle: list[Connection] = []
        self.users = 0
        """Requests holding or waiting for a slot."""
        self.retired = False
        """The transport was closed: connections given back are closed, not kept."""

    def take_idle(self) -> Connection | None:
        now = time.monotonic()
        while self.idle:
            connection = self.idle.pop()
            if connection.usable_again(now):
                return connection
            connection.close()
        return None

    def retire(self) -> None:
        self.retired = True
        for connection in self.idle:
            connection.close()
        self.idle.clear()
