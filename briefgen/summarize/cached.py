"""Per-article summarizer work kept in the article cache (:class:`briefgen.base.cache.Store`).

Where an article's sentences fall, and which of them may be shown at all, depend on its text
(and two length settings) alone, so a scheduled run over a rolling window, or a rebuild of a
folder with a few new files, splits and screens only the texts it has not seen before.  Keys
hash the text with :func:`~briefgen.base.cache.code_fingerprint` (briefgen's version and code,
syntok's version, the settings used), so an upgrade never reads what another version found.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from functools import lru_cache

from briefgen.base.cache import Store, cached_map, code_fingerprint, dependency_versions, key_of
from briefgen.base.parallel import map_ordered
from briefgen.model import Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import is_candidate
from briefgen.summarize.segment import split_sentences

__all__ = ["candidates", "split_all"]

Spans = list[tuple[int, int]]


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    return code_fingerprint("spans", dependency_versions("syntok"))


def split_all(texts: Sequence[str], jobs: int, cache: Store | None = None) -> list[Spans]:
    """:func:`~briefgen.summarize.segment.split_sentences` of every text, in order, spread over
    ``jobs`` processes; with ``cache``, only the texts not split before are."""
    if cache is None:
        return map_ordered(split_sentences, texts, jobs)
    fingerprint = _fingerprint()
    keys: list[str | None] = [key_of(fingerprint, "spans", t.encode("utf-8")) for t in texts]

    def compute(missing: list[int]) -> list[Spans]:
        return map_ordered(split_sentences, [texts[i] for i in missing], jobs)

    def decode(i: int, blob: bytes) -> Spans:
        return _spans_of(blob, len(texts[i]))

    return cached_map(cache, keys, compute, _stored_spans, decode)


def _stored_spans(spans: Spans) -> bytes:
    return array("q", [x for span in spans for x in span]).tobytes()


def _spans_of(blob: bytes, length: int) -> Spans:
    """Spans kept by :func:`_stored_spans`; ValueError unless they are ordered spans within a
    text of ``length`` characters."""
    flat = array("q")
    flat.frombytes(blob)  # ValueError when not a whole number of integers
    spans = list(zip(flat[::2], flat[1::2], strict=True))
    last = 0
    for start, end in spans:
        if not last <= start < end <= length:
            raise ValueError(f"span {start}-{end} outside the text or out of order")
        last = end
    return spans


def candidates(
    sentences: Sequence[Sentence], spec: BriefingSpec, cache: Store | None = None
) -> Callable[[Sentence], bool]:
    """:func:`~briefgen.summarize.candidates.is_candidate` under ``spec``, as a test of one
    sentence; with ``cache``, the sentences of articles screened before are not screened
    again.  ``sentences`` are every sentence the test will see, grouped by article."""
    if cache is None:
        return lambda s: is_candidate(s, spec)
    groups: dict[str, list[Sentence]] = {}
    for s in sentences:
        groups.setdefault(s.article_id, []).append(s)
    rows = list(groups.values())
    fingerprint = code_fingerprint("candidates", spec.selection.min_words, spec.selection.max_words)
    keys: list[str | None] = [
        key_of(fingerprint, "candidates", _identity(row).encode("utf-8")) for row in rows
    ]

    def compute(missing: list[int]) -> list[bytes]:
        return [bytes(is_candidate(s, spec) for s in rows[i]) for i in missing]

    def decode(i: int, blob: bytes) -> bytes:
        if len(blob) != len(rows[i]) or blob.strip(b"\0\1"):
            raise ValueError("not one flag per sentence")
        return blob

    flags = cached_map(cache, keys, compute, bytes, decode)
    chosen = {
        (s.article_id, s.index) for row, marks in zip(rows, flags, strict=True)
        for s, mark in zip(row, marks, strict=True) if mark
    }  # fmt: skip
    return lambda s: (s.article_id, s.index) in chosen


def _identity(row: Sequence[Sentence]) -> str:
    """What the flags of one article's sentences depend on: their texts, in order."""
    return "\0".join(s.text for s in row)
