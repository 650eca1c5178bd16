"""Per-article summarizer work kept in the article cache (:class:`briefgen.base.cache.Store`).

Splitting an article into sentences depends on its text alone, so a scheduled run over a rolling
window, or a rebuild of a folder with a few new files, splits only the texts it has not split
before.  Keys hash the text with :func:`~briefgen.base.cache.code_fingerprint` (briefgen's
version and code, syntok's version), so an upgrade never reads spans another version cut.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from functools import lru_cache

from briefgen.base.cache import Store, cached_map, code_fingerprint, dependency_versions, key_of
from briefgen.base.parallel import map_ordered
from briefgen.summarize.segment import split_sentences

__all__ = ["split_all"]

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
