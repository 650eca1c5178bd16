"""The ``briefgen`` command: parses options, calls the library, maps errors to one line.

Every :class:`BriefgenError` becomes ``Error: <one line>`` and exit code 1; anything else that
escapes the library is reported the same way (exit code 2) rather than as a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from briefgen import __version__
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


def friendly_errors(func: F) -> F:
    """Report library errors as one line with a non-zero exit, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BriefgenError as exc:
            raise click.ClickException(one_line(exc)) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: still one line, and a distinct exit code
            logging.getLogger("briefgen").debug("unexpected error", exc_info=True)
            click.echo(
                f"Error: internal error: {exc.__class__.__name__}: {one_line(exc)}", err=True
            )
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefgen")
@click.option("-v", "--verbose", count=True, help="Log each stage (-vv for debug detail).")
def main(verbose: int) -> None:
    """briefgen turns news articles on one topic into a cited policy briefing.

    Every sentence a briefing shows is copied from a source article (word for word, or
    shortened by deletion only) and cites the article and sentence it came from.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("reports"),
    show_default=True,
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
    type=click.Path(path_type=Path, file_okay=False),
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
@click.option("-q", "--quiet", is_flag=True, help="Print only the final summary line.")
@click.option(
    "--previous",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
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
@friendly_errors
def build(
    paths: Sequence[str],
    output: Path,
    title: str | None,
    formats: str,
    template_dir: Path | None,
    basename: str,
    quiet: bool,
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
) -> None:
    """Build a briefing from PATHS (files, folders or globs of .txt, .md, .html)."""
    from briefgen.base.parallel import resolve_jobs
    from briefgen.render import worker

    started = time.perf_counter()
    if template_dir is not None and not template_dir.is_dir():
        raise click.BadParameter(f"{template_dir}: not a folder", param_hint="--template-dir")
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
    with worker.start(spec.formats, spec.template_dir, resolve_jobs(jobs)) as helper:
        from briefgen.service.build import build as run_build

        def progress(message: str) -> None:
            if not quiet:
                click.echo(f"  {message}", err=True)

        result = run_build(
            list(paths), output, spec, progress, helper=helper, previous=_load_previous(previous)
        )
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    b = result.briefing
    click.echo(
        f"Wrote {len(result.paths)} files to {output}/ ({', '.join(p.name for p in result.paths)})"
        f": {len(b.sources)} sources, {len(b.key_points)} key points,"
        f" {time.perf_counter() - started:.1f} s"
    )
    global _finished_build
    _finished_build = True


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the article with its metadata as JSON."
)
@friendly_errors
def extract(file: Path, as_json: bool) -> None:
    """Print one article as the pipeline sees it: the cleaned body text."""
    from briefgen.ingest.read import read_article

    article = read_article(file)
    if as_json:
        click.echo(article.model_dump_json(indent=2))
    else:
        click.echo(article.text)


@main.command("check")
@click.argument("report", type=click.Path(path_type=Path, exists=True))
@targets_options
@friendly_errors
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
        raise click.ClickException(
            f"{len(failed)} of {len(results)} checks failed: {failed[0].name}: {failed[0].detail}"
        )


def _load_previous(path: Path | None) -> Any:
    from briefgen.extract.changes import load_previous

    return load_previous(path) if path is not None else None


@main.command()
@click.argument("briefing", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.argument("paths", nargs=-1, required=True)
@friendly_errors
def verify(briefing: Path, paths: Sequence[str]) -> None:
    """Check BRIEFING.json against its sources PATHS: every shown sentence must be the text at
    the span it cites (or that text with words deleted).  Exits 1 on any mismatch."""
    from briefgen.check.verify import format_report
    from briefgen.check.verify import verify as run_verify
    from briefgen.extract.changes import load_previous

    report = run_verify(load_previous(briefing), list(paths))
    click.echo(format_report(report))
    if not report.ok:
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the briefing JSON."""
    from briefgen.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


# --------------------------------------------------------------------------- scheduled briefings

_CONFIG_ARG = click.argument("config", type=click.Path(path_type=Path, dir_okay=False))
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
    help="Where the briefings are built: 'local' (a process pool on this machine) or the Dask "
    "cluster whose scheduler is at HOST:PORT (sources and reports on a shared filesystem).",
)
@friendly_errors
def run(
    config: Path,
    names: Sequence[str],
    reports: Path | None,
    force: bool,
    executor: str = "local",
) -> None:
    """Run the briefings of CONFIG once, now: one line each (published, skipped or failed)."""
    from briefgen.service.config import load_config
    from briefgen.service.executor import run_many
    from briefgen.service.runner import RunOutcome

    cfg = load_config(config)
    chosen = [cfg.briefing(n).name for n in names] or [b.name for b in cfg.briefings]
    failed = 0

    def report(outcome: RunOutcome) -> None:
        nonlocal failed
        for warning in outcome.warnings:
            click.echo(f"Warning: {outcome.briefing}: {warning}", err=True)
        click.echo(outcome.line)
        failed += not outcome.ok

    # One call per briefing, the unit the executor dispatches; workers get absolute paths.
    reports_dir = reports.resolve() if reports is not None else None
    run_many(cfg, chosen, reports_dir, force, executor, on_outcome=report)
    if failed:
        sys.exit(1)


@main.command()
@_CONFIG_ARG
@_REPORTS_OPT
@click.option(
    "--print",
    "print_as",
    type=click.Choice(["cron", "systemd"]),
    help="Print crontab lines or systemd units for the OS scheduler instead of running.",
)
@friendly_errors
def schedule(config: Path, reports: Path | None, print_as: str | None) -> None:
    """Run the briefings of CONFIG on their schedules until stopped (Ctrl-C or SIGTERM).

    Logs to <reports>/briefgen.log and the console.
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
        sched.serve(cfg, reports_dir)


@main.command()
@_CONFIG_ARG
@click.option("--briefing", "name", help="Only this briefing.")
@_REPORTS_OPT
@click.option("-n", "--limit", default=20, show_default=True, help="Most recent runs shown.")
@friendly_errors
def history(config: Path, name: str | None, reports: Path | None, limit: int) -> None:
    """List past runs of the briefings of CONFIG, newest first."""
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
    table = [("started", "briefing", "status", "secs", "articles", "new", "edition / error")]
    for r in rows:
        secs = f"{(r.finished - r.started).total_seconds():.0f}" if r.finished else ""
        table.append(
            (
                r.started.astimezone().strftime("%Y-%m-%d %H:%M"),
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


_finished_build = False
"""Set when ``build`` has published and closed everything: :func:`entry` may then skip teardown."""


def entry() -> None:
    """The ``briefgen`` console script.

    After a successful build the interpreter's teardown (freeing numpy, SciPy and pydantic
    module state: ~0.1-0.25 s, a sixth of a cold seed build) is skipped with ``os._exit``, as
    mypy does.  Safe there: every output file is written atomically and closed, the helper
    process has exited, and stdout/stderr are flushed first.  Other commands exit normally.
    """
    import os

    try:
        main()
    except SystemExit as exc:
        if not _finished_build:
            raise
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    else:  # pragma: no cover - click's standalone mode always raises SystemExit
        code = 0
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
