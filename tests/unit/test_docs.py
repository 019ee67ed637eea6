"""The docs that are generated from the code stay in step with it."""

from __future__ import annotations

from pathlib import Path

from scripts import load_script

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_keys_page_matches_the_key_table() -> None:
    make_keys = load_script("docs/make_keys.py")
    assert (DOCS / "keys.md").read_text(encoding="utf-8") == make_keys.render(), (
        "docs/keys.md is out of date: run `uv run python docs/make_keys.py`"
    )


def test_every_binding_id_is_in_the_keys_page() -> None:
    from readerterm.ui.keys import KEYS

    page = (DOCS / "keys.md").read_text(encoding="utf-8")
    missing = [spec.id for spec in KEYS if f"`{spec.id}`" not in page]
    assert not missing


def test_guide_pictures_exist() -> None:
    guide = (DOCS / "guide.md").read_text(encoding="utf-8")
    assert "screenshots/main.svg" in guide
    assert (DOCS / "screenshots" / "main.svg").stat().st_size > 10_000
