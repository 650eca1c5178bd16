"""When briefings run: the APScheduler service and OS scheduler units (crontab, systemd).

The cron expressions themselves are parsed in :mod:`briefgen.service.cron`.
"""

from __future__ import annotations

import logging
import shlex
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from briefgen.service.config import Config
from briefgen.service.cron import cron_trigger, on_calendar, parse_cron
from briefgen.service.runner import run_briefing

__all__ = ["BriefingJob", "build_scheduler", "crontab_lines", "log_path", "serve", "systemd_units"]

log = logging.getLogger(__name__)

LOG_FILE = "briefgen.log"

Runner = Callable[..., Any]


def build_scheduler(
    config: Config,
    reports_dir: Path,
    *,
    scheduler_cls: type | None = None,
    runner: Runner | None = None,
) -> Any:
    """A scheduler with one job per briefing that has a ``schedule``.

    ``coalesce`` turns a backlog (machine asleep, scheduler down) into one run; ``max_instances=1``
    means a briefing never overlaps itself (the publish lock also guards against cron or a user
    running it at the same moment).  Runs happen in threads; ``run_briefing``'s arguments are
    picklable so a process pool can be swapped in.
    """
    return _scheduler(config, reports_dir, BriefingJob(runner or run_briefing), scheduler_cls)


def _scheduler(
    config: Config, reports_dir: Path, job: BriefingJob, scheduler_cls: type | None
) -> Any:
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    cls = scheduler_cls or BlockingScheduler
    scheduler = cls(
        executors={"default": ThreadPoolExecutor(config.max_parallel)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": config.misfire_grace_time,
        },
        timezone="UTC",
    )
    for b in config.briefings:
        if not b.schedule:
            continue
        scheduler.add_job(
            job,
            trigger=cron_trigger(b.schedule, b.timezone),
            args=(config, b.name, reports_dir),
            id=b.name,
            name=f"briefing {b.name}",
            replace_existing=True,
        )
    return scheduler


class BriefingJob:
    """What a schedule fires: one run of a briefing, logged as one line (and its warnings).

    It also knows which briefings are running now, so :func:`serve` can wait for them when
    stopped; one instance serves every job of one scheduler.
    """

    def __init__(self, run: Runner) -> None:
        self._run = run
        self._running: set[str] = set()
        self._lock = threading.Lock()

    def running(self) -> list[str]:
        """The briefings whose runs have started and not yet ended."""
        with self._lock:
            return sorted(self._running)

    def __call__(self, config: Config, name: str, reports_dir: Path) -> Any:
        with self._lock:
            self._running.add(name)
        try:
            outcome = self._run(config, name, reports_dir, False)
            for warning in getattr(outcome, "warnings", ()):
                log.warning("%s: %s", name, warning)
            level = logging.ERROR if getattr(outcome, "status", "") == "failed" else logging.INFO
            log.log(level, "%s", getattr(outcome, "line", outcome))
            for line in getattr(outcome, "deliveries", ()):  # emails and webhooks (deliver.py)
                log.log(logging.ERROR if " failed " in line else logging.INFO, "%s", line)
            return outcome
        except Exception:  # logged here, once; re-raised, APScheduler would log it again
            log.exception("%s: run crashed", name)
            return None
        finally:
            with self._lock:
                self._running.discard(name)


def log_path(reports_dir: Path) -> Path:
    """The service's log file (rotated; see :func:`briefgen.log.configure`)."""
    return reports_dir / LOG_FILE


def serve(config: Config, reports_dir: Path, *, log_file: Path | None = None) -> None:
    """Run the scheduler until SIGINT/SIGTERM, then let running briefings finish.

    Logging is the caller's (``briefgen schedule`` logs to stderr and ``log_file``, named in the
    start line).
    """
    job = BriefingJob(run_briefing)
    scheduler = _scheduler(config, reports_dir, job, None)
    jobs = scheduler.get_jobs()
    if not jobs:
        from briefgen.errors import ConfigError

        raise ConfigError(f"{config.path}: no briefing has a 'schedule'")

    from apscheduler.events import EVENT_SCHEDULER_STARTED

    stop_requested = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stop_requested
        log.info("received %s: stopping", signal.Signals(signum).name)
        stop_requested = True
        if scheduler.running:
            scheduler.shutdown(wait=False)

    def started(_event: object) -> None:
        # Runs inside start(), in this thread: a signal that came before start() is honoured
        # here, so a stop is never lost between installing handlers and starting.
        if stop_requested:
            scheduler.shutdown(wait=False)
            return
        where = f", log {log_file}" if log_file is not None else ""
        log.info("scheduler started (config %s, reports %s%s)", config.path, reports_dir, where)

    scheduler.add_listener(started, EVENT_SCHEDULER_STARTED)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for b in config.briefings:
        if b.schedule:
            trig = cron_trigger(b.schedule, b.timezone)
            nxt = trig.get_next_fire_time(None, datetime.now(b.tz))
            log.info(
                "%s: '%s' %s, next run %s",
                b.name,
                b.schedule,
                b.timezone,
                nxt.isoformat(timespec="minutes") if nxt else "never",
            )
    scheduler.start()  # blocks until stop()
    while busy := job.running():
        log.info("waiting for %s to finish", ", ".join(busy))
        time.sleep(1)
    log.info("scheduler stopped")


# --------------------------------------------------------------------------- OS schedulers


def _command(config: Config, name: str) -> str:
    """The full path of this briefgen, so the OS scheduler needs no PATH or activated venv."""
    exe = Path(sys.executable).parent / "briefgen"
    found = str(exe) if exe.exists() else shutil.which("briefgen")
    cmd = [found] if found else [sys.executable, "-m", "briefgen.cli"]
    return shlex.join([*cmd, "run", str(config.path), "--briefing", name])


def crontab_lines(config: Config, reports_dir: Path) -> str:
    """Crontab lines, one per scheduled briefing (``crontab -e`` and paste)."""
    log_file = shlex.quote(str(log_path(reports_dir)))
    out = [f"# briefgen: {config.path}", "# m h dom mon dow  command"]
    for b in config.briefings:
        if not b.schedule:
            continue
        spec = parse_cron(b.schedule)
        out.append(
            f"# {b.name}: times are in {b.timezone}. CRON_TZ works with cronie and "
            "systemd-cron; Debian's cron ignores it and uses the system time zone."
        )
        out.append(f"CRON_TZ={b.timezone}")
        out.append(f"{' '.join(spec.expr.split())} {_command(config, b.name)} >> {log_file} 2>&1")
    if len(out) == 2:
        out.append("# (no briefing has a 'schedule')")
    return "\n".join(out) + "\n"


def systemd_units(config: Config, reports_dir: Path) -> str:
    """A ``.service`` and ``.timer`` per scheduled briefing, separated by file-name headers."""
    out = [
        f"# briefgen systemd units for {config.path}",
        "# Save each part under ~/.config/systemd/user/ (or /etc/systemd/system/), then:",
        "#   systemctl --user daemon-reload && systemctl --user enable --now briefgen-NAME.timer",
        "# Check a schedule with: systemd-analyze calendar --iterations=5 'ONCALENDAR'",
    ]
    workdir = config.path.parent
    for b in config.briefings:
        if not b.schedule:
            continue
        unit = f"briefgen-{b.name}"
        calendars = on_calendar(b.schedule, b.timezone)
        out += [
            "",
            f"### {unit}.service",
            "[Unit]",
            f"Description=briefgen: build and publish briefing {b.name}",
            "Wants=network-online.target",
            "After=network-online.target",
            "",
            "[Service]",
            "Type=oneshot",
            f"WorkingDirectory={workdir}",
            f"ExecStart={_command(config, b.name)} --reports {shlex.quote(str(reports_dir))}",
            "",
            f"### {unit}.timer",
            "[Unit]",
            f"Description=briefgen schedule for {b.name} (cron: {b.schedule}, {b.timezone})",
            "",
            "[Timer]",
            *(f"OnCalendar={c}" for c in calendars),
            "Persistent=true",
            "",
            "[Install]",
            "WantedBy=timers.target",
        ]
    if len(out) == 4:
        out.append("# (no briefing has a 'schedule')")
    return "\n".join(out) + "\n"
