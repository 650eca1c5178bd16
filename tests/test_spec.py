"""One spec, one road: the settings a user gives reach selection, the check and every route."""

from __future__ import annotations

import json
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.base.text import word_count
from briefgen.cli import main
from briefgen.service.build import build
from briefgen.service.config import load_config
from briefgen.service.runner import run_briefing
from briefgen.spec import BriefingSpec, Limits, Targets, spec_from_flags
from briefgen.summarize.rank import _readability_factor

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NOW = datetime(2026, 1, 20, 7, 0, tzinfo=UTC)


def test_flags_route_each_knob_to_its_one_definition() -> None:
    spec = spec_from_flags(title="T", max_grade=8.0, max_key_point_words=20, max_file_size=10)
    assert spec.title == "T"
    assert spec.targets == Targets(max_grade=8.0, max_key_point_words=20)
    assert spec.limits == Limits(max_file_size=10)
    assert spec_from_flags(max_grade=None) == BriefingSpec()  # None keeps the default


def test_a_config_table_and_the_same_flags_give_the_same_spec(tmp_path: Path) -> None:
    config = tmp_path / "b.toml"
    config.write_text(
        textwrap.dedent(f"""\
        [[briefings]]
        name = "briefing"
        sources = ["{SEEDS}"]
        formats = ["json", "pdf"]
        [briefings.readability]
        max_grade = 9
        max_key_point_words = 22
        [briefings.limits]
        max_sentences = 5000
        """)
    )
    from_config = load_config(config).briefing("briefing").spec(now=NOW)
    from_flags = spec_from_flags(
        formats=("json", "pdf"), now=NOW, max_grade=9, max_key_point_words=22,
        max_sentences=5000,
    )  # fmt: skip
    assert from_config == from_flags


def test_max_grade_reaches_selection() -> None:
    hard = (
        "The comprehensive reconfiguration of multilateral institutional arrangements necessitates "
        "considerable administrative coordination."
    )
    strict = BriefingSpec(targets=Targets(max_grade=8.0))
    lenient = BriefingSpec(targets=Targets(max_grade=60.0))
    assert _readability_factor(hard, strict) < _readability_factor(hard, lenient) == 1.0


def test_max_key_point_words_20_gives_key_points_of_at_most_20_words_and_publishes(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    args = ["build", str(SEEDS), "-o", str(out), "--formats", "json", "--max-key-point-words"]
    result = CliRunner().invoke(main, [*args, "20"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "briefing.json").read_text())
    shown = data["bottom_line"] + data["key_points"]
    assert len(data["key_points"]) >= 3
    assert max(word_count(s["text"]) for s in shown) <= 20


def test_a_grade_target_the_sources_cannot_meet_warns_and_publishes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(SEEDS), "-o", str(out), "--formats", "json", "--max-grade", "4"]
    )
    assert result.exit_code == 0, result.output
    assert "grade" in result.output and "> target 4.0" in result.output
    assert (out / "briefing.json").exists()


def test_build_and_run_give_the_same_briefing_for_the_same_inputs(tmp_path: Path) -> None:
    built = build(
        [str(SEEDS)], tmp_path / "built", BriefingSpec(formats=("json",), now=NOW, jobs=1)
    ).briefing
    config = tmp_path / "b.toml"
    config.write_text(
        f'[[briefings]]\nname = "briefing"\nsources = ["{SEEDS}"]\nformats = ["json"]\njobs = 1\n'
    )
    outcome = run_briefing(config, "briefing", tmp_path / "reports", now=NOW)
    assert outcome.status == "published", outcome.message
    assert outcome.edition is not None
    ran = json.loads((outcome.edition / "briefing.json").read_text())
    assert ran == json.loads(built.to_json())


@pytest.mark.parametrize("jobs", [1, 2])
def test_run_uses_the_jobs_of_its_spec(tmp_path: Path, jobs: int) -> None:
    config = tmp_path / "b.toml"
    config.write_text(
        f'[[briefings]]\nname = "b"\nsources = ["{SEEDS}"]\nformats = ["json"]\njobs = {jobs}\n'
    )
    spec = load_config(config).briefing("b").spec()
    assert spec.jobs == jobs
