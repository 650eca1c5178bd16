"""``briefgen build``: files, folders and globs to a briefing in one folder."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click

from briefgen import log as logs
from briefgen.cli.common import (
    Finished,
    UsageProblem,
    _InputPath,
    _load_previous,
    _parse_formats,
    _parse_now,
    _Size,
    check_executor,
    limits_options,
    log,
    main,
    targets_options,
    verbosity_options,
)
from briefgen.spec import (
    FORMATS,
    LAYOUTS,
    PAPERS,
    BriefingSpec,
    format_size,
    spec_from_flags,
)


def _check_topic(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    from briefgen.ingest.topic import TopicError, parse_topic

    if value is not None:
        try:
            parse_topic(value)
        except TopicError as exc:
            raise click.BadParameter(str(exc)) from None
    return value


def topic_options(f: Callable[..., object]) -> Callable[..., object]:
    """``--topic``, ``--topic-min-matches`` (briefgen.ingest.topic) and ``--split-topics``."""
    f = click.option(
        "--split-topics",
        is_flag=True,
        help="One briefing per story found in the input, each in OUTPUT/<story>/.",
    )(f)
    f = click.option(
        "--topic-min-matches",
        type=click.IntRange(1),
        default=1,
        show_default=True,
        help="Mentions of the topic's words and phrases an article needs to be kept.",
    )(f)
    return click.option(
        "--topic",
        callback=_check_topic,
        metavar="QUERY",
        help="Keep only articles matching QUERY, e.g. 'Kazakhstan OR \"Board of Peace\"' "
        "(words, quoted phrases, AND, OR, NOT, parentheses); the others are set aside and listed.",
    )(f)


def _output_folder(_ctx: click.Context, _param: click.Parameter, value: Path) -> Path:
    if str(value) == "-":
        raise UsageProblem("-o -: writing to standard output is not supported; give a folder")
    return value


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
    "--lock-wait",
    type=click.FloatRange(0),
    default=30.0,
    show_default=True,
    help="Seconds to wait while another build writes to the same output folder.",
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
    "--executor",
    default="local",
    show_default=True,
    metavar="local|dask://HOST:PORT",
    callback=check_executor,
    help="Where reading, cleaning and sentence splitting run: 'local' (--jobs processes) or "
    "the workers of the Dask scheduler at HOST:PORT (same briefgen on every worker; inputs at "
    "the same paths on a shared filesystem); the briefing is identical.",
)
@click.option(
    "--now",
    "now_text",
    envvar="BRIEFGEN_NOW",
    metavar="ISO-TIME",
    help="Fix the briefing's generated_at time (reproducible builds); also read from BRIEFGEN_NOW.",
)
@click.option(
    "--paper",
    type=click.Choice(PAPERS),
    default="a4",
    show_default=True,
    help="Paper size of the PDF and the DOCX (same margins in both).",
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="memo",
    show_default=True,
    help="memo: every section; brief: one page (title, date, bottom line, key points, "
    "one line of sources).",
)
@click.option(
    "--cache",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="DIR",
    help="Keep per-article work (read and cleaned text, sentences) in DIR, so a rebuild redoes "
    "only new articles; the briefing is the same. Builds sharing DIR may run at once.",
)
@click.option(
    "--cache-size",
    type=_Size(),
    default=BriefingSpec.cache_size,
    show_default=format_size(BriefingSpec.cache_size),
    help="Most bytes the --cache folder holds; the least recently used entries go first.",
)
@topic_options
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
    follow_symlinks: bool = False,
    allow_private_networks: bool = False,
    max_article_seconds: int | None = None,
    max_run_seconds: int | None = None,
    max_memory: int | None = None,
    previous: Path | None = None,
    lock_wait: float = 30.0,
    jobs: int = 0,
    executor: str = "local",
    now_text: str | None = None,
    paper: str = "a4",
    layout: str = "memo",
    topic: str | None = None,
    topic_min_matches: int = 1,
    split_topics: bool = False,
    cache: Path | None = None,
    cache_size: int | None = None,
) -> Finished:
    """Build a briefing from PATHS: files, folders or globs of .txt, .md, .html; RSS/Atom feeds
    (.xml, .rss, .atom); article URLs (https://...)."""
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
        executor=executor,
        paper=paper,
        layout=layout,
        max_grade=max_grade,
        max_key_point_words=max_key_point_words,
        max_pages=max_pages,
        strict=strict,
        max_file_size=max_file_size,
        max_total_size=max_total_size,
        max_sentences=max_sentences,
        topic=topic,
        topic_min_matches=topic_min_matches,
        follow_symlinks=follow_symlinks,
        allow_private_networks=allow_private_networks or None,
        max_article_seconds=max_article_seconds,
        max_run_seconds=max_run_seconds,
        max_memory=max_memory,
        cache=cache,
        cache_size=cache_size,
    )
    if split_topics:
        return _split(list(paths), output, spec, started)
    # Forked before the pipeline is imported, so WeasyPrint loads meanwhile (render.worker).
    with (
        _stage_lines(started) as progress,
        worker.start(spec.formats, spec.template_dir, resolve_jobs(jobs)) as helper,
    ):
        from briefgen.service.build import build as run_build

        result = run_build(
            list(paths),
            output,
            spec,
            progress,
            helper=helper,
            previous=_load_previous(previous),
            lock_wait=lock_wait,
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


def _split(paths: list[str], output: Path, spec: BriefingSpec, started: float) -> Finished:
    """``--split-topics``: one briefing per story (service/split.py), one line each."""
    from briefgen.base.parallel import resolve_jobs
    from briefgen.render import worker

    if spec.topic:
        raise UsageProblem("--split-topics builds every story; --topic keeps one: give one of them")
    with (
        _stage_lines(started) as progress,
        worker.start(spec.formats, spec.template_dir, resolve_jobs(spec.jobs)) as helper,
    ):
        from briefgen.service.split import split_build

        built = split_build(paths, output, spec, progress, helper=helper)
    for folder, result in built:
        for warning in result.warnings:
            log.warning("%s: %s", folder.name, warning)
        b = result.briefing
        click.echo(
            f"Wrote {len(result.paths)} files to {folder}/: {b.title!r}, {len(b.sources)} sources,"
            f" {len(b.key_points)} key points"
        )
    click.echo(f"{len(built)} stories, {time.perf_counter() - started:.1f} s")
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
