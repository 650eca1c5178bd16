"""Whether one sentence reports the same fact as another: the test a supporting citation passes.

A statement's first citation is the sentence it was copied from; every further citation claims
that another outlet *reports the same fact*, and the briefing counts outlets from them ("3
outlets", "single source").  Topic similarity is not enough for that claim (two sentences about
one trial can report different rulings), so a cited sentence supports a shown one only when
(:func:`same_fact`):

* **no value conflicts**: when both give numbers, at least one agrees (within
  :data:`NUMBER_TOLERANCE`, so "$972,814" and "about $973,000" agree); hyphen-joined digit groups
  (phone numbers, scores) are one value each; when both name months, one is shared; when both
  state a year, one is shared;
* and **the wording is shared**, one of:

  - most content words shared (Dice coefficient of their stemmed content words at least
    :data:`MIN_DICE`) *and* at least :data:`MIN_SHARED_PAIRS` adjacent content-word pairs shared
    (the same phrasing of the fact, not only the same vocabulary), or
  - the same number *and* the same name stated *and* at least :data:`MIN_COVERAGE` of the
    shorter sentence's content words shared (the same figure about the same actor).

The thresholds were set on ``benchmarks/labels/support.jsonl``, 150 sentence pairs from the
development clusters labelled by reading them (same fact / same topic, different fact);
``benchmarks/trust.py`` prints the test's precision and recall on them.  The test reads only the
two sentences, so ``briefgen check`` (which has only the briefing JSON) and ``briefgen verify``
(which re-reads the sources) apply exactly the test that chose the citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from briefgen.base.text import WORD
from briefgen.summarize.guards import NUMBER_WORDS
from briefgen.summarize.similarity import STOP_WORDS, term_lists

__all__ = ["MIN_COVERAGE", "MIN_DICE", "MIN_SHARED_PAIRS", "FactMatch", "match", "same_fact"]

MIN_DICE = 0.55
"""Share of content words two sentences must have in common (Dice) on the wording route."""
MIN_SHARED_PAIRS = 3
"""Adjacent content-word pairs both sentences must contain on the wording route."""
MIN_COVERAGE = 0.45
"""Share of the shorter sentence's content words the other must contain on the value route."""
NUMBER_TOLERANCE = 0.02
"""Relative difference within which two numbers are the same value (rounding by reporters)."""

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CODE = re.compile(r"\b\d+(?:-\d+)+\b")
"""Digit groups joined by hyphens ("335-5784", "3-2"): one value (a phone number, a score)."""
_SCALE = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_COUNTS = """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty"""
# "one" is a pronoun as often as a count ("one of the suspects"): only two and up are values.
_WORD_VALUE = {w: float(i) for i, w in enumerate(_COUNTS.split()) if i > 1}
_MONTH_NAMES = """january february march april may june july august september october november
    december"""
_MONTHS = _MONTH_NAMES.split()
_MONTH = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?:[a-z]*)\.?(?=\s+\d)|"
    r"\b(January|February|March|April|June|July|August|September|October|November|December)\b"
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


@dataclass(frozen=True)
class FactMatch:
    """How two sentences compare, and the verdict with its reason."""

    same: bool
    reason: str


def _numbers(text: str) -> set[float]:
    """Numeric values stated in ``text``: digits (with "million"/"bn" scales) and number words."""
    out: set[float] = set()
    text = _CODE.sub(" ", text)
    for m in _NUMBER.finditer(text):
        try:
            value = float(m.group(0).replace(",", ""))
        except ValueError:
            continue
        after = WORD.match(text[m.end() :].lstrip()) if m.end() < len(text) else None
        scale = _SCALE.get(after.group(0).lower(), 1.0) if after else 1.0
        tail = text[m.end() : m.end() + 2].lower()
        scale = _SCALE.get(tail.strip(), scale) if tail in ("bn", "m ", "m.", "m,") else scale
        out.add(value * scale)
    for w in WORD.findall(text):
        low = w.lower()
        if low in _WORD_VALUE:
            out.add(_WORD_VALUE[low])
    return out


def _agree(x: float, y: float) -> bool:
    return abs(x - y) <= NUMBER_TOLERANCE * max(abs(x), abs(y))


def _months(text: str) -> set[str]:
    found: set[str] = set()
    for m in _MONTH.finditer(text):
        name = (m.group(1) or m.group(2)).lower()
        found.update(full for full in _MONTHS if full.startswith(name[:3]))
    return found


def _names(text: str) -> set[str]:
    """Capitalised words past the sentence's first word: the names a sentence states."""
    out = set()
    for m in WORD.finditer(text):
        w = m.group(0)
        if m.start() == 0 or not w[:1].isupper() or len(w) < 2:
            continue
        low = w.lower().replace("’", "'").removesuffix("'s")
        if low not in STOP_WORDS and low not in NUMBER_WORDS:
            out.add(low)
    return out


def conflict(shown: str, cited: str) -> str | None:
    """The value the two sentences disagree on (number, month or year), or None."""
    a, b = _numbers(shown), _numbers(cited)
    if a and b and not any(_agree(x, y) for x in a for y in b):
        return "their numbers differ"
    ca, cb = set(_CODE.findall(shown)), set(_CODE.findall(cited))
    if ca and cb and not ca & cb:
        return "their numbers differ"
    ma, mb = _months(shown), _months(cited)
    if ma and mb and not ma & mb:
        return "their dates differ"
    ya, yb = set(_YEAR.findall(shown)), set(_YEAR.findall(cited))
    if ya and yb and not ya & yb:
        return "their years differ"
    return None


def match(shown: str, cited: str) -> FactMatch:
    """Whether ``cited`` reports the same fact as ``shown``, with the reason (see the module)."""
    clash = conflict(shown, cited)
    if clash:
        return FactMatch(False, clash)
    ta, tb = term_lists(shown), term_lists(cited)
    a, b = set(ta), set(tb)
    if not a or not b:
        return FactMatch(False, "no content words to compare")
    shared = len(a & b)
    dice = 2 * shared / (len(a) + len(b))
    pairs = len(set(pairwise(ta)) & set(pairwise(tb)))
    if dice >= MIN_DICE and pairs >= MIN_SHARED_PAIRS:
        return FactMatch(True, f"{shared} content words and {pairs} word pairs shared")
    numbers = any(_agree(x, y) for x in _numbers(shown) for y in _numbers(cited))
    names = _names(shown) & _names(cited)
    coverage = shared / min(len(a), len(b))
    if numbers and names and coverage >= MIN_COVERAGE:
        return FactMatch(True, f"the same number and name ({sorted(names)[0]}) stated")
    return FactMatch(
        False, f"only {shared} of {len(a)} content words and {pairs} word pairs shared"
    )


def same_fact(shown: str, cited: str) -> bool:
    """Whether ``cited`` reports the same fact as ``shown`` (a supporting citation may cite it)."""
    return match(shown, cited).same
