"""update.py: the pure decider between parsing and storing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from readerterm.errors import ParseError
from readerterm.feeds.update import (
    EARLIEST_DATE,
    FUTURE_TOLERANCE,
    clamp_date,
    content_hash,
    plan,
    prepare_update,
)
from readerterm.models import ParsedArticle, ParsedFeed
from readerterm.store import KnownArticle, made_summary, plain_body
from readerterm.text.htmltext import plain_text, summary_of, summary_of_html

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def article(guid: str, **changes: object) -> ParsedArticle:
    base = ParsedArticle(
        guid=guid,
        url=f"https://e.org/{guid}",
        title=f"Title {guid}",
        author="Author",
        published=datetime(2024, 5, 1, tzinfo=UTC),
        summary_html=f"<p>Summary of {guid}.</p>",
        content_html="",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def feed(*articles: ParsedArticle) -> ParsedFeed:
    return ParsedFeed(title="Feed", site_url="https://e.org/", articles=articles)


def known(parsed: ParsedArticle) -> KnownArticle:
    return KnownArticle(
        guid=parsed.guid, url=parsed.url, content_hash=content_hash(parsed), title=parsed.title
    )


# --- plan: new, unchanged, changed ------------------------------------------------------


def test_everything_is_new_when_nothing_is_known() -> None:
    update = plan(feed(article("a"), article("b")), known=(), now=NOW)
    assert [a.guid for a in update.articles] == ["a", "b"]
    assert update.seen == 2
    assert update.title == "Feed"
    assert update.site_url == "https://e.org/"
    assert all(a.previous_guid is None for a in update.articles)


def test_unchanged_articles_are_not_written_again() -> None:
    a, b = article("a"), article("b")
    update = plan(feed(a, b), known=[known(a), known(b)], now=NOW)
    assert update.articles == ()
    assert update.seen == 2


@pytest.mark.parametrize(
    "change",
    [
        {"title": "A new title"},
        {"summary_html": "<p>Rewritten.</p>"},
        {"content_html": "<p>Now with full text.</p>"},
        {"author": "Someone else"},
        {"url": "https://e.org/moved"},
    ],
)
def test_changed_article_is_written(change: dict[str, object]) -> None:
    old = article("a")
    new = replace(old, **change)  # type: ignore[arg-type]
    update = plan(feed(new, article("b")), known=[known(old), known(article("b"))], now=NOW)
    assert [a.guid for a in update.articles] == ["a"]
    assert update.articles[0].previous_guid is None
    assert update.articles[0].content_hash == content_hash(new)


def test_a_new_date_alone_is_not_a_change() -> None:
    old = article("a")
    moved = replace(old, published=datetime(2024, 5, 2, tzinfo=UTC))
    assert content_hash(moved) == content_hash(old)
    assert plan(feed(moved), known=[known(old)], now=NOW).articles == ()


def test_guid_rewrite_is_matched_by_url() -> None:
    old = article("old-guid", url="https://e.org/story")
    rewritten = replace(old, guid="new-guid")
    update = plan(feed(rewritten), known=[known(old)], now=NOW)
    (stored,) = update.articles
    assert stored.guid == "new-guid"
    assert stored.previous_guid == "old-guid"


def test_url_match_is_not_used_when_the_old_guid_is_still_in_the_document() -> None:
    old = article("a", url="https://e.org/same")
    other = article("b", url="https://e.org/same")
    update = plan(feed(old, other), known=[known(old)], now=NOW)
    (stored,) = update.articles
    assert stored.guid == "b"
    assert stored.previous_guid is None


def test_one_old_article_is_matched_at_most_once() -> None:
    old = article("old", url="https://e.org/story")
    first = replace(old, guid="new-1")
    second = replace(old, guid="new-2", title="Another")
    update = plan(feed(first, second), known=[known(old)], now=NOW)
    previous = [a.previous_guid for a in update.articles]
    assert len(update.articles) == 2
    assert previous.count("old") <= 1


def test_new_article_sharing_a_link_with_old_ones_is_new() -> None:
    """Feeds whose items all link to one page (a status page, a homepage): a genuinely new
    item must not take over an older item that left the document (and its read state)."""
    home = "https://status.example.org/"
    old_one = article("g1", url=home, title="Outage one")
    old_two = article("g2", url=home, title="Outage two")
    new = article("g3", url=home, title="Outage three")
    update = plan(feed(new), known=[known(old_one), known(old_two)], now=NOW)
    (stored,) = update.articles
    assert stored.guid == "g3"
    assert stored.previous_guid is None


# --- what is stored ------------------------------------------------------------------------


def test_stored_text_is_converted_and_cleaned() -> None:
    parsed = article(
        "a",
        summary_html="<p>Teaser &#27;[2J with \u202eflip</p>",
        content_html="<p>Full body text.</p><script>alert(1)</script><p>Second paragraph.</p>",
    )
    (stored,) = plan(feed(parsed), known=(), now=NOW).articles
    # The full story's plain text is made later, from the HTML kept (see plain_body).
    assert stored.body_pending and stored.body == "" and stored.words == 0
    assert stored.feed_html == parsed.content_html
    body, words = plain_body(stored.feed_html)
    assert "Full body text." in body
    assert "Second paragraph." in body
    assert "alert" not in body
    assert "<p>" not in body
    # So is its summary, from the feed's summary HTML kept (see made_summary).
    assert stored.summary == "" and stored.summary_html == parsed.summary_html
    summary = made_summary(stored.summary, stored.summary_html, stored.feed_html, body)
    assert summary.startswith("Teaser")
    assert "\x1b" not in summary + body
    assert "\u202e" not in summary
    assert words == len(body.split())
    assert words > 0


def test_a_story_without_a_summary_is_summed_up_by_its_start() -> None:
    paragraphs = "".join(f"<p>Paragraph {i} says something worth reading.</p>" for i in range(90))
    (stored,) = plan(
        feed(article("a", summary_html="", content_html=paragraphs)), known=(), now=NOW
    ).articles
    assert stored.summary == summary_of(plain_text(paragraphs))
    assert stored.summary.startswith("Paragraph 0 says") and stored.summary.endswith(" …")
    assert stored.summary_html is None
    assert not stored.needs_page


@pytest.mark.parametrize("summary_html", ["<p><img src='/a.png'></p>", "<p>A short teaser.</p>"])
def test_a_summary_left_for_later_is_the_one_made_at_once(summary_html: str) -> None:
    story = "".join(f"<p>Paragraph {i} says something worth reading.</p>" for i in range(90))
    parsed = article("a", summary_html=summary_html, content_html=story)
    (stored,) = plan(feed(parsed), known=(), now=NOW).articles
    expected = summary_of_html(summary_html) or summary_of(plain_text(story))
    assert expected  # (an image alone has no text: the story's start stands in)
    made = made_summary(stored.summary, stored.summary_html, stored.feed_html, "")
    assert made == expected
    # ... also once the story's HTML is gone (converted), from its body
    assert made_summary(stored.summary, stored.summary_html, None, plain_text(story)) == expected


def test_a_teaser_in_the_content_still_asks_for_the_page() -> None:
    teaser = "<p>" + "word " * 400 + "</p><p>Continue reading <a href='/x'>here</a></p>"
    (stored,) = plan(feed(article("a", content_html=teaser)), known=(), now=NOW).articles
    assert stored.needs_page
    (short,) = plan(
        feed(article("b", content_html="<p>Only a few words.</p>")), known=(), now=NOW
    ).articles
    assert short.needs_page


def test_summary_only_article() -> None:
    (stored,) = plan(feed(article("a")), known=(), now=NOW).articles
    assert stored.summary == "Summary of a."
    assert "Summary of a." in stored.body
    assert not stored.body_pending


def test_stored_dates_are_clamped() -> None:
    future = article("f", published=datetime(2100, 1, 1, tzinfo=UTC))
    ancient = article("o", published=datetime(1900, 1, 1, tzinfo=UTC))
    stored = {a.guid: a for a in plan(feed(future, ancient), known=(), now=NOW).articles}
    assert stored["f"].published == NOW
    assert stored["o"].published is None


# --- clamp_date ---------------------------------------------------------------------------


def test_clamp_date_keeps_ordinary_dates() -> None:
    moment = datetime(2024, 5, 31, tzinfo=UTC)
    assert clamp_date(moment, NOW) == moment


def test_clamp_date_none() -> None:
    assert clamp_date(None, NOW) is None


def test_clamp_date_small_clock_skew_is_tolerated() -> None:
    ahead = NOW + FUTURE_TOLERANCE - timedelta(minutes=1)
    assert clamp_date(ahead, NOW) == ahead


@pytest.mark.parametrize(
    "future",
    [
        NOW + FUTURE_TOLERANCE + timedelta(seconds=1),
        datetime(2100, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC),
    ],
)
def test_clamp_date_future_becomes_now(future: datetime) -> None:
    assert clamp_date(future, NOW) == NOW


@pytest.mark.parametrize(
    "ancient",
    [
        datetime(1, 1, 2, tzinfo=UTC),
        datetime(1900, 1, 1, tzinfo=UTC),
        datetime(1970, 1, 1, tzinfo=UTC),
        EARLIEST_DATE - timedelta(seconds=1),
    ],
)
def test_clamp_date_before_feeds_existed_is_unknown(ancient: datetime) -> None:
    assert clamp_date(ancient, NOW) is None


# --- prepare_update: bytes in, rows out --------------------------------------------------------

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Doc</title>
<item><guid isPermaLink="false">1</guid><title>One</title><description>First.</description></item>
<item><guid isPermaLink="false">2</guid><title>Two</title><description>Second.</description></item>
</channel></rss>"""


def test_prepare_update_parses_and_plans() -> None:
    update = prepare_update(RSS, url="https://e.org/feed", headers=None, known=(), now=NOW)
    assert update.title == "Doc"
    assert [a.guid for a in update.articles] == ["1", "2"]
    again = prepare_update(
        RSS,
        url="https://e.org/feed",
        headers=None,
        known=[KnownArticle(a.guid, a.url, a.content_hash) for a in update.articles],
        now=NOW,
    )
    assert again.articles == ()
    assert again.seen == 2


def test_prepare_update_raises_parse_error_for_non_feeds() -> None:
    with pytest.raises(ParseError):
        prepare_update(
            b"<html><body>hi</body></html>", url="https://e.org/", headers=None, known=(), now=NOW
        )


def test_empty_feed_changes_nothing() -> None:
    empty = b'<rss version="2.0"><channel><title>Doc</title></channel></rss>'
    update = prepare_update(
        empty,
        url="https://e.org/feed",
        headers=None,
        known=[KnownArticle("1", None, "x")],
        now=NOW,
    )
    assert update.articles == ()
    assert update.seen == 0


def test_stored_articles_survive_the_trip_to_and_from_a_worker() -> None:
    import pickle

    parsed = article("a", content_html="<p>" + "word " * 500 + "</p>")
    update = plan(feed(parsed, article("b")), known=(), now=NOW)
    assert pickle.loads(pickle.dumps(update)) == update


def test_the_next_issue_of_a_digest_linking_to_one_page_is_a_new_story() -> None:
    # One item at a time, each issue at the same link: week 49 took over week 48's row (its
    # star, its read state) as if week 48's guid had been re-issued.
    week_48 = article("week-48", url="https://e.org/digest", title="Digest week 48")
    week_49 = article("week-49", url="https://e.org/digest", title="Digest week 49")
    (stored,) = plan(feed(week_49), known=[known(week_48)], now=NOW).articles
    assert stored.guid == "week-49" and stored.previous_guid is None
