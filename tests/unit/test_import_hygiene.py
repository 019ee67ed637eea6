"""Layering: the headless core never loads Textual or Rich (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS_MODULES = [
    "readerterm.library",
    "readerterm.cli.commands",
    "readerterm.__main__",
    "readerterm.config",
    "readerterm.feeds.parse",
    "readerterm.feeds.update",
    "readerterm.store",
    "readerterm.feeds.opml",
    "readerterm.cli.sources",
    "readerterm.library.links",
    "readerterm.text.safe",
    "readerterm.paths",
]


def loaded_after(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


def test_library_and_cli_do_not_load_textual_or_rich() -> None:
    code = (
        "import readerterm.library, readerterm.cli.commands, sys; "
        "print('textual' in sys.modules or 'rich' in sys.modules)"
    )
    assert loaded_after(code) == "False"


@pytest.mark.parametrize("module", HEADLESS_MODULES)
def test_headless_module_does_not_load_the_ui(module: str) -> None:
    code = (
        f"import {module}, sys; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')"
        " or m.startswith('readerterm.ui')))"
    )
    assert loaded_after(code) == "[]"


def test_help_does_not_load_the_ui() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from readerterm.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print('textual' in sys.modules or 'rich' in sys.modules)"
    )
    assert loaded_after(code) == "False"


def test_the_fetcher_does_not_load_httpx_command_line_client() -> None:
    # httpx would import click, rich and pygments for its own CLI (~0.2 s) when click is
    # installed (it is, in the development environment).
    code = (
        "import readerterm.net.fetch, sys, httpx; "
        "print(sorted(m for m in ('click', 'rich', 'pygments') if m in sys.modules), "
        "callable(httpx.AsyncClient))"
    )
    assert loaded_after(code) == "[] True"


def test_feedparser_is_loaded_only_for_a_document_the_fast_path_leaves_to_it() -> None:
    code = (
        "import sys\n"
        "from readerterm.feeds.parse import parse_feed\n"
        'plain = b\'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>A</title><guid>g</guid></item></channel></rss>'\n"
        "parse_feed(plain, url='https://e.org/feed')\n"
        "before = 'feedparser' in sys.modules\n"
        'parse_feed(b\'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns="http://purl.org/rss/1.0/"><channel><title>T</title></channel>'
        "<item><title>A</title><link>https://e.org/a</link></item></rdf:RDF>',"
        " url='https://e.org/feed')\n"
        "print(before, 'feedparser' in sys.modules)"
    )
    assert loaded_after(code) == "False True"


def test_a_worker_loads_the_parsers_without_the_store_or_the_config() -> None:
    # A worker process imports readerterm.feeds.update before its first feed; sqlite3, the store
    # and the config's TOML reader would add ~25 ms to each worker's start.
    code = (
        "import sys, readerterm.workers.process, readerterm.feeds.update; "
        "print(sorted(m for m in ('readerterm.store', 'readerterm.config', 'sqlite3', 'asyncio')"
        " if m in sys.modules))"
    )
    assert loaded_after(code) == "[]"


def test_the_reader_takes_a_workers_answer_without_loading_the_parsers() -> None:
    code = (
        "import pickle, sys\n"
        "from datetime import UTC, datetime\n"
        "from readerterm.feeds.rows import PreparedUpdate, StoredArticle\n"
        "article = StoredArticle('g', None, 't', None, datetime(2025, 1, 1, tzinfo=UTC), 'h',"
        " 's', 'b', (), '', 1, None, False)\n"
        "data = pickle.dumps((True, PreparedUpdate('T', None, (article,), 1, ('g',))))\n"
        "import readerterm.library\n"
        "assert pickle.loads(data)[1].articles == (article,)\n"
        "parsers = ('readerterm.feeds.update', 'readerterm.feeds.parse', 'lxml')\n"
        "print(sorted(m for m in parsers if m in sys.modules))"
    )
    assert loaded_after(code) == "[]"


def test_the_reader_starts_without_the_key_point_modules() -> None:
    # Their patterns cost the first screen ~25 ms (benchmarks/startup.py): the reader
    # needs them only when a story is converted, on a thread, or triage shows one.
    code = (
        "import readerterm.ui.app, sys; "
        "print(sorted(m for m in sys.modules if m.startswith('readerterm.text.')))"
    )
    assert loaded_after(code) == "['readerterm.text.safe']"
