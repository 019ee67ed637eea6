"""Running many jobs at once with a bound, handing back each result as it is ready."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


async def as_they_finish(
    items: Iterable[Item], job: Callable[[Item], Awaitable[Result]], *, at_once: int
) -> AsyncIterator[Result]:
    """Run `job` on every item, at most `at_once` at a time; yield results in the order they
    finish. Leaving the loop early (or cancelling it) cancels the jobs still running."""
    slots = asyncio.Semaphore(at_once)

    async def bounded(item: Item) -> Result:
        async with slots:
            return await job(item)

    tasks = [asyncio.create_task(bounded(item)) for item in items]
    try:
        for finished in asyncio.as_completed(tasks):
            yield await finished
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
