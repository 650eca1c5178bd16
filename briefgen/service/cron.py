"""Cron expressions: parsed once into explicit sets, then turned into APScheduler triggers,
crontab lines and systemd ``OnCalendar=`` values.

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

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["CronSpec", "cron_trigger", "fire_times", "on_calendar", "parse_cron"]

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
    minutes, hours, days, months = (frozenset(s) for s in sets[:4])
    return CronSpec(expr, minutes, hours, days, months, frozenset(weekdays))


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
