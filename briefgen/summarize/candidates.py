"""Which sentences may be shown at all: news, not page furniture, captions or fragments.

A sentence that fails :func:`is_candidate` is never ranked, so it can never become a point.
"""

from __future__ import annotations

import re
import string

from briefgen.base.text import WORD, Screened
from briefgen.model import Sentence
from briefgen.spec import BriefingSpec, Selection
from briefgen.summarize.fragments import STUB, unbalanced_quotes
from briefgen.summarize.similarity import term_lists

NOT_NEWS = Screened(
    [
        ("tweet", r"tweet with a location"),
        ("location", r"add location information|location history"),
        ("alexa", r"alexa internet"),
        ("wayback", r"wayback machine"),
        ("archive", r"internet archive"),
        ("crawl", r"these crawls are part|\bcrawls? (?:of|data)\b"),
        ("transcript", r"interactive transcript"),
        ("reprints", r"dow jones reprints"),
        ("reserved", r"all rights reserved"),
        ("copyright", r"copyright \d|\bimage copyright\b"),
        ("\x00", r"[©✉]"),
        ("sign", r"sign up for|\bsign up\b"),
        ("subscribe", r"subscribe to|\bunsubscribe\b"),
        ("newsletter", r"our newsletter|\bnewsletters?\b"),
        ("click", r"click here|\bclick (?:here|the link|below|to)\b"),
        ("tap ", r"\btap (?:here|the link|below|to)\b"),
        ("follow", r"follow us|\bfollow \w+ on twitter\b"),
        # captions, credits and link lines that end in a colon: "Photo:", "Credit:", "Watch:"
        (":", r"(?:^|\s)(?:photo|image|video)\s*(?:credit)?\s*:|related *:|\bcredit\s*:"),
        (":", r"\bcaption\s*:|^\W*(?:watch|listen|read|see also|more|related|video|photos)\s*:"),
        ("getty", r"getty images|\bgetty photo\b"),
        # photo captions and credits: "FILE - This June 2013 photo", "(AP Photo/...)", "is seen"
        ("file", r"^\W*\d*\s*FILE\s*[-–—]|\bfile photo\b"),
        ("photo", r"associated press photo|\bphoto (?:released|provided|taken)\b"),
        ("photo", r"\b(?:AP|Reuters|AFP) photo\b|staff photographer|\bthis (?:undated )?photo\b"),
        ("photo", r"\b(?:hide|photo) caption\b|\b\d+ of \d+ photos\b|\bphotos? (?:by|courtesy)\b"),
        ("image", r"\b(?:AP|Reuters|AFP) images\b|\bthis (?:undated )?image\b"),
        ("image", r"\bimage caption\b|\bimages? (?:by|courtesy)\b"),
        ("picture", r"\bthis (?:undated )?picture\b"),
        ("video", r"\bvideo caption\b"),
        ("caption", r"\bhide caption\b"),
        ("illustration", r"\billustrations? (?:by|courtesy)\b"),
        ("seen", r"\b(?:is|are) seen\b"),
        ("pictured", r"\bpictured\b"),
        ("micrograph", r"micrograph"),
        ("read", r"read more"),
        ("share", r"share this"),
        ("cookie", r"cookies?"),
        ("javascript", r"javascript"),
        ("browser", r"your browser"),
        ("http", r"https?://"),
        ("www.", r"www\."),
        # embed and sign-off boilerplate, web-archive notices, alert prompts
        ("interest", r"as an interest to"),
        ("latest", r"stay up to date on the latest"),
        ("contributed", r"contributed (?:to )?(?:this|the) (?:report|story)|contributed reporting"),
        ("broken", r"broken links"),
        ("404", r"no more 404"),
        ("news ", r"news (?:alerts|emails)"),
        ("download", r"download (?:the|our) app"),
        ("notification", r"\bpush notifications?\b"),
        ("inbox", r"\bin your inbox\b"),
        # donation and link lines: "Support independent journalism", "Donate now", "Link in bio"
        ("donate", r"\bdonate (?:now|today|here)\b"),
        ("journalism", r"\bsupport (?:our|independent|quality) journalism\b"),
        ("make a", r"\bmake a (?:donation|contribution) (?:to us|today|now)\b"),
        ("become a", r"\bbecome a (?:member|subscriber|patron|supporter)\b"),
        ("link", r"\blinks? (?:in|below|above)\b"),
        ("email", r"\bemail (?:us|the author)\b"),
    ]
)  # fmt: skip
"""Page furniture, captions, sign-offs and prompts: never news, never shown."""
# A name list (authors, credits): most words capitalised, no verb-like lower-case word.
_MOSTLY_NAMES = 0.6
FORWARD = re.compile(
    r"(?i)\b(will|won't|would|could|may|might|expected|expects|plans?|planned|planning|"
    r"intends?|aims? to|set to|likely|next (?:week|month|year)|upcoming|future|forecast|"
    r"is to|are to|prospects?|outlook)\b"
)
BACKGROUND = re.compile(
    r"(?i)\b(has long|have long|had been|previously|since (?:19|20)\d\d|in (?:19|20)\d\d|"
    r"long-standing|longstanding|history|historically|traditionally|first|earlier|ago|"
    r"was established|were established|originally|background|years)\b"
)

_TRUNCATED_OR_QUESTION = re.compile(r"(?:\.\.\.|…|\?|？)[\"”’'」』]?$")
# Where a sentence may end: Western and CJK full stops and exclamation marks, closing quotes.
_ENDS = ".!?\"”’'。！」』"


UNRESOLVED = re.compile(
    r"(?:He|She|It|They|We|I|You|His|Her|Its|Their|Our|My|Him|Them|This|That|These|Those|Such)"
    r"(?![\w-])|If (?:not|so)\b|Otherwise\b"
    r"|The (?:announcement|move|decision|statement|development|news|step) "
    r"(?:came|comes|follows|followed|was made|is)\b"
)
"""An opening that leans on an earlier sentence: a pronoun, a demonstrative ("This", "Those"),
a condition on it ("If not, ...") or "The announcement came".  Shown alone, as the bottom line
or a key point, its referent is missing."""

QUOTE_MARKS = "\"“”'‘’"

DANGLING = re.compile(
    r"(?:If not|This|These|That|Those|It|They|He|She|His|Her|Their|Such|But|And|So|Yet)\b"
)


# --------------------------------------------------------------------------- text features


def words(text: str) -> list[str]:
    return WORD.findall(text)


def terms(text: str) -> list[str]:
    """Stemmed content words: the vocabulary similarity is measured in."""
    return term_lists(text)


def _first_word_is_lower(text: str) -> bool:
    """Whether the first word starts in lower case and holds no capital ("iPhone" does)."""
    first = WORD.search(text)
    return bool(first and first.group()[:1].islower() and first.group() == first.group().lower())


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_CAPITALS = string.ascii_uppercase.encode()


def _mostly_capitals(text: str) -> bool:
    """Over half the letters upper case (a shouted headline, a credit line)."""
    if text.isascii():  # C-speed counts: delete the letters (capitals) and compare lengths
        raw = text.encode("ascii")
        letters = len(raw) - len(raw.translate(None, _ASCII_LETTERS))
        return (
            bool(letters) and len(raw) - len(raw.translate(None, _ASCII_CAPITALS)) > 0.5 * letters
        )
    alpha = [c for c in text if c.isalpha()]
    return bool(alpha) and sum(c.isupper() for c in alpha) > 0.5 * len(alpha)


def is_candidate(sentence: Sentence, spec: BriefingSpec) -> bool:
    """Whether a sentence may appear in a briefing at all (length, not page furniture)."""
    return is_candidate_text(sentence.text, spec.selection)


def is_candidate_text(
    text: str,
    selection: Selection,
    not_news: Screened = NOT_NEWS,
    stub: Screened = STUB,
) -> bool:
    """:func:`is_candidate` on a sentence's text: what the per-article pool calls, with the
    furniture and stub screens narrowed to its article (:meth:`Screened.within`)."""
    tokens = words(text)
    n = len(tokens)
    if n < selection.min_words or n > selection.max_words:
        return False
    if text.rstrip()[-1:] not in _ENDS:  # headings, captions and fragments
        return False
    if _first_word_is_lower(text):  # "warned that ...": a fragment, not a sentence start
        return False
    # A trailing ellipsis is a cut-off caption or teaser; a question is not a finding.
    if _TRUNCATED_OR_QUESTION.search(text.rstrip()):
        return False
    if not_news.search(text) or unbalanced_quotes(text) or stub.search(text):
        return False
    if _mostly_capitals(text):
        return False
    return sum(t[:1].isupper() for t in tokens) <= _MOSTLY_NAMES * n


def may_lead(text: str) -> bool:
    """Whether a sentence may stand alone as the bottom line or a key point: it does not open
    with a reference to something it does not show (:data:`UNRESOLVED`).  Words in quotation
    marks are the speaker's, unless nothing outside them says who spoke ('"He was right."')."""
    text = text.lstrip()
    if UNRESOLVED.match(text):
        return False
    quoted = text.lstrip(QUOTE_MARKS)
    if quoted != text and UNRESOLVED.match(quoted):
        closing = max(text.rfind(q, 1) for q in '"”“')  # apostrophes are no closing marks
        if closing < 1:  # the quote runs on past this sentence: no speaker here at all
            return False
        said = words(text[closing + 1 :])  # '"He was right," Smith said.', not '..., he said.'
        return len(said) >= 3 or any(w[:1].isupper() for w in said)
    return True
