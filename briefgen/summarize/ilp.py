"""Opt-in selector: an exact concept-coverage ILP (Gillick & Favre 2009), solved by scipy's HiGHS.

Not the default: on the news-mds-dev held-out half it scored lower than greedy MMR (see
``benchmarks/results/quality-experiments.md``).  Chosen with ``Selection(selector="ilp")``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from briefgen.model import Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize.rank import Ranking
from briefgen.summarize.similarity import STOP_WORDS, stem_word

_TOKEN = re.compile(r"[a-z0-9]+")


def _bigrams(text: str) -> set[str]:
    """Stemmed word bigrams of ``text``, except those made only of stop words (ICSI concepts)."""
    stop = STOP_WORDS
    raw = _TOKEN.findall(text.lower())
    stems = [stem_word(w) for w in raw]
    return {
        f"{a} {b}"
        for (a, b), (x, y) in zip(itertools.pairwise(stems), itertools.pairwise(raw), strict=True)
        if not (x in stop and y in stop)
    }


def bigram_concepts(
    sentences: Sequence[Sentence], shown: Sequence[str], spec: BriefingSpec
) -> tuple[list[frozenset[str]], dict[str, float]]:
    """ILP concepts: bigrams in at least two articles (three sentences if there is one article),
    weighted by the sum over articles of how early each first carries it."""
    earliest: dict[str, dict[str, float]] = {}
    count: dict[str, int] = {}
    for s in sentences:
        value = (1.0 + s.index) ** -spec.selection.ilp_position_decay
        for c in _bigrams(s.text):
            per = earliest.setdefault(c, {})
            per[s.article_id] = max(per.get(s.article_id, 0.0), value)
            count[c] = count.get(c, 0) + 1
    multi = len({s.article_id for s in sentences}) > 1
    weights = {
        c: sum(per.values()) if multi else float(count[c])
        for c, per in earliest.items()
        if (len(per) >= 2 if multi else count[c] >= 3)
    }
    return [frozenset(_bigrams(x) & weights.keys()) for x in shown], weights


def ilp_select(
    ranking: Ranking,
    order: Sequence[int],
    max_items: int | None,
    word_budget: int | None,
    spec: BriefingSpec,
) -> list[int] | None:
    """Exact concept-coverage selection among the ``ilp_pool`` best-scored of ``order``.

    Maximise sum(w_c * c) + ilp_lambda * max(w) * sum(score_s * s) subject to the word budget
    and/or item count, s <= c for each concept c of s, c <= sum of the s that carry it.  The
    best-scored sentence is forced in (it is the bottom line).  Returns the chosen indices best
    score first, or None when the solver finds nothing.
    """
    if not ranking.ilp_weight:
        ranking.ilp_concepts, ranking.ilp_weight = bigram_concepts(
            ranking.all_sentences, ranking.shown, spec
        )
    if not ranking.ilp_weight:
        return None
    order = list(order)[: spec.selection.ilp_pool]
    if not order:
        return []
    concepts = [ranking.ilp_concepts[i] for i in order]
    vocab = sorted(set().union(*concepts))
    col = {c: len(order) + k for k, c in enumerate(vocab)}
    n, m = len(order), len(vocab)
    weight = np.array([ranking.ilp_weight[c] for c in vocab])
    top = float(weight.max()) if m else 1.0
    cost = -np.concatenate([spec.selection.ilp_lambda * top * ranking.score[order], weight])
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    upper: list[float] = []
    carriers: dict[int, list[int]] = {}
    for k, cs in enumerate(concepts):
        for c in cs:  # s_k - c <= 0
            rows += [len(upper)] * 2
            cols += [k, col[c]]
            vals += [1.0, -1.0]
            upper.append(0.0)
            carriers.setdefault(col[c], []).append(k)
    for j, ks in carriers.items():  # c - sum(s) <= 0
        rows += [len(upper)] * (1 + len(ks))
        cols += [j, *ks]
        vals += [1.0] + [-1.0] * len(ks)
        upper.append(0.0)
    for limit, per in ((word_budget, [ranking.length(i) for i in order]), (max_items, [1] * n)):
        if limit is not None:
            rows += [len(upper)] * n
            cols += list(range(n))
            vals += [float(x) for x in per]
            upper.append(float(limit))
    lower = np.zeros(n + m)
    if (word_budget is None or ranking.length(order[0]) <= word_budget) and max_items != 0:
        lower[0] = 1.0
    a = sp.csr_matrix((vals, (rows, cols)), shape=(len(upper), n + m))
    # Imported here: scipy.optimize takes ~0.23 s to import, and this selector is opt-in.
    from scipy.optimize import Bounds, LinearConstraint, milp

    result = milp(
        cost,
        constraints=LinearConstraint(a, -np.inf, np.array(upper)),
        integrality=np.ones(n + m),
        bounds=Bounds(lower, np.ones(n + m)),
        options={"time_limit": spec.selection.ilp_time_limit},
    )
    if result.x is None:
        return None
    return [order[k] for k in range(n) if result.x[k] > 0.5]
