"""The ``briefgen`` command: parses options, calls the library, maps errors to one line.

Exit codes, the same for every command:

====  =====================================================================================
0     success
1     the command ran and did not succeed: a briefing not built or not published, a failed
      check or verification, bad or missing input or config (``Error: <one line>``)
2     the command line is wrong: unknown command or option, missing or invalid argument
3     internal error, a bug in briefgen (still one ``Error:`` line, never a traceback)
130   interrupted (Ctrl-C)
====  =====================================================================================
"""

from __future__ import annotations

import errno
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import click

from briefgen import __version__
from briefgen import log as logs
from briefgen.errors import BriefgenError, one_line
from briefgen.spec import (
    FORMATS,
    Limits,
    Targets,
    format_size,
    parse_formats,
    parse_size,
    spec_from_flags,
)

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class Failed(click.ClickException):
    """``Error: <message>``, exit 1: bad input, or a briefing or check that did not succeed."""

    exit_code = EXIT_FAILED


class UsageProblem(click.ClickException):
    """``Error: <message>``, exit 2: an option value the command cannot use (one line, no usage
    text, unlike click's own usage errors, which also exit 2)."""

    exit_code = EXIT_USAGE


class InternalError(click.ClickException):
    """``Error: internal error: ...``, exit 3: anything but a :class:`BriefgenError` escaped."""

    exit_code = EXIT_INTERNAL


class BriefgenGroup(click.Group):
    """The command group: every command's errors end as one ``Error:`` line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BriefgenError as exc:
            raise Failed(one_line(exc)) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader of our output went away: click's exit 1
                raise
            raise _internal(exc) from exc
        except Exception as exc:  # a bug: still one line, and its own exit code
            raise _internal(exc) from exc


def _internal(exc: Exception) -> InternalError:
    log.debug("unexpected error", exc_info=True)  # the traceback, with -vv
    return InternalError(f"internal error: {exc.__class__.__name__}: {one_line(exc)}")


def _count_verbosity(ctx: click.Context, param: click.Parameter, value: int) -> None:
    """``-v``/``-q`` before or after the command name add up; logging follows at once."""
    root = ctx.find_root()
    if "briefgen.verbosity" not in root.meta:
        root.meta["briefgen.verbosity"] = 0
        root.call_on_close(logs.unconfigure)
    root.meta["briefgen.verbosity"] += value if param.name == "verbose" else -value
    logs.configure(root.meta["briefgen.verbosity"])


def _verbosity() -> int:
    return int(click.get_current_context().find_root().meta.get("briefgen.verbosity", 0))


def verbosity_options(func: F) -> F:
    """``-v``/``-q``, on the group and on every command (``briefgen build -v`` as well)."""
    func = click.option(
        "-q",
        "--quiet",
        count=True,
        expose_value=False,
        callback=_count_verbosity,
        help="Print only errors and the result (no warnings, no stage lines).",
    )(func)
    func = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=_count_verbosity,
        help="Also log briefgen's own steps (-vv: debug detail).",
    )(func)
    return func


class _InputPath(click.Path):
    """A file or folder to read: a missing one is bad input (exit 1, one line), as in ``build``."""

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True) -> None:
        super().__init__(path_type=Path, file_okay=file_okay, dir_okay=dir_okay)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(value)
        if not path.exists():
            raise Failed(f"{value}: no such file or folder")
        if path.is_dir() and not self.dir_okay:
            raise Failed(f"{value}: a folder, not a file")
        if not path.is_dir() and not self.file_okay:
            raise Failed(f"{value}: not a folder")
        return super().convert(value, param, ctx)


def _parse_formats(value: str) -> tuple[str, ...]:
    try:
        return parse_formats(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--formats") from None


def targets_options(func: F) -> F:
    """The readability and length targets, shared by ``build`` and ``check``."""
    d = Targets()
    func = click.option(
        "--max-pages",
        type=click.IntRange(1),
        default=d.max_pages,
        show_default=True,
        help="Most pages the PDF may have.",
    )(func)
    func = click.option(
        "--max-key-point-words",
        type=click.IntRange(5),
        default=d.max_key_point_words,
        show_default=True,
        help="Longest key point or bottom line, in words: longer sentences are not chosen.",
    )(func)
    func = click.option(
        "--max-grade",
        type=float,
        default=d.max_grade,
        show_default=True,
        help="Flesch-Kincaid grade target of bottom line and key points: easier sentences "
        "are preferred; a briefing over it is published with a warning.",
    )(func)
    func = click.option(
        "--strict",
        is_flag=True,
        help="Refuse to publish a briefing that misses the grade target (default: warn).",
    )(func)
    return func


class _Size(click.ParamType):
    """A byte count: 5000000, 500kB, 5MB, 1GB (see briefgen.spec.parse_size)."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            size = parse_size(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if size < 1:
            self.fail(f"{value!r} must be at least 1 byte", param, ctx)
        return size


def limits_options(func: F) -> F:
    """Input limits of ``build`` (defaults and meaning: briefgen.spec.Limits, docs/limits.md)."""
    d = Limits()
    func = click.option(
        "--max-sentences",
        type=click.IntRange(1),
        default=d.max_sentences,
        show_default=True,
        help="Sentences ranked at most; beyond it the ones "
        "nearest the top of their articles are kept, with a warning.",
    )(func)
    func = click.option(
        "--max-total-size",
        type=_Size(),
        default=d.max_total_size,
        show_default=format_size(d.max_total_size),
        help="Most bytes of all inputs together (e.g. 500MB).",
    )(func)
    func = click.option(
        "--max-file-size",
        type=_Size(),
        default=d.max_file_size,
        show_default=format_size(d.max_file_size),
        help="Most bytes of one input file; bigger files are skipped with a warning (e.g. 20MB).",
    )(func)
    return func


def _parse_now(text: str | None) -> datetime | None:
    """``--now`` / ``BRIEFGEN_NOW``: an ISO 8601 time; without a zone it is UTC."""
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint="--now") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@click.group(cls=BriefgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@verbosity_options
def main() -> None:
    """briefgen turns news articles on one topic into a cited policy briefing.

    Every sentence a briefing shows is copied from a source article (word for word, or
    shortened by deletion only) and cites the article and sentence it came from.

    Exit codes: 0 success; 1 failed (a briefing not published, a failed check, bad input);
    2 wrong command line; 3 internal error; 130 interrupted.
    """


def _output_folder(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    if str(value) == "-":
        raise UsageProblem("-o -: writing to standard output is not supported; give a folder")
    return value


@dataclass(frozen=True)
class Finished:
    """A command's result when the process may end at once: see :func:`exit_fast`."""

    code: int = EXIT_OK


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("reports"),
    show_default=True,
    callback=_output_folder,
    help="Folder the briefing files are written to.",
)
@click.option("--title", help="Briefing title (default: taken from the articles).")
@click.option(
    "--formats",
    default=",".join(FORMATS),
    show_default=True,
    help="Comma-separated output formats.",
)
@click.option(
    "--template-dir",
    type=_InputPath(file_okay=False),
    help="Folder of your own templates (briefing.html.j2, briefing.css, briefing.md.j2, "
    "reference.docx); missing ones fall back to the built-in templates.",
)
@click.option(
    "--name",
    "basename",
    default="briefing",
    show_default=True,
    help="File name (without extension) of the outputs.",
)
@click.option(
    "--previous",
    type=_InputPath(dir_okay=False),
    help="The previous edition's briefing JSON: adds a 'What changed' section.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(0),
    default=0,
    show_default="0: all cores",
    help="Processes for reading, sentence splitting, extraction and the PDF; the "
    "briefing is identical for any value.",
)
@click.option(
    "--now",
    "now_text",
    envvar="BRIEFGEN_NOW",
    metavar="ISO-TIME",
    help="Fix the briefing's generated_at time (reproducible builds); also read from BRIEFGEN_NOW.",
)
@targets_options
@limits_options
@verbosity_options
def build(
    paths: Sequence[str],
    output: Path,
    title: str | None,
    formats: str,
    template_dir: Path | None,
    basename: str,
    max_grade: float,
    max_key_point_words: int,
    max_pages: int,
    strict: bool,
    max_file_size: int,
    max_total_size: int,
    max_sentences: int,
    previous: Path | None = None,
    jobs: int = 0,
    now_text: str | None = None,
) -> Finished:
    """Build a briefing from PATHS (files, folders or globs of .txt, .md, .html)."""
    from briefgen.base.parallel import resolve_jobs
    from briefgen.render import worker

    started = time.perf_counter()
    spec = spec_from_flags(
        title=title,
        formats=_parse_formats(formats),
        template_dir=template_dir,
        basename=basename,
        now=_parse_now(now_text),
        jobs=jobs,
        max_grade=max_grade,
        max_key_point_words=max_key_point_words,
        max_pages=max_pages,
        strict=strict,
        max_file_size=max_file_size,
        max_total_size=max_total_size,
        max_sentences=max_sentences,
    )
    # Forked before the pipeline is imported, so WeasyPrint loads meanwhile (render.worker).
    with (
        _stage_lines(started) as progress,
        worker.start(spec.formats, spec.template_dir, resolve_jobs(jobs)) as helper,
    ):
        from briefgen.service.build import build as run_build

        result = run_build(
            list(paths), output, spec, progress, helper=helper, previous=_load_previous(previous)
        )
    for warning in result.warnings:
        log.warning("%s", warning)
    b = result.briefing
    click.echo(
        f"Wrote {len(result.paths)} files to {output}/ ({', '.join(p.name for p in result.paths)})"
        f": {len(b.sources)} sources, {len(b.key_points)} key points,"
        f" {time.perf_counter() - started:.1f} s"
    )
    # Every output is written atomically and closed, and the helper process has exited.
    return Finished()


@contextmanager
def _stage_lines(started: float) -> Iterator[Callable[[str], None]]:
    """A build's stages on stderr: one line rewritten in place on a terminal, plain lines when
    piped, none with ``-q`` (see :class:`briefgen.log.ConsoleHandler`)."""
    console = logs.console()
    if console is None:
        yield lambda _message: None
        return

    def say(message: str) -> None:
        if console.live:
            message = f"[{time.perf_counter() - started:5.1f} s] {message} ..."
        console.status(message)

    if console.live:
        console.status(f"[{time.perf_counter() - started:5.1f} s] reading the inputs ...")
    try:
        yield say
    finally:
        console.end_status()


@main.command()
@click.argument("file", type=_InputPath(dir_okay=False))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the article with its metadata as JSON."
)
@verbosity_options
def extract(file: Path, as_json: bool) -> None:
    """Print one article as the pipeline sees it: the cleaned body text."""
    from briefgen.ingest.read import read_article

    article = read_article(file)
    if as_json:
        click.echo(article.model_dump_json(indent=2))
    else:
        click.echo(article.text)


@main.command("check")
@click.argument("report", type=_InputPath())
@targets_options
@verbosity_options
def check_command(
    report: Path, max_grade: float, max_key_point_words: int, max_pages: int, strict: bool
) -> None:
    """Re-read a rendered briefing (folder, or its JSON/PDF/DOCX) and check it.

    Checks that every sentence shown is in the model and faithful to its cited source, every
    citation resolves, the sources listed match, the readability targets hold and the PDF fits
    its page budget.  Exits 1 when a check fails.
    """
    from briefgen.check.gate import check_report, format_table

    targets = Targets(max_grade, max_key_point_words, max_pages, strict)
    _, results = check_report(report, targets)
    click.echo(format_table(results))
    failed = [r for r in results if r.failed]
    if failed:
        raise Failed(
            f"{len(failed)} of {len(results)} checks failed: {failed[0].name}: {failed[0].detail}"
        )


def _load_previous(path: Path | None) -> Any:
    from briefgen.extract.changes import load_previous

    return load_previous(path) if path is not None else None


@main.command()
@click.argument("briefing", type=_InputPath(dir_okay=False))
@click.argument("paths", nargs=-1, required=True)
@verbosity_options
def verify(briefing: Path, paths: Sequence[str]) -> None:
    """Check BRIEFING.json against its sources PATHS: every shown sentence must be the text at
    the span it cites (or that text with words deleted).  Exits 1 on any mismatch."""
    from briefgen.check.verify import format_report
    from briefgen.check.verify import verify as run_verify
    from briefgen.extract.changes import load_previous

    report = run_verify(load_previous(briefing), list(paths))
    click.echo(format_report(report))
    if not report.ok:
        raise click.exceptions.Exit(EXIT_FAILED)


@main.command()
@verbosity_options
def schema() -> None:
    """Print the JSON Schema of the briefing JSON."""
    from briefgen.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


# --------------------------------------------------------------------------- scheduled briefings

_CONFIG_ARG = click.argument("config", type=_InputPath(dir_okay=False))
_REPORTS_OPT = click.option(
    "--reports",
    type=click.Path(path_type=Path, file_okay=False),
    help="Reports folder (default: the config's reports_dir, or reports/ beside the config).",
)


def _check_executor(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    from briefgen.service.executor import parse_executor

    try:
        parse_executor(value)
    except BriefgenError as exc:
        raise click.BadParameter(one_line(exc)) from None
    return value


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
    callback=_check_executor,
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
@verbosity_options
def run(
    config: Path,
    names: Sequence[str],
    reports: Path | None,
    force: bool,
    executor: str = "local",
    jobs: int | None = None,
    now_text: str | None = None,
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

    def report(outcome: RunOutcome) -> None:
        nonlocal failed
        for warning in outcome.warnings:
            log.warning("%s: %s", outcome.briefing, warning)
        click.echo(outcome.line)
        failed += not outcome.ok

    # One call per briefing, the unit the executor dispatches; workers get absolute paths.
    reports_dir = reports.resolve() if reports is not None else None
    runner = partial(run_briefing, jobs=jobs)  # picklable, for a pool or a Dask worker
    run_many(cfg, chosen, reports_dir, force, executor, now=now, runner=runner, on_outcome=report)
    if failed:
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
                r.edition or r.error or "",
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        cells = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]))


def exit_fast(code: int = EXIT_OK) -> None:
    """End the process now, skipping the interpreter's teardown (as mypy does).

    Why: after a build, freeing numpy, SciPy and pydantic module state takes ~0.1-0.25 s, a
    sixth of a cold seed build, and helps nobody.  Safe only when the command says so by
    returning :class:`Finished` (``build``, once every output file is written atomically and
    closed and the helper process has exited); logging and stdout/stderr are flushed first.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def entry() -> None:
    """The ``briefgen`` console script: click's standalone behaviour, and :func:`exit_fast`
    when the command returned :class:`Finished`.  Exit codes: see the module docstring."""
    try:
        result = main.main(standalone_mode=False)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted!", err=True)
        sys.exit(EXIT_FAILED)
    if isinstance(result, Finished):
        exit_fast(result.code)
    sys.exit(result if isinstance(result, int) else EXIT_OK)


if __name__ == "__main__":  # pragma: no cover
    entry()
