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
from dataclasses import dataclass

from briefgen.base.cache import Store, cached_map, code_fingerprint, dependency_versions, key_of
from briefgen.base.parallel import map_ordered
from briefgen.model import Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import is_candidate
from briefgen.summarize.segment import split_sentences
from briefgen.summarize.similarity import term_lists

__all__ = ["Screened", "screen", "split_all"]

Spans = list[tuple[int, int]]


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


@dataclass(frozen=True)
class Screened:
    """Which sentences may be shown at all (``test``) and the stemmed terms of those that may
    (``terms``): what the pre-ranking reads of every candidate sentence."""

    test: Callable[[Sentence], bool]
    terms: Callable[[Sentence], list[str]]


def screen(
    sentences: Sequence[Sentence], spec: BriefingSpec, cache: Store | None = None
) -> Screened:
    """:func:`~briefgen.summarize.candidates.is_candidate` under ``spec`` and
    :func:`~briefgen.summarize.similarity.term_lists`, as functions of a sentence; with
    ``cache``, the sentences of articles screened before are not screened again.  ``sentences``
    are every sentence the functions will see, grouped by article."""
    if cache is None:
        return Screened(lambda s: is_candidate(s, spec), lambda s: term_lists(s.text))
    groups: dict[str, list[Sentence]] = {}
    for s in sentences:
        groups.setdefault(s.article_id, []).append(s)
    rows = list(groups.values())
    fingerprint = code_fingerprint(
        "screen", spec.selection.min_words, spec.selection.max_words,
        dependency_versions("snowballstemmer"),
    )  # fmt: skip
    keys: list[str | None] = [
        key_of(fingerprint, "screen", "\0".join(s.text for s in row).encode("utf-8"))
        for row in rows
    ]

    def compute(missing: list[int]) -> list[_Screen]:
        return [_screen_row(rows[i], spec) for i in missing]

    def decode(i: int, blob: bytes) -> _Screen:
        return _screen_of(blob, len(rows[i]))

    found: dict[tuple[str, int], list[str]] = {}
    screened = cached_map(cache, keys, compute, _stored, decode)
    for row, (flags, terms) in zip(rows, screened, strict=True):
        chosen = [s for s, flag in zip(row, flags, strict=True) if flag]
        found.update(((s.article_id, s.index), t) for s, t in zip(chosen, terms, strict=True))

    def terms_of(s: Sentence) -> list[str]:
        known = found.get((s.article_id, s.index))
        return known if known is not None else term_lists(s.text)

    return Screened(lambda s: (s.article_id, s.index) in found, terms_of)


_Screen = tuple[list[bool], list[list[str]]]
"""One article's sentences screened: a flag per sentence, the terms of each flagged one."""


def _screen_row(row: Sequence[Sentence], spec: BriefingSpec) -> _Screen:
    flags = [is_candidate(s, spec) for s in row]
    return flags, [term_lists(s.text) for s, flag in zip(row, flags, strict=True) if flag]


def _stored(screened: _Screen) -> bytes | None:
    """One line of 0/1 flags, then one line of space-separated terms per candidate (terms hold
    no white space; a result where one did is not kept)."""
    flags, terms = screened
    lines = ["".join("1" if f else "0" for f in flags), *(" ".join(t) for t in terms)]
    if any(not w or " " in w or "\n" in w for t in terms for w in t):
        return None
    return "\n".join(lines).encode("utf-8")


def _screen_of(blob: bytes, count: int) -> _Screen:
    """What :func:`_stored` kept, for an article of ``count`` sentences; ValueError otherwise."""
    head, *lines = blob.decode("utf-8").split("\n")  # UnicodeDecodeError is a ValueError
    if len(head) != count or head.strip("01") or head.count("1") != len(lines):
        raise ValueError("not one flag per sentence and one term line per candidate")
    return [c == "1" for c in head], [line.split(" ") if line else [] for line in lines]
