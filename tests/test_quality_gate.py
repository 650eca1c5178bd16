"""CI gate: briefgen's ROUGE on four fixed real clusters stays above its recorded floor.

Floors are the measured scores minus a 1.5-point margin (``benchmarks/quality_baseline.json``,
re-measure with ``python benchmarks/quality.py DIR --write-baseline`` after a deliberate change).
The eval data are licensed for evaluation only, so they are read from the shared folder, never
copied here: ``../shared/eval/news-mds-dev`` beside the repository, or
``$BRIEFGEN_EVAL/news-mds-dev`` (as in ``benchmarks/evaldata.py``).  Without it the gate is
skipped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EVAL = (
    Path(os.environ["BRIEFGEN_EVAL"]).expanduser()
    if os.environ.get("BRIEFGEN_EVAL", "").strip()
    else ROOT.parent / "shared" / "eval"
) / "news-mds-dev"
BASELINE = ROOT / "benchmarks" / "quality_baseline.json"


@pytest.fixture(scope="module")
def baseline() -> dict:  # type: ignore[type-arg]
    if not EVAL.is_dir():
        pytest.skip(
            f"eval set {EVAL} is not on this machine (licensed data, never in the repo; "
            "set BRIEFGEN_EVAL to the folder holding news-mds-dev/)"
        )
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_gate_clusters_are_the_ones_the_floor_was_measured_on(baseline: dict) -> None:  # type: ignore[type-arg]
    from benchmarks.quality import files_hash

    assert files_hash(EVAL, baseline["clusters"]) == baseline["files_sha256"], (
        "the gate clusters changed since the floor was measured: re-run "
        f"`python benchmarks/quality.py {EVAL} --write-baseline`"
    )


def test_briefgen_rouge_stays_above_the_floor_and_faithful(baseline: dict) -> None:  # type: ignore[type-arg]
    from benchmarks.quality import gate_scores

    got = gate_scores(EVAL, baseline["clusters"], baseline["budget"])
    assert got["faithful"] == 1.0
    for metric in ("rouge1", "rouge2"):
        assert got[metric] >= baseline["floor"][metric], (metric, got, baseline["floor"])


def test_gate_clusters_come_from_the_tuned_half_only() -> None:
    from benchmarks.quality import GATE_CLUSTERS

    assert all(int(name.rsplit("-", 1)[1]) % 2 == 1 for name in GATE_CLUSTERS)
