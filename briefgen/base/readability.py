"""Readability as a briefing reports it: textstat's scores plus sentence-length figures.

Shared by selection (which prefers readable sentences), page fitting (which re-measures a
trimmed briefing) and the final check (which holds a briefing to its targets).
"""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.base.syllables import textstat
from briefgen.base.text import word_count
from briefgen.model import SECTIONS, Briefing, Readability


def readability(sentences: Sequence[str]) -> Readability:
    """textstat scores of a section, plus sentence-length figures a reader feels directly."""
    text = " ".join(s.strip() for s in sentences)
    counts = [word_count(s) for s in sentences]
    n_words = sum(counts)
    return Readability(
        flesch_reading_ease=round(float(textstat().flesch_reading_ease(text)), 2),
        flesch_kincaid_grade=round(float(textstat().flesch_kincaid_grade(text)), 2),
        gunning_fog=round(float(textstat().gunning_fog(text)), 2),
        words_per_sentence=round(n_words / len(sentences), 2) if sentences else 0.0,
        share_over_30_words=round(sum(c > 30 for c in counts) / len(counts), 3) if counts else 0.0,
        sentences=len(sentences),
        words=n_words,
    )


def section_readability(briefing: Briefing) -> dict[str, Readability]:
    """Readability of each section of statements the briefing holds."""
    out: dict[str, Readability] = {}
    for section in SECTIONS:
        texts = [s.text for s in getattr(briefing, section)]
        if texts:
            out[section] = readability(texts)
    return out
