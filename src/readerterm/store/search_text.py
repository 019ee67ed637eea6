"""Chinese, Japanese and Korean for the search index: every character pair is a word.

FTS5's unicode61 tokenizer splits text at spaces and punctuation, so a run of CJK
characters ("日本語のタイトル", "2024年の予算", "삼성은") is one token and only the whole run
matched. With no dictionary to find the words, the index is given each CJK run as its
overlapping pairs of characters, then the run's last character alone ("日本語" is
"日本 本語 語"), and a typed word is looked up the same way: "本語" is the phrase of its pairs;
a single character ("本", "語") is a token starting with it, which every character in the
text begins (a pair, or the last one alone). A CJK run is also set apart from the letters
and digits around it ("東京Olympics" is "東京 京 Olympics"). Text with no CJK in it (Latin,
Cyrillic, Greek ...) is indexed and looked up exactly as before.

Hangul is split too: Korean spaces its words but joins particles and endings on ("삼성은",
"발표했다"), and a reader searching "삼성" expects to find "삼성은". Thai, Lao, Khmer and
Myanmar are not split (combining vowels would make pairs of half letters): a run of them
matches whole.
"""

from __future__ import annotations

import re

_CJK = (
    "\u1100-\u11ff"  # Hangul Jamo
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u303c"  # 々〆〇, Suzhou numerals, ゝ marks
    "\u3041-\u3096\u3099-\u309f"  # Hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # Katakana (not ・, a separator)
    "\u3105-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff"  # Bopomofo, Hangul jamo, kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs, compatibility ideographs
    "\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"  # Hangul syllables and jamo
    "\uff66-\uff9f\uffa0-\uffdc"  # halfwidth Katakana and Hangul
    "\U00020000-\U000323af"  # CJK ideographs, extensions B to H
)
_RUN = re.compile(f"[{_CJK}]+")
_PIECES = re.compile(f"([{_CJK}]+)")


def index_text(text: str) -> str:
    """`text` as the search index is given it: each CJK run as its character pairs and its
    last character; `text` itself when it holds no CJK."""
    return _RUN.sub(_run_tokens, text)


def cjk_characters(text: str) -> int:
    """How many CJK characters `text` holds: each is a word of the index."""
    return sum(len(run) for run in _RUN.findall(text))


def _run_tokens(match: re.Match[str]) -> str:
    run = match.group()
    return f" {' '.join(_pairs(run))} {run[-1]} "


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def query_string(word: str, star: bool) -> str:
    """An FTS5 string (a phrase, quoted) finding `word` (letters and digits, no quote) as
    index_text indexed it, with * when it asks for tokens starting with its last one.

    A CJK run inside the word is the phrase of its pairs and its last character, as in
    the text; at the word's end, where the text's run may go on, of its pairs alone, or a
    single character as a prefix. A word without CJK is `"word"` (and `*`), as before.
    """
    tokens: list[str] = []
    pieces = [piece for piece in _PIECES.split(word) if piece]
    for number, piece in enumerate(pieces):
        if not _RUN.fullmatch(piece):
            tokens.append(piece)
        elif number < len(pieces) - 1:
            tokens.extend([*_pairs(piece), piece[-1]])
        elif len(piece) > 1:
            tokens.extend(_pairs(piece))
        else:
            tokens.append(piece)
            star = True
    return f'"{" ".join(tokens)}"' + ("*" if star else "")
