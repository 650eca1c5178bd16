"""``--jobs N`` changes who does the work, never the briefing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.base import parallel
from briefgen.cli import main
from briefgen.ingest.read import ingest
from briefgen.spec import BriefingSpec
from briefgen.summarize.work import prepare_all

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _square(x: int) -> int:
    return x * x


def _boom(x: int) -> int:
    raise ValueError(f"bad {x}")


def test_map_ordered_keeps_input_order_across_processes() -> None:
    items = list(range(50))
    assert parallel.map_ordered(_square, items, jobs=2, min_per_job=1) == [x * x for x in items]


def test_helper_disabled_runs_inline_and_reports_errors_on_result() -> None:
    helper = parallel.Helper(enabled=False)
    assert helper.submit(_square, 3).result() == 9
    with pytest.raises(ValueError, match="bad 2"):
        helper.submit(_boom, 2).result()


def test_helper_process_returns_results() -> None:
    with parallel.Helper() as helper:
        assert helper.submit(_square, 4).result() == 16


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty articles: the seeds' paragraphs in rotated orders, numbers changed."""
    folder = tmp_path_factory.mktemp("corpus")
    paragraphs = [
        p
        for f in sorted(SEEDS.glob("*.txt"))
        for p in f.read_text(encoding="utf-8").split("\n\n")[1:]
        if len(p.split()) > 20
    ]
    for k in range(20):
        body = paragraphs[k % len(paragraphs) :] + paragraphs[: k % len(paragraphs)]
        text = "\n\n".join(body[: 6 + k % 5])
        text = re.sub(r"\b\d+\b", lambda m, k=k: str(int(m.group()) + k), text)
        (folder / f"{k:02d}.txt").write_text(f"Story {k} on the talks\n\n{text}\n", "utf-8")
    return folder


def test_ingest_and_segmentation_do_not_depend_on_jobs(corpus: Path) -> None:
    one, two = ingest([str(corpus)], jobs=1), ingest([str(corpus)], jobs=2)
    assert one == two
    spec = BriefingSpec()
    assert prepare_all(one.articles, spec, 1) == prepare_all(one.articles, spec, 2)


def test_jobs_1_and_2_give_byte_identical_json(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_JOB", 2)  # use the pool for 20 files
    monkeypatch.setenv("BRIEFGEN_NOW", "2026-01-02T07:00:00Z")
    out = {}
    for jobs in ("1", "2"):
        args = ["build", str(corpus), "-o", str(tmp_path / jobs), "--jobs", jobs, "-q",
                "--formats", "json,md", "--max-grade", "99", "--max-pages", "99"]  # fmt: skip
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        out[jobs] = (tmp_path / jobs / "briefing.json").read_bytes()
    assert out["1"] == out["2"]
    assert b'"generated_at": "2026-01-02T07:00:00' in out["1"]
