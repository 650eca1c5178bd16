"""Commands that look at one article or one briefing: ``extract``, ``check``, ``verify``,
``schema``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import click

from briefgen.cli.common import (
    EXIT_FAILED,
    Failed,
    _InputPath,
    main,
    targets_options,
    verbosity_options,
)
from briefgen.spec import (
    Targets,
)


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
