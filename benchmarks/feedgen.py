"""Synthetic RSS and Atom feeds for the refresh benchmark (deterministic for a seed).

Each item has a title of about 70 characters, a description of about 600 characters of
HTML and a body of about 5 KB of HTML (paragraphs, a subheading, links, an image, a quote);
one item in four opens its body with a three-item list of key points. The text is made of
pseudo-words drawn from a fixed vocabulary, so it compresses about as well as prose does.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

_SYLLABLE_TEXT = (
    "ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu ha he hi "
    "ho hu ja jo ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu "
    "ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo wa we wi xa za ze zo an en "
    "in on un ar er ir or ur al el il ol ul st tr pl gr"
)
_FUNCTION_WORD_TEXT = "the a of to and in that is for on with as at by from was it said"
_SYLLABLES = _SYLLABLE_TEXT.split()
_FUNCTION_WORDS = _FUNCTION_WORD_TEXT.split()


@dataclass(frozen=True, slots=True)
class FeedDocument:
    number: int
    kind: str
    """"rss" or "atom"."""
    body: bytes

    @property
    def content_type(self) -> str:
        return "application/atom+xml" if self.kind == "atom" else "application/rss+xml"


class _Text:
    """Sentences and titles from a fixed pseudo-word vocabulary."""

    def __init__(self, rng: random.Random, vocabulary: int = 3000, pool: int = 20000) -> None:
        self.rng = rng
        words = set()
        while len(words) < vocabulary:
            words.add("".join(rng.choices(_SYLLABLES, k=rng.choice((1, 2, 2, 3, 3, 4)))))
        self.words = sorted(words)
        self.sentences = [self._sentence() for _ in range(pool)]

    def _sentence(self) -> str:
        rng = self.rng
        count = rng.randint(10, 28)
        words = [
            rng.choice(_FUNCTION_WORDS) if rng.random() < 0.35 else rng.choice(self.words)
            for _ in range(count)
        ]
        if rng.random() < 0.3:
            words.insert(rng.randint(0, 3), rng.choice(self.words).capitalize())
        if rng.random() < 0.2:
            words.insert(rng.randint(4, len(words)), str(rng.randint(2, 9999)))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice("....!")

    def sentence(self) -> str:
        return self.rng.choice(self.sentences)

    def title(self, width: int = 70) -> str:
        words: list[str] = []
        while len(" ".join(words)) < width - 6:
            words.append(self.rng.choice(self.words))
        return " ".join(words).capitalize()[: width + 8]

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


def _linked(text: str, rng: random.Random, url: str) -> str:
    """Escaped text with one phrase made a link and one emphasised."""
    words = escape(text, quote=False).split(" ")
    if len(words) > 8:
        at = rng.randint(1, len(words) - 4)
        words[at] = f'<a href="{url}">{words[at]}'
        words[at + 1] = f"{words[at + 1]}</a>"
        at = rng.randint(0, len(words) - 2)
        words[at] = f"<em>{words[at]}</em>"
    return " ".join(words)


def _description(text: _Text, url: str, size: int = 600) -> str:
    parts: list[str] = []
    while len(" ".join(parts)) < size - 60:
        parts.append(text.sentence())
    return f"<p>{_linked(' '.join(parts), text.rng, url)}</p>"


def _content(text: _Text, url: str, key_points: bool, size: int = 5000) -> str:
    rng = text.rng
    out: list[str] = []
    if key_points:
        items = "".join(f"<li>{escape(text.sentence())}</li>" for _ in range(3))
        out.append(f"<ul>{items}</ul>")
    length = 0
    paragraph = 0
    while length < size - 400:
        if paragraph == 3:
            block = f"<h2>{escape(text.title(40))}</h2>"
        elif paragraph == 5:
            block = f"<blockquote><p>{escape(text.sentence())}</p></blockquote>"
        elif paragraph == 2:
            block = f'<figure><img src="{url}/photo.jpg" alt="{escape(text.title(30))}"></figure>'
        else:
            block = f"<p>{_linked(text.paragraph(rng.randint(3, 5)), rng, url)}</p>"
        out.append(block)
        length += len(block)
        paragraph += 1
    return "\n".join(out)


def _rss(number: int, items: list[dict[str, str]], base: str) -> str:
    entries = []
    for item in items:
        entries.append(
            "<item>"
            f"<title>{escape(item['title'])}</title>"
            f"<link>{item['link']}</link>"
            f'<guid isPermaLink="false">{item["guid"]}</guid>'
            f"<pubDate>{item['rfc822']}</pubDate>"
            f"<author>{item['author']}</author>"
            f"<description>{escape(item['description'])}</description>"
            f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>Synthetic feed {number}</title><link>{base}/</link>"
        f"<description>Feed {number} for the refresh benchmark</description>"
        + "\n".join(entries)
        + "</channel></rss>\n"
    )


def _atom(number: int, items: list[dict[str, str]], base: str) -> str:
    entries = []
    for item in items:
        entries.append(
            "<entry>"
            f"<title>{escape(item['title'])}</title>"
            f'<link rel="alternate" href="{item["link"]}"/>'
            f"<id>{item['guid']}</id>"
            f"<updated>{item['iso']}</updated><published>{item['iso']}</published>"
            f"<author><name>{item['author']}</name></author>"
            f'<summary type="html">{escape(item["description"])}</summary>'
            f'<content type="html">{escape(item["content"])}</content>'
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Synthetic feed {number}</title>"
        f'<link rel="alternate" href="{base}/"/><id>{base}/feed</id>'
        f"<updated>{items[0]['iso'] if items else '2024-01-01T00:00:00Z'}</updated>"
        + "\n".join(entries)
        + "</feed>\n"
    )


def generate(
    feeds: int = 300,
    items: int = 50,
    *,
    atom_feeds: int = 10,
    seed: int = 5,
    now: datetime | None = None,
) -> list[FeedDocument]:
    """`feeds` documents of `items` items each; `atom_feeds` of them (spread out) are Atom."""
    rng = random.Random(seed)
    text = _Text(rng)
    now = now or datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    atom_every = max(1, feeds // atom_feeds) if atom_feeds else 0
    documents = []
    for number in range(feeds):
        base = f"https://site{number}.example.com"
        rows = []
        for index in range(items):
            published = now - timedelta(hours=number % 24 + index * 7, minutes=index * 13)
            link = f"{base}/news/{number}-{index}-{text.title(20).replace(' ', '-').lower()}"
            rows.append(
                {
                    "title": text.title(),
                    "link": link,
                    "guid": f"synthetic:{number}:{index}",
                    "rfc822": format_datetime(published, usegmt=True),
                    "iso": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "author": f"writer{index % 7}@site{number}.example.com",
                    "description": _description(text, link),
                    "content": _content(text, link, key_points=index % 4 == 0),
                }
            )
        is_atom = bool(atom_every) and number % atom_every == atom_every - 1
        document = _atom(number, rows, base) if is_atom else _rss(number, rows, base)
        documents.append(FeedDocument(number, "atom" if is_atom else "rss", document.encode()))
    return documents


if __name__ == "__main__":
    import sys

    docs = generate(int(sys.argv[1]) if len(sys.argv) > 1 else 2, 3)
    sys.stdout.write(docs[0].body.decode())
