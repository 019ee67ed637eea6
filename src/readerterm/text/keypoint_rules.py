"""What never makes a key point, whatever its rank: boilerplate (calls to subscribe,
credits, prompts to comment, datelines on their own), an author's bio, a caption kept as
text, and a quote that names no speaker. Split out of keypoints.py, which ranks the rest.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["is_boilerplate", "is_teaser", "quotes_its_speaker"]

_BOILERPLATE = re.compile(
    r"""
      \bviews?\s+expressed\b | \bopinions?\s+expressed\b | \bauthor'?s?['’]?\s+own\b
    | \bdo(?:es)?\s+not\s+necessarily\s+(?:reflect|represent)\b
    | \bsubscri(?:be|ption|bers?)\b | \bsign\s+up\b | \bnewsletters?\b | \blog\s*in\b
    | \bregister\s+(?:now|here|for\s+free)\b | \bfollow\s+(?:us|me)\b | \bclick\s+here\b
    | \bdownload\s+(?:our|the)\s+app\b | \bsupport\s+(?:our|independent)\s+journalism\b
    | \bbecome\s+a\s+(?:member|subscriber|patron)\b | \ball\s+rights\s+reserved\b
    | \bcopyright\b | © | \bterms\s+of\s+(?:use|service)\b | \bprivacy\s+policy\b
    | \bcookies?\b.*\b(?:consent|accept|settings)\b
    | \bread\s+(?:more|the\s+full|the\s+rest)\b | \bcontinue\s+reading\b
    | \b(?:photo|photograph|picture|image|illustration|video|graphic)s?\s*(?:by|:|credit)
    | \b(?:photo|image)\s+credit\b | \bgetty\s+images\b | \bAP\s+photo\b | \bfile\s+photo\b
    | \bshutterstock\b | \bistock\b
    | ^(?:by|from)\s*[.:]?\s*$ | ^by\s+[.:]
    | \b(?:published|updated|last\s+(?:updated|modified))\s*[:.]\s*\d
    | \b(?:published|updated)\s*:
    | \b(?:let\s+us\s+know|tell\s+us|share\s+your\s+(?:thoughts|views|story)|in\s+the\s+comments)\b
    | \b(?:what\s+do\s+you\s+think|have\s+your\s+say)\b
    | \b(?:contributed\s+(?:to\s+)?this\s+report|reporting\s+by|editing\s+by|writing\s+by)\b
    | \b(?:e-?mail|contact)\s+(?:us|the\s+author|me)\b | \bemail\s+\S+@\S+ | \S+@\S+\.\w{2,}
    | \bthis\s+(?:article|story)\s+(?:was|has\s+been|originally|first)\b
    | \bscroll\s+(?:down|up)\b | \b(?:watch|see)\s+(?:the\s+)?video\b | ^video\b
    | \bappeared\s+first\s+on\b | \boriginally\s+(?:published|appeared)\b
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Two more that only apply to sentences with a colon, or with a parenthesis.
_LABELLED_PROMO = re.compile(
    r"^(?:read|see|watch|listen|continue\s+reading|related|more|also\s+read)\b[^.]*:",
    re.IGNORECASE,
)
# A sentence pointing at its photo ("Smith (pictured) was ...") is a caption's twin: it is
# not a key point. (compress.drop_picture_notes strips the rarer notes, "(far left)", from
# a sentence that is one; letting "(pictured)" sentences through with the note stripped
# cost 0.13 ROUGE-2 on the even half of the dev set and moved nothing on the odd.)
_PICTURED_SENTENCE = re.compile(
    r"\((?:photo|pictured|above|below|left|right|inset)\b[^)]*\)", re.IGNORECASE
)
# ... and so is one that describes its photo in the present ("Ace is seen on top of his
# trainer's lap.", "They are pictured together in 2008 ..."), unless it says which video or
# image it describes ("In one of the images the victim is seen blindfolded"). "Seen" only
# where a photo shows it (here, with his ..., posing for ...): "Inflation is seen peaking",
# "is seen as a bid to ...", "is seen with suspicion", "is seen posing the biggest risk",
# "is seen in one patient in five" are news.
_DESCRIBES_ITS_PHOTO = re.compile(
    r"""\b(?:is|are)\s+(?:(?:also|here|now)\s+)?
        (?:(?:pictured|photographed)\b(?!\s+as\b)
          |seen\s+(?:here(?!\s+as\b)|with\s+(?:his|her|their)|on\s+top\s+of|together|
            alongside\s+(?:his|her|their)|posing\s+(?:for|with|in|on|at|beside|outside)|
            smiling|(?:far\s+)?(?:left|right|centre|center))\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_NAMES_ITS_MEDIA = re.compile(
    r"\b(?:in|during|of)\s+(?:the|one\s+of\s+the|a|this|another)\s+(?:short\s+)?"
    r"(?:video|footage|film|clip|images?|photos?|photographs?|pictures?|stills?)\b",
    re.IGNORECASE,
)

# The boilerplate pattern is slow to search (0.1 ms a sentence): only sentences with one
# of the words it needs get searched.
_LETTERS = re.compile(r"[a-z]+")
_TRIGGER_TEXT = """
    view views opinion opinions expressed own necessarily subscribe subscription subscriber
    subscribers sign newsletter newsletters log login register follow click download support
    become reserved copyright terms privacy cookie cookies read continue photo photos
    photograph photographs picture pictures image images illustration illustrations video
    videos graphic graphics credit getty ap file shutterstock istock published updated
    modified scroll let tell your comments think contributed reporting editing writing email e mail
    contact article appeared originally
"""
_TRIGGERS = frozenset(_TRIGGER_TEXT.split())

# "Jane Doe is a research scholar at the Institute ..." and the like.
_BIO = re.compile(
    r"""^(?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}
        \s*,?\s+(?:is|was|has\s+been|serves\s+as|works\s+as)\s+(?:an?|the|currently|also|now)\b""",
    re.VERBOSE,
)
_BIO_ROLE = re.compile(
    r"""\b(?:author|writer|columnist|journalist|correspondent|reporter|editor|professor|
        fellow|scholar|researcher|lecturer|contributor|analyst|student|candidate|director|
        founder|chair|consultant|economist|commentator|blogger|host|producer|novelist|
        historian|phd|associate|practitioner|expert)s?\b""",
    re.IGNORECASE | re.VERBOSE,
)
_DATELINE_ONLY = re.compile(
    r"""^[\W\d]*(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?
        (?:\d{1,2}\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?
        \s*\d{0,2},?\s*\d{0,4}[\W\d]*(?:[ap]\.?m\.?)?[\W\w]{0,12}$""",
    re.IGNORECASE | re.VERBOSE,
)


# A caption kept as text: "Arrival: Two of the gang can be seen entering the building."
# An all-capitals label is a dateline ("LONDON: ..."); a quote after the colon is speech.
_CAPTION_LABEL = re.compile(r"^(?![A-Z]+:)(?:[A-Z][\w'’-]*\s?){1,4}:\s(?![\"'‘“])")
# The same in sentence case, as DailyMail writes them ("Neat trick: the trio are seen ...",
# "Don't judge: ..."): up to three words, with no verb of speech and no word ending in -ed
# or -s after the first ("He said: ...", "It was simple: ...", "Smith insists: ..." stay).
_SENTENCE_CASE_LABEL = re.compile(
    r"""^(?![A-Z]+:)([A-Z][\w'’-]*(?:\s[\w'’-]+){0,2}):\s(?!["'‘“])"""
)
_VERB_ENDING = re.compile(r"\w(?:ed|s)\b")
# Labels that head news rather than a picture.
_NEWS_LABEL = re.compile(
    r"""^(?:(?:the|a|an|not|no|this|these|our|my|its|their)\s[^:]{0,40}
        |(?:update[ds]?|breaking(?:\snews)?|verdict|result|results|bottom\sline|analysis|
        background|context|correction|editor['’]s\snote|why\sit\smatters|in\sshort))\s?:""",
    re.IGNORECASE | re.VERBOSE,
)
# A sentence that opens on a quote of four words or more ("a title" is shorter) and names
# no speaker: the second sentence of someone's quote, or a quote cut from its speaker.
_OPENING_QUOTE = re.compile(r"""^["“‘']\s*(?:[^\s"“”‘’']+(?:['’][^\s"“”‘’']+)*\s+){3}\w""")
# A sentence that closes a quote it never opened, with no speaker after it: the end of
# someone's quote ("These things happen.'") cut from the sentence that named them.
_CLOSING_QUOTE = re.compile(r"""[,.!?…]["”’']""")
# A quote mark that opens a quote: at the start or after a space, a bracket, a colon or a
# dash, and before a word (not an apostrophe: "the players' ...", nor a closing mark).
_OPENING_QUOTE_MARK = re.compile(r"""(?:^|[\s(:\[—–-])["“‘']\w""")
_SPEECH = re.compile(
    r"""\b(?:said|says|say|told|tells|added|adds|wrote|writes|tweeted|posted|asked|asks|
        explained|insisted|according\s+to|claimed|claims|admitted|revealed|announced|
        declared|stated|warned|recalled|replied|continued|noted)\b""",
    re.IGNORECASE | re.VERBOSE,
)


# A sentence ends on a full stop, "!" or "…" (or another script's: "。", "।", "۔"...), then
# perhaps a closing quote or bracket. One
# that does not, before the end of the body, is a caption or a link that lost its line
# ("Kevin Pietersen takes a moment to reflect ahead of a team photo shoot for Surrey") or a
# heading; at the very end it may be a teaser cut short, which may still make a point.
_ENDS_A_SENTENCE = re.compile(r"""[.!?…。．！？।॥۔։።؟]["'”’)\]»」』]*$""")


def is_boilerplate(sentence: str, *, last_paragraph: bool = False, ends_body: bool = False) -> bool:
    """True for sentences that never make a key point, whatever their rank: boilerplate,
    bios, captions, unfinished sentences (but the body's last), quotes that name no speaker,
    questions."""
    words = sentence.split()
    if len(words) < 5 or sentence.rstrip("\"'”’)» ").endswith("?"):
        return True
    if not ends_body and not _ENDS_A_SENTENCE.search(sentence):
        return True
    letters = sum(map(str.isalpha, sentence))
    if letters < 0.6 * (len(sentence) - sentence.count(" ")):
        return True  # numbers, symbols, tables flattened to a line
    lowered = sentence.lower()
    triggered = (
        not _TRIGGERS.isdisjoint(_LETTERS.findall(lowered))
        or lowered.startswith(("by", "from"))
        or "@" in sentence
        or "©" in sentence
    )
    if (
        (triggered and _BOILERPLATE.search(sentence))
        or (":" in sentence and _LABELLED_PROMO.match(sentence))
        or ("(" in sentence and _PICTURED_SENTENCE.search(sentence))
        or (_DESCRIBES_ITS_PHOTO.search(sentence) and not _NAMES_ITS_MEDIA.search(sentence))
        or _DATELINE_ONLY.match(sentence)
        or (":" in sentence and _is_caption(sentence))
        or (", wh" in sentence and _names_without_a_verb(sentence))
        or (_OPENING_QUOTE.match(sentence) and not _SPEECH.search(sentence))
        or _ends_a_quote_it_never_opened(sentence)
    ):
        return True
    return bool(
        _BIO.match(sentence) and len(words) <= 45 and (last_paragraph or _BIO_ROLE.search(sentence))
    )


def quotes_its_speaker(sentence: str) -> bool:
    """A quote whose speaker the sentence names ('Carragher said: "I do not think ..."')."""
    return bool(_OPENING_QUOTE_MARK.search(sentence) and _SPEECH.search(sentence))


def _ends_a_quote_it_never_opened(sentence: str) -> bool:
    """The rest of a quote begun in the sentence before, with no speaker named after it."""
    closing = _CLOSING_QUOTE.search(sentence)
    if not closing or _OPENING_QUOTE_MARK.search(sentence, 0, closing.start()):
        return False
    return not _SPEECH.search(sentence, closing.end())


# A caption that lost its picture: a name and a relative clause about them, and no verb of
# its own ("Federal MP Bob Katter, who released a statement today ...", "Princess Leia, who
# was captured by Jabba the Hutt."). The words before ", who" are a name or a title only:
# no auxiliary, pronoun or common irregular past, and no word but the last (the name: "Ahmed",
# "Jones") ending in -ed or in a plain -s ("Police arrested Smith, who ...", "Officers found
# a man, who ...", "He met Jones, who ...", "Fans cheered the captain, who ..." are
# sentences).
_NAME_AND_CLAUSE = re.compile(r"""^([^,;:"“”‘’']{3,60}),\s(?:who|whose)\s[^,;]{3,}[.!]$""")
_VERB_LIKE_TEXT = """
    is are was were be been being am has have had do does did will would shall should can
    could may might must i you he she it we they found lost told said met saw made took gave
    got left won beat hit put set led held kept brought bought caught thought sent spent
    built felt ran came went became began wrote spoke chose knew grew drew threw fell rose
    shot struck sold paid heard meant stood sat let
"""
_VERB_LIKE = frozenset(_VERB_LIKE_TEXT.split())
_NAME_WORDS_MAX = 8


def _names_without_a_verb(sentence: str) -> bool:
    """A name or a title, then a relative clause closing the sentence, and nothing else."""
    match = _NAME_AND_CLAUSE.match(sentence)
    if not match:
        return False
    words = match.group(1).lower().split()
    if len(words) > _NAME_WORDS_MAX or not _VERB_LIKE.isdisjoint(words):
        return False
    # The last word is the one the clause is about: a name may end so ("Ahmed", "Jones").
    return not any(
        word.endswith("ed") or (word.endswith("s") and not word.endswith(("ss", "'s", "’s")))
        for word in words[:-1]
    )


def _is_caption(sentence: str) -> bool:
    """A photo caption kept as text: a short label, a colon, then the picture described
    ("Arrival: Two of the gang can be seen entering ...", "Neat trick: the trio are ...").
    A label that opens like a sentence ("The verdict:", "Not guilty:") or is one news uses
    for what follows ("Update:", "Bottom line:") heads news, which may make a point."""
    if _NEWS_LABEL.match(sentence):
        return False
    return bool(_CAPTION_LABEL.match(sentence) or _is_label(sentence))


def _is_label(sentence: str) -> bool:
    """A caption's label in sentence case ("Neat trick: ..."), not a speaker's."""
    match = _SENTENCE_CASE_LABEL.match(sentence)
    if not match:
        return False
    label = match.group(1)
    _, _, after_first = label.partition(" ")
    return not _SPEECH.search(label) and not _VERB_ENDING.search(after_first)


# A lead most of whose words never come back in the rest of the article ("There would have
# been no mercy in the dressing room.", "It's crunch time this weekend at the top of the
# league as ..."): a teaser, or a scene set before the news, that the story does not build
# on. It ranks without the lead's place (keypoints._candidates). Fewer than this share of
# its content words (counted with repeats) occur in another of the article's sentences.
# Only in an article of TEASER_MIN_UNITS sentences or more: in a brief of a few, words
# have few places to come back in. On the CNN/DailyMail dev set it fires on six leads (three
# in each half), none of which has more than a fifth of its words in the highlights; all
# six stories score higher.
TEASER_RETURNING = 0.3
TEASER_MIN_UNITS = 8


def is_teaser(terms: Mapping[str, int], document_frequency: Mapping[str, int], units: int) -> bool:
    """True when fewer than TEASER_RETURNING of `terms` (a sentence's content words and
    their counts) occur in another of the article's `units` (`document_frequency`: in how
    many units each term occurs, the sentence's own included)."""
    if units < TEASER_MIN_UNITS:
        return False
    total = sum(terms.values())
    returning = sum(n for term, n in terms.items() if document_frequency.get(term, 0) >= 2)
    return bool(total) and returning < TEASER_RETURNING * total
