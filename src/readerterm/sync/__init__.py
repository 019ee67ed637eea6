"""Clients for aggregator sync APIs (Google Reader API and Fever), behind one protocol.

The sync engine uses `open_service` and the `SyncService` protocol; this package knows
nothing of readerterm's store. It imports only the standard library, httpx and
`readerterm.errors`.
"""

from readerterm.sync.protocol import (
    SERVICES,
    RemoteFeed,
    RemoteItem,
    SyncAuthError,
    SyncError,
    SyncRefused,
    SyncService,
    open_service,
)

__all__ = [
    "SERVICES",
    "RemoteFeed",
    "RemoteItem",
    "SyncAuthError",
    "SyncError",
    "SyncRefused",
    "SyncService",
    "open_service",
]
