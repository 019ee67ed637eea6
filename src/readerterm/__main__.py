"""Entry point: parse the command line, build the Library, run a command or the TUI.

The UI (and so Textual) is imported only when the TUI starts, so headless commands,
--help and --version stay fast.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from . import __version__
from .config import Config, load_config, parse_config, read_config_text, write_starter_config
from .errors import ConfigError, ReaderTermError
from .library import Library
from .paths import Paths, default_paths, offline_from_environment
from .text.safe import clean_line

EPILOG = """\
examples:
  readerterm                         open the reader
  readerterm --demo                  try it on sample stories, no network needed
  readerterm add https://lwn.net/headlines/rss --tag linux
  readerterm refresh                 fetch every feed now (a progress bar on a terminal)
  readerterm articles --unread --limit 20
  readerterm extract --json https://example.org/story.html notes.txt
  readerterm sync                    two-way sync with the [sync] server of config.toml

environment:
  READERTERM_CONFIG_DIR, READERTERM_DATA_DIR, READERTERM_CACHE_DIR override where files live;
  READERTERM_OFFLINE=1 is the same as --offline;
  READERTERM_SYNC_PASSWORD gives the sync password (else [sync] password_command).

exit status: 0 ok, 1 some work failed or bad input, 2 usage error.
"""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        default=argparse.SUPPRESS,
        help="config file to use instead of the default one",
    )
    common.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS,
        help="never touch the network; read everything from the cache",
    )
    parser = argparse.ArgumentParser(
        prog="readerterm",
        description="A terminal news reader: key points and body side by side, cached offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"readerterm {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway reader filled with the sample feeds shipped with readerterm"
        " (with --config FILE: that file's keys, theme, filters and searches)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, summary: str, example: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=summary,
            description=summary,
            parents=[common],
            epilog=f"example:\n  {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(usage_of=sub)  # a usage error in it shows the command's usage
        return sub

    add = command(
        "add",
        "subscribe to a feed (fetched once to check it)",
        "readerterm add https://example.org/feed.xml --title Example --tag news",
    )
    add.add_argument("url", metavar="URL", help="http(s) URL of the feed")
    add.add_argument("--title", help="title to show instead of the feed's own")
    add.add_argument("--tag", action="append", default=[], help="tag (repeatable)")
    add.add_argument(
        "--force",
        action="store_true",
        help="subscribe even if the feed cannot be fetched or read now",
    )

    remove = command(
        "remove", "unsubscribe from a feed and delete its articles", "readerterm remove 3"
    )
    remove.description = "unsubscribe from one feed and delete its articles"
    remove.add_argument("feed", metavar="FEED", help="feed id, URL or whole title")

    feeds = command(
        "feeds", "list subscriptions with unread counts and last errors", "readerterm feeds --json"
    )
    feeds.add_argument("--json", action="store_true", help="print a JSON array")

    refresh = command(
        "refresh",
        "fetch feeds now, then the pages of teaser stories; names what failed and why",
        "readerterm refresh --json 3 7",
    )
    refresh.epilog = (
        f"{refresh.epilog}\n\n"
        "--json prints one array: an object per feed,\n"
        '  {"kind": "feed", "feed_id", "url", "title", "status", "new", "updated", "error"}\n'
        "then one per article page that failed,\n"
        '  {"kind": "page", "article_id", "feed_id", "url", "title", "status": "failed", "error"}\n'
        "The exit status is 1 when a feed failed; a page that failed does not change it.\n"
        "Every FEED is found before any is fetched: one that matches no feed, or several,\n"
        "is said on stderr, with nothing on stdout (--json too), and exit status 1."
    )
    refresh.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array: the feeds' results, then the article pages that failed",
    )
    refresh.add_argument(
        "--no-pages",
        action="store_true",
        help="do not fetch article pages for feeds that carry only summaries",
    )
    refresh.add_argument(
        "feeds", metavar="FEED", nargs="*", help="feed ids, URLs or (words of) titles (default all)"
    )

    articles = command(
        "articles",
        "list cached articles, newest first",
        "readerterm articles --unread --feed 3 --limit 20",
    )
    articles.add_argument("--unread", action="store_true", help="only unread articles")
    articles.add_argument("--starred", action="store_true", help="only starred articles")
    articles.add_argument(
        "--feed", metavar="FEED", help="only this feed (id, URL, title or a word of it)"
    )
    articles.add_argument("--search", metavar="Q", help="words, feed:, tag:, is:, after:, before:")
    articles.add_argument("--limit", metavar="N", type=_count, help="at most N articles")
    articles.add_argument(
        "--json",
        action="store_true",
        help="print a JSON array (key points only of stories already opened)",
    )

    extract = command(
        "extract",
        "print key points and body for URLs, HTML or text files, or - (stdin)",
        "readerterm extract --json https://example.org/story.html story.txt -",
    )
    extract.add_argument("--json", action="store_true", help="one JSON object per line")
    extract.add_argument(
        "sources",
        metavar="SOURCE",
        nargs="+",
        help="an http(s) URL (with --offline: the stored story that links to it), an"
        " .html or text file, or - for stdin; a text file's first line, short and on its"
        " own, is its title, and the bullets that open it (under a label such as"
        ' "Key points:" or not) are its key points if each has 3 words or more',
    )

    import_ = command(
        "import",
        "subscribe to every http(s) feed in an OPML file",
        "readerterm import subscriptions.opml",
    )
    import_.add_argument(
        "file", metavar="FILE.opml", help="an OPML file exported by another reader or a site"
    )

    export = command(
        "export",
        "write subscriptions as OPML 2.0 (stdout by default)",
        "readerterm export feeds.opml",
    )
    export.add_argument(
        "file", metavar="FILE", nargs="?", help="where to write the OPML (default: stdout)"
    )

    sync = command(
        "sync",
        "sync with the server named in config.toml's [sync] (FreshRSS, Miniflux ...)",
        "readerterm sync --json",
    )
    sync.add_argument("--json", action="store_true", help="print what the sync did as JSON")
    sync.add_argument(
        "--no-pages",
        action="store_true",
        help="do not fetch article pages for new stories that carry only a summary",
    )
    sync.add_argument(
        "--switch-account",
        action="store_true",
        help="sync as the config's account even when decisions wait for the last one"
        " (they are dropped)",
    )

    mark = command(
        "mark",
        "mark stories read, unread, starred or unstarred (sent at the next sync if on the server)",
        "readerterm mark read 12 13 14",
    )
    mark.add_argument("action", choices=["read", "unread", "star", "unstar"])
    mark.add_argument("ids", metavar="ID", nargs="+", help="ids of `readerterm articles`")

    show = command(
        "show", "print one stored story as extract prints a source", "readerterm show --json 12"
    )
    show.add_argument("--json", action="store_true", help="print a JSON object")
    show.add_argument("id", metavar="ID", help="id of `readerterm articles`")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    args, unknown = parser.parse_known_args(words)
    if unknown:
        # (argparse shows the top-level usage even for an option given after a command)
        before_command = words[: words.index(args.command)] if args.command in words else words
        after_command = not set(unknown) & set(before_command)
        said_to: argparse.ArgumentParser = getattr(args, "usage_of", parser)
        (said_to if after_command else parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.demo and args.command:
        parser.error("--demo opens the reader on sample stories; it takes no command")
    offline = bool(getattr(args, "offline", False)) or offline_from_environment()
    paths = default_paths(getattr(args, "config", None))
    try:
        given = getattr(args, "config", None)
        if given is not None and (args.demo or args.command) and not given.exists():
            # (a typo in the path would run on the defaults without a word; the reader
            # itself writes a starter config where it finds none)
            raise ConfigError(
                f"{given}: no such config file (`readerterm --config {given}` writes a "
                "starter one there)"
            )
        if args.demo:
            return _run_demo(given)
        if args.command is None:
            return _run_tui(paths, offline)
        status = _run_command(paths, offline, args)
        sys.stdout.flush()  # here, not at exit: a reader gone away is caught below
        return status
    except ReaderTermError as error:
        from .cli.output import message  # errors quote what they failed on: cleaned, one line

        print(f"readerterm: {message(error)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("readerterm: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _reader_went_away()


def _reader_went_away() -> int:
    """The program reading our output stopped (`readerterm articles | head -3`): stop
    quietly, as other commands do, instead of a traceback. Output still buffered would fail
    again at exit, so stdout is pointed at /dev/null first. Status 1: not all was written."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 1


def _count(text: str) -> int:
    """A command-line count: a whole number, 0 or more (argparse says so otherwise)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count (0 or more)")
    return value


def _run_command(paths: Paths, offline: bool, args: argparse.Namespace) -> int:
    from .cli.commands import run_command

    config = load_config(paths.config_file)
    library = Library.open(paths, offline=offline)
    try:
        library.settings.configure(config)  # first: with sync on, config feeds are not added
        if note := library.subscriptions.add_config_feeds(config.feeds).not_written:
            print(f"readerterm: warning: {note}", file=sys.stderr)
        return asyncio.run(run_command(library, args))
    finally:
        library.close()


def _starter_config(path: Path) -> str | None:
    """Write the starter config when there is none yet; what to tell the user about it.

    When it cannot be written (a full disk, a read-only folder) the reader starts with the
    defaults and says why; nothing is left half written, so the next start writes it. A
    link where the config should be (a dotfiles folder not mounted) is left alone."""
    if path.exists() or path.is_symlink():
        return None
    try:
        write_starter_config(path)
    except ConfigError as error:
        return f"{clean_line(str(error))}; the reader uses the default settings until it can."
    # The path on a line of its own: a toast folds a long word wherever its line ends.
    return (
        f"Welcome! A starter config with news feeds was written to\n{clean_line(str(path))}\n"
        "Edit it to change feeds, keys and theme."
    )


def _run_tui(paths: Paths, offline: bool) -> int:
    first_start = not (paths.config_file.exists() or paths.config_file.is_symlink())
    notices = [_starter_config(paths.config_file)]
    text = read_config_text(paths.config_file)  # read once: the keymap check quotes its lines
    config = parse_config(paths.config_file, text)
    from .ui import keymap_problems

    if config.keys:  # two of the user's bindings on one key: the file, the lines, both
        for problem in keymap_problems(config.keys, path=paths.config_file, text=text)[:1]:
            raise ConfigError(problem)
    library = Library.open(paths, offline=offline)
    try:
        library.settings.configure(config)  # first: with sync on, config feeds are not added
        config_feeds = library.subscriptions.add_config_feeds(config.feeds)
        if config_feeds.not_written:
            notices.append(f"Not saved: {config_feeds.not_written}.")
        from .ui import run

        run(
            library,
            config,
            config_path=paths.config_file,
            refresh_on_start=config.refresh_on_start,
            notice="\n".join(notice for notice in notices if notice) or None,
        )
    finally:
        library.close()
    if first_start and paths.config_file.exists():
        # Said again once the screen is gone: the notice in the reader lasts seconds, and
        # a refresh's notices can push it off a small screen.
        print(f"readerterm: your config is {clean_line(str(paths.config_file))}")
    return 0


def _run_demo(config_file: Path | None) -> int:
    """The demo's throwaway library, with the default config or, with --config, that
    file's keys, theme, filters and searches (not its feeds or sync: the demo's stories
    are its own, offline)."""
    from .demo.folder import make_demo_folder
    from .demo.seed import seed_demo
    from .ui import keymap_problems

    config, notice = Config(), ""
    if config_file is not None:
        text = read_config_text(config_file)
        config = replace(parse_config(config_file, text), feeds=(), sync=None)
        for problem in keymap_problems(config.keys, path=config_file, text=text)[:1]:
            raise ConfigError(problem)
        notice = f" Settings from {clean_line(str(config_file))}."
    for problem in keymap_problems(config.keys)[:1]:
        raise ConfigError(f"default config: {problem}")
    data_dir = make_demo_folder()
    try:
        library = Library.open_at(data_dir / "readerterm.db", offline=True)
        try:
            count = seed_demo(library)
            from .ui import run
            from .ui.formatting import stories

            hidden = (library.settings.configure(config) or (0, 0))[0]  # the file's filters
            if hidden:
                notice += f" Filters: {stories(hidden)} hidden."

            run(
                library,
                config,
                config_path=None,
                refresh_on_start=False,
                notice=f"Demo: {count} sample stories, offline, in a throwaway folder.{notice}",
            )
        finally:
            library.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
