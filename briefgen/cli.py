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
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from briefgen import __version__
from briefgen.errors import BriefgenError

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_CHOICES = ("pdf", "docx", "html", "md", "json")


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or exc.__class__.__name__


def friendly_errors(func: F) -> F:
    """Report library errors as one line with a non-zero exit, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except BriefgenError as exc:
            raise click.ClickException(_one_line(exc)) from exc
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: still one line, and a distinct exit code
            logging.getLogger("briefgen").debug("unexpected error", exc_info=True)
            click.echo(f"Error: internal error: {exc.__class__.__name__}: {_one_line(exc)}",
                       err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def _parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMAT_CHOICES]
    if unknown or not formats:
        raise click.BadParameter(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from "
            + ",".join(FORMAT_CHOICES)
        )
    return formats


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
    "-o", "--output", type=click.Path(path_type=Path), default=Path("reports"),
    show_default=True, help="Folder the briefing files are written to.",
)
@click.option("--title", help="Briefing title (default: taken from the articles).")
@click.option(
    "--formats", default=",".join(FORMAT_CHOICES), show_default=True,
    help="Comma-separated output formats.",
)
@click.option(
    "--template-dir", type=click.Path(path_type=Path, file_okay=False),
    help="Folder of your own templates (briefing.html.j2, briefing.css, briefing.md.j2, "
    "reference.docx); missing ones fall back to the built-in templates.",
)
@click.option("--name", "basename", default="briefing", show_default=True,
              help="File name (without extension) of the outputs.")
@click.option("-q", "--quiet", is_flag=True, help="Print only the final summary line.")
@friendly_errors
def build(
    paths: Sequence[str],
    output: Path,
    title: str | None,
    formats: str,
    template_dir: Path | None,
    basename: str,
    quiet: bool,
) -> None:
    """Build a briefing from PATHS (files, folders or globs of .txt, .md, .html)."""
    from briefgen.pipeline import BuildOptions, build as run_build

    if template_dir is not None and not template_dir.is_dir():
        raise click.BadParameter(f"{template_dir}: not a folder", param_hint="--template-dir")
    options = BuildOptions(
        title=title, formats=_parse_formats(formats), template_dir=template_dir,
        basename=basename,
    )
    started = time.perf_counter()

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"  {message}", err=True)

    result = run_build(list(paths), output, options, progress)
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    b = result.briefing
    click.echo(
        f"Wrote {len(result.paths)} files to {output}/ ({', '.join(p.name for p in result.paths)})"
        f": {len(b.sources)} sources, {len(b.key_points)} key points,"
        f" {time.perf_counter() - started:.1f} s"
    )


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the article with its metadata as JSON.")
@friendly_errors
def extract(file: Path, as_json: bool) -> None:
    """Print one article as the pipeline sees it: the cleaned body text."""
    from briefgen.ingest import read_article

    article = read_article(file)
    if as_json:
        click.echo(article.model_dump_json(indent=2))
    else:
        click.echo(article.text)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the briefing JSON."""
    from briefgen.model import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


# --------------------------------------------------------------------------- scheduled briefings

_CONFIG_ARG = click.argument("config", type=click.Path(path_type=Path, dir_okay=False))
_REPORTS_OPT = click.option(
    "--reports", type=click.Path(path_type=Path, file_okay=False),
    help="Reports folder (default: the config's reports_dir, or reports/ beside the config).",
)


@main.command()
@_CONFIG_ARG
@click.option("--briefing", "names", multiple=True, help="Run only this briefing (repeatable).")
@_REPORTS_OPT
@click.option("--force", is_flag=True, help="Build even when no article is new.")
@friendly_errors
def run(config: Path, names: Sequence[str], reports: Path | None, force: bool) -> None:
    """Run the briefings of CONFIG once, now: one line each (published, skipped or failed)."""
    from briefgen.config import load_config
    from briefgen.runner import run_briefing

    cfg = load_config(config)
    chosen = [cfg.briefing(n).name for n in names] or [b.name for b in cfg.briefings]
    failed = 0
    for name in chosen:  # one call per briefing: the unit a process pool would dispatch
        outcome = run_briefing(cfg, name, reports, force)
        for warning in outcome.warnings:
            click.echo(f"Warning: {name}: {warning}", err=True)
        click.echo(outcome.line)
        failed += not outcome.ok
    if failed:
        sys.exit(1)


@main.command()
@_CONFIG_ARG
@_REPORTS_OPT
@click.option(
    "--print", "print_as", type=click.Choice(["cron", "systemd"]),
    help="Print crontab lines or systemd units for the OS scheduler instead of running.",
)
@friendly_errors
def schedule(config: Path, reports: Path | None, print_as: str | None) -> None:
    """Run the briefings of CONFIG on their schedules until stopped (Ctrl-C or SIGTERM).

    Logs to <reports>/briefgen.log and the console.
    """
    from briefgen import schedule as sched
    from briefgen.config import load_config

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
    from briefgen.config import load_config
    from briefgen.runner import state_path
    from briefgen.state import State

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
        table.append((
            r.started.astimezone().strftime("%Y-%m-%d %H:%M"), r.briefing, r.status, secs,
            "" if r.articles is None else str(r.articles), "" if r.new is None else str(r.new),
            r.edition or r.error or "",
        ))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    for row in table:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])


if __name__ == "__main__":  # pragma: no cover
    main()
