"""The network: fetching feeds and pages over HTTP, and inflating what comes back.

`fetch` is the one httpx client every download goes through; `http1` is readerterm's own
HTTP/1.1 transport under it; `inflate` decodes gzip and deflate within a size cap.
May import: `readerterm.errors`, `readerterm.models`, `readerterm.text.safe`; never the
store, the library or a front end.
"""
