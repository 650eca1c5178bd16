"""Which sentences may be shown at all: news, not page furniture, captions or fragments.

A sentence that fails :func:`is_candidate` is never ranked, so it can never become a point.
"""

from __future__ import annotations

import re

from briefgen.base.text import WORD
from briefgen.model import Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize.fragments import is_fragment
from briefgen.summarize.similarity import term_lists

_NOT_NEWS = re.compile(
    r"""(?ix)
    tweet\ with\ a\ location | add\ location\ information | alexa\ internet | wayback\ machine
    | internet\ archive | these\ crawls\ are\ part | interactive\ transcript | dow\ jones\ reprints
    | all\ rights\ reserved | copyright\ \d | ©
    | sign\ up\ for | subscribe\ to | our\ newsletter | click\ here | follow\ us
    | (?:^|\s)(?:photo|image|video)\s*(?:credit)?\s*: | getty\ images | associated\ press\ photo
    | related\ *: | read\ more | share\ this | cookies? | javascript | your\ browser
    | https?:// | www\.
    # photo captions and credits: "FILE - This June 2013 photo ...", "(AP Photo/...)", "is seen"
    | ^\W*\d*\s*FILE\s*[-–—] | \bfile\ photo\b | \bphoto\ (?:released|provided|taken)\b
    | \b(?:AP|Reuters|AFP|Getty)\ (?:Photo|Images)\b | staff\ photographer | \b(?:is|are)\ seen\b
    | \bpictured\b | micrograph | ✉ | \bthis\ (?:undated\ )?(?:photo|image|picture)\b
    # embed and sign-off boilerplate: Twitter's location notice, "add X as an interest", credit
    # lines, web-archive notices
    | location\ history | as\ an\ interest\ to | stay\ up\ to\ date\ on\ the\ latest
    | contributed\ (?:to\ )?(?:this|the)\ (?:report|story) | contributed\ reporting
    | broken\ links | no\ more\ 404 | \bcrawls?\ (?:of|data)\b
    """
)
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


def is_candidate(sentence: Sentence, spec: BriefingSpec) -> bool:
    """Whether a sentence may appear in a briefing at all (length, not page furniture)."""
    text = sentence.text
    n = len(words(text))
    if n < spec.selection.min_words or n > spec.selection.max_words:
        return False
    if _NOT_NEWS.search(text) or is_fragment(text):
        return False
    if text.rstrip()[-1:] not in _ENDS:  # headings, captions and fragments
        return False
    if _first_word_is_lower(text):  # "warned that ...": a fragment, not a sentence start
        return False
    # A trailing ellipsis is a cut-off caption or teaser; a question is not a finding.
    if _TRUNCATED_OR_QUESTION.search(text.rstrip()):
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.5 * len(letters):
        return False
    tokens = words(text)
    return sum(t[:1].isupper() for t in tokens) <= _MOSTLY_NAMES * len(tokens)
