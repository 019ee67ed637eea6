"""The network: fetching feeds and pages over HTTP, and inflating what comes back.

`fetch` is the one httpx client every download goes through; `http1` is readerterm's own
HTTP/1.1 transport under it (its connections and per-host pools in `connection`). Around
the client: `urls` (which URLs and redirects may be followed), `answers` (what a fetch
returns and how a response's body is read), `inflate` (gzip and deflate within a size cap)
and `failures` (a user's reason for each failure).
May import: `readerterm.errors`, `readerterm.models`, `readerterm.text.safe`; never the
store, the library or a front end.
"""
