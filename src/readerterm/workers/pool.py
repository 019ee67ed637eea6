"""Run pure, CPU-heavy functions (feed parsing, HTML extraction) off the event loop.

Replaces concurrent.futures.ProcessPoolExecutor. Measured: 300 jobs of 300 KB in, 1 MB out,
0.37 s against 0.62 s wall and 0.28 against 0.41 s of the reader's CPU; the refresh
benchmark (`uv run python benchmarks/refresh.py`) shows it in the cold figure.

feedparser and BeautifulSoup hold the GIL: in a thread they still slow the UI's event loop,
so a refresh of many feeds uses worker processes. Small jobs use a thread, because starting
a worker process (and importing the parsers there) costs more than it saves.

Each worker process has a pipe of its own, which the event loop watches: a job goes down
the pipe of an idle worker, and its answer is read when the pipe becomes readable. That is
all a refresh needs of a process pool; concurrent.futures' pool adds two threads that pass
every job and answer along, and wake each other and the loop for each (measured: 0.19 s
of the reader's CPU for 300 jobs, against 0.10 s this way).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import pickle
import socket
import struct
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from multiprocessing import resource_tracker
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from .process import serve

T = TypeVar("T")


class WorkerDied(Exception):
    """A worker process ended while it had a job (killed, out of memory, a crash)."""


class _NotSent(Exception):
    """The worker was gone before the job reached it (the job is not to blame)."""


_MOST_TRIES = 5
"""Tries of a job in workers, of which two may end in the worker's death."""


@contextlib.contextmanager
def _main_module_hidden() -> Iterator[None]:
    """While worker processes start, multiprocessing does not see the main module.

    A spawned process first imports the parent's main module (found by its __spec__ or
    __file__), in case a job calls a function defined there. readerterm's jobs never do,
    and for the `readerterm` command that import loads the library, asyncio and httpx
    into every worker: ~0.03 s of CPU and 80 modules each, before its first feed.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    names: tuple[str, ...] = ("__spec__", "__file__")
    saved = {name: vars(main)[name] for name in names if name in vars(main)}
    main.__spec__ = None
    vars(main).pop("__file__", None)
    try:
        yield
    finally:
        vars(main).update(saved)


def default_process_count() -> int:
    """Two workers where there are two cores or more (measured: a 300-feed refresh took
    5.9 s with two on two cores, 8.9 s with one); none on one core."""
    cores = os.cpu_count() or 1
    return min(2, cores) if cores > 1 else 0


class _Worker:
    """One worker process, the parent's end of its pipe, and the job it is doing.

    Where the event loop can watch the pipe (not on Windows) the parent's end is a
    non-blocking socket, `channel`: the loop sends each job and reads each answer a
    piece at a time as the pipe allows, so a worker that is slow to write (it runs at a
    lower priority) never holds the loop up. Elsewhere a thread reads `connection`.
    """

    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.channel: socket.socket | None = None
        self.incoming = _Incoming()
        """The answer being read from `channel`."""
        self.job: asyncio.Future[Any] | None = None
        self.alive = True


class CpuPool:
    def __init__(self, processes: int | None = None) -> None:
        self.processes = default_process_count() if processes is None else processes
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker | None] | None = None
        """Idle workers; None wakes a task waiting for one when the pool closes."""
        self._waiting = 0
        """Tasks waiting for an idle worker."""
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, *modules: str) -> None:
        """Start the worker processes now and have each import `modules`, so the first
        real job does not wait ~0.3 s for a process to start and load the parsers (the
        caller goes on meanwhile: fetching, say). Does nothing without worker processes."""
        if self.processes > 0:
            self._ensure_workers(modules)

    async def run(self, function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Call function(*args, **kwargs) in a worker process (or a thread without one).

        A job whose worker dies (killed, out of memory, a crash in a parser) goes to a new
        worker once. Should that one die too, the job is taken to be what kills them, and
        it fails with WorkerDied: done in this process instead, it could take it down."""
        call = partial(function, *args, **kwargs)
        if self.processes <= 0:
            return await asyncio.to_thread(call)
        message = pickle.dumps((function, args, kwargs), pickle.HIGHEST_PROTOCOL)
        deaths = 0
        for _ in range(_MOST_TRIES):
            try:
                return await self._run_in_worker(message, call)
            except _NotSent:
                continue  # (that worker was gone before the job reached it)
            except WorkerDied:
                if self._idle is None:  # the pool closed under the job: do it here
                    return await asyncio.to_thread(call)
                deaths += 1
                if deaths == 2:
                    raise WorkerDied("two worker processes in turn died doing this job") from None
        # Workers that keep vanishing before their jobs reach them: the pool, not this
        # job, is what fails.
        return await asyncio.to_thread(call)

    async def _run_in_worker(self, message: bytes, call: Callable[[], T]) -> T:
        worker = await self._idle_worker()
        if worker is None:  # the pool closed meanwhile: do it here
            return await asyncio.to_thread(call)
        loop = asyncio.get_running_loop()
        job: asyncio.Future[T] = loop.create_future()
        try:
            if worker.channel is not None:
                await loop.sock_sendall(worker.channel, _framed(message))
            else:
                worker.connection.send_bytes(message)
        except BaseException as error:  # the worker is gone (or half a job went down)
            self._lost(worker)
            if not isinstance(error, Exception):
                raise  # (cancelled: the worker went, its pipe may hold half a job)
            self._ensure_workers(())
            raise _NotSent from error
        worker.job = job
        return await job

    def close(self) -> None:
        """Stop the workers: each ends once its pipe closes (after the job under way, whose
        caller then does the job itself, as do callers waiting for a worker)."""
        workers, self._workers = self._workers, []
        for worker in workers:
            self._lost(worker, stop=True)
        idle, self._idle = self._idle, None
        if idle is not None:
            for _ in range(self._waiting):
                idle.put_nowait(None)
        self._loop = None

    # -- the workers ------------------------------------------------------------------

    async def _idle_worker(self) -> _Worker | None:
        self._waiting += 1
        try:
            while True:
                worker = await self._ensure_workers(()).get()
                if worker is None or worker.alive:
                    return worker
                # (it died while idle: a new one has taken its place)
        finally:
            self._waiting -= 1

    def _ensure_workers(self, modules: tuple[str, ...]) -> asyncio.Queue[_Worker | None]:
        """The queue of idle workers, after starting any missing ones (all of them on a
        first call, or on another event loop than the last)."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._idle is None:
            self.close()
            self._loop = loop
            self._idle = asyncio.Queue()
        idle = self._idle
        self._workers = [worker for worker in self._workers if worker.alive]
        missing = self.processes - len(self._workers)
        if missing > 0:
            multiprocessing.active_children()  # (reaps workers that ended)
            # Textual replaces sys.stderr with an object whose fileno() is -1; the resource
            # tracker that multiprocessing starts with the first worker would pass that -1
            # on and fail. Start it against the real stderr first.
            with contextlib.redirect_stderr(sys.__stderr__ or sys.stderr):
                resource_tracker.ensure_running()
            context = multiprocessing.get_context("spawn")  # the parent runs threads
            with _main_module_hidden():
                for _ in range(missing):
                    parent_end, child_end = context.Pipe()
                    process = context.Process(target=serve, args=(child_end, modules), daemon=True)
                    process.start()
                    child_end.close()
                    worker = _Worker(process, parent_end)
                    self._watch(loop, worker)
                    self._workers.append(worker)
                    idle.put_nowait(worker)
        return idle

    def _watch(self, loop: asyncio.AbstractEventLoop, worker: _Worker) -> None:
        """Have the loop read the worker's answers as they come; where it cannot watch a
        pipe (Windows), a thread reads them and hands them over."""
        if sys.platform != "win32":
            channel = socket.socket(fileno=os.dup(worker.connection.fileno()))
            worker.connection.close()
            channel.setblocking(False)
            try:
                loop.add_reader(channel.fileno(), self._readable, worker)
            except NotImplementedError:
                channel.setblocking(True)
                worker.connection = Connection(channel.detach())
            else:
                worker.channel = channel
                return
        reader = threading.Thread(target=self._read_in_thread, args=(loop, worker), daemon=True)
        reader.start()

    def _readable(self, worker: _Worker) -> None:
        """The worker's pipe has something: what arrived goes where the answer it belongs
        to is kept until whole (a feed's rows, ~300 KB, come in a few pieces), or it is the
        end of a process that died."""
        channel, incoming = worker.channel, worker.incoming
        assert channel is not None
        read = 0
        while worker.alive and read < _READ_SIZE:
            try:
                count = channel.recv_into(incoming.space())
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                count = 0
            if not count:
                self._deliver(worker, None)
                return
            read += count
            message = incoming.filled(count)
            if message is not None:
                self._deliver(worker, _answer(message))

    def _read_in_thread(self, loop: asyncio.AbstractEventLoop, worker: _Worker) -> None:
        """Only this thread reads the worker's pipe, and only it closes its end: closing
        it from another thread would not wake a read under way (and its number could be
        given to a new pipe meanwhile)."""
        try:
            while True:
                answer = _read_answer(worker.connection)
                with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits
                    loop.call_soon_threadsafe(self._deliver, worker, answer)
                if answer is None:
                    return
        finally:
            worker.connection.close()

    def _deliver(self, worker: _Worker, answer: tuple[bool, Any] | None) -> None:
        if answer is None:
            if worker.alive:
                self._lost(worker)
                if self._idle is not None:
                    self._ensure_workers(())  # (for the tasks waiting for a worker)
            return
        job, worker.job = worker.job, None
        try:
            if job is not None and not job.done():  # (its caller may have been cancelled)
                succeeded, value = answer
                if succeeded:
                    job.set_result(value)
                else:
                    job.set_exception(value)
        finally:
            if worker.alive and self._idle is not None:
                self._idle.put_nowait(worker)

    def _lost(self, worker: _Worker, *, stop: bool = False) -> None:
        """A worker ended (or is to end, `stop`): its job, if any, is done another way."""
        channel, worker.channel = worker.channel, None
        if channel is not None:
            if self._loop is not None and not self._loop.is_closed():
                with contextlib.suppress(OSError, ValueError, RuntimeError):
                    self._loop.remove_reader(channel.fileno())
            channel.close()  # (the worker ends when it sees its pipe close)
        elif stop and worker.alive:
            with contextlib.suppress(OSError, ValueError):
                worker.process.terminate()  # (its reader thread then closes the pipe)
        worker.alive = False
        job, worker.job = worker.job, None
        if job is not None and not job.done():
            job.set_exception(WorkerDied())


_READ_SIZE = 1 << 20
"""The most one turn of the event loop reads from a worker's pipe."""
_SIZE = struct.Struct("!i")
_LONG_SIZE = struct.Struct("!Q")


def _framed(message: bytes) -> bytes:
    """A message as multiprocessing's Connection.send_bytes frames it (the worker reads
    it with recv_bytes): its size, then its bytes."""
    if len(message) > 0x7FFFFFFF:
        return _SIZE.pack(-1) + _LONG_SIZE.pack(len(message)) + message
    return _SIZE.pack(len(message)) + message


class _Incoming:
    """One answer being read off a worker's pipe, framed as multiprocessing's Connection
    frames it: its size (4 bytes; for 2 GiB or more, -1 and 8 more), then its bytes. These
    are read straight into a buffer of that size, with no copy on the way."""

    def __init__(self) -> None:
        self._head = bytearray(_SIZE.size + _LONG_SIZE.size)
        self._message: bytearray | None = None
        self._view = memoryview(self._head)[: _SIZE.size]
        self._count = 0

    def space(self) -> memoryview:
        """Where the next bytes from the pipe go."""
        return self._view[self._count :]

    def filled(self, count: int) -> bytearray | None:
        """`count` more bytes are in place; the answer once it is whole."""
        self._count += count
        while self._count == len(self._view):
            if self._message is not None:
                message = self._message
                self._start(memoryview(self._head)[: _SIZE.size], None)
                return message
            (size,) = _SIZE.unpack_from(self._head)
            if size == -1 and len(self._view) == _SIZE.size:
                self._start(memoryview(self._head), None)
                self._count = _SIZE.size  # (the 8 bytes of the size follow)
                continue
            if size == -1:
                (size,) = _LONG_SIZE.unpack_from(self._head, _SIZE.size)
            message = bytearray(size)
            self._start(memoryview(message), message)
        return None

    def _start(self, view: memoryview, message: bytearray | None) -> None:
        self._view.release()
        self._view, self._message, self._count = view, message, 0


def _answer(message: bytes | bytearray) -> tuple[bool, Any]:
    try:
        answer: tuple[bool, Any] = pickle.loads(message)
    except Exception as error:  # an answer that cannot be rebuilt here
        return False, error
    return answer


def _read_answer(connection: Connection) -> tuple[bool, Any] | None:
    """(succeeded, result or exception) from a worker, or None once it is gone."""
    try:
        data = connection.recv_bytes()
    except (EOFError, OSError):
        return None
    return _answer(data)
