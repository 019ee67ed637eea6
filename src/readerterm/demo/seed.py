"""Fill a library from the sample feeds shipped in this package (for `--demo`)."""

from __future__ import annotations

from importlib import resources

from ..library import Library

DEMO_HOST = "https://demo.readerterm.invalid/feeds/"


def seed_demo(library: Library) -> int:
    """Subscribe to every sample feed and store its stories; returns the article count."""
    folder = resources.files(__package__).joinpath("feeds")
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".xml"):
            continue
        feed = library.subscriptions.subscribe(DEMO_HOST + entry.name)
        library.refresher.ingest_document(feed.id, entry.read_bytes())
    return sum(feed.total for feed in library.subscriptions.feeds())
