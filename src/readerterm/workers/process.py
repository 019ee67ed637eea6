"""What a worker process runs as it starts, kept apart from workers.py.

A spawned worker imports the module of every function it is handed. workers.py imports
asyncio (~35 ms of a worker's start); this module imports nothing but the standard
library's basics, so a worker is ready for its first feed that much sooner.

`serve` is a worker process's whole life: jobs come down its pipe as pickled
(function, args, kwargs), and (succeeded, result or exception) goes back.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import signal
from multiprocessing.connection import Connection
from typing import Any  # (the parsers import it anyway)

BACKGROUND_NICENESS = 10


def run_at_low_priority() -> None:
    """Lower this worker process's scheduling priority (a no-op where there is none).

    During a big refresh the parsing keeps every core busy; at normal priority it takes
    turns with the reader's event loop, which then stalls for 100 ms and more at a time.
    At lower priority the loop runs whenever it has work.
    """
    with contextlib.suppress(AttributeError, OSError):
        os.nice(BACKGROUND_NICENESS)
    # Ctrl-C in the terminal reaches every process of its group: the reader decides what
    # it means (a worker would die with a traceback mid-feed, or while a console browser
    # has the terminal); the pool stops its workers when the reader closes it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ByName:
    """A function named by its module, imported where it is called. The reader hands its
    workers `prepare_update` this way, so that its own process need not load the parsers
    (~50 ms, and lxml's memory) only to name the function to pickle."""

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(self.module), self.name)(*args, **kwargs)

    def __reduce__(self) -> tuple[type[ByName], tuple[str, str]]:
        return (ByName, (self.module, self.name))


class RemoteTraceback(Exception):
    """Where a job failed in its worker: the traceback there, as text. The exception the
    caller gets has it as its cause, so a logged error shows both sides."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class _WithTraceback:
    """A job's exception on its way back, with its traceback as text (a pickled exception
    keeps only its arguments)."""

    def __init__(self, error: Exception) -> None:
        import traceback  # (only when a job fails)

        self.error = error
        self.text = "".join(traceback.format_exception(error))

    def __reduce__(self) -> tuple[Any, tuple[Exception, str]]:
        return (_caused_by_traceback, (self.error, self.text))


def _caused_by_traceback(error: Exception, text: str) -> Exception:
    error.__cause__ = RemoteTraceback(text)
    return error


def import_modules(*modules: str) -> None:
    for name in modules:
        importlib.import_module(name)


def serve(connection: Connection, modules: tuple[str, ...]) -> None:
    """Do the jobs that come down the pipe, one at a time, until it closes."""
    run_at_low_priority()
    import_modules(*modules)
    while True:
        try:
            message = connection.recv_bytes()
        except (EOFError, OSError):  # the reader closed its end, or is gone
            return
        try:
            function, args, kwargs = pickle.loads(message)
            answer = (True, function(*args, **kwargs))
        except (StopIteration, StopAsyncIteration) as error:  # (a future refuses them)
            answer = (False, RuntimeError(f"{type(error).__name__} raised by a job"))
        except Exception as error:  # handed to the caller, as a function call would
            answer = (False, _WithTraceback(error))
        except BaseException as error:  # (SystemExit and the like must not end the reader)
            answer = (False, RuntimeError(f"{type(error).__name__} raised by a job: {error}"))
        try:
            data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            failure = RuntimeError(f"the worker's answer could not be sent back: {error}")
            data = pickle.dumps((False, failure), pickle.HIGHEST_PROTOCOL)
        try:
            connection.send_bytes(data)
        except OSError:
            return
