"""Commands for scheduled briefings: ``run``, ``schedule``, ``history``."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import click

from briefgen import log as logs
from briefgen.cli.common import (
    EXIT_FAILED,
    _InputPath,
    _parse_now,
    _verbosity,
    check_executor,
    log,
    main,
    verbosity_options,
)

if TYPE_CHECKING:
    from briefgen.service.config import Config

_CONFIG_ARG = click.argument("config", type=_InputPath(dir_okay=False))
_REPORTS_OPT = click.option(
    "--reports",
    type=click.Path(path_type=Path, file_okay=False),
    help="Reports folder (default: the config's reports_dir, or reports/ beside the config).",
)


@main.command()
@_CONFIG_ARG
@click.option("--briefing", "names", multiple=True, help="Run only this briefing (repeatable).")
@_REPORTS_OPT
@click.option("--force", is_flag=True, help="Build even when no article is new.")
@click.option(
    "--executor",
    default="local",
    show_default=True,
    metavar="local|dask://HOST:PORT",
    callback=check_executor,
    help="Where the briefings are built: 'local' (a process pool on this machine) or the Dask "
    "cluster whose scheduler is at HOST:PORT (sources and reports on a shared filesystem).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=None,
    show_default="the config's jobs, else 0: all cores",
    help="Processes for each briefing's reading, sentence splitting, extraction and PDF, as "
    "build --jobs (overrides the config's jobs); the briefings are identical for any value.",
)
@click.option(
    "--now",
    "now_text",
    envvar="BRIEFGEN_NOW",
    metavar="ISO-TIME",
    help="Fix the run's time: edition names, state records and generated_at (reproducible "
    "runs); also read from BRIEFGEN_NOW.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would be published, emailed and posted, and do none of it.",
)
@verbosity_options
def run(
    config: Path,
    names: Sequence[str],
    reports: Path | None,
    force: bool,
    executor: str = "local",
    jobs: int | None = None,
    now_text: str | None = None,
    dry_run: bool = False,
) -> None:
    """Run the briefings of CONFIG once, now: one line each (published, skipped or failed).

    Exits 1 when any briefing failed; the others still run.
    """
    from briefgen.service.config import load_config
    from briefgen.service.executor import run_many
    from briefgen.service.runner import RunOutcome, run_briefing

    now = _parse_now(now_text)
    cfg = load_config(config)
    chosen = [cfg.briefing(n).name for n in names] or [b.name for b in cfg.briefings]
    failed = 0
    if dry_run:
        _dry_run(cfg, chosen, reports, force)
        return

    def report(outcome: RunOutcome) -> None:
        nonlocal failed
        for warning in outcome.warnings:
            log.warning("%s: %s", outcome.briefing, warning)
        click.echo(outcome.line)
        for line in outcome.deliveries:
            click.echo(line)
        failed += not outcome.ok

    # One call per briefing, the unit the executor dispatches; workers get absolute paths.
    reports_dir = reports.resolve() if reports is not None else None
    runner = partial(run_briefing, jobs=jobs)  # picklable, for a pool or a Dask worker
    run_many(cfg, chosen, reports_dir, force, executor, now=now, runner=runner, on_outcome=report)
    if failed:
        raise click.exceptions.Exit(EXIT_FAILED)


def _dry_run(cfg: Config, names: Sequence[str], reports: Path | None, force: bool) -> None:
    from briefgen.service.dryrun import plan

    ok = True
    for name in names:
        lines, fine = plan(cfg.briefing(name), reports or cfg.reports_dir, force)
        ok &= fine
        for line in lines:
            click.echo(line)
    if not ok:
        raise click.exceptions.Exit(EXIT_FAILED)


@main.command()
@_CONFIG_ARG
@_REPORTS_OPT
@click.option(
    "--print",
    "print_as",
    type=click.Choice(["cron", "systemd"]),
    help="Print crontab lines or systemd units for the OS scheduler instead of running.",
)
@verbosity_options
def schedule(config: Path, reports: Path | None, print_as: str | None) -> None:
    """Run the briefings of CONFIG on their schedules until stopped (Ctrl-C or SIGTERM).

    Logs each run (its stages, warnings and outcome) to <reports>/briefgen.log and stderr, one
    line per event; -q keeps stderr to warnings and errors, -vv adds debug detail.
    """
    from briefgen.service import schedule as sched
    from briefgen.service.config import load_config

    cfg = load_config(config)
    reports_dir = (reports or cfg.reports_dir).resolve()
    if print_as == "cron":
        click.echo(sched.crontab_lines(cfg, reports_dir), nl=False)
    elif print_as == "systemd":
        click.echo(sched.systemd_units(cfg, reports_dir), nl=False)
    else:
        log_file = sched.log_path(reports_dir)
        logs.configure(_verbosity(), log_file=log_file, service=True)
        sched.serve(cfg, reports_dir, log_file=log_file)


@main.command()
@_CONFIG_ARG
@click.option("--briefing", "name", help="Only this briefing.")
@_REPORTS_OPT
@click.option("-n", "--limit", default=20, show_default=True, help="Most recent runs shown.")
@verbosity_options
def history(config: Path, name: str | None, reports: Path | None, limit: int) -> None:
    """List past runs of the briefings of CONFIG, newest first.

    Times are in each briefing's time zone (its ``timezone``, as its edition folders are named),
    given in the header, or beside each time when the runs listed have different zones.
    """
    from briefgen.service.config import load_config
    from briefgen.service.history import delivery_notes
    from briefgen.service.runner import state_path
    from briefgen.service.state import State

    cfg = load_config(config)
    if name is not None:
        cfg.briefing(name)
    path = state_path(reports or cfg.reports_dir)
    if not path.exists():
        click.echo("No runs yet.")
        return
    with State(path) as state:
        rows = state.runs(name, limit)
        delivered = delivery_notes(state, rows)
    if not rows:
        click.echo("No runs yet.")
        return
    zones = {b.name: b.timezone for b in cfg.briefings}
    shown = {zones.get(r.briefing, "UTC") for r in rows}  # a briefing gone from the config: UTC
    one_zone = shown.pop() if len(shown) == 1 else None
    started = f"started ({one_zone})" if one_zone else "started"
    table = [(started, "briefing", "status", "secs", "articles", "new", "edition / error")]
    for r in rows:
        local = r.started.astimezone(ZoneInfo(zones.get(r.briefing, "UTC")))
        secs = f"{(r.finished - r.started).total_seconds():.0f}" if r.finished else ""
        table.append(
            (
                local.strftime("%Y-%m-%d %H:%M" if one_zone else "%Y-%m-%d %H:%M %Z"),
                r.briefing,
                r.status,
                secs,
                "" if r.articles is None else str(r.articles),
                "" if r.new is None else str(r.new),
                (r.edition or r.error or "") + delivered.get(r.id, ""),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]))
