"""Publishing under pressure: usual permissions, an index that heals, one build per folder,
an unexpected ``latest`` named, and Ctrl-C / SIGTERM ending in one line at any stage."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from briefgen.service.build import build, output_lock
from briefgen.service.publish import LockBusy
from briefgen.service.runner import run_briefing
from briefgen.spec import BriefingSpec
from tests.test_publish import T0, make_setup

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EXE = Path(sys.executable).with_name("briefgen")


@pytest.fixture(params=[0o022, 0o002])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_build_writes_files_as_cp_would(tmp_path: Path, umask: int) -> None:
    out = tmp_path / "out"
    result = build([str(SEEDS)], out, BriefingSpec(formats=("json", "md"), jobs=1))
    assert {p.name: _mode(p) for p in result.paths} == {
        "briefing.json": 0o666 & ~umask,
        "briefing.md": 0o666 & ~umask,
    }


def test_run_publishes_folders_and_files_as_mkdir_and_cp_would(tmp_path: Path, umask: int) -> None:
    outcome = run_briefing(make_setup(tmp_path), "kz", now=T0)
    assert outcome.status == "published", outcome.message
    assert outcome.edition is not None
    assert _mode(outcome.edition) == 0o777 & ~umask
    assert {_mode(p) for p in outcome.edition.iterdir()} == {0o666 & ~umask}
    assert _mode(tmp_path / "reports" / "index.html") == 0o666 & ~umask


def test_a_skipped_run_heals_an_index_a_killed_publish_left_behind(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    first = run_briefing(config, "kz", now=T0)
    assert first.status == "published", first.message
    index = tmp_path / "reports" / "index.html"
    index.unlink()  # killed between the `latest` swap and the index write
    second = run_briefing(config, "kz", now=T0 + timedelta(hours=1))
    assert second.status == "skipped" and second.message == "nothing new"
    assert first.edition is not None and first.edition.name in index.read_text()


def test_a_failed_run_also_rebuilds_the_index(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    assert run_briefing(config, "kz", now=T0).status == "published"
    index = tmp_path / "reports" / "index.html"
    index.unlink()
    shutil.rmtree(tmp_path / "articles")
    (tmp_path / "articles").mkdir()
    failed = run_briefing(config, "kz", now=T0 + timedelta(hours=1), force=True)
    assert failed.status == "failed"
    assert "2026-01-20_0600" in index.read_text()


def test_a_symlinked_briefing_folder_is_listed(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    assert run_briefing(config, "kz", now=T0).status == "published"
    reports = tmp_path / "reports"
    elsewhere = tmp_path / "archive-kz"
    shutil.move(reports / "kz", elsewhere)
    os.symlink(elsewhere, reports / "kz")
    again = run_briefing(config, "kz", now=T0 + timedelta(hours=1), force=True)
    assert again.status == "published", again.message
    page = (reports / "index.html").read_text()
    assert "kz/2026-01-20_0600/kz.json" in page and "kz/2026-01-20_0700/kz.json" in page


def test_a_latest_that_is_a_folder_is_named_in_the_error(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    latest = tmp_path / "reports" / "kz" / "latest"
    latest.mkdir(parents=True)
    outcome = run_briefing(config, "kz", now=T0)
    assert outcome.status == "failed"
    assert outcome.message == (
        f"{latest}: is a folder, not the link to the newest edition briefgen keeps there; "
        "move it away and run again"
    )
    assert [p.name for p in latest.parent.iterdir() if not p.name.startswith(".")] == ["latest"]


def test_a_second_build_into_one_folder_waits_then_says_why(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out):
        started = time.monotonic()
        with pytest.raises(LockBusy) as info:
            build([str(SEEDS)], out, BriefingSpec(formats=("json",), jobs=1), lock_wait=0.5)
        assert 0.5 <= time.monotonic() - started < 3
    assert str(info.value) == (
        f"{out}: another briefgen build is writing to this folder (waited 0.5 s)"
    )
    assert list(out.iterdir()) == []


def test_two_cli_builds_into_one_folder_one_waits_its_turn(tmp_path: Path) -> None:
    out = tmp_path / "out"
    cmd = [str(EXE), "build", str(SEEDS), "-o", str(out), "--formats", "json,md", "-q"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    first.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert sorted(p.name for p in out.iterdir()) == ["briefing.json", "briefing.md"]


@pytest.mark.parametrize("delay", [0.6, 1.0, 1.6, 2.2])
@pytest.mark.parametrize(
    ("sig", "code", "line"),
    [(signal.SIGINT, 130, "Interrupted."), (signal.SIGTERM, 143, "Terminated.")],
)
def test_a_signal_at_any_stage_is_one_line_and_no_traceback(
    tmp_path: Path, delay: float, sig: signal.Signals, code: int, line: str
) -> None:
    """Ctrl-C reaches the whole process group (the PDF helper too); SIGTERM only the main
    process.  Either way: the exit code shells use, one line, the previous report kept."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.json").write_text("previous")
    proc = subprocess.Popen(
        [str(EXE), "build", str(SEEDS), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(delay)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    if proc.returncode == 0:  # finished before the signal: nothing to check
        pytest.skip(f"the build finished within {delay} s")
    assert "Traceback" not in stderr + stdout, stderr
    assert proc.returncode == code, stderr
    assert stderr.strip().splitlines()[-1] == line
    assert (out / "briefing.json").read_text() == "previous"
    assert [p.name for p in out.iterdir()] == ["briefing.json"]
