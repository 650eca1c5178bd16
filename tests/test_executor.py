"""Many briefings on a process pool or a Dask cluster: same reports, failures named, none lost."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefgen.errors import BriefgenError
from briefgen.service.executor import parse_executor, run_many
from briefgen.service.runner import RunOutcome
from tests.conftest import dask_url

distributed = pytest.importorskip("distributed")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
NOW = datetime(2026, 1, 5, 7, 0, tzinfo=UTC)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    empty = tmp_path / "empty"
    empty.mkdir()
    path = tmp_path / "briefings.toml"
    path.write_text(
        f"""
[[briefings]]
name = "alpha"
sources = ["{SEEDS.as_posix()}/"]
formats = ["json", "md"]

[[briefings]]
name = "broken"
sources = ["{empty.as_posix()}/"]
formats = ["json"]

[[briefings]]
name = "beta"
title = "Second look"
sources = ["{SEEDS.as_posix()}/*.txt"]
formats = ["json", "md"]
""",
        encoding="utf-8",
    )
    return path


def _published(reports: Path) -> dict[str, bytes]:
    """Every rendered file under the reports folder (state database and logs aside)."""
    return {
        p.relative_to(reports).as_posix(): p.read_bytes()
        for p in sorted(reports.rglob("*"))
        if p.is_file() and p.suffix in (".json", ".md")
    }


def test_dask_publishes_the_same_reports_as_the_local_pool(
    config: Path, tmp_path: Path, local_cluster: Any
) -> None:
    names = ["alpha", "broken", "beta"]
    local = run_many(str(config), names, tmp_path / "local", executor="local", now=NOW)
    on_dask = dask_url(local_cluster.scheduler_address)
    dask = run_many(str(config), names, tmp_path / "dask", executor=on_dask, now=NOW)

    for outcomes in (local, dask):
        assert [o.briefing for o in outcomes] == names
        statuses = [o.status for o in outcomes]
        assert statuses == ["published", "failed", "published"], [o.message for o in outcomes]
        assert "no readable articles" in outcomes[1].message
    files = _published(tmp_path / "local")
    assert any(name.startswith("alpha/") for name in files)
    assert any(name.startswith("beta/") for name in files)
    assert _published(tmp_path / "dask") == files


def _flaky(config: Any, name: str, reports: Any = None, force: bool = False, *, now: Any = None):
    if name == "beta":
        raise MemoryError("worker ran out of memory")
    return RunOutcome(name, "published", articles=2)


def test_a_briefing_that_breaks_on_a_worker_is_named_and_the_others_kept(
    local_cluster: Any,
) -> None:
    seen: list[str] = []
    on_dask = dask_url(local_cluster.scheduler_address)
    outcomes = run_many(
        "unused.toml", ["alpha", "beta", "gamma"], executor=on_dask, runner=_flaky,
        on_outcome=lambda o: seen.append(o.briefing),
    )  # fmt: skip
    assert [o.status for o in outcomes] == ["published", "failed", "published"]
    assert outcomes[1].briefing == "beta"
    assert "MemoryError: worker ran out of memory" in outcomes[1].message
    assert seen == ["alpha", "beta", "gamma"]


def test_local_pool_reports_a_broken_worker_by_name() -> None:
    outcomes = run_many("unused.toml", ["alpha", "beta"], executor="local", jobs=2, runner=_flaky)
    assert [(o.briefing, o.status) for o in outcomes] == [
        ("alpha", "published"),
        ("beta", "failed"),
    ]


def test_executor_specs() -> None:
    assert parse_executor("local") is None
    assert parse_executor("dask://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    with pytest.raises(BriefgenError, match="unknown executor"):
        parse_executor("yarn")


def test_an_unreachable_scheduler_is_one_clear_error() -> None:
    with pytest.raises(BriefgenError, match="cannot reach the Dask scheduler"):
        run_many("unused.toml", ["alpha"], executor="dask://127.0.0.1:9", runner=_flaky)
