"""`readerterm remove FEED` finds a feed as `refresh` and `articles --feed` do (an id, a
URL, a title or a word of it), and a command that deletes never acts on a guess: words
that match several feeds name them (five, and how many more), a part of one title names
that feed and its id, and none is removed."""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import quoteattr

from child import readerterm_env, run_readerterm

TITLES = (
    "The Long Read",
    "Longer Stories",
    "Long Haul",
    "Longform Weekly",
    "Long Now",
    "Belong",
    "Lifelong Learning",
    "Harbour Ledger",
)


def subscribed(env: dict[str, str]) -> list[str]:
    result = run_readerterm(env, "feeds", "--json")
    assert result.returncode == 0, result.stderr
    return [feed["title"] for feed in json.loads(result.stdout)]


def test_remove_names_the_feed_a_word_finds_and_never_guesses(tmp_path: Path) -> None:
    env = readerterm_env(tmp_path, READERTERM_OFFLINE="1")
    outlines = "".join(
        f"<outline type='rss' text={quoteattr(title)} xmlUrl='https://feeds{n}.example/rss'/>"
        for n, title in enumerate(TITLES, 1)
    )
    opml = tmp_path / "feeds.opml"
    opml.write_text(f"<opml version='2.0'><body>{outlines}</body></opml>", encoding="utf-8")
    assert run_readerterm(env, "import", str(opml)).returncode == 0
    assert sorted(subscribed(env)) == sorted(TITLES)

    # Seven titles hold "long": five are named with their ids, none is removed.
    refused = run_readerterm(env, "remove", "Long")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.startswith("readerterm: 'Long' matches ")
    assert refused.stderr.endswith(" and 2 more: give its id\n")
    assert refused.stderr.count(" (id ") == 5 and refused.stderr.count("\n") == 1
    assert sorted(subscribed(env)) == sorted(TITLES)

    # A word only one title holds names that feed and its id ("no subscribed feed
    # matches" before); "&" removed "Climate & Energy" and its stories at once.
    for part in ("ledger", "our l"):
        named = run_readerterm(env, "remove", part)
        assert (named.returncode, named.stdout) == (1, ""), named.stderr
        assert named.stderr == (
            f"readerterm: {part!r} is part of the title of Harbour Ledger (id 8): give its"
            " id, URL or whole title to remove it\n"
        )
    assert sorted(subscribed(env)) == sorted(TITLES)
    removed = run_readerterm(env, "remove", "8")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.startswith("Removed Harbour Ledger (https://feeds8.example/rss)")
    assert "Harbour Ledger" not in subscribed(env)

    # A whole title is taken before the titles that hold it.
    assert run_readerterm(env, "remove", "long haul").returncode == 0
    assert len(subscribed(env)) == len(TITLES) - 2

    # A number is an id, never a part of a title; unknown words change nothing.
    for reference in ("99", "nothing like it"):
        missing = run_readerterm(env, "remove", reference)
        assert missing.returncode == 1 and missing.stdout == ""
        assert missing.stderr.startswith(f"readerterm: no subscribed feed matches {reference!r}")
    assert len(subscribed(env)) == len(TITLES) - 2
