"""Sparse similarity equals the dense product on small inputs and stays bounded on large ones."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from briefgen.model import Sentence
from briefgen.summarize import similarity


def _rows(n: int, m: int, seed: int) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    x = sp.random(n, m, density=0.05, random_state=rng, format="csr")
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ x)


def test_stop_words_are_scikit_learns() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    assert frozenset(text.ENGLISH_STOP_WORDS) == similarity.STOP_WORDS


def test_neighbours_equal_the_full_product_when_rows_have_few_links() -> None:
    x = _rows(60, 400, seed=1)
    full = (x @ x.T).toarray()
    full[full < 0.1] = 0.0
    got = similarity.neighbours(x, k=60, threshold=0.1, block=7).toarray()
    np.testing.assert_allclose(got, full, rtol=0, atol=1e-12)


def test_neighbours_keep_at_most_k_per_row_before_symmetrising() -> None:
    dense = np.random.default_rng(2).random((300, 30))  # every pair is linked
    x = sp.csr_matrix(dense / np.linalg.norm(dense, axis=1, keepdims=True))
    got = similarity.neighbours(x, k=5)
    assert (got != got.T).nnz == 0
    assert got.nnz <= 2 * 5 * 300
    np.testing.assert_allclose(got.diagonal(), 1.0)


def test_tfidf_matches_scikit_learn_up_to_column_order() -> None:
    text = pytest.importorskip("sklearn.feature_extraction.text")
    docs = [["quake", "izmir", "quake"], ["izmir", "school"], ["rescue", "school", "quake"]]
    ours = similarity.tfidf(docs)
    theirs = text.TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True).fit_transform(docs)
    np.testing.assert_allclose((ours @ ours.T).toarray(), (theirs @ theirs.T).toarray())


def _sentences(n_articles: int, per_article: int) -> list[Sentence]:
    out = []
    for a in range(n_articles):
        for i in range(per_article):
            text = f"Officials in city {a % 7} said the flood {i % 5} damaged {a + i} homes today."
            out.append(Sentence(article_id=f"a{a}", index=i, start=0, end=len(text), text=text))
    return out


def test_plan_keeps_everything_for_small_inputs() -> None:
    sentences = _sentences(3, 4)
    articles = [object() for _ in range(3)]  # only counted for small inputs
    plan = similarity.plan(articles, sentences, [True] * len(sentences))  # type: ignore[arg-type]
    assert plan.sentences == sentences
    assert plan.article_sentences == sentences


def test_plan_bounds_the_work_for_large_inputs() -> None:
    from tests.builders import make_article

    sentences = _sentences(50, 10)
    articles = [make_article("x", id=f"a{a}") for a in range(50)]
    plan = similarity.plan(
        articles, sentences, [True] * len(sentences), pool_size=100, focus_size=8
    )
    assert len(plan.sentences) == 100
    assert len(plan.articles) == 8
    assert {s.article_id for s in plan.article_sentences} == {a.id for a in plan.articles}
    again = similarity.plan(
        articles, sentences, [True] * len(sentences), pool_size=100, focus_size=8
    )
    assert again == plan  # deterministic
