"""Worker processes that parse feeds beside the event loop.

`pool` is the reader's side (jobs out, answers in, through pipes the event loop
watches); `process` is a worker's whole life, and loads nothing it does not need.
May import: the standard library only (jobs name their function by module path).
"""
