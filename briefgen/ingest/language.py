"""An article's language, detected, never assumed.

briefgen summarizes English: its sentence splitter, readability scores, shortening rules and
actor rules are English-only.  Each article's language is therefore detected at ingest, and a
non-English article is set aside with a one-line warning (see :func:`require_english`) rather
than summarized badly or labelled "en".

The detector is ``py3langid`` (langid.py's model, shipped inside its wheel, no network).  Its
model takes ~1.5 s to load, so plain English is recognised first by its function words: text in
which at least one word in five is one of the commonest English function words is English
(every one of the 267 development articles, whose lowest share is 0.16, is also "en" for
py3langid; see ``benchmarks/trust_extract.py``).  Anything else goes to the detector.  Text too
short to tell (under a dozen words) is labelled ``und`` (undetermined) and kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from briefgen.errors import IngestError

__all__ = ["ENGLISH", "UNDETERMINED", "detect", "language_name", "require_english"]

ENGLISH = "en"
UNDETERMINED = "und"
MIN_WORDS = 12
ENGLISH_SHARE = 0.2
SAMPLE_CHARS = 5_000
_FUNCTION_WORDS = frozenset([
    "the", "of", "and", "to", "a", "in", "is", "that", "for", "on", "it", "with", "as", "was",
    "he", "said", "by", "at", "from", "his", "be", "have", "has", "are", "an", "this", "but",
    "not", "they", "who", "were", "which", "their", "its", "had", "been", "will", "would",
])  # fmt: skip
_WORDS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_NAMES = {
    "ar": "Arabic", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "es": "Spanish",
    "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian",
    "id": "Indonesian", "it": "Italian", "ja": "Japanese", "kk": "Kazakh", "ko": "Korean",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "zh": "Chinese",
}  # fmt: skip


def english_share(text: str) -> tuple[float, int]:
    """(share of words that are common English function words, number of words)."""
    words = _WORDS.findall(text.lower())
    hits = sum(map(_FUNCTION_WORDS.__contains__, words))
    return hits / max(1, len(words)), len(words)


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import py3langid  # ~0.25 s import and ~1.5 s model load: only for text not plainly English

    return py3langid


def detect(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``und`` when it is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    share, n = english_share(sample)
    if n < MIN_WORDS:
        return UNDETERMINED
    if share >= ENGLISH_SHARE:
        return ENGLISH
    code, _score = _identifier().classify(sample)
    return str(code)


def language_name(code: str) -> str:
    return _NAMES.get(code, code)


def require_english(name: str, text: str) -> str:
    """The language of ``text`` (``en`` or ``und``); IngestError naming the file otherwise."""
    code = detect(text)
    if code not in (ENGLISH, UNDETERMINED):
        raise IngestError(
            f"{name}: written in {language_name(code)} ({code}), not English: set aside "
            "(briefgen summarizes English articles only)"
        )
    return code
