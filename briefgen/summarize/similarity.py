"""Similarity that scales: sparse top-k neighbours and a cheap pre-ranking, never an n x n matrix.

``vectors @ vectors.T`` over all candidate sentences is quadratic in time and, once common words
link most sentences, close to dense in memory.  :func:`neighbours` computes it a block of rows at
a time and keeps each row's ``k`` strongest links above a threshold, so memory is ``O(n k)``; on
small inputs (no row with more than ``k`` links) it equals the full product.

At thousands of articles even that is too slow, so :func:`plan` pre-ranks every candidate
sentence with signals linear in the input (closeness to the TF-IDF centroid, position in the
article) and hands the summarizer only the best few thousand, and the extract stage only the
articles holding the best of them: the briefing stays 2-3 pages whatever the input size, so the
work after the plan can be a constant.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from briefgen.base.text import WORD
from briefgen.model import Article, Sentence

__all__ = [
    "FOCUS_ARTICLES",
    "POOL_SIZE",
    "STOP_WORDS",
    "Plan",
    "centroid_scores",
    "idf_of",
    "neighbours",
    "plan",
    "stem_word",
    "term_counts",
    "term_lists",
    "tfidf",
    "unit_centroid",
    "weighted",
]

# scikit-learn's English stop words (BSD-3-Clause, sklearn/feature_extraction/_stop_words.py),
# copied so that reading them does not import scikit-learn (~0.6 s).
_STOP_TEXT = """
    a about above across after afterwards again against all almost alone along already also although
    always am among amongst amoungst amount an and another any anyhow anyone anything anyway
    anywhere are around as at back be became because become becomes becoming been before beforehand
    behind being below beside besides between beyond bill both bottom but by call can cannot cant co
    con could couldnt cry de describe detail do done down due during each eg eight either eleven
    else elsewhere empty enough etc even ever every everyone everything everywhere except few
    fifteen fifty fill find fire first five for former formerly forty found four from front full
    further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers
    herself him himself his how however hundred i ie if in inc indeed interest into is it its itself
    keep last latter latterly least less ltd made many may me meanwhile might mill mine more
    moreover most mostly move much must my myself name namely neither never nevertheless next nine
    no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
    others otherwise our ours ourselves out over own part per perhaps please put rather re same see
    seem seemed seeming seems serious several she should show side since sincere six sixty so some
    somehow someone something sometime sometimes somewhere still such system take ten than that the
    their them themselves then thence there thereafter thereby therefore therein thereupon these
    they thick thin third this those though three through throughout thru thus to together too top
    toward towards twelve twenty two un under until up upon us very via was we well were what
    whatever when whence whenever where whereafter whereas whereby wherein whereupon wherever
    whether which while whither who whoever whole whom whose why will with within without would yet
    you your yours yourself yourselves
"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_TEXT.split())


# --------------------------------------------------------------------------- vectors


@lru_cache(maxsize=1)
def _stem() -> Callable[[str], str]:
    """A cached Snowball stemmer: news reuses a small vocabulary, stemming each word once."""
    import snowballstemmer

    return lru_cache(maxsize=200_000)(snowballstemmer.stemmer("english").stemWord)


def stem_word(word: str) -> str:
    return _stem()(word)


def _term(word: str) -> str:
    """The stem ``word`` counts as, or "" for a stop word, a number or a single letter."""
    t = word.lower().replace("’", "'").removesuffix("'s")
    if len(t) > 1 and t not in STOP_WORDS and not t.isdigit():
        return _stem()(t)
    return ""


_TERMS: dict[str, str] = {}
"""Word as written -> :func:`_term`: one dict lookup per word instead of five steps; news reuses
a small vocabulary.  Cleared when it passes :data:`_TERMS_MAX` words."""
_TERMS_MAX = 500_000


def term_lists(text: str) -> list[str]:
    """Stemmed content words of ``text`` (the summarizer's vocabulary, without bigrams)."""
    cache = _TERMS
    out = []
    for w in WORD.findall(text):
        t = cache.get(w)
        if t is None:
            if len(cache) >= _TERMS_MAX:
                cache.clear()
            t = cache[w] = _term(w)
        if t:
            out.append(t)
    return out


def term_counts(
    docs: Iterable[Sequence[str]], vocab: dict[str, int] | None = None, grow: bool = True
) -> sp.csr_matrix:
    """Rows of term counts.  Columns are numbered in ``vocab`` (pass an empty dict to get the
    numbering back) in order of first appearance; with ``grow=False`` the vocabulary is fixed
    and terms outside it are not counted.  ``docs`` may be a generator: a quarter of a million
    term lists need not be held at once."""
    vocab = {} if vocab is None else vocab
    indptr = array("q", [0])  # typed arrays: 8 bytes an entry, not a Python int's 36
    indices = array("q")
    counts = array("d")
    for doc in docs:
        row: dict[int, int] = {}
        for term in doc:
            j = vocab.setdefault(term, len(vocab)) if grow else vocab.get(term)
            if j is not None:
                row[j] = row.get(j, 0) + 1
        indices.extend(row)
        counts.extend(row.values())
        indptr.append(len(indices))
    return sp.csr_matrix(
        (
            np.frombuffer(counts, dtype=np.float64),
            np.frombuffer(indices, dtype=np.int64),
            np.frombuffer(indptr, dtype=np.int64),
        ),
        shape=(len(indptr) - 1, max(1, len(vocab))),
    )


def idf_of(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed idf of the columns of ``counts`` (scikit-learn's formula)."""
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.asarray(np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0)


def weighted(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    """L2-normalised rows of sublinear tf times ``idf``."""
    data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    m = sp.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m)


def tfidf(docs: Iterable[Sequence[str]], vocab: dict[str, int] | None = None) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows (sublinear tf, smoothed idf: scikit-learn's formula); see
    :func:`term_counts` for ``docs`` and ``vocab``."""
    counts = term_counts(docs, vocab)
    return weighted(counts, idf_of(counts))


def unit_centroid(vectors: sp.csr_matrix) -> np.ndarray:
    """The mean row scaled to length 1 (zeros when it is zero)."""
    centroid = np.asarray(vectors.mean(axis=0)).ravel()
    norm = float(np.linalg.norm(centroid))
    return centroid / norm if norm else centroid


def centroid_scores(vectors: sp.csr_matrix) -> np.ndarray:
    """Cosine of every row to the mean row: a centrality that costs one pass over the data."""
    return np.asarray(vectors @ unit_centroid(vectors)).ravel()


def neighbours(
    vectors: sp.csr_matrix, k: int = 64, threshold: float = 0.0, block: int | None = None
) -> sp.csr_matrix:
    """Symmetric sparse matrix of each row's ``k`` most similar rows with cosine >= ``threshold``.

    Rows must be L2-normalised.  The diagonal (1.0) is kept, like ``vectors @ vectors.T``.  Rows
    are multiplied ``block`` at a time (by default sized to ~4M products), so the full matrix is
    never held; a pair is kept when either row keeps it, which makes the result symmetric.
    """
    vectors = sp.csr_matrix(vectors)
    n = vectors.shape[0]
    if n == 0:
        return sp.csr_matrix((0, 0))
    block = block or max(1, min(n, 4_000_000 // n))
    right = vectors.T.tocsc()
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for start in range(0, n, block):
        chunk = sp.csr_matrix(vectors[start : start + block] @ right)
        for r in range(chunk.shape[0]):
            lo, hi = chunk.indptr[r], chunk.indptr[r + 1]
            d, c = chunk.data[lo:hi], chunk.indices[lo:hi]
            keep = d >= threshold
            d, c = d[keep], c[keep]
            if d.size > k:
                top = np.lexsort((c, -d))[:k]  # strongest first, ties by index: deterministic
                d, c = d[top], c[top]
            rows.append(np.full(d.size, start + r))
            cols.append(c)
            vals.append(d)
    sim = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    return sp.csr_matrix(sim.maximum(sim.T))


# --------------------------------------------------------------------------- pre-ranking


POOL_SIZE = 2000
"""Candidate sentences the summarizer ranks at most; more are pre-ranked by :func:`plan`."""
FOCUS_ARTICLES = 30
"""Articles the extract stage reads at most; more are narrowed down by :func:`plan`."""


@dataclass(frozen=True)
class Plan:
    """What the later stages read: everything for small inputs, the best part of large ones."""

    sentences: list[Sentence]  # for the summarizer
    articles: list[Article]  # for actors, dates, quotes and keyphrases
    article_sentences: list[Sentence]  # the sentences of ``articles``
    sentences_in: int = 0  # sentences the whole input holds (on the sketch route, its count)
    words: dict[str, int] = field(default_factory=dict)  # article id -> words, where counted


def plan(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    candidate: Sequence[bool],
    terms: Sequence[str] | None = None,
    pool_size: int = POOL_SIZE,
    focus_size: int = FOCUS_ARTICLES,
) -> Plan:
    """Pre-rank large inputs so the work after this is bounded by a constant.

    Candidates are scored by closeness to the TF-IDF centroid and position in the article (both
    linear in the input); the best ``pool_size`` go to the summarizer, and the ``focus_size``
    articles holding the best of them to the extract stage.  With at most ``pool_size``
    candidates and ``focus_size`` articles nothing is dropped, so small inputs give exactly the
    briefing they gave before.  ``candidate[i]`` says whether ``sentences[i]`` may be shown;
    ``terms[i]`` holds its stems joined by spaces (:mod:`~briefgen.summarize.prepare`), found
    here when not given.
    """
    chosen_at = [i for i, ok in enumerate(candidate) if ok]
    cands = [sentences[i] for i in chosen_at]
    ranked = list(sentences)
    score: dict[tuple[str, int], float] = {}
    if len(cands) > pool_size:
        docs = (
            (terms[i].split() for i in chosen_at)
            if terms is not None
            else (term_lists(s.text) for s in cands)
        )
        vectors = tfidf(docs)
        central = centroid_scores(vectors)
        top = float(central.max()) if central.size else 0.0
        central = central / top if top > 0 else central
        position = 1.0 / np.sqrt(1.0 + np.array([s.index for s in cands], dtype=np.float64))
        value = 0.5 * central + 0.5 * position
        order = np.lexsort((np.arange(len(cands)), -value))[:pool_size]
        ranked = [cands[i] for i in sorted(order.tolist())]  # input order
        score = {(cands[i].article_id, cands[i].index): float(value[i]) for i in order}
    if len(articles) <= focus_size:
        return Plan(ranked, list(articles), list(sentences))
    best: dict[str, float] = {}
    for (article_id, _), v in score.items():
        best[article_id] = max(v, best.get(article_id, -1.0))
    if not best:  # few candidates, many articles: the ones with the most candidates
        for s in cands:
            best[s.article_id] = best.get(s.article_id, 0.0) + 1.0
    where = {a.id: i for i, a in enumerate(articles)}
    chosen = sorted(articles, key=lambda a: (-best.get(a.id, -1.0), where[a.id]))[:focus_size]
    keep = {a.id for a in chosen}
    return Plan(
        ranked,
        [a for a in articles if a.id in keep],
        [s for s in sentences if s.article_id in keep],
    )
