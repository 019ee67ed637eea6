"""urls.resolve is urljoin, with a shortcut for plain absolute links that must agree with it."""

from __future__ import annotations

from urllib.parse import urljoin

from hypothesis import example, given
from hypothesis import strategies as st

from readerterm.feeds.urls import is_plain_absolute, resolve

BASES = ["http://a.example/b/c", "https://a.example/", "http://x", "https://h:8080/p?q#f", ""]
_LINK_CHARACTERS = st.sampled_from(list("aZ09-._~!$&'()*+,=@%:/?#;[] \t\n\x00é\\"))
_LINKS = st.tuples(
    st.sampled_from(["http://", "https://", "HTTP://", "", "//", "http:/"]),
    st.lists(_LINK_CHARACTERS, max_size=14).map("".join),
).map("".join)


def joined(base: str, link: str) -> str:
    try:
        return resolve(base, link)
    except ValueError:
        return "ValueError"


def reference(base: str, link: str) -> str:
    try:
        return urljoin(base, link)
    except ValueError:
        return "ValueError"


@given(st.sampled_from(BASES), _LINKS)
@example("http://a.example/b/c", "http://")  # no host: resolved against the base
@example("http://a.example/b/c", "http://h/x?")  # an empty query is dropped
@example("http://a.example/b/c", "http://[::1/")  # a broken IPv6 host raises
def test_resolve_agrees_with_urljoin(base: str, link: str) -> None:
    assert joined(base, link) == reference(base, link)


def test_the_shortcut_takes_the_usual_links_only() -> None:
    assert is_plain_absolute("https://news.example.com/2024/06/a-story-title")
    assert is_plain_absolute("http://h:8080/p/a%20b")
    assert not is_plain_absolute("https://news.example.com/story?id=3")
    assert not is_plain_absolute("/relative/path")
    assert not is_plain_absolute("https://exämple.com/")
