"""The network as the library's services see it: one fetcher, made when first needed.

Offline, there is none: asking for it is a UsageError, so no code path can reach the
network by mistake when the user said `--offline`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from ..net.fetch import Fetcher


class Network:
    def __init__(self, *, offline: bool, fetcher: Fetcher | None = None) -> None:
        self.offline = offline
        """True: nothing touches the network; everything comes from the cache."""
        self._fetcher = fetcher

    @property
    def fetcher(self) -> Fetcher:
        if self.offline:
            raise UsageError("offline: the network is not used")
        if self._fetcher is None:
            from ..net.fetch import Fetcher  # httpx: ~0.1 s, not needed to read the cache

            self._fetcher = Fetcher()
        return self._fetcher

    async def aclose(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.aclose()
            self._fetcher = None
