"""`extract` output a script can trust: no invented dates, plain output that is plain text
with the title once, a body that does not repeat the title, a plain-text story's opening
bullets as its key points, and `--offline extract URL` answered from the stored stories."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from in_process import use_home
from readerterm.__main__ import main
from readerterm.library import Library
from readerterm.paths import Paths
from readerterm.text.extract import from_feed_html, from_page_html, from_plain_text
from readerterm.text.plaintext import markdown_to_plain

TITLE = "Bridge reopens after repairs"
PARAGRAPHS = (
    "<p>The old bridge over the river reopened on Monday after repairs that began in 2021."
    " Engineers replaced the deck and strengthened the piers, the city said.</p>"
    "<p>Traffic was light in the morning. Officials expect about 20,000 vehicles a day once"
    " commuters return, close to what the bridge carried before it closed.</p>"
    "<p>The repairs cost 40 million euros, more than first planned, because corrosion in the"
    " piers was worse than the inspections of 2019 had shown. Work ran through two winters.</p>"
    "<p>Residents welcomed the news. Shops on both banks said trade had fallen by a third"
    " while the bridge was shut, and several had closed for good.</p>"
)
PAGE = (
    f"<!doctype html><html><head><title>{TITLE}</title></head><body>"
    f'<nav><a href="/">Home</a></nav><article><h1>{TITLE}</h1>{PARAGRAPHS}</article>'
    "</body></html>"
)
BULLETS = (
    "Talks between the two governments resumed in Geneva on Tuesday after a pause of six weeks.",
    "Both sides agreed to reopen the border crossing for aid convoys, the first concrete step.",
    "A checkpoint on the island will be staffed by 40 officers from a neutral country.",
)
STORY = (
    "The talks resumed on Tuesday in Geneva. The mediator said progress had been made.",
    "The border crossing will reopen next week for aid convoys. It has been closed since May.",
    "Forty officers will staff a checkpoint on the island, said the mediator.",
)


# --- dates ---------------------------------------------------------------------------------


def test_a_page_without_a_date_has_none_even_with_years_in_its_text() -> None:
    assert from_page_html(PAGE).published is None


def test_a_date_the_page_states_is_still_read() -> None:
    dated = PAGE.replace(
        "<head>",
        '<head><meta property="article:published_time" content="2024-03-05T10:00:00+00:00">',
    )
    published = from_page_html(dated).published
    assert published is not None and published.isoformat() == "2024-03-05T10:00:00+00:00"
    timed = PAGE.replace("<article>", '<article><time datetime="2024-03-05">5 March</time>')
    published = from_page_html(timed).published
    assert published is not None and published.date().isoformat() == "2024-03-05"


# --- the title, once -----------------------------------------------------------------------


def test_a_page_body_does_not_open_with_its_title() -> None:
    extracted = from_page_html(PAGE)
    assert extracted.title == TITLE
    assert TITLE not in extracted.body
    assert extracted.body.startswith("The old bridge")


def test_a_page_title_with_the_site_name_still_finds_the_heading() -> None:
    page = PAGE.replace(f"<title>{TITLE}</title>", f"<title>{TITLE} | The Daily</title>")
    assert TITLE not in from_page_html(page).body


def test_feed_html_does_not_open_with_the_story_title() -> None:
    html = f"<h1>{TITLE}</h1>{PARAGRAPHS}"
    assert TITLE not in from_feed_html(html, title=TITLE).body
    assert TITLE in from_feed_html(html).body  # (no title given: nothing to compare)
    other = f"<h2>What the engineers found</h2>{PARAGRAPHS}"
    assert "What the engineers found" in from_feed_html(other, title=TITLE).body


# --- plain-text stories --------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["- ", "• ", "* "])
@pytest.mark.parametrize("between", ["\n", "\n\n"])
def test_opening_bullets_are_the_publishers_key_points(mark: str, between: str) -> None:
    text = "\n".join(mark + bullet for bullet in BULLETS) + "\n\n" + between.join(STORY)
    extracted = from_plain_text(text)
    assert extracted.key_points_origin == "page"
    assert extracted.key_points == BULLETS
    assert extracted.body.split("\n\n")[0] == STORY[0]
    assert "Talks between" not in extracted.body
    assert "•" not in extracted.body and "\\-" not in extracted.body


@pytest.mark.parametrize(
    "label", ["Key points:", "Highlights", "Key points (picked from the text):", "KEY TAKEAWAYS"]
)
@pytest.mark.parametrize("title", ["", "Talks resume in Geneva"])
def test_labelled_bullets_after_a_title_are_the_key_points(label: str, title: str) -> None:
    # As a publisher lays a text story out, or as `readerterm extract` prints one: a title
    # line, a label, the bullets, the story. The title is the story's, not its body's.
    bullets = "\n".join(f"  - {bullet}" for bullet in BULLETS)
    text = f"{title}\n\n{label}\n{bullets}\n\n" + "\n\n".join(STORY)
    extracted = from_plain_text(text, find_title=True)
    assert extracted.key_points_origin == "page"
    assert extracted.key_points == BULLETS
    assert extracted.title == (title or None)
    assert extracted.body.split("\n\n")[0] == STORY[0]
    assert label.split()[0] not in extracted.body


def test_extract_reads_its_own_plain_output_back() -> None:
    first = from_plain_text("".join(f"- {b}\n" for b in BULLETS) + "\n" + "\n\n".join(STORY))
    for points in (first.key_points, first.key_points[:1]):  # (extract may print one)
        printed = "Talks resume\n\nKey points (from the article page):\n"
        printed += "".join(f"  - {point}\n" for point in points)
        printed += "\n" + markdown_to_plain(first.body) + "\n"
        again = from_plain_text(printed, find_title=True)
        assert (again.title, again.key_points, again.body) == ("Talks resume", points, first.body)


@pytest.mark.parametrize(
    "title", ["Will rates fall this year?", "Rates rise at last!", "Acme Inc. buys Rival Co."]
)
def test_any_short_line_above_labelled_key_points_is_the_title(title: str) -> None:
    # A headline may end in "?" or "!", or "." after an abbreviation: above a labelled
    # list it is the title all the same (this morning a "?" lost the key points too).
    bullets = "".join(f"- {bullet}\n" for bullet in BULLETS)
    text = f"{title}\n\nKey points:\n{bullets}\n" + "\n\n".join(STORY)
    extracted = from_plain_text(text, find_title=True)
    assert (extracted.title, extracted.key_points) == (title, BULLETS)


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("# Release notes", "Release notes"),
        ("Why the harbour wall failed?", "Why the harbour wall failed?"),
        ("https://example.com/a", None),
        ("By Jane Doe", None),
        ("Dear Mr Smith", None),
        ("2024-05-12", None),
        ("The talks resumed on Tuesday.", None),
    ],
)
def test_what_makes_a_title_line(first_line: str, title: str | None) -> None:
    extracted = from_plain_text(f"{first_line}\n\n" + "\n\n".join(STORY), find_title=True)
    assert extracted.title == title
    assert (first_line in extracted.body) == (title is None)


@pytest.mark.parametrize(
    "text",
    [
        "Key points:\n" + "1. a b c\n\n" * 40_000,  # items far past six, blank lines between
        "- a b c d\n" + "  wrapped line\n" * 100_000,  # one item wrapped 100,000 times
    ],
    ids=["many-items", "long-wrapped-item"],
)
def test_opening_bullets_are_read_in_linear_time(text: str) -> None:
    # Each blank line copied the rest of the file to look past it: 800,000 characters of
    # numbered items took 16 s; each wrapped line copied its item.
    started = time.process_time()
    from_plain_text(text, find_title=True)
    assert time.process_time() - started < 2.0


def test_numbered_points_count_under_a_label_only() -> None:
    numbered = "\n".join(f"{n}. {bullet}" for n, bullet in enumerate(BULLETS, start=1))
    story = "\n\n".join(STORY)
    assert from_plain_text(f"Key points:\n{numbered}\n\n{story}").key_points == BULLETS
    listicle = from_plain_text(f"{numbered}\n\n{story}")
    assert listicle.key_points_origin == "generated" and "Talks between" in listicle.body


@pytest.mark.parametrize(
    "opening",
    [
        # A sentence, then a list: the story's own list, not its key points.
        "The council approved three changes on Tuesday.\n",
        # A list under another label, or right under a line that is no title.
        "Ingredients:\n",
        "Ingredients\n",
    ],
)
def test_a_list_after_a_sentence_or_another_label_stays_in_the_body(opening: str) -> None:
    text = opening + "- two cups of plain flour\n- one spoon of sugar, heaped\n\n"
    extracted = from_plain_text(text + "\n\n".join(STORY), find_title=True)
    assert extracted.key_points_origin == "generated"
    assert "two cups of plain flour" in extracted.body


def test_a_title_line_is_found_only_when_asked() -> None:
    text = "Talks resume in Geneva\n\n" + "\n\n".join(STORY)
    found = from_plain_text(text, find_title=True)
    assert found.title == "Talks resume in Geneva" and found.body.startswith(STORY[0])
    kept = from_plain_text(text)  # (text that was a page or a feed's keeps its first line)
    assert kept.title is None and kept.body.startswith("Talks resume in Geneva")
    sentence = from_plain_text("The talks resumed.\n\n" + "\n\n".join(STORY), find_title=True)
    assert sentence.title is None


def test_wrapped_bullets_and_a_single_dash_line() -> None:
    wrapped = "- Talks resumed in Geneva on Tuesday\n  after a pause of six weeks.\n"
    wrapped += "- Both sides agreed to reopen the crossing.\n\n" + "\n".join(STORY)
    extracted = from_plain_text(wrapped)
    first = "Talks resumed in Geneva on Tuesday after a pause of six weeks."
    assert extracted.key_points[0] == first
    # One dash line is no list of key points: the text stays the body.
    single = from_plain_text("- just one line that starts with a dash\n" + "\n".join(STORY))
    assert single.key_points_origin == "generated"
    assert "just one line" in single.body


def test_bullets_that_are_no_key_points_stay_a_list_in_the_body() -> None:
    # Too short to be key points (three words or more each): a list, one item a line,
    # not run together into "- a b - c d".
    extracted = from_plain_text("- point one\n* point two\n\n" + "\n\n".join(STORY))
    assert extracted.key_points_origin == "generated"
    assert extracted.body.split("\n\n")[0] == "- point one\n- point two"
    assert markdown_to_plain(extracted.body).startswith("- point one\n- point two\n\n")


@pytest.mark.parametrize("between", ["\n\n", "\n"])
def test_short_bullets_under_a_label_stay_a_list_below_it(between: str) -> None:
    # The label and its bullets ran together as one paragraph "Key points: - one point -
    # two point" (or, with no blank lines, each bullet a paragraph "\- one point").
    text = "Bridge vote\n\nKey points:\n- one point\n- two point\n  wrapped" + between
    extracted = from_plain_text(text + "\n".join(STORY[:2]), find_title=True)
    assert extracted.title == "Bridge vote" and "Key points: -" not in extracted.body
    assert extracted.body.startswith("Key points:\n\n- one point\n- two point wrapped\n\n")
    assert not any("point" in point for point in extracted.key_points)
    # A dash opening one line of a paragraph is still no list.
    single = from_plain_text("The vote was close\n- 52 to 48\nsaid the clerk.\n\nNext.")
    assert single.body.startswith("The vote was close - 52 to 48 said the clerk.")


def test_markdown_to_plain() -> None:
    markdown = (
        "# A heading\n\nIn 2021\\. it *rained* on [the town](https://t.example/).\\\nNext"
        " line\n\n- an item\n1. first\n\n> quoted `code`\n\n```\nx = *y*\n```"
    )
    assert markdown_to_plain(markdown) == (
        "A heading\n\nIn 2021. it rained on the town.\nNext line\n\n- an item\n1. first\n\n"
        "  quoted code\n\nx = *y*"
    )


# --- the command line ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    return use_home(tmp_path, monkeypatch, network=False)


def test_plain_output_is_plain_text_with_the_title_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["extract", "--offline", str(page)]) == 0
    out = capsys.readouterr().out
    assert out.count(TITLE) == 1
    assert out.startswith(TITLE + "\n")
    assert "\\" not in out and "# " not in out
    assert "began in 2021. Engineers" in out


def test_json_gives_null_for_a_page_without_a_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    assert main(["extract", "--offline", "--json", str(page)]) == 0
    assert json.loads(capsys.readouterr().out)["published"] is None


def test_a_bulleted_text_file_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = tmp_path / "seed.txt"
    text.write_text("\n".join("• " + b for b in BULLETS) + "\n\n" + "\n\n".join(STORY), "utf-8")
    assert main(["extract", "--json", "--offline", str(text)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["key_points_origin"] == "page"
    assert result["key_points"] == list(BULLETS)
    # Plain output says where they came from in the reader's words.
    assert main(["extract", "--offline", str(text)]) == 0
    assert "Key points (from the article page):\n  - " in capsys.readouterr().out


def test_short_labelled_bullets_from_the_command_line_read_back_the_same(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("A title\n\nKey points:\n- one point\n- two point\n\n" + STORY[0], "utf-8")
    assert main(["extract", "--json", "--offline", str(text)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["body"] == "Key points:\n\n- one point\n- two point\n\n" + STORY[0]
    assert main(["extract", "--offline", str(text)]) == 0
    printed = capsys.readouterr().out
    assert "Key points:\n\n- one point\n- two point\n\n" in printed
    text.write_text(printed, "utf-8")  # (its key points picked from the text read as its own)
    assert main(["extract", "--offline", str(text)]) == 0
    assert capsys.readouterr().out.endswith(printed[printed.index("Key points:\n") :])


STORY_URL = "https://daily.example.org/2024/bridge"
FEED_DOCUMENT = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Daily</title>'
    "<link>https://daily.example.org/</link><item><guid>b1</guid>"
    f"<link>{STORY_URL}</link><title>{TITLE}</title><author>ed@daily.example.org (Ed)</author>"
    "<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
    f"<description><![CDATA[{PARAGRAPHS}]]></description></item></channel></rss>"
).encode()


def test_offline_extract_of_a_stored_story_answers_from_the_cache(
    capsys: pytest.CaptureFixture[str], paths: Paths
) -> None:
    library = Library.open(paths, offline=True)
    try:
        feed = library.subscriptions.subscribe("https://daily.example.org/feed.xml")
        library.refresher.ingest_document(feed.id, FEED_DOCUMENT)
    finally:
        library.close()
    status = main(["extract", "--offline", "--json", STORY_URL, "https://other.example/x"])
    assert status == 1  # the second one is not stored
    stored, missing = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert stored["url"] == STORY_URL
    assert stored["title"] == TITLE
    assert stored["published"] == "2024-03-05T10:00:00+00:00"
    assert "reopened on Monday" in stored["body"]
    assert stored["key_points"] and stored["key_points_origin"] == "generated"
    assert "offline" in missing["error"]
    assert main(["extract", "--offline", STORY_URL]) == 0
    assert capsys.readouterr().out.count(TITLE) == 1


def test_a_binary_file_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    picture = tmp_path / "photo.jpg"
    picture.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40)
    assert main(["extract", "--offline", str(picture)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == f"readerterm: {picture}: it is not text or HTML (binary data)"


def test_binary_stdin_is_named_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(bytes(range(256)) * 40)))
    assert main(["extract", "--offline", "-"]) == 1
    assert capsys.readouterr().err == "readerterm: stdin: it is not text or HTML (binary data)\n"
