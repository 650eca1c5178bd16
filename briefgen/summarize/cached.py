"""Prepared articles kept in the article cache (:class:`briefgen.base.cache.Store`).

:mod:`~briefgen.summarize.prepare` depends on one article's text (and the selection settings)
alone, so a scheduled run over a rolling window, or a rebuild of a folder with a few new files,
prepares only the texts it has not prepared before.  Keys hash the text (and how far it is
split) with :func:`~briefgen.base.cache.code_fingerprint`: briefgen's version and code, the
versions of syntok and the stemmer, and the selection settings, so an upgrade or another
setting never reads what another one found.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TypeVar

from briefgen.base.cache import Store, cached_map, code_fingerprint, dependency_versions, key_of
from briefgen.base.parallel import map_ordered
from briefgen.spec import Selection
from briefgen.summarize.prepare import Prepared

__all__ = ["map_prepared"]

T = TypeVar("T")


def map_prepared(
    func: Callable[[T], Prepared],
    items: Sequence[T],
    jobs: int,
    cache: Store | None,
    *,
    kind: str,
    texts: Sequence[str],
    until: Sequence[int | None] | None,
    selection: Selection,
    executor: str = "local",
) -> list[Prepared]:
    """``map_ordered(func, items, jobs)``, where ``func`` prepares ``texts[i]`` (up to
    ``until[i]``) the ``kind`` way under ``selection``; with ``cache``, only the items not
    prepared before are mapped, and what they give is kept.  ``executor`` is where
    :func:`~briefgen.base.parallel.map_ordered` runs them."""
    if cache is None:
        return map_ordered(func, items, jobs, executor=executor)
    fingerprint = code_fingerprint(
        kind, repr(selection), dependency_versions("syntok", "snowballstemmer")
    )
    stops = until if until is not None else [None] * len(texts)
    keys: list[str | None] = [
        key_of(fingerprint, kind, f"{stop}\0{text}".encode())
        for text, stop in zip(texts, stops, strict=True)
    ]

    def compute(missing: list[int]) -> list[Prepared]:
        return map_ordered(func, [items[i] for i in missing], jobs, executor=executor)

    def decode(i: int, blob: bytes) -> Prepared:
        return _prepared_of(blob, len(texts[i]))

    return cached_map(cache, keys, compute, _stored, decode)


def _stored(prepared: Prepared) -> bytes:
    value = {
        "spans": [x for span in prepared.spans for x in span],
        "candidate": "".join("1" if c else "0" for c in prepared.candidate),
        "terms": list(prepared.terms),
        "words": prepared.words,
    }
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _prepared_of(blob: bytes, length: int) -> Prepared:
    """What :func:`_stored` kept, for a text of ``length`` characters; ValueError unless it is
    one flag and one term string per span, spans in order within the text."""
    try:
        value = json.loads(blob)
        flat, flags, terms, words = (
            value["spans"],
            value["candidate"],
            value["terms"],
            value["words"],
        )
        spans = tuple(zip(flat[::2], flat[1::2], strict=True))
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a prepared article: {exc}") from None
    if not (len(flags) == len(terms) == len(spans)) or flags.strip("01"):
        raise ValueError("not one flag and one term string per sentence")
    if not isinstance(words, int | None) or not all(isinstance(t, str) for t in terms):
        raise ValueError("not a prepared article")
    last = 0
    for start, end in spans:
        if not (isinstance(start, int) and isinstance(end, int) and last <= start < end <= length):
            raise ValueError(f"span {start}-{end} outside the text or out of order")
        last = end
    return Prepared(spans, tuple(c == "1" for c in flags), tuple(terms), words)
