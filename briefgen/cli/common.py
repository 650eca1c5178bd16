"""What every command shares: exit codes and errors, the command group, verbosity, and the
options and parameter types of more than one command."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from briefgen import __version__
from briefgen import log as logs
from briefgen.errors import BriefgenError, one_line
from briefgen.spec import (
    Limits,
    Targets,
    format_size,
    parse_executor,
    parse_formats,
    parse_size,
)

F = TypeVar("F", bound=Callable[..., Any])

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143


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
        except KeyboardInterrupt as exc:
            raise interrupted(exc) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # the reader of our output went away: click's exit 1
                raise
            raise _internal(exc) from exc
        except Exception as exc:  # a bug: still one line, and its own exit code
            raise _internal(exc) from exc


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so every ``finally`` (staging folders, locks) runs."""


def on_sigterm(_signum: int, _frame: object) -> None:
    raise Terminated


def interrupted(exc: KeyboardInterrupt) -> click.exceptions.Exit:
    """One line and exit 130 (Ctrl-C) or 143 (SIGTERM), as shells report signals."""
    if isinstance(exc, Terminated):
        click.echo("Terminated.", err=True)
        return click.exceptions.Exit(EXIT_TERMINATED)
    click.echo("Interrupted.", err=True)
    return click.exceptions.Exit(EXIT_INTERRUPTED)


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
        "--max-memory",
        type=_Size(),
        default=d.max_memory,
        show_default=format_size(d.max_memory),
        help="Most memory the build may use; over it, it stops with one error line.",
    )(func)
    func = click.option(
        "--max-run-seconds",
        type=click.IntRange(1),
        default=d.max_run_seconds,
        show_default=True,
        help="Most seconds the whole build may take; then it stops with one error line.",
    )(func)
    func = click.option(
        "--max-article-seconds",
        type=click.IntRange(1),
        default=d.max_article_seconds,
        show_default=True,
        help="Most seconds one input file may take to read; slower ones are skipped.",
    )(func)
    func = click.option(
        "--allow-private-networks",
        is_flag=True,
        default=False,
        help="Let feeds and URLs reach loopback, private and shared addresses (intranet sources; "
        "default: refused). Link-local addresses stay refused.",
    )(func)
    func = click.option(
        "--follow-symlinks",
        is_flag=True,
        default=False,
        help="Follow links in input folders that lead outside the folder (default: skip them "
        "with a warning).",
    )(func)
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


@dataclass(frozen=True)
class Finished:
    """A command's result when the process may end at once: see :func:`exit_fast`."""

    code: int = EXIT_OK


def _load_previous(path: Path | None) -> Any:
    from briefgen.extract.changes import load_previous

    return load_previous(path) if path is not None else None


def check_executor(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """``--executor``'s check, shared by ``build`` and ``run``: 'local' or 'dask://HOST:PORT'."""
    try:
        parse_executor(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return value
