"""Sample feeds bundled for ``readerterm --demo``; see ``feeds/README.md``.
May import: `readerterm.library` and below; never Textual."""
