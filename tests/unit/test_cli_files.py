"""The commands that read or write files, run in-process and never on the network: extract
from local text and HTML files, OPML import and export, a config file given with --config,
and where the database goes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from cli_home import (
    FEED,
    offline_home,  # noqa: F401  (the autouse fixture `paths`)
    run,
    run_json,
    seed,
    stored_urls,
)

from readerterm.feeds.opml import read_opml
from readerterm.paths import Paths

EXTRACT_KEYS = {
    "source",
    "url",
    "title",
    "author",
    "published",
    "key_points",
    "key_points_origin",
    "body",
    "words",
}

# --- extract -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head><title>Harbour reopens after storm</title>
<meta name="author" content="Pat Writer"></head><body><article>
<h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Tuesday after a week-long closure caused by the storm that
damaged two piers and sank several small boats at their moorings.</p>
<p>Engineers inspected the sea wall and found no structural damage, the port authority
said in a statement, adding that ferries would run to the normal timetable.</p>
<p>Fishing crews, who lost a week of work, said they would ask the council for help
with repairs to the smaller jetty used by the inshore fleet.</p>
</article></body></html>"""


def test_extract_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text(
        "The first paragraph says something about trains running late again today.\n"
        "The second paragraph explains that the signals failed near the station.\n"
        "The third paragraph says repairs will take until the weekend to finish.\n",
        encoding="utf-8",
    )
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    status, out, _ = run(
        capsys, "extract", "--offline", "--json", str(text), str(page), str(missing)
    )
    assert status == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["source"] for line in lines] == [str(text), str(page), str(missing)]
    plain, html, error = lines
    for result in (plain, html):
        assert set(result) >= EXTRACT_KEYS
        assert result["key_points_origin"] in ("page", "feed", "generated")
        assert isinstance(result["key_points"], list)
        assert result["words"] == len(result["body"].split())
    assert "signals failed" in plain["body"]
    assert "harbour reopened" in html["body"].lower()
    assert "<p>" not in html["body"]
    assert error == {"source": str(missing), "error": "No such file or directory"}
    # Without --json, one line names the file once, as every error of readerterm's starts.
    status, _, err = run(capsys, "extract", "--offline", str(missing))
    assert (status, err) == (1, f"readerterm: {missing}: No such file or directory\n")
    assert error["error"]


def test_extract_text_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = tmp_path / "story.htm"
    page.write_text(PAGE, encoding="utf-8")
    status, out, _ = run(capsys, "extract", "--offline", str(page))
    assert status == 0
    assert "harbour reopened" in out.lower()


def test_extract_from_stdin_has_no_title_of_its_own(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # stdin has no name: its story was titled "-".
    def given(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))

    given("Some text\n")
    assert run(capsys, "extract", "--offline", "-") == (0, "Some text\n\n", "")
    given("Some text\n")
    (line,) = [
        json.loads(line)
        for line in run(capsys, "extract", "--offline", "--json", "-")[1].splitlines()
    ]
    assert (line["source"], line["title"], line["body"]) == ("-", None, "Some text")
    titled = "Trains run late\n\nThe signals failed near the station again this morning.\n"
    given(titled)  # a title on the text's first line is its title, as in a text file
    status, out, _ = run(capsys, "extract", "--offline", "-")
    assert status == 0 and out.startswith("Trains run late\n\n"), out


def test_extract_url_offline_is_an_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "extract", "--offline", "--json", "https://example.org/story")
    assert status == 1
    (line,) = [json.loads(line) for line in out.splitlines()]
    assert line["source"] == "https://example.org/story"
    assert "offline" in line["error"]


# --- import / export -----------------------------------------------------------------------------

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>mine</title></head><body>
<outline text="World">
  <outline type="rss" text="A" xmlUrl="https://a.example/feed"/>
  <outline type="rss" text="B" xmlUrl="https://b.example/feed"/>
</outline>
<outline type="rss" text="Bad" xmlUrl="file:///etc/passwd"/>
</body></opml>"""


def test_import_then_export_to_a_file(
    capsys: pytest.CaptureFixture[str], paths: Paths, tmp_path: Path
) -> None:
    source = tmp_path / "in.opml"
    source.write_bytes(OPML)
    status, out, _ = run(capsys, "import", str(source))
    assert status == 0
    assert "Imported 2 feeds" in out
    assert "file:///etc/passwd" in out
    assert sorted(stored_urls(paths)) == ["https://a.example/feed", "https://b.example/feed"]
    target = tmp_path / "out.opml"
    status, _, err = run(capsys, "export", str(target))
    assert status == 0
    assert str(target) in err
    outlines, skipped = read_opml(target.read_bytes())
    assert skipped == []
    assert {(o.url, o.tags) for o in outlines} == {
        ("https://a.example/feed", ("World",)),
        ("https://b.example/feed", ("World",)),
    }
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.opml")] == []


def test_export_to_stdout(capsys: pytest.CaptureFixture[str], paths: Paths) -> None:
    seed(paths)
    status, out, _ = run(capsys, "export")
    assert status == 0
    (outline,), _ = read_opml(out.encode("utf-8"))
    assert outline.url == FEED


def test_import_of_a_file_that_is_no_opml_says_what_it_is(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The XML parser's words were shown: "not a valid OPML file: syntax error: line 1,
    # column 0", "... no element found: line 1, column 0".
    said = {
        "notes.txt": ("Feeds I read\n", "not an OPML file: it is not XML"),
        "empty.opml": ("", "not an OPML file: it is empty"),
        "cut.opml": (
            '<opml version="2.0">\n<body><outline text="A"',
            "not a valid OPML file: the XML is broken (an unfinished tag at line 2, column 7)",
        ),
    }
    for name, (text, reason) in said.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert run(capsys, "import", str(tmp_path / name)) == (1, "", f"readerterm: {reason}\n")


def test_import_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "import", str(tmp_path / "nope.opml"))
    assert status == 1
    assert "cannot read" in err


def test_import_hostile_opml(
    capsys: pytest.CaptureFixture[str], paths: Paths, tmp_path: Path
) -> None:
    source = tmp_path / "evil.opml"
    source.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "x">]><opml><body>'
        b'<outline xmlUrl="https://a.example/feed"/></body></opml>'
    )
    status, _, err = run(capsys, "import", str(source))
    assert status == 1
    assert "DTD" in err
    assert stored_urls(paths) == []


def test_export_to_an_unwritable_place(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "export", str(tmp_path / "no" / "such" / "dir" / "out.opml"))
    assert status == 1
    assert "cannot write" in err


# --- config and paths ----------------------------------------------------------------------


def test_config_option_subscribes_listed_feeds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "custom.toml"
    config.write_text(
        '[[feeds]]\nurl = "https://listed.example/feed"\ntitle = "Listed"\ntags = ["cfg"]\n',
        encoding="utf-8",
    )
    feeds = run_json(capsys, "feeds", "--json", "--config", str(config))
    assert [(f["url"], f["title"], f["tags"]) for f in feeds] == [
        ("https://listed.example/feed", "Listed", ["cfg"])
    ]


def test_invalid_config_names_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("[settings\n", encoding="utf-8")
    status, _, err = run(capsys, "feeds", "--config", str(config))
    assert status == 1
    assert str(config) in err
    assert "line 1" in err


@pytest.mark.parametrize("argv", [["feeds"], ["articles", "--json"], ["--demo"]])
def test_a_config_file_that_is_not_there_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]
) -> None:
    # A typo in --config ran on the defaults without a word (the demo even said it used
    # the file); nothing is run.
    missing = tmp_path / "cofnig.toml"
    status, out, err = run(capsys, *argv, "--config", str(missing))
    assert (status, out) == (1, "")
    said = f"{missing}: no such config file (`readerterm --config {missing}` writes a starter"
    assert err == f"readerterm: {said} one there)\n"


def test_files_go_where_the_environment_says(
    capsys: pytest.CaptureFixture[str], paths: Paths, tmp_path: Path
) -> None:
    assert run(capsys, "add", FEED, "--offline", "--force")[0] == 0
    assert paths.database == tmp_path / "data" / "readerterm.db"
    assert paths.database.exists()
