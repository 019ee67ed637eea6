"""Sync with aggregator servers: clients for the Google Reader API and Fever behind one
protocol (`protocol`, `greader`, `fever`, and what they share: `client` for HTTP and
`service`), the password (`password`), and the engine that maps a server onto the store
(`engine`).

The clients import only the standard library, httpx, `readerterm.errors` and
`readerterm.text.safe` (server text in messages is cleaned as feed text is); the engine
may import `readerterm.store`, `readerterm.feeds` and `readerterm.text` too. Never the
library or a front end (the library's `syncing` service drives this package).
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
