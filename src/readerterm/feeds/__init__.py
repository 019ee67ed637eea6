"""Feed documents: bytes in, the rows to store out.

`parse` (feedparser), `fastparse` (lxml, for plain RSS 2.0 and Atom 1.0, with its
`fastparse_document` and `fastparse_values`) and `jsonfeed`
read a document; `update` decides what is new or changed against what is stored and
builds `rows`; `opml` reads and writes subscription lists; `discover` finds a page's
feeds; `urls` resolves links the way feedparser does. Pure: no network, no database.
May import: `readerterm.text`, `readerterm.net.inflate`, `readerterm.models`,
`readerterm.errors`.
"""
