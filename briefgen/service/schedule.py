"""When briefings run: cron expressions, the APScheduler service, and OS scheduler units.

Cron expressions are parsed here into explicit sets once, and every consumer (APScheduler,
crontab lines, systemd ``OnCalendar``) is generated from those sets.  Two traps make this
necessary rather than passing the string through:

* APScheduler 3's ``CronTrigger.from_crontab`` numbers weekdays from Monday = 0, so
  ``0 7 * * 1-5`` would fire Tuesday to Saturday.  Weekdays are handed over as names.
* Cron fires when *either* day-of-month or day-of-week matches if both are restricted;
  APScheduler and systemd require both.  Such expressions become two triggers (or two
  ``OnCalendar=`` lines) combined with OR.
"""

from __future__ import annotations

import logging
import logging.handlers
import shlex
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "CronSpec",
    "build_scheduler",
    "cron_trigger",
    "crontab_lines",
    "fire_times",
    "parse_cron",
    "serve",
    "systemd_units",
]

log = logging.getLogger(__name__)

_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
# (name, low, high, names for low..)
_FIELDS = (
    ("minute", 0, 59, None),
    ("hour", 0, 23, None),
    ("day of month", 1, 31, None),
    ("month", 1, 12, _MONTHS),
    ("day of week", 0, 7, _DAYS),
)


@dataclass(frozen=True)
class CronSpec:
    """A five-field cron expression as explicit sets (weekday 0 = Sunday, as in cron)."""

    expr: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]

    @property
    def day_or(self) -> bool:
        """Both day fields restricted: cron fires on days matching either."""
        return len(self.days) < 31 and len(self.weekdays) < 7


def _value(text: str, low: int, names: list[str] | None) -> int:
    if names and text.lower() in names:
        return names.index(text.lower()) + (1 if low == 1 else 0)
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a number")
    return int(text)


def _field(text: str, name: str, low: int, high: int, names: list[str] | None) -> set[int]:
    values: set[int] = set()
    for part in text.split(","):
        base, _, step_text = part.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"{name}: bad step {step_text!r}")
            step = int(step_text)
        if base == "*":
            start, end = low, high
        elif "-" in base:
            a, _, b = base.partition("-")
            start, end = _value(a, low, names), _value(b, low, names)
        else:
            start = _value(base, low, names)
            end = high if step_text else start
        if not (low <= start <= high and low <= end <= high) or start > end:
            raise ValueError(f"{name}: {part!r} is outside {low}-{high}")
        values.update(range(start, end + 1, step))
    return values


def parse_cron(expr: str) -> CronSpec:
    """Validate with croniter, then keep to what every scheduler here can run exactly.

    Raises ValueError with a reason fit for a config error message.
    """
    from croniter import croniter

    text = " ".join(expr.split())
    if not croniter.is_valid(text):
        raise ValueError(f"invalid cron expression {expr!r}")
    text = _MACROS.get(text.lower(), text)
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(f"cron expression {expr!r} needs 5 fields (minute hour day month weekday)")
    try:
        sets = [_field(f, *spec) for f, spec in zip(fields, _FIELDS, strict=True)]
    except ValueError as exc:
        raise ValueError(
            f"cron expression {expr!r} is not supported here ({exc}); use "
            "numbers, names, '*', ranges, lists and steps"
        ) from None
    weekdays = {0 if d == 7 else d for d in sets[4]}
    return CronSpec(expr, *map(frozenset, sets[:4]), frozenset(weekdays))


# --------------------------------------------------------------------------- APScheduler


def _list(values: frozenset[int], full: int) -> str:
    return "*" if len(values) == full else ",".join(map(str, sorted(values)))


def cron_trigger(expr: str, timezone: ZoneInfo | str) -> Any:
    """An APScheduler trigger firing exactly when cron would (see the module docstring)."""
    from apscheduler.triggers.combining import OrTrigger
    from apscheduler.triggers.cron import CronTrigger

    tz = ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    spec = parse_cron(expr)
    minute, hour, month = _list(spec.minutes, 60), _list(spec.hours, 24), _list(spec.months, 12)
    days = _list(spec.days, 31)
    weekdays = "*" if len(spec.weekdays) == 7 else ",".join(_DAYS[d] for d in sorted(spec.weekdays))

    def one(day: str, weekday: str) -> CronTrigger:
        return CronTrigger.from_crontab(f"{minute} {hour} {day} {month} {weekday}", timezone=tz)

    if spec.day_or:
        return OrTrigger([one(days, "*"), one("*", weekdays)])
    return one(days, weekdays)


def fire_times(trigger: Any, start: datetime, count: int) -> list[datetime]:
    """The next ``count`` fire times from ``start``: what the scheduler would do."""
    out: list[datetime] = []
    previous = None
    now = start
    while len(out) < count:
        nxt = trigger.get_next_fire_time(previous, now)
        if nxt is None:
            break
        out.append(nxt)
        previous, now = nxt, nxt + timedelta(seconds=1)
    return out


Runner = Callable[..., Any]


def build_scheduler(
    config: Any,
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
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    from briefgen.service.runner import run_briefing

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
    run = runner or run_briefing
    for b in config.briefings:
        if not b.schedule:
            continue
        scheduler.add_job(
            _job,
            trigger=cron_trigger(b.schedule, b.timezone),
            args=(run, config, b.name, reports_dir),
            id=b.name,
            name=f"briefing {b.name}",
            replace_existing=True,
        )
    return scheduler


_running: set[str] = set()
_running_lock = threading.Lock()


def _job(run: Runner, config: Any, name: str, reports_dir: Path) -> Any:
    with _running_lock:
        _running.add(name)
    try:
        outcome = run(config, name, reports_dir, False)
        level = logging.ERROR if getattr(outcome, "status", "") == "failed" else logging.INFO
        log.log(level, "%s", getattr(outcome, "line", outcome))
        return outcome
    except Exception:
        log.exception("%s: run crashed", name)
        raise
    finally:
        with _running_lock:
            _running.discard(name)


def setup_logging(reports_dir: Path) -> Path:
    """Log to ``<reports>/briefgen.log`` (rotated) and the console."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / "briefgen.log"
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    root = logging.getLogger()
    for handler in (
        logging.handlers.RotatingFileHandler(
            path, maxBytes=5_000_000, backupCount=3, encoding="utf-8"
        ),
        logging.StreamHandler(sys.stderr),
    ):
        handler.setFormatter(fmt)
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return path


def serve(config: Any, reports_dir: Path) -> None:
    """Run the scheduler until SIGINT/SIGTERM, then let running briefings finish."""
    log_path = setup_logging(reports_dir)
    scheduler = build_scheduler(config, reports_dir)
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
        log.info(
            "scheduler started (config %s, reports %s, log %s)", config.path, reports_dir, log_path
        )

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
    while True:
        with _running_lock:
            busy = sorted(_running)
        if not busy:
            break
        log.info("waiting for %s to finish", ", ".join(busy))
        time.sleep(1)
    log.info("scheduler stopped")


# --------------------------------------------------------------------------- OS schedulers


def _command(config: Any, name: str) -> str:
    """The full path of this briefgen, so the OS scheduler needs no PATH or activated venv."""
    exe = Path(sys.executable).parent / "briefgen"
    found = str(exe) if exe.exists() else shutil.which("briefgen")
    cmd = [found] if found else [sys.executable, "-m", "briefgen.cli"]
    return shlex.join([*cmd, "run", str(config.path), "--briefing", name])


def crontab_lines(config: Any, reports_dir: Path) -> str:
    """Crontab lines, one per scheduled briefing (``crontab -e`` and paste)."""
    log_file = shlex.quote(str(reports_dir / "briefgen.log"))
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


def _runs(values: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for v in values:
        if runs and v == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], v)
        else:
            runs.append((v, v))
    return runs


def _calendar_set(values: frozenset[int], low: int, high: int) -> str:
    """A systemd calendar component: ``*``, ``05``, ``00/15``, ``09..17`` or a list."""
    ordered = sorted(values)
    if len(ordered) == high - low + 1:
        return "*"
    if len(ordered) > 2:
        step = ordered[1] - ordered[0]
        if ordered == list(range(ordered[0], high + 1, step)):
            return f"{ordered[0]:02d}/{step}"
    parts = []
    for a, b in _runs(ordered):
        if b - a >= 2:
            parts.append(f"{a:02d}..{b:02d}")
        else:
            parts += [f"{v:02d}" for v in range(a, b + 1)]
    return ",".join(parts)


def _weekdays(values: frozenset[int]) -> str:
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    ordered = sorted((d - 1) % 7 for d in values)  # Monday first, as systemd
    parts = []
    for a, b in _runs(ordered):
        parts.append(
            f"{names[a]}..{names[b]}" if b - a >= 2 else ",".join(names[v] for v in range(a, b + 1))
        )
    return ",".join(parts)


def on_calendar(expr: str, timezone: str) -> list[str]:
    """systemd ``OnCalendar=`` values equivalent to a cron expression (one or two)."""
    spec = parse_cron(expr)
    time_part = f"{_calendar_set(spec.hours, 0, 23)}:{_calendar_set(spec.minutes, 0, 59)}:00"
    month = _calendar_set(spec.months, 1, 12)

    def one(days: frozenset[int], weekdays: frozenset[int]) -> str:
        dow = "" if len(weekdays) == 7 else _weekdays(weekdays) + " "
        return f"{dow}*-{month}-{_calendar_set(days, 1, 31)} {time_part} {timezone}"

    if spec.day_or:
        all_days, all_weekdays = frozenset(range(1, 32)), frozenset(range(7))
        return [one(spec.days, all_weekdays), one(all_days, spec.weekdays)]
    return [one(spec.days, spec.weekdays)]


def systemd_units(config: Any, reports_dir: Path) -> str:
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
