"""Sample feeds bundled for ``readerterm --demo``; see ``feeds/README.md``."""
