"""What is not the story in a page or a feed's HTML, though it sits among its paragraphs:
calls to action ("Sign up for our newsletter", "Read more: ...", "Related:" with its links),
bylines, date lines and photo credits left as paragraphs. Split out of extract.py, which
removes them (drop_promos) before converting the rest to markdown.
"""

from __future__ import annotations

import re

from bs4.element import Tag

from .opening import gone, text_of

__all__ = ["drop_promos"]

# Calls to action and navigation that extractors and feeds leave around a story.
_PROMO = re.compile(
    r"""^\W*(?:
        subscribe | sign\s+up | follow\s+(?:us|me|@|[\w\s]{1,40}\s+on\b) | click\s+here
      | read\s+more | related(?:\s+(?:stories|articles|coverage|content|links|reading))?\W*$
      | related\s*: | see\s+also | you\s+(?:may|might)\s+also\s+like | more\s+from\b
      | recommended(?:\s+for\s+you)?\W*$ | most\s+(?:popular|read)\W*$ | don['’]t\s+miss
      | tell\s+us\s+what | share\s+(?:this|on)\b | join\s+the\s+conversation
      | comments?\W*$ | leave\s+a\s+(?:comment|reply) | advertisement\W*$ | sponsored\W*$
      | continue\s+reading | the\s+post\s.{1,300}?\sappeared\s+first\s+on
      | (?:©|copyright\b).{0,120}$
      # a date line kept as text: "Updated 14:05 GMT", "Published: 5 March 2024"
      | (?:updated|published|last\s+(?:updated|modified))\s*+:?\s*+(?:on\s++)?
        (?:\d{1,2}[:.]\d\d|\d{4}-\d\d-\d\d|(?:\d{1,2}(?:st|nd|rd|th)?\s++)?
        (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?
        |sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b).{0,60}$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A byline, or a photo's credit or caption, left as a paragraph (case matters: "By the end
# of the year, ..." and "Pictures by local children were ..." are sentences): "By Priya
# Nair | Updated 14:05 GMT", "By Jane Doe, BBC News", "BY JANE DOE AND JOHN ROE";
# "Photograph by Ben Cole for The Daily", "Photo: A fallen tree blocks a road".
_BYLINE = re.compile(
    r"""^\W*(?:By|BY)\s+(?P<names>[^|·•–—,\s][^|·•–—,]{1,60}?)
        (?:\s*[|·•–—,]|\s-)\s*.{0,60}$
      | ^\W*(?:By|BY)\s+(?P<alone>[^|·•–—,]{2,60})$""",
    re.VERBOSE,
)
_NAME_JOINERS = frozenset(("and", "AND", "&", "de", "van", "von", "der", "da", "del", "la", "le"))
_CREDIT = re.compile(
    r"""^\W*(?:Photo(?:graph)?|Picture|Image|Illustration)s?\s*
        (?::\s*[A-Z"“‘']|(?:by|credit:?)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}
        (?:\s*(?:/|\||,|\sfor)\s*[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3})?\W*$)""",
    re.VERBOSE,
)


def _is_byline_or_credit(text: str) -> bool:
    """A byline (two to four capitalised names after "By") or a photo credit or caption."""
    if _CREDIT.match(text):
        return True
    match = _BYLINE.match(text)
    if not match:
        return False
    words = (match["names"] or match["alone"]).split()
    names = [word for word in words if word not in _NAME_JOINERS]
    return (
        2 <= len(names) <= 4
        and words[0] not in ("The", "THE", "A", "An")
        and all(word[0].isupper() for word in names)
    )


_PROMO_ANYWHERE = re.compile(
    r"(?:sign\s+up|subscribe)\b.{0,80}\bnewsletters?\b|\bnewsletters?\b.{0,80}\b(?:sign\s+up|subscribe)"
    r"|\ball\s+rights\s+reserved\b",
    re.IGNORECASE,
)
_PROMO_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "div", "section", "aside", "blockquote")
MAX_PROMO_WORDS = 30
MAX_PROMO_CHARACTERS = 400
"""And characters: the patterns above then cost little whatever a block holds."""


def drop_promos(root: Tag) -> None:
    """Remove short blocks that are calls to action ("Sign up for our newsletter", "Read
    more: ...", "Related:" with its list of links, "Advertisement", copyright lines)."""
    for block in root.find_all(_PROMO_BLOCKS):
        if gone(block):
            continue
        text = text_of(block)
        if not text or len(text) > MAX_PROMO_CHARACTERS or len(text.split()) > MAX_PROMO_WORDS:
            continue
        promo = _PROMO.match(text) or _PROMO_ANYWHERE.search(text)
        if not (promo or _is_byline_or_credit(text)):
            continue
        following = block.find_next_sibling()
        if following is not None and following.name in ("ul", "ol") and _mostly_links(following):
            following.decompose()
        block.decompose()


def _mostly_links(tag: Tag) -> bool:
    text = len(text_of(tag).split())
    links = sum(len(text_of(a).split()) for a in tag.find_all("a"))
    return text > 0 and links >= 0.6 * text
