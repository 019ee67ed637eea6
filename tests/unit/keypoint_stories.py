"""Stories written for the key-point tests (fiction), and helpers to read their points."""

from __future__ import annotations

from readerterm.text.compress import compress

# A full story, fiction written for these tests: seven paragraphs (the first holds three
# strong sentences), with a caption, a quote cut from its speaker, a call to subscribe and
# the author's bio around them.
LEAD = (
    "The coastal railway between Marlow Bay and Fenwick reopened on Monday, four months "
    "after a landslide buried a section of the line under thousands of tonnes of mud and rock."
)
FULL_STORY = [
    LEAD + " The first train left Marlow Bay at 6.10 a.m. carrying about 200 passengers on "
    "the reopened coastal railway, many of them commuters who had spent the winter on "
    "replacement buses. Engineers rebuilt 300 metres of the coastal railway and drove 90 "
    "steel piles into the cliff to hold the slope in place before the line reopened.",
    "Rebuilt: The first train of the day crosses the new section of track below the cliff.",
    "The repairs cost 14 million pounds, about a third more than the operator first "
    "estimated, because contractors could only work in daylight while the cliff was still "
    "moving. The regional transport board paid for most of the work, with the rest coming "
    "from a national fund for storm damage.",
    "Passenger numbers on the line fell by almost half during the closure, according to the "
    "operator, Coastline Trains. Its chief executive, Ruth Okafor, said she expected most "
    "regular travellers to return within weeks now that the journey takes 35 minutes "
    "instead of an hour and a half.",
    "'The replacement buses were late every single morning and full every single evening.'",
    "Residents of the villages along the route said the closure had cut them off. Shops in "
    "Hollin Cove reported losing a fifth of their trade, and the village school started its "
    "day later because teachers could not arrive on time.",
    "Geologists who surveyed the cliff warned that further slips were likely as the coast "
    "continues to erode. They have fitted 40 sensors along the cutting that stop trains "
    "automatically if the ground moves by more than a few millimetres.",
    "Subscribe to our newsletter for more stories from the coast every morning.",
    "Coastline Trains will run an extra service on Saturdays through the summer and has cut "
    "fares by 10 per cent until the end of August to win its passengers back.",
    "The board has also asked engineers to study whether a tunnel further inland would cost "
    "less over the next 50 years than keeping the cliff-top line open, with a report due "
    "next spring.",
    "Anna Reyes is the transport correspondent of the Coastal Courier and has covered the "
    "region's railways since 2015.",
]
NEVER = {FULL_STORY[i] for i in (1, 4, 7, 10)}  # caption, quote, promo, bio


def paragraph_of(point: str, paragraphs: list[str]) -> int:
    """Which paragraph a point was taken from (points are its sentences, shortened)."""
    words = point.rstrip(".").split()[-4:]
    return next(n for n, p in enumerate(paragraphs) if " ".join(words) in p)


STORY = [
    "The city council voted on Tuesday to close the old bridge for repairs after engineers "
    "found deep cracks in two of its supporting piers.",
    "Traffic will be diverted through the northern ring road for at least six months while "
    "the bridge is closed, the council said.",
    "A temporary ferry service will carry pedestrians across the river during the bridge "
    "repairs, starting next week.",
    "Local businesses near the bridge said they feared losing customers during the closure "
    "and asked the council for help.",
    "Engineers said the bridge piers had been weakened by decades of flooding and that the "
    "repairs could not wait another winter.",
    "The council will publish a timetable for the bridge works next month after talks with "
    "the regional transport authority.",
]


def body(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


def from_story(point: str) -> bool:
    """The point is one of STORY's sentences, as shortened for display."""
    return point in {compress(sentence) for sentence in STORY}
