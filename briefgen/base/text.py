"""Text primitives every stage shares: what a word is, how words are counted, and the one test
of faithfulness (:func:`is_deletion_of`).

They live here, below every stage, so the summarizer counts words exactly as the final check does
and a shortened sentence is tested by the same function that ``briefgen check`` uses.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence

IDEOGRAPHIC = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
"""Han ideographs and kana: one character is one word (as word processors count them)."""
UNSPACED = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
"""Thai, Lao, Myanmar and Khmer: words are not separated by spaces (spaces end phrases)."""
UNSPACED_WORD = 4
"""Letters (with their marks) counted as one word in :data:`UNSPACED` scripts: without a
dictionary the word boundaries are unknown, so a run is counted in pieces of this size (about
the average length of a Thai word)."""
WORD = re.compile(
    rf"[{IDEOGRAPHIC}]|[{UNSPACED}]{{1,{UNSPACED_WORD}}}"
    rf"|[^\W_{IDEOGRAPHIC}{UNSPACED}]+(?:['’][^\W_{IDEOGRAPHIC}{UNSPACED}]+)*",
    re.UNICODE,
)
"""A word: letters and digits, with inner apostrophes ("don't", "Kazakhstan’s"); in Chinese
and Japanese one character, in Thai, Lao, Myanmar and Khmer a piece of a run (see above)."""
_TOKEN = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*|[^\w\s]", re.UNICODE)


def words(text: str) -> list[str]:
    return WORD.findall(text)


def word_count(text: str) -> int:
    """Words as every length limit counts them (never ``str.split``: "&a;&a;" is not a word)."""
    return len(WORD.findall(text))


def tokens(text: str) -> list[str]:
    """Words and punctuation marks, apostrophes made straight: what faithfulness compares."""
    return [t.replace("’", "'") for t in _TOKEN.findall(text)]


def is_deletion_of(shown: str, source: str) -> bool:
    """Whether ``shown``'s tokens are an in-order subsequence of ``source``'s tokens.

    Tokens must match exactly (whitespace and curly/straight apostrophes aside), with one
    exception: ``shown``'s first word may have its first letter upper-cased, because a shortened
    sentence may begin with what was a mid-sentence word.  Any other change of case is a change.
    """
    want = tokens(shown)
    it = iter(tokens(source))
    if not want:
        return False
    first = want[0]
    if not any(t == first or t[:1].upper() + t[1:] == first for t in it):
        return False
    return all(any(w == t for t in it) for w in want[1:])


# --------------------------------------------------------------------------- screened patterns

_PLAIN = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "…": ".", "\u00a0": " "}
    | {mark: "\x00" for mark in "©✉"}
)


def plain_lower(text: str) -> str:
    """``text`` in lower case with its typography made plain, as :class:`Screened` reads it."""
    return (text if text.isascii() else text.translate(_PLAIN)).lower()


class Screened:
    """A long case-insensitive alternation, split by the literal word each alternative needs.

    One ``(?i)`` alternation of some eighty alternatives costs tens of microseconds per
    sentence (the engine tries every alternative at every position), which over a quarter of a
    million sentences is most of a build.  Here each alternative comes with a ``needle``, a lower
    case literal every match of it contains (``"\x00"`` stands for © and ✉): :meth:`search`
    runs only the small patterns whose needle the text holds (a C-speed ``in``).  ``pattern`` is
    the whole alternation, the same test in one piece: text that is not ASCII once common
    typography is made plain goes to it, because Unicode case-folding ("ſ", "K") can match where
    ``str.lower`` does not.  The tests hold an example of each alternative.
    """

    def __init__(self, alternatives: Sequence[tuple[str, str]]) -> None:
        self.pattern = re.compile("|".join(f"(?:{rx})" for _, rx in alternatives), re.I)
        grouped: dict[str, list[str]] = {}
        for needle, rx in alternatives:
            grouped.setdefault(needle, []).append(f"(?:{rx})")
        self.parts = [(n, re.compile("|".join(rxs), re.I)) for n, rxs in grouped.items()]

    def within(self, low: str) -> Screened:
        """This screen narrowed to the needles an article holds (``low``: its
        :func:`plain_lower` text): its sentences are pieces of it, so hold no needle it lacks."""
        narrowed = copy.copy(self)
        narrowed.parts = [(n, part) for n, part in self.parts if n in low]
        return narrowed

    def search(self, text: str) -> re.Match[str] | None:
        plain = text if text.isascii() else text.translate(_PLAIN)  # _PLAIN maps non-ASCII only
        if not plain.isascii():
            return self.pattern.search(text)
        low = plain.lower()
        for needle, part in self.parts:
            if needle in low:
                found = part.search(text)
                if found:
                    return found
        return None
