"""preload: a module goes to a thread to be imported until it is fully imported."""

from __future__ import annotations

import sys
import types
from importlib.machinery import ModuleSpec

import pytest

from readerterm.workers import preload as preload_module


def module_named(name: str, *, initializing: bool) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__spec__ = ModuleSpec(name, None)
    module.__spec__._initializing = initializing  # type: ignore[attr-defined]
    return module


async def test_a_module_another_thread_is_importing_is_waited_for_on_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Another thread's import puts the module in sys.modules before it runs its code; an
    # import of it on the event loop would block the loop until that thread is done.
    half_done = module_named("half_done_for_preload", initializing=True)
    monkeypatch.setitem(sys.modules, half_done.__name__, half_done)
    done = module_named("done_for_preload", initializing=False)
    monkeypatch.setitem(sys.modules, done.__name__, done)
    sent: list[list[str]] = []
    monkeypatch.setattr(preload_module, "_import_all", lambda names: sent.append(list(names)))

    await preload_module.preload(done.__name__, half_done.__name__)
    assert sent == [[half_done.__name__]]

    half_done.__spec__._initializing = False  # type: ignore[union-attr]
    await preload_module.preload(done.__name__, half_done.__name__)
    assert sent == [[half_done.__name__]]  # nothing more to import
