"""The quality benchmark's own parts: the extractive oracle, the fixed halves, the paired margin."""

from __future__ import annotations

import numpy as np

from benchmarks.oracle import oracle
from benchmarks.quality import CLASSIC, ORACLE, best_classic, cut, halves, table


def test_the_oracle_picks_the_sentences_that_match_the_reference_and_stops_when_none_helps() -> (
    None
):
    sentences = [
        "The weather was mild in the north.",
        "The central bank raised interest rates by half a point on Tuesday.",
        "A local team won the football cup.",
        "Inflation has stayed above four percent for a year.",
    ]
    reference = (
        "The central bank raised interest rates on Tuesday because inflation stayed above four "
        "percent."
    )
    picked = oracle(sentences, reference, budget=100)
    assert picked[:2] == [sentences[1], sentences[3]]
    assert sentences[0] not in picked and sentences[2] not in picked


def test_the_oracle_respects_the_budget_cut() -> None:
    sentences = ["one two three four five six seven eight", "nine ten eleven"]
    picked = oracle(sentences, "one two three four nine ten eleven", budget=4)
    assert cut(picked, 4)[0] == "one two three four"


def test_odd_clusters_are_tuned_on_and_even_ones_held_out() -> None:
    names = [f"cluster-{i:03d}" for i in range(1, 7)]
    (tuned_label, tuned), (held_label, held) = halves(names, "odd-even")
    assert "odd" in tuned_label and "even" in held_label
    assert [names[i] for i in tuned] == ["cluster-001", "cluster-003", "cluster-005"]
    assert [names[i] for i in held] == ["cluster-002", "cluster-004", "cluster-006"]
    assert [len(rows) for _, rows in halves(names, "4")] == [4, 2]


def test_the_margin_is_paired_against_the_best_classic_method_per_metric() -> None:
    n = 20
    rng = np.random.default_rng(0)
    base = rng.uniform(30, 50, n)
    scores = {
        name: {m: list(base + shift) for m in ("rouge1", "rouge2", "rougeL")}
        | {"faithful": [1.0] * n}
        for name, shift in (
            ("briefgen", 2.0),
            ("lead", 0.5),
            ("lexrank", 0.0),
            ("textrank", -1.0),
            (ORACLE, 10.0),
        )
    }
    rows = list(range(n))
    assert best_classic(scores, rows, "rouge1") == "lead" and "lead" in CLASSIC
    _, figures = table(scores, rows, "t")
    margin = figures["margin_over_best_classic"]["rouge1"]
    # Every cluster is exactly 1.5 ahead: a paired interval has no width.
    assert margin["over"] == "lead" and margin["mean"] == 1.5 and margin["ci"] == [1.5, 1.5]
    assert figures["gap_closed"]["rouge1"] == round(1.5 / 9.5, 3)
