"""The two guards every shortening cut must pass (see :mod:`briefgen.summarize.compress`).

* **protected words** (:func:`protected`): a cut never removes a negation, a number, a modal verb,
  a hedge, an attribution ("police said", "according to officials"), or a name (a capitalised
  word that is not the sentence's first);
* **shape** (:func:`well_formed`): the result still reads as a sentence.
"""

from __future__ import annotations

import re

from briefgen.base.text import WORD

__all__ = [
    "ATTRIBUTION",
    "HEDGES",
    "MODALS",
    "NEGATIONS",
    "NUMBER_WORDS",
    "QUOTES",
    "capitalise",
    "protected",
    "tidy",
    "well_formed",
]

NEGATIONS = frozenset([
    "not", "no", "never", "without", "neither", "nor", "none", "nobody", "nothing", "nowhere",
    "cannot",
])  # fmt: skip
MODALS = frozenset(["may", "might", "could", "would", "will", "should", "must", "can", "shall"])
HEDGES = frozenset([
    "reportedly", "allegedly", "possibly", "likely", "unlikely", "probably", "perhaps",
    "apparently", "about", "around", "nearly", "almost", "some", "approximately", "roughly",
    "alleged", "suspected", "supposedly", "purportedly", "seemingly", "presumably", "arguably",
    "believed", "only",
])  # fmt: skip
# Multi-word hedges and quantity qualifiers: "so far as we know", "at least", "more than".
_HEDGE_PHRASE = re.compile(
    r"(?i)\b(?:as far as|so far as|it seems|it appears|we know|thought to|said to be|at least|"
    r"at most|up to|more than|less than|fewer than)\b"
)
# Who a claim is from: a cut that removed one would turn a claim into bare fact (issue #14).
ATTRIBUTION = re.compile(
    r"(?i)\b(?:according\s+to|(?:said|say|says|saying|told|tells|claimed|claims|claim|"
    r"alleged|alleges|stated|states|reported|reports|announced|announces|noted|notes|added|"
    r"adds|explained|explains|confirmed|confirms|insist|insisted|insists|argued|argues|wrote|"
    r"writes|warned|warns|estimated|estimates|believes|believe)\b|in\s+a\s+statement|"
    r"as\s+(?:per|reported\s+by)|quoted\s+(?:by|as))"
)
NUMBER_WORDS = frozenset([
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
    "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions", "trillion",
    "dozen", "dozens", "half", "once", "twice", "first", "second", "third",
])  # fmt: skip
_MIN_WORDS = 5
_END = re.compile(r"[.!?][\"”’')\]]*$")
QUOTES = '"“”'


def protected(span: str, *, allow_names: bool = False, at_start: bool = False) -> str | None:
    """The kind of protected word in ``span`` (which a cut would remove), or None.

    ``at_start``: ``span`` begins the sentence, so its first word's capital is not a name.
    ``allow_names``: the span is a label whose names may go (a kicker repeated in the sentence).
    """
    for k, tok in enumerate(WORD.findall(span)):
        low = tok.lower().replace("’", "'")
        if low in NEGATIONS or low.endswith("n't"):
            return "negation"
        if any(c.isdigit() for c in tok) or low in NUMBER_WORDS:
            return "number"
        if low in MODALS or low.endswith(("'ll", "'d")):
            return "modal"
        if low in HEDGES:
            return "hedge"
        if tok[0].isupper() and not (k == 0 and at_start) and not allow_names:
            return "name"
    if any(c.isdigit() for c in span) or "%" in span or "$" in span:
        return "number"
    if _HEDGE_PHRASE.search(span):
        return "hedge"
    if ATTRIBUTION.search(span):
        return "attribution"
    return None


def tidy(text: str) -> str:
    """Whitespace and punctuation left over by a cut: deletion only, so only spaces change."""
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return text.strip()


def capitalise(text: str) -> str:
    """Upper-case the first letter of the (new) first word: the one change besides deletion."""
    for i, c in enumerate(text):
        if c.isalpha():
            return text[:i] + c.upper() + text[i + 1 :]
        if c not in QUOTES + "'‘(":
            break
    return text


def well_formed(text: str) -> bool:
    """Still a sentence: capital, quote or digit first; terminal punctuation last; quotes paired."""
    if len(WORD.findall(text)) < _MIN_WORDS or not _END.search(text):
        return False
    first = text.lstrip(QUOTES + "'‘")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    if re.search(r",\s*[,.;:!?]|\(\s*\)|^\W*[,;:]", text):
        return False
    straight = text.count('"') % 2 == 0
    return straight and text.count("“") == text.count("”") and text.count("(") == text.count(")")
