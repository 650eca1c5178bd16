"""When briefings run: cron parsing, fire times, coalescing, no overlap, OS scheduler output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from croniter import croniter

from briefgen import log as logs
from briefgen.service import schedule as schedule_module
from briefgen.service.config import Config, load_config
from briefgen.service.cron import cron_trigger, fire_times, on_calendar, parse_cron
from briefgen.service.runner import RunOutcome
from briefgen.service.schedule import BriefingJob, build_scheduler, crontab_lines, systemd_units

BERLIN = ZoneInfo("Europe/Berlin")


def make_config(tmp_path: Path, schedule: str = "* * * * *", extra: str = "") -> Config:
    (tmp_path / "articles").mkdir(exist_ok=True)
    path = tmp_path / "briefings.toml"
    path.write_text(
        f'[[briefings]]\nname = "daily"\nsources = ["articles/"]\nschedule = "{schedule}"\n'
        f'timezone = "Europe/Berlin"\n{extra}'
    )
    return load_config(path)


def test_weekday_schedule_fires_monday_to_friday_at_seven_local_time() -> None:
    start = datetime(2026, 3, 26, 12, 0, tzinfo=BERLIN)  # a Thursday, days before DST starts
    times = fire_times(cron_trigger("0 7 * * 1-5", "Europe/Berlin"), start, 4)
    assert [t.isoformat() for t in times] == [
        "2026-03-27T07:00:00+01:00",  # Fri
        "2026-03-30T07:00:00+02:00",  # Mon, after the clocks went forward: still 07:00 local
        "2026-03-31T07:00:00+02:00",
        "2026-04-01T07:00:00+02:00",
    ]


def test_apscheduler_from_crontab_alone_would_shift_weekdays() -> None:
    """Why briefgen hands weekdays over as names (APScheduler 3 counts Monday as 0)."""
    saturday = datetime(2026, 1, 3, tzinfo=UTC)
    naive = CronTrigger.from_crontab("0 7 * * 1-5", timezone=UTC)
    assert naive.get_next_fire_time(None, saturday).strftime("%a") == "Sat"
    ours = cron_trigger("0 7 * * 1-5", "UTC")
    assert ours.get_next_fire_time(None, saturday).strftime("%a %H:%M") == "Mon 07:00"


@pytest.mark.parametrize(
    "expr",
    [
        "0 7 * * 1-5",
        "30 6 * * 0",
        "5 4 * * sun",
        "*/15 9-17 * * mon-fri",
        "0 0 1,15 * *",
        "0 12 1 * 1",  # both day fields: cron fires on the 1st OR on Mondays
        "0 8 */10 * 6,7",
        "0 22 * jan,jul 5",
        "@daily",
        "0 9-18/3 * * *",
    ],
)
def test_fire_times_match_croniter(expr: str) -> None:
    start = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    ours = fire_times(cron_trigger(expr, "UTC"), start, 60)
    it = croniter(expr, start - timedelta(seconds=1))
    theirs = [it.get_next(datetime) for _ in range(60)]
    assert ours == theirs


def test_unsupported_cron_is_rejected_with_reason() -> None:
    with pytest.raises(ValueError, match="invalid cron expression"):
        parse_cron("0 25 * * *")
    with pytest.raises(ValueError, match="not supported here"):
        parse_cron("0 0 * * 5#2")


def _start_missed(scheduler: BackgroundScheduler, name: str, missed: int) -> None:
    """Start with the job ``missed`` minute-ticks behind: the clock the scheduler wakes to."""
    now = datetime.now(UTC)
    if now.second >= 58:  # keep the minute from turning over mid-test
        time.sleep(3)
        now = datetime.now(UTC)
    tick = now.replace(second=0, microsecond=0)
    scheduler.start(paused=True)
    scheduler.modify_job(name, next_run_time=tick - timedelta(minutes=missed - 1))
    scheduler.resume()


def test_three_missed_runs_coalesce_into_one(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)  # every minute
    runs: list[str] = []

    def runner(config: Config, name: str, reports: Path, force: bool) -> str:
        runs.append(name)
        return "ok"

    sched = build_scheduler(cfg, tmp_path, scheduler_cls=BackgroundScheduler, runner=runner)
    _start_missed(sched, "daily", 3)
    job = sched.get_job("daily")
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
    time.sleep(1.0)
    sched.shutdown()
    assert runs == ["daily"]

    # The same backlog without coalescing runs three times: the test above is meaningful.
    runs.clear()
    sched = build_scheduler(cfg, tmp_path, scheduler_cls=BackgroundScheduler, runner=runner)
    sched.modify_job("daily", coalesce=False)
    _start_missed(sched, "daily", 3)
    time.sleep(1.0)
    sched.shutdown()
    assert runs == ["daily"] * 3


def test_a_briefing_never_runs_twice_at_once(tmp_path: Path) -> None:
    cfg = make_config(tmp_path)
    active = 0
    peak = 0
    runs = 0
    guard = threading.Lock()

    def slow_runner(config: Config, name: str, reports: Path, force: bool) -> str:
        nonlocal active, peak, runs
        with guard:
            active += 1
            runs += 1
            peak = max(peak, active)
        time.sleep(0.6)
        with guard:
            active -= 1
        return "ok"

    sched = build_scheduler(cfg, tmp_path, scheduler_cls=BackgroundScheduler, runner=slow_runner)
    sched.start(paused=True)
    sched.reschedule_job("daily", trigger="interval", seconds=0.15)  # fires 4x per run
    sched.resume()
    time.sleep(2.0)
    sched.shutdown()
    assert runs >= 2
    assert peak == 1


def test_unscheduled_briefings_get_no_job(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    path = tmp_path / "b.toml"
    path.write_text('[[briefings]]\nname = "manual"\nsources = ["a"]\n')
    sched = build_scheduler(load_config(path), tmp_path, scheduler_cls=BackgroundScheduler)
    assert sched.get_jobs() == []


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("0 7 * * 1-5", ["Mon..Fri *-*-* 07:00:00 Europe/Berlin"]),
        ("*/15 9-17 * * *", ["*-*-* 09..17:00/15:00 Europe/Berlin"]),
        ("30 6 * * 0,6", ["Sat,Sun *-*-* 06:30:00 Europe/Berlin"]),
        ("0 0 1 1,7 *", ["*-01,07-01 00:00:00 Europe/Berlin"]),
        ("0 12 1 * 1", ["*-*-01 12:00:00 Europe/Berlin", "Mon *-*-* 12:00:00 Europe/Berlin"]),
    ],
)
def test_on_calendar_from_cron(expr: str, expected: list[str]) -> None:
    assert on_calendar(expr, "Europe/Berlin") == expected


def test_print_cron_and_systemd(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, "0 7 * * 1-5")
    reports = tmp_path / "reports"
    cron = crontab_lines(cfg, reports)
    assert "CRON_TZ=Europe/Berlin\n" in cron
    line = next(x for x in cron.splitlines() if x.startswith("0 7 * * 1-5 "))
    assert f"run {cfg.path} --briefing daily >> {reports / 'briefgen.log'} 2>&1" in line
    assert line.split()[5].endswith("briefgen") or "-m briefgen.cli" in line

    units = systemd_units(cfg, reports)
    assert "### briefgen-daily.service\n[Unit]" in units
    assert "Type=oneshot" in units
    assert f"--briefing daily --reports {reports}" in units
    assert "### briefgen-daily.timer" in units
    assert "OnCalendar=Mon..Fri *-*-* 07:00:00 Europe/Berlin\nPersistent=true" in units


def test_schedule_command_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    cfg = make_config(tmp_path, "0 7 * * 1-5")
    reports = tmp_path / "reports"
    exe = Path(sys.executable).parent / "briefgen"
    proc = subprocess.Popen(
        [str(exe), "schedule", str(cfg.path), "--reports", str(reports)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "TZ": "UTC"},
    )
    log = reports / "briefgen.log"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and "scheduler started" not in (
        log.read_text() if log.exists() else ""
    ):
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
    text = log.read_text()
    assert "daily: '0 7 * * 1-5' Europe/Berlin, next run " in text
    assert "received SIGTERM: stopping" in text
    assert "scheduler stopped" in text
    # stderr: each event once, in the log file's format
    for line in text.splitlines():
        assert out.count(line) == 1, out
    assert out.count("scheduler started") == 1


def test_the_job_logs_each_run_once_with_its_warnings_and_tracks_what_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = make_config(tmp_path)
    seen_running: list[list[str]] = []

    def runner(config: Config, name: str, reports: Path, force: bool) -> RunOutcome:
        seen_running.append(job.running())
        return RunOutcome(name, "published", edition=reports / name, articles=2, warnings=("w",))

    job = BriefingJob(runner)
    log_file = tmp_path / "reports" / "briefgen.log"
    try:
        logs.configure(0, log_file=log_file, service=True)
        job(cfg, "daily", tmp_path)
    finally:
        logs.unconfigure()
    assert seen_running == [["daily"]] and job.running() == []
    err = capsys.readouterr().err.splitlines()
    expected = [
        "WARNING briefgen.service.schedule: daily: w",
        f"INFO briefgen.service.schedule: daily: published {tmp_path}/daily (2 articles, 0 new)",
    ]
    assert [line.split(" ", 2)[2] for line in err] == expected  # after the time stamp
    assert [line.split(" ", 2)[2] for line in log_file.read_text().splitlines()] == expected


def test_no_module_level_run_state() -> None:
    assert not hasattr(schedule_module, "_running")
    assert not hasattr(schedule_module, "_running_lock")
