"""A large readerterm cache for the UI benchmarks, written through readerterm's own Store.

N articles (100,000 by default) over 300 feeds, as the refresh path stores them: rows
written with Store.updates.apply_update (one transaction per feed), then indexed for search
(Store.search.index_pending). Titles are about 70 characters, every article has a summary of about
300 characters, a fraction (25 %) carries a Markdown body of about 800 words, and most
have three to five key points. Feeds are unevenly sized (a few prolific ones), 70 % of
them are tagged, dates spread over three years before SEED_NOW, and most old articles are
read (85 %), a few starred or saved for later. One more article, in the first feed, has
a body of 20,000 words and five key points (benchmarks/reader.py opens it; its guid is
LONG_GUID).

Building 100,000 articles takes a while, so the finished database is kept under
/tmp/readerterm-bench/ keyed by its parameters; later calls copy that file (--fresh
rebuilds it).

Run:  uv run python benchmarks/seed.py DATA_DIR             (100,000 articles)
      uv run python benchmarks/seed.py DATA_DIR --quick     (5,000 articles)
As a module:  from seed import seed_data_dir; database = seed_data_dir(path, articles=...)
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))  # measure the tree this file lives in

from readerterm.models import Validators  # noqa: E402
from readerterm.store import SCHEMA_VERSION, Store, StoredArticle  # noqa: E402

SEED_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
"""The clock of the seeded cache; the benchmarks give the app this time as `now`."""
LONG_GUID = "bench:long-article"
CACHE_DIR = Path("/tmp/readerterm-bench")
GENERATOR_VERSION = 3
"""Bump when the generated content changes, so cached databases are rebuilt."""
DATABASE_NAME = "readerterm.db"
"""The file name readerterm uses inside its data dir (Paths.database)."""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_COMMON = _words(
    "the of and to in a is that for on with as was at by from it said has be are have not "
    "this but were which after its more than been new their who about over will would into "
    "year two first also when last some other could people there government city state "
    "officials report week month plan company market data study team service public"
)
_SYLLABLES = _words(
    "ba be bi bo ca ce co da de di do fa fe fi ga ge go ha he ho ka ke ko la le li lo ma "
    "me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we "
    "an en in on ar er ir or al el il ol st tr pl gr ch th sh"
)
_TAGS = ("news", "tech", "science", "linux", "business", "culture", "sport", "politics")


class Text:
    """Deterministic prose from a fixed vocabulary (so it compresses and indexes like text)."""

    def __init__(self, rng: random.Random, vocabulary: int = 6000, pool: int = 30000) -> None:
        self.rng = rng
        words: set[str] = set()
        while len(words) < vocabulary:
            words.add("".join(rng.choices(_SYLLABLES, k=rng.choice((2, 2, 3, 3, 4)))))
        self.words = sorted(words)
        self.sentences = [self._sentence() for _ in range(pool)]

    def _sentence(self) -> str:
        rng = self.rng
        words = [
            rng.choice(_COMMON) if rng.random() < 0.45 else rng.choice(self.words)
            for _ in range(rng.randint(8, 26))
        ]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, 3), rng.choice(self.words).capitalize())
        if rng.random() < 0.2:
            words.insert(rng.randint(3, len(words)), str(rng.randint(2, 9999)))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice("....?!")

    def title(self, width: int = 70) -> str:
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < width - 4:
            words.append(self.rng.choice(self.words if self.rng.random() < 0.6 else _COMMON))
        return " ".join(words).capitalize()[:width]

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.rng.choice(self.sentences) for _ in range(sentences))

    def prose(self, characters: int) -> str:
        parts: list[str] = []
        length = 0
        while length < characters:
            sentence = self.rng.choice(self.sentences)
            parts.append(sentence)
            length += len(sentence) + 1
        return " ".join(parts)

    def markdown(self, words: int, url: str) -> str:
        """A Markdown body of about `words` words: paragraphs with links and emphasis,
        subheadings, a list and a quote now and then."""
        rng = self.rng
        blocks: list[str] = []
        count = 0
        while count < words:
            n = len(blocks)
            if n % 12 == 5:
                block = "## " + self.title(40)
            elif n % 12 == 8:
                block = "\n".join(f"- {rng.choice(self.sentences)}" for _ in range(3))
            elif n % 12 == 10:
                block = "> " + rng.choice(self.sentences)
            else:
                tokens = self.paragraph(rng.randint(3, 6)).split(" ")
                if len(tokens) > 10:
                    at = rng.randint(1, len(tokens) - 3)
                    tokens[at] = f"[{tokens[at]} {tokens[at + 1]}]({url}#{n})"
                    del tokens[at + 1]
                    at = rng.randint(0, len(tokens) - 2)
                    tokens[at] = f"*{tokens[at]}*"
                block = " ".join(tokens)
            blocks.append(block)
            count += sum(1 for token in block.split() if any(c.isalnum() for c in token))
        return "\n\n".join(blocks)


def _feed_sizes(articles: int, feeds: int, rng: random.Random) -> list[int]:
    """Uneven feed sizes (a few prolific feeds, many small ones) summing to `articles`."""
    weights = [1.0 / (rank + 4) ** 0.9 for rank in range(feeds)]
    rng.shuffle(weights)
    total = sum(weights)
    sizes = [max(1, int(articles * w / total)) for w in weights]
    sizes[0] += articles - sum(sizes)
    while sizes[0] < 1:  # tiny runs: take from the biggest feeds
        biggest = max(range(1, feeds), key=sizes.__getitem__)
        sizes[biggest] -= 1
        sizes[0] += 1
    return sizes


def _articles(
    text: Text, feed: int, count: int, *, body_fraction: float, span: timedelta
) -> Iterator[StoredArticle]:
    rng = text.rng
    for index in range(count):
        published = SEED_NOW - span * rng.random() ** 1.6
        url = f"https://site{feed}.example.com/{published:%Y/%m}/story-{index}"
        has_body = rng.random() < body_fraction
        body = text.markdown(rng.randint(650, 950), url) if has_body else ""
        points = tuple(rng.choice(text.sentences) for _ in range(rng.randint(3, 5)))
        has_points = has_body or rng.random() < 0.6
        guid = f"seed:{feed}:{index}"
        yield StoredArticle(
            guid=guid,
            url=url,
            title=text.title(rng.randint(55, 85)),
            author=f"Writer {rng.randint(1, 40)}" if rng.random() < 0.7 else None,
            published=published,
            content_hash=hashlib.sha1(guid.encode()).hexdigest(),
            summary=text.prose(rng.randint(200, 400)),
            body=body,
            key_points=points if has_points else (),
            key_points_origin=("generated" if has_body else "feed") if has_points else "",
            words=body.count(" ") + 1 if body else 0,
            image_url=f"{url}/photo.jpg" if rng.random() < 0.4 else None,
            needs_page=not has_body,
        )


def long_article(text: Text, words: int = 20_000) -> StoredArticle:
    """The 20,000-word story with five key points that the reader benchmark opens."""
    url = "https://longreads.example.com/2026/11/the-long-story"
    body = text.markdown(words, url)
    return StoredArticle(
        guid=LONG_GUID,
        url=url,
        title="The long story: " + text.title(60),
        author="Long Form Writer",
        published=SEED_NOW - timedelta(hours=1),
        content_hash="long",
        summary=text.prose(300),
        body=body,
        key_points=tuple(text.rng.choice(text.sentences) for _ in range(5)),
        key_points_origin="generated",
        words=body.count(" ") + 1,
        image_url=None,
        needs_page=False,
    )


def build(
    database: Path,
    *,
    articles: int,
    feeds: int,
    body_fraction: float = 0.25,
    read_fraction: float = 0.85,
    long_words: int = 20_000,
    seed: int = 7,
    progress: bool = True,
) -> None:
    """Write a new cache at `database` (which must not exist)."""
    rng = random.Random(seed)
    text = Text(rng)
    store = Store(database)
    try:
        store.db.execute("PRAGMA synchronous = OFF")  # a throwaway file: no fsyncs
        span = timedelta(days=3 * 365)
        ids: list[int] = []
        started = time.perf_counter()
        for feed, size in enumerate(_feed_sizes(articles, feeds, rng)):
            tags = rng.sample(_TAGS, rng.choice((1, 1, 2))) if rng.random() < 0.7 else []
            feed_id = store.subscriptions.add_feed(
                f"https://site{feed}.example.com/feed.xml",
                title=None,
                tags=tags,
                now=SEED_NOW - span,
            )
            batch = list(_articles(text, feed, size, body_fraction=body_fraction, span=span))
            if feed == 0 and long_words:
                batch.append(long_article(text, long_words))
            store.updates.apply_update(
                feed_id,
                title=f"{text.title(rng.randint(12, 30))} ({feed})",
                site_url=f"https://site{feed}.example.com/",
                validators=Validators(etag=f'"seed-{feed}"'),
                articles=batch,
                now=SEED_NOW - timedelta(minutes=rng.randint(5, 600)),
            )
            if progress and feed % 50 == 49:
                print(
                    f"  {feed + 1}/{feeds} feeds, {time.perf_counter() - started:.1f} s",
                    file=sys.stderr,
                )
        # Most old articles are read; a few starred or kept for later (oldest first).
        ids = [row[0] for row in store.db.execute("SELECT id FROM articles ORDER BY sort_at, id")]
        read = [i for i in ids[: int(len(ids) * read_fraction)] if rng.random() < 0.97]
        store.articles.set_flag(read, "read", True)
        store.articles.set_flag(rng.sample(ids, len(ids) // 100), "starred", True)
        store.articles.set_flag(rng.sample(ids, len(ids) // 200), "later", True)
        store.search.index_pending(None)  # as a refresh leaves it once its writer is done
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()


def _schema_digest() -> str:
    """A fingerprint of the schema source, so a changed schema gets a new cache file
    even when SCHEMA_VERSION did not move (as during development)."""
    from readerterm.store import schema

    return hashlib.sha1(Path(schema.__file__).read_bytes()).hexdigest()[:8]


def cached_database(
    *, articles: int = 100_000, feeds: int = 300, fresh: bool = False, progress: bool = True
) -> Path:
    """The seeded database for these parameters, built once and kept under CACHE_DIR."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    name = f"seed-v{GENERATOR_VERSION}-s{SCHEMA_VERSION}-{_schema_digest()}-a{articles}-f{feeds}.db"
    path = CACHE_DIR / name
    if path.exists() and not fresh:
        return path
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    if progress:
        print(f"seeding {articles} articles over {feeds} feeds into {path} ...", file=sys.stderr)
    started = time.perf_counter()
    build(partial, articles=articles, feeds=feeds, progress=progress)
    partial.replace(path)
    if progress:
        size = path.stat().st_size / 2**20
        print(f"seeded in {time.perf_counter() - started:.1f} s ({size:.0f} MB)", file=sys.stderr)
    return path


def seed_data_dir(
    data_dir: Path, *, articles: int = 100_000, feeds: int = 300, fresh: bool = False
) -> Path:
    """Put a copy of the seeded cache in `data_dir` (as readerterm.db); returns its path."""
    source = cached_database(articles=articles, feeds=feeds, fresh=fresh)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = data_dir / DATABASE_NAME
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data_dir", type=Path, help="where to put readerterm.db")
    parser.add_argument("--articles", type=int, default=100_000, help="articles (100,000)")
    parser.add_argument("--feeds", type=int, default=300, help="feeds (300)")
    parser.add_argument("--quick", action="store_true", help="5,000 articles over 50 feeds")
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached database")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.feeds = 5_000, 50
    target = seed_data_dir(
        args.data_dir, articles=args.articles, feeds=args.feeds, fresh=args.fresh
    )
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
