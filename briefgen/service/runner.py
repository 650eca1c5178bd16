"""One run of one briefing: gather, compare with the last report, build, publish safely.

:func:`run_briefing` is the unit every scheduler dispatches (``briefgen run``, APScheduler,
cron, systemd, later a process pool or Dask): its arguments are picklable, it opens its own
state connection, and it never raises for a failed run; it returns a :class:`RunOutcome`, so
one broken briefing cannot take down the scheduler or the other briefings.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from briefgen.base.budget import run_limits
from briefgen.base.cache import opened
from briefgen.base.parallel import resolve_jobs
from briefgen.errors import BriefgenError, one_line
from briefgen.ingest.fetch import gather
from briefgen.model import Briefing
from briefgen.pipeline import NewSince, build_edition
from briefgen.render import worker
from briefgen.service.config import BriefingConfig, Config, load_config
from briefgen.service.deliver import deliver
from briefgen.service.feed import write_feeds
from briefgen.service.publish import (
    LockBusy,
    briefing_lock,
    editions,
    new_staging,
    prune,
    publish_edition,
    sweep,
    write_index,
)
from briefgen.service.state import CACHE_DIR, STATE_FILE, State

__all__ = ["RunOutcome", "run_briefing", "state_path", "with_deliveries", "with_feeds"]

log = logging.getLogger(__name__)

Status = Literal["published", "skipped", "failed"]


@dataclass(frozen=True)
class RunOutcome:
    """What happened to one briefing in one run (picklable, for process pools)."""

    briefing: str
    status: Status
    message: str = ""
    edition: Path | None = None
    articles: int = 0
    new: int = 0
    warnings: tuple[str, ...] = ()
    removed: tuple[str, ...] = field(default=())
    deliveries: tuple[str, ...] = ()  # one line per email or webhook sent or failed
    undelivered: int = 0  # deliveries that failed in this run (retried by the next)

    @property
    def ok(self) -> bool:
        return self.status != "failed" and not self.undelivered

    @property
    def line(self) -> str:
        """The one line ``briefgen run`` prints for this briefing."""
        if self.status == "published":
            return (
                f"{self.briefing}: published {self.edition} ({self.articles} articles, "
                f"{self.new} new)"
            )
        return f"{self.briefing}: {self.status}: {self.message}"


def state_path(reports_dir: Path) -> Path:
    return reports_dir / STATE_FILE


def cache_path(reports_dir: Path) -> Path:
    """The article cache of the runs of a reports folder, in the state folder."""
    return reports_dir / CACHE_DIR


def run_briefing(
    config: Config | str | Path,
    briefing_name: str,
    reports_dir: Path | str | None = None,
    force: bool = False,
    *,
    now: datetime | None = None,
    jobs: int | None = None,
) -> RunOutcome:
    """Run one briefing once; never raises for a failed run (see the module docstring).

    ``now`` fixes the clock (soak tests, reproducible builds); it is used for the edition name,
    the state records and the briefing date.  ``jobs`` overrides the briefing's ``jobs``
    (processes for its build, 0: all cores; ``briefgen run --jobs``).

    What happened, warnings included, is in the outcome, not logged: the caller reports it
    (``briefgen run`` prints it, the scheduler logs it), so each event is told once.
    """
    try:
        cfg = config if isinstance(config, Config) else load_config(config)
        b = cfg.briefing(briefing_name)
    except BriefgenError as exc:
        return RunOutcome(briefing_name, "failed", one_line(exc))
    reports = Path(reports_dir) if reports_dir is not None else cfg.reports_dir
    folder = reports / b.name

    def clock() -> datetime:
        return now if now is not None else datetime.now(UTC)

    try:
        with briefing_lock(folder, b.lock_wait):
            outcome = with_feeds(cfg, reports, _locked_run(b, reports, folder, force, clock, jobs))
            outcome = with_deliveries(cfg, b, reports, outcome, clock())
    except LockBusy as exc:
        outcome = RunOutcome(b.name, "skipped", str(exc))
    except BriefgenError as exc:
        outcome = RunOutcome(b.name, "failed", one_line(exc))
    if outcome.status == "published":
        return outcome  # wrote the index itself
    return _heal_index(outcome, reports, clock().astimezone(ZoneInfo(b.timezone)))


def _heal_index(outcome: RunOutcome, reports: Path, now: datetime) -> RunOutcome:
    """Rebuild ``index.html`` from the folders after a skipped or failed run too, so an index
    left stale by a publish that was killed before it wrote the index heals at the next run."""
    if not reports.is_dir():
        return outcome
    try:
        write_index(reports, now)
    except BriefgenError as exc:
        return replace(outcome, warnings=(*outcome.warnings, f"index not updated: {one_line(exc)}"))
    return outcome


def with_feeds(cfg: Config, reports: Path, outcome: RunOutcome) -> RunOutcome:
    """After a publish, the Atom feeds of editions beside index.html (service/feed.py)."""
    if outcome.status != "published":
        return outcome
    try:
        write_feeds(reports, cfg.reports_url)
    except BriefgenError as exc:
        return replace(outcome, warnings=(*outcome.warnings, f"feeds not updated: {one_line(exc)}"))
    return outcome


def with_deliveries(
    cfg: Config, b: BriefingConfig, reports: Path, outcome: RunOutcome, now: datetime
) -> RunOutcome:
    """Send what is due (service/deliver.py) after a run, under its lock; the run's outcome
    gains one line per delivery and counts the failed ones."""
    if not (b.email_to or b.webhook_url):
        return outcome
    with State(state_path(reports)) as state:
        runs = state.runs(b.name, 1)
    try:
        report = deliver(cfg, b, reports, now, runs[0].id if runs else None)
    except Exception as exc:  # the edition is published; a bug here must not hide that
        log.debug("%s: delivery error", b.name, exc_info=True)
        line = f"{b.name}: delivery failed: {exc.__class__.__name__}: {one_line(exc)}"
        return replace(outcome, deliveries=(line,), undelivered=1)
    return replace(outcome, deliveries=report.lines, undelivered=report.failed)


def _latest_briefing(folder: Path, name: str) -> Briefing | None:
    """The published edition's briefing, for the "what changed" section; None if unreadable."""
    path = folder / "latest" / f"{name}.json"
    try:
        return Briefing.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("%s: previous edition not compared: %s", name, one_line(exc))
        return None


@dataclass
class _Seen:
    """What a run has gathered so far, for the outcome of a run that fails later."""

    articles: int = 0
    new: int = 0
    warnings: tuple[str, ...] = ()


def _locked_run(
    b: BriefingConfig,
    reports: Path,
    folder: Path,
    force: bool,
    clock: Callable[[], datetime],
    jobs: int | None,
) -> RunOutcome:
    started = clock()
    sweep(folder)  # we hold the lock: any temp folder is a dead run's
    with State(state_path(reports)) as state:
        if state.mark_interrupted(b.name, started):
            log.warning("%s: the previous run was interrupted", b.name)
        run_id = state.start_run(b.name, started)
        seen = _Seen()
        limits = b.limits
        try:
            with run_limits(limits.max_run_seconds, limits.max_memory, f"run of {b.name}"):
                return _build_and_publish(
                    b, reports, folder, force, clock, state, run_id, seen, jobs
                )
        except BriefgenError as exc:
            message = one_line(exc)
        except Exception as exc:  # a bug must not kill the scheduler or the other briefings
            log.debug("%s: internal error", b.name, exc_info=True)  # the traceback, at -vv
            message = f"internal error: {exc.__class__.__name__}: {one_line(exc)}"
        state.finish_run(
            run_id, clock(), "failed", articles=seen.articles, new=seen.new, error=message
        )
        return RunOutcome(b.name, "failed", message, articles=seen.articles, warnings=seen.warnings)


def _build_and_publish(
    b: BriefingConfig,
    reports: Path,
    folder: Path,
    force: bool,
    clock: Callable[[], datetime],
    state: State,
    run_id: int,
    seen: _Seen,
    jobs_override: int | None,
) -> RunOutcome:
    """Gather, skip or build through the one build route, publish an edition, record it."""
    started = clock()
    spec = b.spec(now=started)
    if jobs_override is not None:
        spec = replace(spec, jobs=jobs_override)
    if b.cache:
        spec = replace(spec, cache=cache_path(reports))
    jobs = resolve_jobs(spec.jobs)
    with (
        worker.start(spec.formats, spec.template_dir, jobs) as helper,
        opened(spec.cache, spec.cache_size) as cache,
    ):
        gathered = gather(b.name, b.sources, b.feeds, spec, jobs=jobs, cache=cache)
        seen.articles = len(gathered.articles)
        seen.warnings = tuple(gathered.warnings)
        new = state.unseen(b.name, [a.sha256 for a in gathered.articles])
        seen.new = len(new)
        previous = state.last_published(b.name)
        has_edition = bool(editions(folder))
        if not new and not force and b.on_nothing_new == "skip" and has_edition:
            state.finish_run(
                run_id, clock(), "skipped", articles=seen.articles, new=0, error="nothing new"
            )
            return RunOutcome(
                b.name, "skipped", "nothing new", articles=seen.articles, warnings=seen.warnings
            )
        staging = new_staging(folder)
        try:
            edition = build_edition(
                gathered,
                spec,
                staging,
                folder,
                previous=_latest_briefing(folder, b.name) if has_edition else None,
                new=NewSince(new, previous) if has_edition and previous is not None else None,
                helper=helper,
                progress=lambda stage: log.info("%s: %s", b.name, stage),
                cache=cache,
            )
            published = publish_edition(staging, folder, started.astimezone(spec.tz))
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # gone after a publish: no-op
    removed = prune(folder, b.keep)
    warnings = list(edition.warnings)
    try:
        write_index(reports, started.astimezone(spec.tz))
    except BriefgenError as exc:
        warnings.append(f"index not updated: {one_line(exc)}")
    state.finish_run(
        run_id,
        clock(),
        "published",
        edition=published.name,
        outputs=[p.name for p in edition.files],
        articles=seen.articles,
        new=seen.new,
        seen=gathered.articles,
    )
    return RunOutcome(
        b.name, "published", "", published, seen.articles, seen.new, tuple(warnings),
        tuple(p.name for p in removed),
    )  # fmt: skip
