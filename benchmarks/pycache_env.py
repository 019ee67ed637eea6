"""The environment of a measured readerterm process: its own bytecode cache.

An installed readerterm runs from compiled bytecode (pip compiles it at install time;
otherwise Python writes __pycache__ on the first start). A shell that sets
PYTHONDONTWRITEBYTECODE (this machine's does) makes every measured process, and each of its
worker processes, compile readerterm and its libraries from source again: 0.2 to 0.4 s of
each start. So measured processes keep their bytecode under /tmp (PYTHONPYCACHEPREFIX),
filled by an unmeasured warm-up run, and nothing is written into the tree or the venv.
"""

from __future__ import annotations

import os
from pathlib import Path

PYCACHE = Path("/tmp/readerterm-bench/pycache")


def child_environment(cold_bytecode: bool = False) -> dict[str, str]:
    """This process's environment with the private bytecode cache (none when cold)."""
    env = dict(os.environ)
    if cold_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env
