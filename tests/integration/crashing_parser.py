"""A feed parser that dies, for tests of what a refresh does when a worker process does:
run by the refresh's worker processes (see test_refresh.py), which import it by name."""

from __future__ import annotations

import os
from typing import Any

from readerterm.feeds import update


def prepare_update(content: bytes, **options: Any) -> update.PreparedUpdate:
    if b"parser-killer" in content:
        os._exit(70)  # as a crash in lxml would end the process, or the kernel's OOM killer
    return update.prepare_update(content, **options)
