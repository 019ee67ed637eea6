"""What the extract tests share: three paragraphs of a story as feed HTML, a news page
around a story, and a check that a body holds no control character."""

from __future__ import annotations

import re

PARAGRAPHS = (
    "<p>The city council voted on Tuesday to close the old bridge for repairs after engineers "
    "found deep cracks in two of its supporting piers during a routine inspection.</p>"
    "<p>Traffic will be diverted through the northern ring road for at least six months, the "
    "council said, and a temporary ferry service will carry pedestrians across the river.</p>"
    "<p>Local businesses near the bridge said they feared losing customers during the works, "
    "and asked the council for help with the cost of the closure.</p>"
)
PAGE = """<!doctype html><html><head><title>Bridge to close | The Daily</title>
<meta property="og:title" content="Bridge to close for repairs">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2024-03-05T10:00:00+00:00">
<meta property="og:image" content="https://news.example/img/bridge.jpg">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<header><div class="promo">Subscribe today for full access to all our journalism!</div></header>
<main><article>
<h1>Bridge to close for repairs</h1>
{key_points}
<p>The city council voted on Tuesday to close the old bridge for repairs after engineers found
deep cracks in two of its supporting piers during a routine inspection last week.</p>
<p>Traffic will be diverted through the northern ring road for at least six months, the council
said, and a temporary ferry service will carry pedestrians across the river every day.</p>
<p>Local businesses near the bridge said they feared losing customers during the works, and
asked the council for help with the cost of the closure, which could reach ten million.</p>
<p>Engineers said the piers had been weakened by decades of flooding and that the repairs were
urgent. "We cannot wait another winter," the chief engineer told reporters on Tuesday.</p>
<p>The council will publish a timetable for the works next month, after talks with the
regional transport authority and the companies that run the buses across the bridge.</p>
</article></main>
<footer><p>Copyright 2024 The Daily. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></footer>
</body></html>"""
"""A news page around a five-paragraph story: navigation, a promo, its key points box at
{key_points}, a footer."""
SAFE_BODY = re.compile(r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$")


def assert_safe(text: str) -> None:
    assert SAFE_BODY.match(text), repr(text)
