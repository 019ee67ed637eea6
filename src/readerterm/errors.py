"""Errors with messages a user can act on. Each layer raises its own kind."""

from __future__ import annotations


class ReaderTermError(Exception):
    """Base class: the message is shown to the user as it is."""


class ConfigError(ReaderTermError):
    """The config file is missing something, malformed, or has a wrong value."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        """The dotted key the problem is about (`settings.theme`, `feeds[2].url`)."""


class FetchError(ReaderTermError):
    """A feed or page could not be fetched (network, HTTP status, size, scheme)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds the server asked us to wait (429/503 with Retry-After), if any."""


class ParseError(ReaderTermError):
    """A document is not a feed we can read."""


class StoreError(ReaderTermError):
    """The database cannot be opened, read or written."""


class UsageError(ReaderTermError):
    """The user asked for something that cannot be done (bad URL, unknown feed)."""
