"""Start async work in a Textual worker, given as a function rather than a coroutine.

A worker replaced before it starts (exclusive groups: keys pressed fast, a newer refresh)
or one still queued when the app exits never runs its work. Given a coroutine, that leaves
one that was never awaited (Python warns); given the function that makes it, nothing is
left behind. (Textual accepts both; typed through here, mypy also knows the result.)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from textual.dom import DOMNode
from textual.worker import Worker

__all__ = ["run_async"]


def run_async(
    node: DOMNode,
    work: Callable[[], Coroutine[Any, Any, None]],
    *,
    group: str,
    exclusive: bool = False,
    exit_on_error: bool = True,
) -> Worker[None]:
    """`node.run_worker(work, ...)` for a function that returns a coroutine."""
    return node.run_worker(work, group=group, exclusive=exclusive, exit_on_error=exit_on_error)
