"""Issue 17: two-way sync with a real FreshRSS, through both of its APIs.

FreshRSS (tests/freshrss.py) fetches feeds served by the project's test server on
127.0.0.1; readerterm's Library syncs with it as the reader and the commands do. The
server's side is read and changed through the Google Reader API client, as another
device would. Every test subscribes its own feeds; a sync brings every feed the server
has, so tests look only at their own.

This file covers stories, subscriptions and read and starred states going both ways:
decisions taken offline, conflicts, two devices, a cache that was there before sync was
turned on, and synced stories searched, filtered and read offline. What the sync tests
share is in sync_devices.py; a refused sign-in, a server that stops mid-sync and the
password never written are in test_sync_failures.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_devices import (
    KINDS,
    device,
    feed_at,
    other_device,
    serve_and_subscribe,
    server_password,  # noqa: F401  (the autouse fixture `password`)
    server_states,
    stories,
)

from freshrss import FreshRSS, sample_feed
from readerterm.config import Config, FilterRule, SyncConfig
from readerterm.library import Library
from readerterm.models import ArticleFilter
from readerterm.store import Store
from testserver import LocalServer

pytest_plugins = ["freshrss"]


def local_states(library: Library, ids: list[int]) -> list[tuple[bool, bool]]:
    rows = {row.id: row for row in library.reading.article_rows(ids)}
    return [(rows[i].read, rows[i].starred) for i in ids]


@pytest.mark.parametrize("kind", KINDS)
async def test_subscriptions_stories_and_states_go_both_ways(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path, kind: str
) -> None:
    url = await serve_and_subscribe(freshrss, feeds, f"both-{kind}", 4, folder="World")
    library = device(tmp_path / "rt.db", freshrss, kind)
    try:
        report = await library.syncing.sync()
        assert report.new_articles >= 4
        feed = feed_at(library, url)
        assert feed.tags == ("World",) and feed.remote_id and feed.title == f"Feed both-{kind}"
        found = stories(library, url)
        assert sorted(found) == [f"both-{kind} story {n}" for n in range(4)]
        first, second, third, fourth = (found[f"both-{kind} story {n}"] for n in range(4))
        assert local_states(library, [first, second]) == [(False, False)] * 2

        library.reading.set_read(first, True)
        library.reading.set_starred(second, True)
        assert (report := await library.syncing.sync()).sent == 2
        assert await server_states(freshrss, library, [first, second]) == [
            (True, False),
            (False, True),
        ]

        # Another device reads the third story and stars the fourth.
        third_remote, fourth_remote = (
            library.store.db.execute(
                "SELECT remote_id FROM articles WHERE id = ?", (i,)
            ).fetchone()[0]
            for i in (third, fourth)
        )
        async with other_device(freshrss) as remote:
            await remote.login()
            await remote.set_read([third_remote], True)
            await remote.set_starred([fourth_remote], True)
        report = await library.syncing.sync()
        assert (report.read_changed, report.starred_changed) == (1, 1)
        assert local_states(library, [third, fourth]) == [(True, False), (False, True)]

        # The server fetches a new story; the next sync brings it, unread.
        feeds.route(f"/both-{kind}.xml", sample_feed(f"both-{kind}", 5))
        freshrss.refresh()
        assert (await library.syncing.sync()).new_articles == 1
        newest = stories(library, url)[f"both-{kind} story 4"]
        assert local_states(library, [newest]) == [(False, False)]
        status = library.syncing.status()
        assert status is not None and status.last_error is None and status.queued == 0
    finally:
        library.close()


async def test_decisions_taken_offline_are_sent_once_in_order_and_undo_sends_the_reverse(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    url = await serve_and_subscribe(freshrss, feeds, "offline", 3)
    library = device(tmp_path / "rt.db", freshrss)
    await library.syncing.sync()
    ids = sorted(stories(library, url).values())
    library.close()

    offline = Library(Store(tmp_path / "rt.db"), offline=True)
    offline.settings.configure(Config(sync=SyncConfig("greader", freshrss.greader_url, "x")))
    try:
        offline.reading.mark_read(ids)  # one step, three decisions
        offline.reading.set_starred(ids[0], True)
        offline.reading.set_read(ids[1], False)
        with pytest.raises(Exception, match="offline"):
            await offline.syncing.sync()
        status = offline.syncing.status()
        assert status is not None and status.queued == 5
    finally:
        offline.close()

    library = device(tmp_path / "rt.db", freshrss)
    try:
        assert (await library.syncing.sync()).sent == 5
        want = [(True, True), (False, False), (True, False)]
        assert await server_states(freshrss, library, ids) == want
        assert local_states(library, ids) == want
        # Undo after the decision was sent: its reverse goes at the next sync.
        library.reading.set_read(ids[1], True)
        assert (await library.syncing.sync()).sent == 1
        library.reading.undo()
        assert (await library.syncing.sync()).sent == 1
        assert (await server_states(freshrss, library, [ids[1]])) == [(False, False)]
        assert (await library.syncing.sync()).sent == 0  # nothing twice
    finally:
        library.close()


async def test_conflicts_a_decision_queued_here_is_the_later_one(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    url = await serve_and_subscribe(freshrss, feeds, "conflict", 2)
    library = device(tmp_path / "rt.db", freshrss)
    try:
        await library.syncing.sync()
        mine, theirs = (stories(library, url)[f"conflict story {n}"] for n in range(2))
        library.reading.mark_read([mine, theirs])
        await library.syncing.sync()
        remote_mine, remote_theirs = (
            library.store.db.execute(
                "SELECT remote_id FROM articles WHERE id = ?", (i,)
            ).fetchone()[0]
            for i in (mine, theirs)
        )
        # Another device marks both unread; here, the reader then reads `mine` again
        # (unread, read: queued after the other device's change).
        async with other_device(freshrss) as remote:
            await remote.login()
            await remote.set_read([remote_mine, remote_theirs], False)
        library.reading.set_read(mine, False)
        library.reading.set_read(mine, True)
        await library.syncing.sync()
        # Changed only on the server: the server's state; changed here later: ours.
        assert local_states(library, [mine, theirs]) == [(True, False), (False, False)]
        assert await server_states(freshrss, library, [mine, theirs]) == [
            (True, False),
            (False, False),
        ]
    finally:
        library.close()


async def test_two_devices_read_in_step(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    url = await serve_and_subscribe(freshrss, feeds, "devices", 3)
    laptop = device(tmp_path / "laptop.db", freshrss)
    phone = device(tmp_path / "phone.db", freshrss)
    try:
        await laptop.syncing.sync()
        await phone.syncing.sync()
        on_laptop, on_phone = stories(laptop, url), stories(phone, url)
        assert sorted(on_laptop) == sorted(on_phone)
        laptop.reading.set_read(on_laptop["devices story 0"], True)
        laptop.reading.set_starred(on_laptop["devices story 1"], True)
        await laptop.syncing.sync()
        await phone.syncing.sync()
        titles = ["devices story 0", "devices story 1", "devices story 2"]
        assert local_states(phone, [on_phone[t] for t in titles]) == [
            (True, False),
            (False, True),
            (False, False),
        ]
        phone.reading.set_read(on_phone["devices story 0"], False)
        await phone.syncing.sync()
        await laptop.syncing.sync()
        assert local_states(laptop, [on_laptop["devices story 0"]]) == [(False, False)]
    finally:
        laptop.close()
        phone.close()


async def test_turning_sync_on_keeps_the_cache_and_merges_states(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    feeds.route("/cached.xml", sample_feed("cached", 3))
    url = feeds.url("/cached.xml")
    library = Library(Store(tmp_path / "rt.db"))
    try:
        await library.subscriptions.add_feed(url, tags=["mine"])
        before = stories(library, url)
        feed_id = feed_at(library, url).id
        library.reading.set_read(before["cached story 0"], True)
        library.reading.set_starred(before["cached story 1"], True)
        await library.network.aclose()
    finally:
        library.close()
    async with other_device(freshrss) as remote:  # the same feed, on the server
        await remote.login()
        await remote.subscribe(url, None, None)

    library = device(tmp_path / "rt.db", freshrss)
    try:
        report = await library.syncing.sync()
        assert report.matched_articles == 3
        assert feed_at(library, url).id == feed_id  # the same feed, bound to the server's
        assert stories(library, url) == before  # no story twice, the same ids
        ids = [before[f"cached story {n}"] for n in range(3)]
        want = [(True, False), (False, True), (False, False)]
        assert local_states(library, ids) == want
        assert await server_states(freshrss, library, ids) == want
    finally:
        library.close()


async def test_synced_stories_are_searchable_filtered_and_read_offline(
    freshrss: FreshRSS, feeds: LocalServer, tmp_path: Path
) -> None:
    feeds.route(
        "/treated.xml",
        sample_feed("treated", 2).replace(
            "treated story 1</title>", "treated story 1 sponsored</title>"
        ),
    )
    async with other_device(freshrss) as remote:
        await remote.login()
        await remote.subscribe(feeds.url("/treated.xml"), None, None)
    library = Library(Store(tmp_path / "rt.db"))
    rule = FilterRule(words=("sponsored",))
    sync = SyncConfig("greader", freshrss.greader_url, freshrss.user)
    library.settings.configure(Config(sync=sync, filters=(rule,)))
    try:
        await library.syncing.sync()
        url = feeds.url("/treated.xml")
        everything = stories(library, url)
        shown = library.reading.query(ArticleFilter(feed_id=feed_at(library, url).id))
        assert everything["treated story 0"] in shown  # the filter hides only the ad
        assert everything["treated story 1 sponsored"] not in shown
        await library.writer.finish_indexing()
        found = library.reading.article_ids(search="treated")
        assert everything["treated story 0"] in found
    finally:
        library.close()
    offline = Library(Store(tmp_path / "rt.db"), offline=True)
    try:  # opened offline: converted from what the sync stored, key points and all
        story = offline.reading.article(everything["treated story 0"])
        assert "told at some length" in story.body  # converted when opened offline
        assert story.key_points == ()  # one sentence: a point would only repeat it
    finally:
        offline.close()
