"""Time and memory budgets: a slow article is skipped, a run over its limits ends cleanly."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from briefgen.base.budget import OverBudget, RunLimitExceeded, time_budget
from briefgen.ingest import read
from briefgen.spec import BriefingSpec, Limits

SEEDS = Path(__file__).parent.parent / "seeds"
EXE = Path(sys.executable).with_name("briefgen")


def test_a_catastrophic_regex_is_stopped_by_its_budget() -> None:
    started = time.monotonic()
    with pytest.raises(OverBudget) as info, time_budget(0.3, "regex") as mine:
        re.match(r"(a+)+$", "a" * 40 + "b")  # exponential backtracking: hours
    assert info.value is mine and time.monotonic() - started < 1.0


def test_the_first_budget_to_end_interrupts() -> None:
    with pytest.raises(OverBudget) as info, time_budget(5, "run"), time_budget(0.2, "article"):
        time.sleep(3)
    assert info.value.what == "article"
    with pytest.raises(OverBudget) as info, time_budget(0.2, "run"), time_budget(5, "article"):
        time.sleep(3)
    assert info.value.what == "run"


def test_a_budget_ended_in_time_leaves_no_alarm_behind() -> None:
    with time_budget(0.2, "quick"):
        pass
    time.sleep(0.4)  # no OverBudget arrives later


def test_budgets_are_not_enforced_in_threads() -> None:
    seen: list[object] = []

    def body() -> None:
        with time_budget(0.1, "thread") as mine:
            time.sleep(0.3)
            seen.append(mine)

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    assert seen == [None]


def test_an_article_over_its_budget_is_skipped_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for seed in SEEDS.glob("*.txt"):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    (tmp_path / "slow.txt").write_text("Slow\n\nThis article takes forever to read.\n")
    real = read._read_one

    def slow_one(path: Path, *args: object) -> object:
        if path.name == "slow.txt":
            time.sleep(30)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(read, "_read_one", slow_one)
    started = time.monotonic()
    result = read.read_all([str(tmp_path)], Limits(max_article_seconds=1), jobs=1)
    assert time.monotonic() - started < 5
    assert len(result.articles) == 2
    (warning,) = [w for w in result.warnings if "slow.txt" in w]
    assert warning.endswith(
        "slow.txt: still being read after 1 s, its time budget "
        "(raise it with --max-article-seconds); skipped"
    )


def test_a_build_over_its_time_limit_leaves_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.service import build as service_build

    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.json").write_text("previous")
    real = service_build.read_inputs

    def slow_read(*args: object, **kw: object) -> object:
        time.sleep(30)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(service_build, "read_inputs", slow_read)
    spec = BriefingSpec(formats=("json",), jobs=1, limits=Limits(max_run_seconds=1))
    with pytest.raises(RunLimitExceeded) as info:
        service_build.build([str(SEEDS)], out, spec)
    assert str(info.value) == (
        "build stopped after 1 s, its time limit (raise it with --max-run-seconds or "
        "max_run_seconds)"
    )
    assert [p.name for p in out.iterdir()] == ["briefing.json"]
    assert (out / "briefing.json").read_text() == "previous"


def test_a_build_over_its_memory_cap_is_one_error_line(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.json").write_text("previous")
    cap = ["--max-memory", "50MB"]
    proc = subprocess.run(
        [str(EXE), "build", str(SEEDS), "-o", str(out), "--formats", "json", *cap],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        "Error: build stopped: over its memory cap of 50 MB (raise it with --max-memory or "
        "max_memory)"
    )
    assert "Traceback" not in proc.stderr
    assert [p.name for p in out.iterdir()] == ["briefing.json"]
    assert (out / "briefing.json").read_text() == "previous"


def test_a_run_over_its_time_limit_fails_releases_its_lock_and_keeps_the_edition(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefgen.service import runner

    config = tmp_path / "b.toml"
    text = f'[[briefings]]\nname = "kz"\nsources = ["{SEEDS}"]\nformats = ["json"]\n'
    config.write_text(text)
    first = runner.run_briefing(config, "kz", force=True)
    assert first.status == "published", first.message
    real = runner.gather

    def slow_gather(*args: object, **kw: object) -> object:
        time.sleep(30)
        return real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "gather", slow_gather)
    config.write_text(text + "[briefings.limits]\nmax_run_seconds = 1\n")
    stopped = runner.run_briefing(config, "kz", force=True)
    assert (stopped.status, stopped.message) == (
        "failed",
        "run of kz stopped after 1 s, its time limit (raise it with --max-run-seconds or "
        "max_run_seconds)",
    )
    latest = tmp_path / "reports" / "kz" / "latest"
    assert latest.resolve() == first.edition
    monkeypatch.setattr(runner, "gather", real)
    config.write_text(text)
    again = runner.run_briefing(config, "kz", force=True, now=None)
    assert again.status == "published", again.message  # the lock was released


def test_config_keys_set_the_limits_and_the_egress_opt_in(tmp_path: Path) -> None:
    from briefgen.service.config import load_config

    config = tmp_path / "b.toml"
    config.write_text(
        f'[[briefings]]\nname = "kz"\nsources = ["{SEEDS}"]\n'
        '[briefings.limits]\nmax_memory = "2GB"\nmax_run_seconds = 600\nmax_article_seconds = 5\n'
        "follow_symlinks = true\n"
        '[briefings.fetch]\nallow_networks = ["10.0.0.0/8", "fd00::/8"]\n'
    )
    spec = load_config(config).briefings[0].spec()
    assert (spec.limits.max_memory, spec.limits.max_run_seconds) == (2_000_000_000, 600)
    assert spec.limits.max_article_seconds == 5 and spec.limits.follow_symlinks is True
    assert spec.fetch.allow_networks == ("10.0.0.0/8", "fd00::/8")
    assert spec.fetch.allow_private_networks is False
