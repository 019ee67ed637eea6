"""Text: turning HTML and plain text into what the reader shows.

`safe` cleans every string from outside (terminal escapes, control and bidi characters);
`htmltext` makes cheap plain text from feed HTML; `extract` turns a page or feed HTML
into a markdown body and key points; `keypoints`, `sentences` and `compress` pick,
split and shorten sentences. Pure: no network, no database.
May import: `readerterm.models`, `readerterm.errors`.
"""
