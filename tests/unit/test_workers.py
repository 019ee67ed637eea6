"""The worker pool: parsing runs in worker processes at a lower priority than the reader."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from readerterm.errors import ParseError
from readerterm.workers.pool import CpuPool, WorkerDied, _framed, _Incoming
from readerterm.workers.process import BACKGROUND_NICENESS, RemoteTraceback


@pytest.fixture
def pool() -> Iterator[CpuPool]:
    """A pool of one worker process, closed after the test."""
    one = CpuPool(processes=1)
    try:
        yield one
    finally:
        one.close()


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities here")
async def test_worker_processes_run_at_lower_priority_than_the_reader(pool: CpuPool) -> None:
    worker_niceness = await pool.run(os.nice, 0)
    worker_pid = await pool.run(os.getpid)
    assert worker_pid != os.getpid()
    assert worker_niceness >= min(os.nice(0) + BACKGROUND_NICENESS, 19)


async def test_start_starts_every_worker_process_at_once() -> None:
    import multiprocessing

    before = set(multiprocessing.active_children())
    pool = CpuPool(processes=2)
    try:
        pool.start("xml.dom.minidom")
        started = set(multiprocessing.active_children()) - before
        assert len(started) == 2  # before any real job was given
        assert await pool.run(os.getpid) in {process.pid for process in started}
    finally:
        pool.close()


async def test_start_without_worker_processes_does_nothing() -> None:
    pool = CpuPool(processes=0)
    pool.start("xml.dom.minidom")
    assert await pool.run(lambda: 42) == 42


async def test_start_after_a_worker_died_does_not_raise_and_jobs_still_run(pool: CpuPool) -> None:

    worker = await pool.run(os.getpid)
    (first,) = pool._workers
    os.kill(worker, signal.SIGKILL)
    for _ in range(500):  # a bounded wait for the pool to notice, not a timing
        if not first.alive:
            break
        await asyncio.sleep(0.01)
    assert not first.alive
    pool.start("xml.dom.minidom")  # a refresh starting now must not fail
    assert await pool.run(os.getpid) not in (worker, os.getpid())


async def test_a_job_whose_worker_dies_goes_once_to_a_new_worker(
    pool: CpuPool, tmp_path: Path
) -> None:
    first_try = tmp_path / "tried"
    answered_by = await pool.run(exit_the_first_time, str(first_try))
    assert first_try.read_text() != str(answered_by)  # a second worker, not this process
    assert answered_by != os.getpid()


async def test_a_job_that_kills_every_worker_fails_and_never_runs_here(pool: CpuPool) -> None:
    with pytest.raises(WorkerDied, match="two worker processes"):
        await asyncio.wait_for(pool.run(exit_unless_in, os.getpid()), 20)
    assert await pool.run(os.getpid) != os.getpid()  # and a new worker takes the next job


async def test_a_jobs_exception_reaches_its_caller_and_the_worker_goes_on(pool: CpuPool) -> None:
    with pytest.raises(ParseError, match="not a feed"):
        await pool.run(raise_parse_error, "not a feed")
    first = await pool.run(os.getpid)
    assert await pool.run(os.getpid) == first


async def test_a_cancelled_wait_leaves_the_worker_to_the_next_job(pool: CpuPool) -> None:
    waiting = asyncio.create_task(pool.run(time.sleep, 0.3))
    await asyncio.sleep(0.1)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert await asyncio.wait_for(pool.run(sum, [1, 2]), 10) == 3


async def test_jobs_beyond_the_workers_wait_their_turn() -> None:
    pool = CpuPool(processes=2)
    try:
        results = await asyncio.gather(*(pool.run(pow, n, 2) for n in range(20)))
        assert results == [n * n for n in range(20)]
        assert len(pool._workers) == 2
    finally:
        pool.close()


async def test_a_loop_that_cannot_watch_pipes_gets_answers_through_a_thread(
    monkeypatch: pytest.MonkeyPatch, pool: CpuPool
) -> None:
    def cannot(*_: object) -> None:
        raise NotImplementedError  # as Windows' proactor event loop

    monkeypatch.setattr(asyncio.get_running_loop(), "add_reader", cannot)
    assert await pool.run(sum, [1, 2, 3]) == 6
    with pytest.raises(ParseError):
        await pool.run(raise_parse_error, "broken")
    with pytest.raises(WorkerDied):
        await asyncio.wait_for(pool.run(exit_unless_in, os.getpid()), 20)
    assert await pool.run(os.getpid) != os.getpid()


async def test_a_job_raising_stop_iteration_fails_without_losing_its_worker(pool: CpuPool) -> None:
    with pytest.raises(RuntimeError, match="StopIteration"):
        await asyncio.wait_for(pool.run(next, iter([])), 10)
    assert await asyncio.wait_for(pool.run(sum, [2, 3]), 10) == 5


async def test_callers_waiting_for_a_worker_that_dies_are_served(
    pool: CpuPool, tmp_path: Path
) -> None:
    dying = asyncio.create_task(pool.run(exit_the_first_time, str(tmp_path / "tried")))
    waiting = [asyncio.create_task(pool.run(pow, n, 2)) for n in range(3)]
    results = await asyncio.wait_for(asyncio.gather(dying, *waiting), 20)
    assert results[1:] == [0, 1, 4] and results[0] != os.getpid()


async def test_callers_waiting_when_the_pool_closes_do_their_jobs_themselves(pool: CpuPool) -> None:
    busy = asyncio.create_task(pool.run(time.sleep, 0.5))
    waiting = asyncio.create_task(pool.run(pow, 3, 2))
    await asyncio.sleep(0.1)
    pool.close()
    assert await asyncio.wait_for(waiting, 10) == 9
    assert await asyncio.wait_for(busy, 10) is None
    assert await asyncio.wait_for(pool.run(pow, 2, 5), 10) == 32  # (it starts again)


async def test_big_jobs_and_answers_go_through_in_pieces(pool: CpuPool) -> None:
    big = os.urandom(3_000_000)
    assert await pool.run(bytes.upper, big) == big.upper()  # ~3 MB each way
    assert await pool.run(len, big) == len(big)


def _read_whole(incoming: _Incoming, data: bytes, piece: int) -> list[bytes]:
    """Feed `data` to `incoming` as a pipe would, `piece` bytes at most at a time."""
    answers = []
    position = 0
    while position < len(data):
        space = incoming.space()
        count = min(piece, len(space), len(data) - position)
        space[:count] = data[position : position + count]
        space.release()
        position += count
        if (answer := incoming.filled(count)) is not None:
            answers.append(bytes(answer))
    return answers


def test_answers_are_framed_as_multiprocessing_frames_them() -> None:
    from multiprocessing.connection import Pipe

    sender, receiver = Pipe()
    try:
        incoming = _Incoming()
        for message in (b"", b"short", b"x" * 100_000):
            sender.send_bytes(message)
            framed = receiver._recv(4).getvalue()
            framed += receiver._recv(len(message)).getvalue()
            assert _read_whole(incoming, framed, piece=1) == [message]  # a byte at a time
            assert _read_whole(incoming, framed * 2, piece=70_000) == [message, message]
            sender._send(_framed(message))  # and the other way round
            assert receiver.recv_bytes() == message
    finally:
        sender.close()
        receiver.close()
    # The long form (over 2 GB), with a small message standing in.
    long_form = b"\xff\xff\xff\xff" + (3).to_bytes(8, "big") + b"abc"
    assert _read_whole(_Incoming(), long_form + b"\x00\x00\x00\x01z", piece=5) == [b"abc", b"z"]


def exit_unless_in(pid: int) -> int:
    if os.getpid() != pid:
        os._exit(1)
    return pid


def exit_the_first_time(marker: str) -> int:
    """Ends the process that runs it, unless another did so first (see `marker`)."""
    if not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os._exit(1)
    return os.getpid()


def raise_parse_error(reason: str) -> None:
    raise ParseError(reason)


async def test_workers_start_without_the_parents_main_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: CpuPool
) -> None:
    # A main script as heavy as the `readerterm` command's: it loads asyncio and more.
    script = tmp_path / "heavy_main.py"
    script.write_text("import asyncio\nimport xml.dom.minidom\n")
    main = types.ModuleType("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    pool.start("json")
    loaded = await pool.run(eval, "sorted(__import__('sys').modules)")
    assert "json" in loaded
    assert "xml.dom.minidom" not in loaded and "asyncio" not in loaded
    assert main.__file__ == str(script) and main.__spec__ is None  # as it was


async def test_ctrl_c_is_for_the_reader_not_its_workers(pool: CpuPool) -> None:

    assert await pool.run(signal.getsignal, signal.SIGINT) == signal.SIG_IGN


async def test_a_jobs_exception_carries_the_traceback_from_its_worker(pool: CpuPool) -> None:
    with pytest.raises(ParseError) as caught:
        await pool.run(raise_parse_error, "not a feed")
    cause = caught.value.__cause__
    assert isinstance(cause, RemoteTraceback)
    assert "in raise_parse_error" in str(cause) and "ParseError: not a feed" in str(cause)


async def test_workers_gone_unnoticed_are_no_fault_of_the_next_job() -> None:
    pool = CpuPool(2)
    try:
        first = await asyncio.gather(*(pool.run(time_then_pid, 0.2) for _ in range(2)))
        assert len(set(first)) == 2
        for pid in first:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)  # both gone, and the loop has not run to notice
        assert await asyncio.wait_for(pool.run(sum, [2, 3]), 20) == 5
    finally:
        pool.close()


def time_then_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()
