"""Resource limits for hostile or accidental input, in one place with their defaults.

Every limit turns "briefgen ran out of memory / hung / crashed" into a one-line message that names
the file and the flag that raises the limit.  :class:`Limits` is a plain frozen dataclass so the
CLI flags (``--max-file-size``, ``--max-total-size``, ``--max-sentences``) and config keys can
both fill it; :func:`parse_size` reads "5MB"-style values for either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, TypeVar

__all__ = ["Limits", "cap_sentences", "format_size", "parse_size"]

_T = TypeVar("_T")

_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gib": 1024**3,
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """How much input one build accepts.  Each field is a flag of ``briefgen build``."""

    max_file_size: int = 5_000_000
    """Bytes of one input file (``--max-file-size``); bigger files are skipped with a warning.
    News articles are 5-100 kB; 5 MB is a saved page with inline images or a misplaced dump."""
    max_total_size: int = 200_000_000
    """Bytes of all input files together (``--max-total-size``); over it the build stops before
    reading anything, so a wrong folder (a home directory) fails fast instead of running for
    hours."""
    max_sentences: int = 300_000
    """Sentences read into the pipeline (``--max-sentences``); beyond it the best by a cheap prior
    (position in the article) are kept and a warning says how many were set aside.  Ranking
    itself is bounded (sparse top-k neighbours and a linear pre-ranking to 2,000 candidates), so
    this caps memory of segmentation and vectors: 25,000 sentences (1,000 articles) take ~10 s
    and 0.25 GB here; 300,000 covers the 10,000-article benchmark corpus."""
    max_html_depth: int = 200
    """Element nesting of an HTML file.  libxml2 stops parsing at 256 levels and trafilatura then
    silently finds no text, so deeper pages are read as plain text instead (with a warning)."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{f.name} must be a positive whole number, not {value!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Limits:
        """Limits from a config table; sizes may be "5MB"-style strings, unknown keys fail."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown limit {unknown[0]!r} (known: {', '.join(sorted(known))})")
        parsed = {
            k: parse_size(v) if k.endswith("_size") and isinstance(v, str) else v
            for k, v in values.items()
        }
        return cls(**parsed)


def parse_size(text: str | int) -> int:
    """Bytes from ``5000000``, ``"5MB"``, ``"500k"`` or ``"2MiB"`` (k/M/G are powers of 1000)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    match = _SIZE.fullmatch(str(text))
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS:
        raise ValueError(f"not a size: {text!r} (use e.g. 5000000, 500kB, 5MB or 1GB)")
    return int(float(match.group(1)) * _UNITS[unit])


def format_size(n: int) -> str:
    """``5 MB``, ``512 kB``, ``900 bytes``: how limits and file sizes appear in messages."""
    for unit, size in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def cap_sentences(sentences: Sequence[_T], limit: int, index_of: Any = None) -> list[_T]:
    """At most ``limit`` sentences, chosen by a cheap prior, in their original order.

    The prior is position in the article (news puts what matters first), taken round-robin across
    articles so every article keeps its lead; ``index_of(s)`` gives a sentence's position (default
    its ``index`` attribute).  Nothing is scored, so this costs one sort.
    """
    if len(sentences) <= limit:
        return list(sentences)
    position = index_of or (lambda s: s.index)
    order = sorted(range(len(sentences)), key=lambda i: (position(sentences[i]), i))
    keep = sorted(order[:limit])
    return [sentences[i] for i in keep]
