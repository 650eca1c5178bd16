"""Real news clusters, default options: every one gives a published briefing.

A sample of the development clusters runs here; ``benchmarks/publish_rate.py`` builds all 90.
The data are read from ``../shared/eval/news-mds-dev`` (or ``$BRIEFGEN_EVAL``) and never copied.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.base.text import word_count
from briefgen.service.build import build
from briefgen.spec import BriefingSpec

ROOT = Path(__file__).resolve().parent.parent
_override = os.environ.get("BRIEFGEN_EVAL", "").strip()
DEV = (Path(_override) if _override else ROOT.parent / "shared" / "eval") / "news-mds-dev"
SAMPLE = ["cluster-007", "cluster-023", "cluster-046", "cluster-071", "cluster-088"]


@pytest.mark.skipif(not DEV.is_dir(), reason=f"evaluation data not found at {DEV}")
@pytest.mark.parametrize("name", SAMPLE)
def test_a_real_cluster_is_published_with_key_points_within_the_word_target(
    name: str, tmp_path: Path
) -> None:
    spec = BriefingSpec(jobs=1)
    result = build([str(DEV / name / "articles")], tmp_path, spec)
    assert sorted(p.suffix for p in result.paths) == [".docx", ".html", ".json", ".md", ".pdf"]
    shown = result.briefing.bottom_line + result.briefing.key_points
    assert max(word_count(s.text) for s in shown) <= spec.targets.max_key_point_words
