"""Large inputs: a quick sketch of every article decides which few are split exactly.

syntok splits ~11,000 sentences a second: on 10,000 articles (a quarter of a million sentences)
that alone is most of a build, yet the summarizer ranks at most ``POOL_SIZE`` sentences and the
extract stage reads ``FOCUS_ARTICLES`` articles.  So above :data:`SKETCH_ABOVE` candidates:

1. :func:`quick_spans` splits every article with one regular expression (~30x faster; it errs
   on rare abbreviations, which only blurs the sketch);
2. :func:`choose` pre-ranks the sketched candidates exactly as
   :func:`~briefgen.summarize.similarity.plan` does (closeness to the TF-IDF centroid, position)
   and picks the articles worth splitting exactly: the ones holding the best ``2 x POOL_SIZE``
   sketched candidates, each only as far as its last chosen one, and the focus articles whole;
3. :func:`rescore` scores their exactly split candidates against the same centroid, and the best
   ``POOL_SIZE`` of them go to the summarizer.

Every sentence a briefing shows is therefore still split by syntok and cited by its exact span
and index; only the choice of which articles to split exactly rests on the sketch.  Inputs with
fewer sketched candidates take the exact route throughout, unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefgen.model import Article, Sentence
from briefgen.summarize.segment import _windows
from briefgen.summarize.similarity import (
    FOCUS_ARTICLES,
    POOL_SIZE,
    idf_of,
    term_counts,
    unit_centroid,
    weighted,
)

__all__ = ["SKETCH_ABOVE", "Choice", "Sketch", "choose", "quick_spans", "rescore"]

SKETCH_ABOVE = 2 * POOL_SIZE
"""Sketched candidates above which the input takes the sketch route."""

# A sentence end: terminal marks and closing quotes or brackets, then space and what may start a
# sentence.  The word before it must not be a title or common abbreviation.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([\w.]*\w)[.!?]*[\"'”’)\]]*$")
_ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "rev", "fr", "sr", "jr", "st", "mt", "ft", "gen", "col",
        "lt", "sgt", "capt", "maj", "adm", "cmdr", "gov", "govs", "sen", "sens", "rep", "reps",
        "pres", "hon", "atty", "amb", "supt", "insp", "det", "brig", "msgr", "messrs", "mmes",
        "vs", "etc", "al", "inc", "corp", "ltd", "co", "bros", "dept", "univ", "approx",
        "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
    }
)  # fmt: skip


def quick_spans(text: str) -> list[tuple[int, int]]:
    """Approximate sentence spans of ``text``: paragraph breaks and regular-expression ends."""
    spans: list[tuple[int, int]] = []
    for offset, chunk in _windows(text):
        start = 0
        for m in _END.finditer(chunk):
            word = _LAST_WORD.search(chunk, max(0, m.start() - 40), m.end())
            token = word.group(1) if word else ""
            if token.lower() in _ABBREVIATIONS or "." in token or len(token) == 1:
                continue  # "Mr.", "U.S.", "J. Smith": not an end
            _add(spans, chunk, offset, start, m.end())
            start = m.end()
        _add(spans, chunk, offset, start, len(chunk))
    return spans


def _add(spans: list[tuple[int, int]], chunk: str, offset: int, a: int, b: int) -> None:
    piece = chunk[a:b]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        spans.append((offset + a + lead, offset + a + len(piece.rstrip())))


# --------------------------------------------------------------------------- choosing


@dataclass(frozen=True)
class Sketch:
    """The vocabulary, idf and unit centroid of the sketched candidates, and the best
    centroid cosine among them (pre-ranking values are scaled by it, as in ``plan``)."""

    vocab: dict[str, int]
    idf: np.ndarray
    centroid: np.ndarray
    top: float


@dataclass(frozen=True)
class Choice:
    """What to split exactly: each article's prefix end (``None``: the whole article)."""

    until: dict[str, int | None]
    focus: list[str]  # ids of the articles the extract stage reads, in input order
    sketch: Sketch


def _value(central: np.ndarray, top: float, index: Sequence[int]) -> np.ndarray:
    central = central / top if top > 0 else central
    position = 1.0 / np.sqrt(1.0 + np.asarray(index, dtype=np.float64))
    return np.asarray(0.5 * central + 0.5 * position)


def choose(
    articles: Sequence[Article],
    owner: Sequence[int],
    index: Sequence[int],
    end: Sequence[int],
    terms: Sequence[str],
    pool_size: int = POOL_SIZE,
    focus_size: int = FOCUS_ARTICLES,
) -> Choice:
    """Pick what to split exactly from the sketched candidates: candidate ``i`` is sentence
    ``index[i]`` of ``articles[owner[i]]``, ending at offset ``end[i]``, with stems ``terms[i]``
    (joined by spaces).  Plain sequences rather than :class:`Sentence` objects, which on a
    quarter of a million sentences would cost more memory than everything else."""
    vocab: dict[str, int] = {}
    counts = term_counts((t.split() for t in terms), vocab)
    idf = idf_of(counts)
    vectors = weighted(counts, idf)
    centroid = unit_centroid(vectors)
    central = np.asarray(vectors @ centroid).ravel()
    top = float(central.max()) if central.size else 0.0
    value = _value(central, top, index)
    order = np.lexsort((np.arange(len(terms)), -value))
    until: dict[str, int | None] = {}
    for i in order[: 2 * pool_size].tolist():
        article_id = articles[owner[i]].id
        until[article_id] = max(end[i], until.get(article_id) or 0)
    best: dict[int, float] = {}
    for i in order.tolist():  # best first: the first value seen per article is its best
        best.setdefault(owner[i], float(value[i]))
    ranked = sorted(range(len(articles)), key=lambda k: (-best.get(k, -1.0), k))
    focus = [articles[k].id for k in sorted(ranked[:focus_size])]
    for article_id in focus:
        until[article_id] = None
    return Choice(until, focus, Sketch(vocab, idf, centroid, top))


def rescore(
    sketch: Sketch,
    sentences: Sequence[Sentence],
    terms: Sequence[str],
    pool_size: int = POOL_SIZE,
) -> list[Sentence]:
    """The best ``pool_size`` exactly split candidates by the sketch's centroid, in input order."""
    if len(sentences) <= pool_size:
        return list(sentences)
    counts = term_counts((t.split() for t in terms), sketch.vocab, grow=False)
    central = np.asarray(weighted(counts, sketch.idf) @ sketch.centroid).ravel()
    value = _value(central, sketch.top, [s.index for s in sentences])
    order = np.lexsort((np.arange(len(sentences)), -value))[:pool_size]
    return [sentences[i] for i in sorted(order.tolist())]
