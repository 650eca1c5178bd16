"""Stage 3a: score every candidate sentence across all articles (selection is in
:mod:`briefgen.summarize.select`).

Ranking combines four signals over stemmed TF-IDF vectors
(unigrams + bigrams, sublinear tf):

* **centrality**: LexRank (PageRank over the sentence-similarity graph);
* **centroid**: similarity to the centre of the whole cluster of articles;
* **support**: how many *other* articles carry a similar sentence — a fact several outlets
  report matters more;
* **position**: news puts the facts first.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from briefgen.base.syllables import count_syllables, textstat
from briefgen.base.text import word_count
from briefgen.errors import SummarizeError
from briefgen.model import Article, Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import DANGLING, is_candidate, terms
from briefgen.summarize.compress import shorten
from briefgen.summarize.similarity import neighbours, tfidf


@dataclass
class Ranking:
    """Scores and vectors of the candidate sentences, ready for selection."""

    sentences: list[Sentence]
    vectors: sp.csr_matrix  # rows L2-normalised
    score: np.ndarray
    support: np.ndarray  # number of other articles with a similar sentence
    outlets: dict[str, str] = field(default_factory=dict)  # article id -> outlet key
    shown: list[str] = field(default_factory=list)  # text a briefing shows (shortened)
    concepts: list[frozenset[str]] = field(default_factory=list)  # shared word pairs per sentence
    concept_weight: dict[str, float] = field(default_factory=dict)
    # Bigram concepts and their weights, only when spec.selection.selector == "ilp".
    all_sentences: Sequence[Sentence] = ()  # every sentence, for the ILP selector's concepts
    ilp_concepts: list[frozenset[str]] = field(default_factory=list)
    ilp_weight: dict[str, float] = field(default_factory=dict)
    grade: np.ndarray = field(default_factory=lambda: np.zeros(0))  # FK grade of the shown text
    # Words and syllables of the shown text (textstat's counts), per row: the grade of several
    # sentences read as one unit, as the final check reads them, follows from their sums.
    counts: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    def text(self, i: int) -> str:
        """What sentence ``i`` looks like in a briefing (shortened when shortening is on)."""
        return self.shown[i] if self.shown else self.sentences[i].text

    def length(self, i: int) -> int:
        """Words shown for sentence ``i``: what a word budget counts."""
        return word_count(self.text(i))


def vectorize(texts: Sequence[str]) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows over stemmed unigrams and bigrams, sublinear tf."""
    vectors = tfidf([_with_bigrams(terms(t)) for t in texts])
    if vectors.nnz == 0:
        raise SummarizeError("the articles have no words to summarize")
    return vectors


def _with_bigrams(toks: list[str]) -> list[str]:
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


# --------------------------------------------------------------------------- ranking


def _lexrank(sim: sp.csr_matrix, threshold: float = 0.1, damping: float = 0.85) -> np.ndarray:
    """PageRank over the thresholded similarity graph, by power iteration on a sparse matrix."""
    n = sim.shape[0]
    graph = sim.multiply(sim >= threshold).tocsr()
    graph.setdiag(0)
    graph.eliminate_zeros()
    degree = np.asarray(graph.sum(axis=1)).ravel()
    degree[degree == 0] = 1.0
    transition = sp.diags(1.0 / degree) @ graph
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        new = (1 - damping) / n + damping * (transition.T @ rank)
        if np.abs(new - rank).sum() < 1e-8:
            break
        rank = new
    return np.asarray(rank)


def scale(x: np.ndarray) -> np.ndarray:
    top = float(x.max()) if x.size else 0.0
    return x / top if top > 0 else x


def outlet_key(article: Article) -> str:
    """Articles from one outlet count as one source of support."""
    return (article.outlet or article.id).strip().lower()


def rank(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    spec: BriefingSpec | None = None,
) -> Ranking:
    """Score every candidate sentence of the cluster."""
    spec = spec or BriefingSpec()
    cands = [s for s in sentences if is_candidate(s, spec)]
    if not cands:
        raise SummarizeError("no sentence in the articles is long enough to quote")
    vectors = vectorize([s.text for s in cands])

    sim = neighbours(vectors, threshold=min(0.1, spec.selection.support_similarity))
    ids = np.array([s.article_id for s in cands])
    outlets = {a.id: outlet_key(a) for a in articles}

    # Support: distinct other outlets that carry a similar sentence.
    support = np.zeros(len(cands))
    coo = sim.multiply(sim >= spec.selection.support_similarity).tocoo()
    seen: dict[int, set[str]] = {}
    for i, j in zip(coo.row, coo.col, strict=True):
        if ids[i] != ids[j] and outlets[ids[j]] != outlets[ids[i]]:
            seen.setdefault(int(i), set()).add(outlets[ids[j]])
    for i, who in seen.items():
        support[i] = len(who)

    centroid = _centroid(vectors, ids, spec.selection.balanced_centroid)
    norm = np.linalg.norm(centroid)
    centroid_score = vectors @ (centroid / norm) if norm else np.zeros(len(cands))
    position = np.array([(1.0 + s.index) ** -spec.selection.position_decay for s in cands])
    n_outlets = max(1, len(set(outlets.values())) - 1)
    shown = [shorten(s.text) if spec.selection.shorten else s.text for s in cands]
    # A sentence that leans on the one before it ("If not, it may ...") reads badly alone.
    dangling = np.array([0.8 if DANGLING.match(s.text) else 1.0 for s in cands])
    fit = np.array([_length_fit(word_count(t), spec) for t in shown])
    grade = np.array([float(textstat().flesch_kincaid_grade(t)) for t in shown])
    readable = np.array([_grade_factor(g, spec) for g in grade])

    score = (
        (
            spec.selection.w_lexrank * (scale(_lexrank(sim)) if spec.selection.w_lexrank else 0.0)
            + spec.selection.w_centroid * scale(np.asarray(centroid_score).ravel())
            + spec.selection.w_support * support / n_outlets
            + spec.selection.w_position * _position_boost(cands, spec) * position
        )
        * dangling
        * fit
        * readable
    )
    concepts, weights = _concepts(sentences, shown)
    ranking = Ranking(list(cands), vectors, score, support, outlets, shown, concepts, weights)
    ranking.grade = grade
    ranking.counts = np.array([_word_syllables(t) for t in shown], float).reshape(-1, 2)
    ranking.all_sentences = sentences  # the ILP selector weighs concepts over all of them
    if spec.selection.selector not in ("mmr", "ilp"):
        raise SummarizeError(f"unknown selector {spec.selection.selector!r}: use 'mmr' or 'ilp'")
    return ranking


def _concepts(
    sentences: Sequence[Sentence], shown: Sequence[str]
) -> tuple[list[frozenset[str]], dict[str, float]]:
    """Concepts (Gillick & Favre, on words): stemmed content words found in at least two articles,
    weighted by how many carry them.  With a single article, words in three sentences count."""
    df: dict[str, set[str]] = {}
    tf: dict[str, int] = {}
    for s in sentences:
        for t in terms(s.text):
            df.setdefault(t, set()).add(s.article_id)
            tf[t] = tf.get(t, 0) + 1
    multi = len({s.article_id for s in sentences}) > 1
    weights = {
        t: float(len(a)) if multi else float(tf[t])
        for t, a in df.items()
        if (len(a) >= 2 if multi else tf[t] >= 3)
    }
    return [frozenset(t for t in terms(x) if t in weights) for x in shown], weights


def _centroid(vectors: sp.csr_matrix, ids: np.ndarray, balanced: bool) -> np.ndarray:
    """Centre of the cluster; balanced, each article counts once, so one long article (a privacy
    policy, a transcript) does not pull the centre of the story towards itself."""
    if not balanced:
        return np.asarray(vectors.mean(axis=0)).ravel()
    parts = [np.asarray(vectors[np.flatnonzero(ids == a)].mean(axis=0)).ravel() for a in set(ids)]
    return np.mean(parts, axis=0)


def _position_boost(cands: Sequence[Sentence], spec: BriefingSpec) -> np.ndarray:
    """Per sentence, how much more its position weighs: ``single_article_boost`` for the one real
    article when it holds at least ``single_article_share`` of the candidate words (the others
    are stubs), so it is read in order; 1 everywhere else."""
    share: dict[str, int] = {}
    for s in cands:
        share[s.article_id] = share.get(s.article_id, 0) + word_count(s.text)
    total = sum(share.values())
    main = max(share, key=lambda a: share[a]) if share else None
    if len(share) < 2 or main is None or share[main] < spec.selection.single_article_share * total:
        return np.ones(len(cands))
    boost = spec.selection.single_article_boost
    return np.array([boost if s.article_id == main else 1.0 for s in cands])


def _length_fit(n: int, spec: BriefingSpec) -> float:
    """1 inside fit_min..fit_max words; short fragments and run-ons lose a little per word."""
    if n < spec.selection.fit_min:
        return max(0.5, 1.0 - 0.03 * (spec.selection.fit_min - n))
    if n > spec.selection.fit_max:
        return max(0.7, 1.0 - 0.01 * (n - spec.selection.fit_max))
    return 1.0


def _word_syllables(text: str) -> tuple[int, int]:
    from textstat.backend.counts import count_words

    return count_words(text), count_syllables(text)


def joined_grade(counts: np.ndarray) -> float:
    """Flesch-Kincaid grade of sentences read as one text, from their (words, syllables) rows."""
    words, syllables = float(counts[:, 0].sum()), float(counts[:, 1].sum())
    if not len(counts) or not words:
        return 0.0
    return 0.39 * words / len(counts) + 11.8 * syllables / words - 15.59


def _readability_factor(text: str, spec: BriefingSpec) -> float:
    """Mild: a sentence 5 grades too hard loses ``5 * grade_penalty`` of its score, no more."""
    return _grade_factor(float(textstat().flesch_kincaid_grade(text)), spec)


def _grade_factor(grade: float, spec: BriefingSpec) -> float:
    """:func:`_readability_factor` of a sentence whose grade is known."""
    if spec.selection.grade_penalty <= 0:
        return 1.0
    return 1.0 - spec.selection.grade_penalty * min(10.0, max(0.0, grade - spec.targets.max_grade))
