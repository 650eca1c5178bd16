"""Find exact and near-duplicate articles (wire copies re-run under another headline).

Pure and deterministic: the first text in input order is kept, later copies are reported.
MinHash LSH proposes candidate pairs cheaply; the exact Jaccard of the word 5-shingle sets
decides (of the sets kept as sorted 64-bit hashes: the same number but for a hash collision),
so a MinHash estimation error never drops an article on its own.

The MinHash and its LSH bands are datasketch's (2.x, default ``affine32`` scheme: SHA-1 of each
shingle, MurmurHash3 finaliser, ``a * h + b`` in 32 bits; 9 bands of 13 rows for a threshold of
0.8 over 128 permutations), computed here with numpy: the same hash values and the same candidate
pairs, hence the same decisions, without importing datasketch (and scipy, ~1 s) and with the
per-shingle hashing done in bulk.  ``tests/test_dedupe.py`` checks both against datasketch.
:func:`dedupe_articles` is the one place articles are de-duplicated: once per build, by
``briefgen build`` (:func:`~briefgen.ingest.read.ingest`) and scheduled runs
(:func:`~briefgen.ingest.fetch.gather`) alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from hashlib import sha1

import numpy as np

from briefgen.model import Article, Dropped

__all__ = [
    "NUM_PERM",
    "SEED",
    "SHINGLE",
    "THRESHOLD",
    "Deduped",
    "Duplicate",
    "dedupe_articles",
    "find_duplicates",
    "shingles",
    "signature",
]

SHINGLE = 5  # words per shingle
NUM_PERM = 128
SEED = 1  # fixed, so runs (and --jobs 1 vs --jobs 2) agree
THRESHOLD = 0.8
# Up to this many texts, every pair is compared exactly: cheaper than hashing them and never
# misses a pair the way LSH rarely can.
PAIRWISE_MAX = 64
# LSH (bands, rows) minimising the false positive and false negative areas equally weighted, as
# datasketch's ``MinHashLSH(threshold, num_perm)`` chooses them (checked in the tests); any other
# setting asks datasketch.
_BANDS = {(THRESHOLD, NUM_PERM): (9, 13)}
# MurmurHash3's 32-bit finaliser, as datasketch pre-mixes each hash.
_FMIX = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)

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
    return {" ".join(gram) for gram in zip(*(words[i:] for i in range(size)), strict=False)}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


@dataclass(frozen=True)
class _Permutations:
    """datasketch's ``affine32`` permutations for ``num_perm`` and ``seed``: ``a`` odd, ``b``."""

    a: np.ndarray
    b: np.ndarray

    @classmethod
    def make(cls, num_perm: int = NUM_PERM, seed: int = SEED) -> _Permutations:
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        return cls(a, b)


def minhash(items: set[str], perms: _Permutations) -> np.ndarray:
    """The MinHash signature of a set of strings, equal to datasketch's
    ``MinHash(num_perm, seed).update_batch(s.encode() for s in items)``."""
    digests = b"".join([sha1(s.encode("utf-8")).digest() for s in items])
    hv = np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)  # first 4 of 20 bytes
    s1, m1, s2, m2, s3 = _FMIX
    hv = hv ^ (hv >> np.uint32(s1))
    hv = hv * np.uint32(m1)
    hv = hv ^ (hv >> np.uint32(s2))
    hv = hv * np.uint32(m2)
    hv = hv ^ (hv >> np.uint32(s3))
    signature: np.ndarray = (hv[:, None] * perms.a + perms.b).min(axis=0)
    return signature


def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    if (threshold, num_perm) in _BANDS:
        return _BANDS[(threshold, num_perm)]
    from datasketch import MinHashLSH  # ~1 s import (scipy): only for an unusual threshold

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


class _LSH:
    """MinHash LSH: texts whose signatures agree on all rows of at least one band."""

    def __init__(self, threshold: float, num_perm: int = NUM_PERM) -> None:
        bands, rows = _bands(threshold, num_perm)
        self.ranges = [(i * rows, (i + 1) * rows) for i in range(bands)]
        self.tables: list[dict[bytes, list[int]]] = [{} for _ in range(bands)]

    def insert(self, key: int, signature: np.ndarray) -> None:
        for (start, end), table in zip(self.ranges, self.tables, strict=True):
            table.setdefault(signature[start:end].tobytes(), []).append(key)

    def query(self, signature: np.ndarray) -> set[int]:
        found: set[int] = set()
        for (start, end), table in zip(self.ranges, self.tables, strict=True):
            found.update(table.get(signature[start:end].tobytes(), ()))
        return found


@functools.lru_cache(maxsize=1)
def _permutations() -> _Permutations:
    return _Permutations.make(NUM_PERM, SEED)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text``'s shingles: the per-article part of de-duplication
    (pure and picklable, so it can run in another process or be cached by the text's hash)."""
    return minhash(shingles(text), _permutations())


def find_duplicates(
    texts: Sequence[str],
    threshold: float = THRESHOLD,
    signatures: Sequence[np.ndarray] | None = None,
) -> list[Duplicate]:
    """Duplicates among ``texts``, each pointing at the earliest kept text it matches best.

    ``signatures`` (``signature(text)`` of each text, computed elsewhere, e.g. in parallel) are
    used when given; shingle sets are then made only for the texts LSH pairs up.
    """
    if len(texts) <= PAIRWISE_MAX:
        return _pairwise(texts, threshold)
    lsh = _LSH(threshold)
    first_by_text: dict[str, int] = {}
    kept: dict[int, np.ndarray] = {}
    found: list[Duplicate] = []
    for i, text in enumerate(texts):
        if text in first_by_text:
            found.append(Duplicate(i, first_by_text[text], 1.0, exact=True))
            continue
        mine = signatures[i] if signatures is not None else signature(text)
        scored = [
            (_hashed_jaccard(_hashed_of(kept, texts, i), _hashed_of(kept, texts, k)), k)
            for k in sorted(lsh.query(mine))
        ]
        best = max(scored, key=lambda pair: (pair[0], -pair[1]), default=(0.0, -1))
        if best[0] >= threshold:
            found.append(Duplicate(i, best[1], best[0], exact=False))
            continue
        first_by_text[text] = i
        lsh.insert(i, mine)
    return found


def _hashed_of(kept: dict[int, np.ndarray], texts: Sequence[str], k: int) -> np.ndarray:
    """The shingles of ``texts[k]`` as :func:`_hashed`, made once and only for texts that LSH
    pairs up."""
    if k not in kept:
        kept[k] = _hashed(shingles(texts[k]))
    return kept[k]


def _hashed(shingle_set: set[str]) -> np.ndarray:
    """A text's shingles as sorted 64-bit hashes: ~7 kB for a news article where its set of
    strings takes ~80 kB (8 GB at 100,000 articles)."""
    return np.unique(np.fromiter(map(hash, shingle_set), dtype=np.int64, count=len(shingle_set)))


def _hashed_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """:func:`_jaccard` of two :func:`_hashed` sets.  Equal to it unless two different shingles
    share a 64-bit hash (about 1 in 10^13 for two articles), so it decides as the sets would."""
    both = int(np.intersect1d(a, b, assume_unique=True).size)
    union = a.size + b.size - both
    return both / union if union else 1.0


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


# --------------------------------------------------------------------------- articles


@dataclass(frozen=True)
class Deduped:
    """Articles kept, renumbered ``a1``, ``a2`` ... in input order; copies dropped; warnings.

    ``dropped`` pairs each copy with its position in the input, so a caller can merge it with
    other drops in input order.
    """

    articles: list[Article]
    dropped: list[tuple[int, Dropped]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _source_name(article: Article) -> str:
    """A fetched article as messages name it: its URL, else its file, else its title."""
    return article.url or article.path or article.title


def _described(
    copy: Article, original: Article, dup: Duplicate, from_file: bool
) -> tuple[str, str]:
    """How a dropped copy is shown, and why it was dropped."""
    if not from_file:
        return _source_name(copy), f"duplicate of {_source_name(original)}"
    if dup.exact:
        return copy.path or "", f"exact duplicate of {original.path}"
    return copy.path or "", f"near-duplicate of {original.path} (Jaccard {dup.jaccard:.2f})"


def dedupe_articles(
    articles: Sequence[Article],
    *,
    files: int | None = None,
    signatures: Sequence[np.ndarray] | None = None,
) -> Deduped:
    """Drop exact and near-duplicate articles in one pass, keeping the first of each.

    The first ``files`` articles (default: all) were read from files: a copy among them is named
    by its path, and its reason says how close it is ("exact duplicate of a.txt",
    "near-duplicate of a.txt (Jaccard 0.91)"), as ``briefgen build`` reports it.  A later one (a
    fetched page or feed entry) is named by its URL: "duplicate of https://...".
    ``signatures`` (:func:`signature` of each article's text, e.g. cached by its hash or
    computed on workers) spare computing them here; the result does not depend on them.
    """
    files = len(articles) if files is None else files
    texts = [a.text for a in articles]
    if signatures is None:
        found = find_duplicates(texts)
    else:
        found = find_duplicates(texts, signatures=signatures)
    dupes = {d.index: d for d in found}
    kept: list[Article] = []
    new_id: dict[int, str] = {}
    for i, article in enumerate(articles):
        if i not in dupes:
            new_id[i] = f"a{len(kept) + 1}"
            kept.append(article.model_copy(update={"id": new_id[i]}))
    result = Deduped(articles=kept)
    for i, dup in sorted(dupes.items()):
        path, reason = _described(articles[i], articles[dup.kept], dup, from_file=i < files)
        result.dropped.append((i, Dropped(path=path, reason=reason, duplicate_of=new_id[dup.kept])))
        result.warnings.append(f"{path}: dropped as {reason}")
    return result
