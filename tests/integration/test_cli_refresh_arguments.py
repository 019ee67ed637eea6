"""`readerterm refresh FEED...` checks every FEED before it fetches anything: one it cannot
find (`refresh --json 3 7`, 7 no feed) or words that match several feeds fetch none of
them. As every command that refuses its arguments, with --json too, it prints nothing on
stdout, one line on stderr and exits 1: a script's JSON only ever describes work done
(`refresh`'s array of feeds, `extract`'s line per source, `sync`'s report)."""

from __future__ import annotations

import json
from pathlib import Path

from child import readerterm_env, run_readerterm
from testserver import LocalServer


def rss(title: str) -> str:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><guid>1</guid><title>A story of {title}</title>"
        "<description>Text.</description></item></channel></rss>"
    )


def test_refresh_fetches_nothing_until_every_feed_is_found(
    http_server: LocalServer, tmp_path: Path
) -> None:
    env = readerterm_env(tmp_path)
    for name in ("Harbour News", "Harbour Sport", "Valley Post"):
        path = "/" + name.replace(" ", "-").lower() + ".xml"
        http_server.route(path, rss(name), content_type="application/rss+xml")
        assert run_readerterm(env, "add", http_server.url(path)).returncode == 0, name
    feeds = json.loads(run_readerterm(env, "feeds", "--json").stdout)
    ids = {feed["title"]: str(feed["id"]) for feed in feeds}
    http_server.clear()
    unknown = str(max(int(feed_id) for feed_id in ids.values()) + 4)
    refused = {
        unknown: f"readerterm: no subscribed feed matches '{unknown}' (give its id, URL,"
        " title or a word of it)\n",
        "harbour": f"readerterm: 'harbour' matches Harbour News (id {ids['Harbour News']}),"
        f" Harbour Sport (id {ids['Harbour Sport']}): give its id\n",
    }
    for reference, said in refused.items():
        for options in (["--json"], []):
            result = run_readerterm(
                env, "refresh", *options, ids["Valley Post"], reference, "--no-pages"
            )
            assert (result.returncode, result.stdout, result.stderr) == (1, "", said)
            assert http_server.requests == []  # (Valley Post, given first, was not fetched)
    # Every feed found: each is fetched, and --json is its array.
    result = run_readerterm(env, "refresh", "--json", "--no-pages", ids["Valley Post"], "sport")
    assert result.returncode == 0, result.stderr
    refreshed = sorted(feed["title"] for feed in json.loads(result.stdout))
    assert refreshed == ["Harbour Sport", "Valley Post"]
    assert len(http_server.requests) == 2
