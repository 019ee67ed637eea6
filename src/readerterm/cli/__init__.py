"""The headless commands (`readerterm add`, `refresh`, `extract` ...).

`commands` runs each command against the library and prints plain text or JSON;
`sources` reads what `extract` is given (a URL, an HTML or text file, stdin).
May import: `readerterm.library` and everything below it; never Textual.
"""
