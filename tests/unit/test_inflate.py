"""inflate.py: whole bodies decoded within a cap (what a refresh's worker does)."""

from __future__ import annotations

import gzip
import platform
import zlib

import pytest

from prerequisites import missing
from readerterm.errors import FetchError, ParseError
from readerterm.feeds.update import prepare_update
from readerterm.net import inflate
from readerterm.net.inflate import decode

RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
    b"<item><guid>1</guid><title>One</title><description>Hello</description></item>"
    b"</channel></rss>"
)


ISAL_MACHINES = {"x86_64", "amd64", "aarch64", "arm64"}


@pytest.fixture(autouse=True, params=["isal", "zlib"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test with ISA-L's decoder (where installed) and with zlib, its stand-in."""
    if request.param == "zlib":
        monkeypatch.setattr(inflate, "_decompressor", zlib.decompressobj)
        monkeypatch.setattr(inflate, "_DecodeError", zlib.error)
    elif inflate._decompressor is zlib.decompressobj:
        if platform.machine().lower() in ISAL_MACHINES:  # (a dependency there: see pyproject)
            missing("isal is a dependency on this machine: `uv sync` installs it")
        pytest.skip("isal has no wheel for this machine; zlib stands in")


def test_gzip_and_deflate_bodies_are_decoded() -> None:
    assert decode(gzip.compress(RSS), "gzip", 1 << 20) == RSS
    assert decode(zlib.compress(RSS), "deflate", 1 << 20) == RSS
    raw_deflate = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    assert decode(raw_deflate.compress(RSS) + raw_deflate.flush(), "deflate", 1 << 20) == RSS
    assert decode(RSS, "", 1 << 20) == RSS
    two_members = gzip.compress(b"first ") + gzip.compress(b"second")
    assert decode(two_members, "gzip", 1 << 20) == b"first second"


def test_a_bomb_stops_at_the_cap() -> None:
    bomb = gzip.compress(bytes(50 << 20), compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(FetchError, match="response larger than 1 MiB"):
        decode(bomb, "gzip", 1 << 20)
    with pytest.raises(FetchError, match="response larger than 64 KiB"):
        decode(bytes(65 * 1024), "", 64 * 1024)


def test_broken_or_unknown_codings_are_named() -> None:
    with pytest.raises(FetchError, match="labelled gzip but is not valid gzip"):
        decode(RSS, "gzip", 1 << 20)
    with pytest.raises(FetchError, match="ends early"):
        decode(gzip.compress(RSS)[:-12], "gzip", 1 << 20)
    with pytest.raises(FetchError, match="unsupported content encoding: br"):
        decode(RSS, "br", 1 << 20)


def test_a_refresh_worker_decodes_before_parsing() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 6, 1, tzinfo=UTC)
    prepared = prepare_update(
        gzip.compress(RSS), content_encoding="gzip", url="https://e.org/f", headers=None,
        known=(), now=now,
    )  # fmt: skip
    assert [a.title for a in prepared.articles] == ["One"]
    with pytest.raises(ParseError, match="labelled gzip but is not valid gzip data"):
        prepare_update(
            RSS, content_encoding="gzip", url="https://e.org/f", headers=None, known=(), now=now
        )
    with pytest.raises(ParseError, match="response larger than 1 KiB"):
        prepare_update(
            gzip.compress(RSS * 20), content_encoding="gzip", max_bytes=1024,
            url="https://e.org/f", headers=None, known=(), now=now,
        )  # fmt: skip


def test_a_compressed_body_is_not_read_as_text() -> None:
    from readerterm.models import Validators
    from readerterm.net.fetch import Fetched

    fetched = Fetched(
        url="https://e.org/f",
        content=gzip.compress(RSS),
        headers={"content-type": "application/rss+xml"},
        validators=Validators(),
        content_encoding="gzip",
    )
    with pytest.raises(ValueError, match="still compressed"):
        fetched.text()
