"""One run of one briefing: gather, compare with the last report, build, publish safely.

:func:`run_briefing` is the unit every scheduler dispatches (``briefgen run``, APScheduler,
cron, systemd, later a process pool or Dask): its arguments are picklable, it opens its own
state connection, and it never raises for a failed run; it returns a :class:`RunOutcome`, so
one broken briefing cannot take down the scheduler or the other briefings.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from briefgen.check.gate import Targets
from briefgen.errors import BriefgenError, one_line
from briefgen.model import Briefing
from briefgen.service.config import BriefingConfig, Config, load_config
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
from briefgen.service.state import STATE_FILE, State

__all__ = ["RunOutcome", "mark_new", "run_briefing", "state_path"]

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

    @property
    def ok(self) -> bool:
        return self.status != "failed"

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


def mark_new(
    briefing: Briefing, new_hashes: Collection[str], since: datetime | None, tz: object = UTC
) -> int:
    """Flag sources first seen since ``since`` and every statement citing one of them.

    Nothing is flagged on a briefing's first report: everything would be "new".
    """
    if since is None:
        return 0
    briefing.new_since = since.astimezone(tz).date()  # type: ignore[arg-type]
    new_ids = set()
    for source in briefing.sources:
        source.new = source.sha256 in new_hashes
        if source.new:
            new_ids.add(source.id)
    for _section, statement in briefing.statements():
        statement.new = any(c.article_id in new_ids for c in statement.citations)
    return len(new_ids)


def run_briefing(
    config: Config | str | Path,
    briefing_name: str,
    reports_dir: Path | str | None = None,
    force: bool = False,
    *,
    now: datetime | None = None,
) -> RunOutcome:
    """Run one briefing once; never raises for a failed run (see the module docstring).

    ``now`` fixes the clock (soak tests, reproducible builds); it is used for the edition name,
    the state records and the briefing date.
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
            return _locked_run(b, reports, folder, force, clock)
    except LockBusy as exc:
        log.info("%s: %s", b.name, exc)
        return RunOutcome(b.name, "skipped", str(exc))
    except BriefgenError as exc:
        return RunOutcome(b.name, "failed", one_line(exc))


def _targets(b: BriefingConfig) -> Targets:
    """The config's readability targets over the defaults of ``briefgen check``."""
    given = {k: v for k, v in b.readability.model_dump().items() if v is not None}
    return replace(Targets(), **given)


def _latest_briefing(folder: Path, name: str) -> Briefing | None:
    """The published edition's briefing, for the "what changed" section; None if unreadable."""
    path = folder / "latest" / f"{name}.json"
    try:
        return Briefing.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("%s: previous edition not compared: %s", name, one_line(exc))
        return None


def _locked_run(
    b: BriefingConfig, reports: Path, folder: Path, force: bool, clock: Callable[[], datetime]
) -> RunOutcome:
    from briefgen.ingest.fetch import gather
    from briefgen.pipeline import BuildOptions, check_staged, fit_pages, make_briefing
    from briefgen.render import render

    started = clock()
    sweep(folder)  # we hold the lock: any temp folder is a dead run's
    with State(state_path(reports)) as state:
        if state.mark_interrupted(b.name, started):
            log.warning("%s: the previous run was interrupted", b.name)
        run_id = state.start_run(b.name, started)
        articles = new_count = 0
        try:
            gathered = gather(b)
            articles = len(gathered.articles)
            for warning in gathered.warnings:
                log.warning("%s: %s", b.name, warning)
            new = state.unseen(b.name, [a.sha256 for a in gathered.articles])
            new_count = len(new)
            previous = state.last_published(b.name)
            has_edition = bool(editions(folder))
            if not new and not force and b.on_nothing_new == "skip" and has_edition:
                state.finish_run(
                    run_id, clock(), "skipped", articles=articles, new=0, error="nothing new"
                )
                return RunOutcome(
                    b.name,
                    "skipped",
                    "nothing new",
                    articles=articles,
                    warnings=tuple(gathered.warnings),
                )

            options = BuildOptions(
                title=b.title,
                formats=tuple(b.formats),
                template_dir=b.template_dir,
                basename=b.name,
                now=started,
                previous=_latest_briefing(folder, b.name) if has_edition else None,
                targets=_targets(b),
            )
            briefing = make_briefing(gathered.articles, gathered.dropped, options)
            mark_new(briefing, new, previous if has_edition else None, b.tz)

            staging = new_staging(folder)
            try:
                paths = render(briefing, staging, list(b.formats), b.template_dir, b.name)
                briefing, trimmed = fit_pages(briefing, staging, options)
                if trimmed:
                    log.info("%s: trimmed to fit the page budget: %s", b.name, trimmed)
                check_staged(briefing, staging, folder, options)
                edition = publish_edition(staging, folder, started.astimezone(b.tz))
            finally:
                shutil.rmtree(staging, ignore_errors=True)  # gone after a publish: no-op
            removed = prune(folder, b.keep)
            warnings = list(gathered.warnings)
            try:
                write_index(reports, started.astimezone(b.tz))
            except BriefgenError as exc:
                warnings.append(f"index not updated: {one_line(exc)}")
            state.finish_run(
                run_id,
                clock(),
                "published",
                edition=edition.name,
                outputs=[p.name for p in paths],
                articles=articles,
                new=new_count,
                seen=gathered.articles,
            )
            log.info("%s: published %s", b.name, edition)
            return RunOutcome(
                b.name,
                "published",
                "",
                edition,
                articles,
                new_count,
                tuple(warnings),
                tuple(p.name for p in removed),
            )
        except BriefgenError as exc:
            state.finish_run(
                run_id, clock(), "failed", articles=articles, new=new_count, error=one_line(exc)
            )
            log.error("%s: failed: %s", b.name, one_line(exc))
            return RunOutcome(b.name, "failed", one_line(exc), articles=articles)
        except Exception as exc:  # a bug must not kill the scheduler or the other briefings
            log.exception("%s: internal error", b.name)
            message = f"internal error: {exc.__class__.__name__}: {one_line(exc)}"
            state.finish_run(
                run_id, clock(), "failed", articles=articles, new=new_count, error=message
            )
            return RunOutcome(b.name, "failed", message, articles=articles)
