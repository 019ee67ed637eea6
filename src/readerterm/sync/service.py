"""What the two sync clients (greader.py, fever.py) share: the HTTP client they talk
through, their label, and reading a reply's items."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .client import BadShape, HttpClient, as_dict, one_line
from .protocol import RemoteItem, SyncError


class ServiceBase:
    """What both clients share: the HTTP client, the label, repr and closing."""

    def __init__(self, http: HttpClient, username: str) -> None:
        self._http = http
        self.label = http.label
        self.username = username

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label!r}, user={self.username!r})"

    async def aclose(self) -> None:
        await self._http.aclose()

    def _check_all_answered(self, wanted: Sequence[str], answered: set[str]) -> None:
        missing = [i for i in wanted if i not in answered]
        if missing:
            raise SyncError(
                f"{self.label} does not have {len(missing)} of the items asked for "
                f"(such as {missing[0]})"
            )

    def _bad_id(self, value: object) -> SyncError:
        return SyncError(f"{self.label}: {one_line(str(value), 60)!r} is not an item id")

    def _items_of(self, data: dict[str, Any]) -> list[Any]:
        """The list of items a reply holds; an error naming the server when there is none."""
        records = data.get("items")
        if not isinstance(records, list):
            raise self._http.shape_error("no list of items")
        return records

    def _take_items(
        self,
        data: dict[str, Any],
        id_of: Callable[[dict[str, Any]], str],
        item_of: Callable[[dict[str, Any], str], RemoteItem | None],
        found: dict[str, RemoteItem],
        answered: set[str],
    ) -> None:
        """The items of one reply into `found` by id, and every id the reply answered into
        `answered` (an item readerterm cannot use is answered but not found); a record of
        the wrong shape or without an id is passed over."""
        for record in self._items_of(data):
            try:
                entry = as_dict(record)
                item_id = id_of(entry)
            except BadShape:
                continue
            answered.add(item_id)
            item = item_of(entry, item_id)
            if item is not None:
                found[item_id] = item


def chunks(values: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
