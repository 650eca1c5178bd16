"""Find exact and near-duplicate articles (wire copies re-run under another headline).

Pure and deterministic: the first text in input order is kept, later copies are reported.
MinHash LSH proposes candidate pairs cheaply; the exact Jaccard of the word 5-shingle sets
decides, so a MinHash estimation error never drops an article on its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NUM_PERM", "SEED", "SHINGLE", "THRESHOLD", "Duplicate", "find_duplicates", "shingles"]

SHINGLE = 5  # words per shingle
NUM_PERM = 128
SEED = 1  # fixed, so runs (and --jobs 1 vs --jobs 2) agree
THRESHOLD = 0.8
# Up to this many texts, every pair is compared exactly: cheaper than importing datasketch
# (~0.5 s, it pulls in scipy) and never misses a pair the way LSH rarely can.
PAIRWISE_MAX = 64

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Duplicate:
    """Text ``index`` duplicates the kept text ``kept`` (both positions in the input)."""

    index: int
    kept: int
    jaccard: float
    exact: bool


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Word ``size``-shingles of ``text``, case-folded; a shorter text is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def find_duplicates(texts: Sequence[str], threshold: float = THRESHOLD) -> list[Duplicate]:
    """Duplicates among ``texts``, each pointing at the earliest kept text it matches best."""
    if len(texts) <= PAIRWISE_MAX:
        return _pairwise(texts, threshold)
    from datasketch import MinHash, MinHashLSH  # import cost only for large inputs

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    first_by_text: dict[str, int] = {}
    sets: dict[int, set[str]] = {}
    found: list[Duplicate] = []
    for i, text in enumerate(texts):
        if text in first_by_text:
            found.append(Duplicate(i, first_by_text[text], 1.0, exact=True))
            continue
        sets[i] = shingles(text)
        minhash = MinHash(num_perm=NUM_PERM, seed=SEED)
        minhash.update_batch([s.encode("utf-8") for s in sorted(sets[i])])
        candidates = sorted(int(key) for key in lsh.query(minhash))
        scored = [(_jaccard(sets[i], sets[k]), k) for k in candidates]
        best = max(scored, key=lambda pair: (pair[0], -pair[1]), default=(0.0, -1))
        if best[0] >= threshold:
            found.append(Duplicate(i, best[1], best[0], exact=False))
            continue
        first_by_text[text] = i
        lsh.insert(str(i), minhash)
    return found


def _pairwise(texts: Sequence[str], threshold: float) -> list[Duplicate]:
    """:func:`find_duplicates` for a few texts: exact Jaccard against every kept text."""
    first_by_text: dict[str, int] = {}
    kept: dict[int, set[str]] = {}
    found: list[Duplicate] = []
    for i, text in enumerate(texts):
        if text in first_by_text:
            found.append(Duplicate(i, first_by_text[text], 1.0, exact=True))
            continue
        mine = shingles(text)
        scored = [(_jaccard(mine, other), k) for k, other in kept.items()]
        best = max(scored, key=lambda pair: (pair[0], -pair[1]), default=(0.0, -1))
        if best[0] >= threshold:
            found.append(Duplicate(i, best[1], best[0], exact=False))
            continue
        first_by_text[text] = i
        kept[i] = mine
    return found
