"""The orchestrator: ingest -> segment -> summarize -> extract -> model -> render -> publish.

:func:`make_briefing` is pure (articles in, briefing out); :func:`build` adds the file I/O at both
ends.  Each stage logs one line and its time, so a slow stage is easy to find.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from briefgen.base.parallel import Helper, map_ordered, resolve_jobs
from briefgen.check import gate as check
from briefgen.check import verify
from briefgen.errors import CheckError, PublishError
from briefgen.extract import actors as extract
from briefgen.extract import changes, compare
from briefgen.model import (
    Article,
    Briefing,
    DateMention,
    Dropped,
    Keyphrase,
    Quality,
    Sentence,
    Source,
)
from briefgen.render import worker
from briefgen.spec import Limits, cap_sentences
from briefgen.summarize import rank as summarize
from briefgen.summarize import segment, similarity

log = logging.getLogger(__name__)

FORMATS = ("pdf", "docx", "html", "md", "json")
Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildOptions:
    title: str | None = None
    formats: tuple[str, ...] = FORMATS
    template_dir: Path | None = None
    basename: str = "briefing"
    summary: summarize.SummaryOptions = field(default_factory=summarize.SummaryOptions)
    extract: extract.ExtractOptions = field(default_factory=extract.ExtractOptions)
    now: datetime | None = None  # fixed in tests and reproducible builds
    previous: Briefing | None = None  # the previous edition: adds a "what changed" section
    targets: check.Targets = field(default_factory=check.Targets)
    limits: Limits = field(default_factory=Limits)  # input size caps (briefgen.spec)


@dataclass
class BuildResult:
    briefing: Briefing
    paths: list[Path]
    warnings: list[str]
    timings: dict[str, float]


def _segment_all(articles: Sequence[Article], jobs: int) -> list[Sentence]:
    """``segment.segment_all`` with the sentence splitting spread over ``jobs`` processes."""
    spans = map_ordered(segment.split_sentences, [a.text for a in articles], jobs)
    return [
        Sentence(article_id=a.id, index=i, start=x, end=y, text=a.text[x:y])
        for a, found in zip(articles, spans, strict=True)
        for i, (x, y) in enumerate(found)
    ]


def _dates_and_keyphrases(
    articles: Sequence[Article], sentences: Sequence[Sentence], options: BuildOptions
) -> tuple[list[DateMention], list[Keyphrase]]:
    """The extract work that needs no ranking, so it can run beside the summarizer."""
    return (
        extract.dates(articles, sentences, options.extract),
        extract.keyphrases(articles, options.extract),
    )


SIDE_WORK_SENTENCES = 2_000
"""Above this many sentences, dates and keyphrases are found in the helper process."""


def _prewarm() -> None:
    """Load the stemmer, syllable table, YAKE and dateparser while the helper imports WeasyPrint."""
    import dateparser  # noqa: F401
    import yake  # noqa: F401

    from briefgen.base.syllables import textstat

    summarize.vectorize(["Warm up the sentence vectorizer."])
    textstat().flesch_kincaid_grade("Warm up the syllable dictionary.")


def _title(articles: Sequence[Article], bottom_article: str | None) -> str:
    by_id = {a.id: a for a in articles}
    if bottom_article in by_id:
        return by_id[bottom_article].title
    return articles[0].title


def make_briefing(
    articles: Sequence[Article],
    dropped: Sequence[Dropped] = (),
    options: BuildOptions | None = None,
    timings: dict[str, float] | None = None,
    notes: list[str] | None = None,
    helper: Helper | None = None,
    jobs: int = 1,
) -> Briefing:
    """Build the briefing model from cleaned articles.  Pure: no file is read or written.

    Warnings for the user (sentences set aside by ``limits.max_sentences``) go to ``notes``.
    With ``jobs`` > 1, sentences are split in a pool and dates and keyphrases found in ``helper``
    (or a helper process of its own); the briefing is the same for any ``jobs``.
    """
    options = options or BuildOptions()
    timings = timings if timings is not None else {}
    jobs = resolve_jobs(jobs)
    if helper is None:
        with Helper(enabled=jobs > 1) as own:
            return make_briefing(articles, dropped, options, timings, notes, own, jobs)

    t = time.perf_counter()
    sentences = _segment_all(articles, jobs)
    if len(sentences) > options.limits.max_sentences:
        total = len(sentences)
        sentences = cap_sentences(sentences, options.limits.max_sentences)
        message = (
            f"{total} sentences, over the {options.limits.max_sentences} limit: ranked the "
            f"{len(sentences)} nearest the top of their articles (raise it with --max-sentences)"
        )
        log.warning(message)
        if notes is not None:
            notes.append(message)
    timings["segment"] = time.perf_counter() - t

    t = time.perf_counter()
    # Large inputs: a linear pre-ranking bounds what the summarizer and extractors read.
    work = similarity.plan(
        articles, sentences, lambda s: summarize.is_candidate(s, options.summary)
    )
    # Dates and keyphrases need no ranking: on a large input the helper process finds them
    # meanwhile; on a small one they are quicker here than behind the helper's WeasyPrint import.
    large = len(work.article_sentences) > SIDE_WORK_SENTENCES
    side = (
        helper.submit(_dates_and_keyphrases, work.articles, work.article_sentences, options)
        if large
        else None
    )
    ranking = summarize.rank(articles, work.sentences, options.summary)
    summary = summarize.summarize(ranking, options.summary)
    timings["summarize"] = time.perf_counter() - t

    t = time.perf_counter()
    scores = {
        (s.article_id, s.index): float(ranking.score[i]) for i, s in enumerate(ranking.sentences)
    }
    actors = extract.actors(work.articles, work.article_sentences, scores, options.extract)
    found_quotes = extract.quotes(work.article_sentences, actors, scores, options.extract)
    found_dates, phrases = (
        side.result()
        if side is not None
        else _dates_and_keyphrases(work.articles, work.article_sentences, options)
    )
    timings["extract"] = time.perf_counter() - t

    published = [a.published for a in articles if a.published]
    bottom_article = summary.bottom_line[0].citations[0].article_id if summary.bottom_line else None
    briefing = Briefing(
        title=options.title or _title(articles, bottom_article),
        generated_at=(options.now or datetime.now(UTC)).replace(microsecond=0),
        date_from=min(published) if published else None,
        date_to=max(published) if published else None,
        bottom_line=summary.bottom_line,
        key_points=summary.key_points,
        background=summary.background,
        outlook=summary.outlook,
        actors=actors,
        dates=found_dates,
        quotes=found_quotes,
        keyphrases=phrases,
        sources=[
            Source(
                id=a.id,
                title=a.title,
                outlet=a.outlet,
                published=a.published,
                path=a.path,
                url=a.url,
                words=check.word_count(a.text),
                sha256=a.sha256,
            )
            for a in articles
        ],
        dropped=list(dropped),
    )
    t = time.perf_counter()
    # The articles the extract stage read (all of them, unless there are very many).
    briefing.disagreements = compare.disagreements(work.articles, work.article_sentences, actors)
    compare.annotate(briefing, articles)
    for src, article in zip(briefing.sources, articles, strict=True):
        src.language = article.language
    if options.previous is not None:
        briefing.changes = changes.changes(briefing, options.previous)
    briefing.reproducibility = verify.reproducibility(articles, options)
    timings["provenance"] = time.perf_counter() - t
    briefing.quality = Quality(
        readability=check.section_readability(briefing),
        faithful=check.faithful_share(briefing, articles),
        articles=len(articles),
        sentences_considered=len(ranking.sentences),
        duplicates_dropped=sum(d.duplicate_of is not None for d in dropped),
        source_grade=_source_grade(ranking),
    )
    # Cited sources first: a long source list is cut after them, and numbers stay consecutive.
    cited = briefing.cited_ids()
    briefing.sources = sorted(briefing.sources, key=lambda src: src.id not in cited)
    return briefing


def _source_grade(ranking: summarize.Ranking, sample: int = 400) -> float | None:
    """Median FK grade of the best-ranked candidate sentences (a sample keeps it cheap)."""
    import statistics

    from briefgen.base.syllables import textstat

    top = sorted(range(len(ranking.sentences)), key=lambda i: -ranking.score[i])[:sample]
    grades = [float(textstat().flesch_kincaid_grade(ranking.sentences[i].text)) for i in top]
    return round(statistics.median(grades), 2) if grades else None


def build(
    inputs: Sequence[str],
    out_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    helper: Helper | None = None,
) -> BuildResult:
    """Read ``inputs``, build the briefing and publish every format into ``out_dir``.

    ``jobs`` processes share the work (0: all cores); the briefing does not depend on it.
    ``helper`` is a :func:`briefgen.render.worker.start` process the caller started early (the
    CLI does, before importing this module); it is closed here.

    Outputs are rendered into a staging folder inside ``out_dir`` and moved into place only when
    every format rendered, so a failure never leaves a half-written or mixed set of files.
    """
    options = options or BuildOptions()
    jobs = resolve_jobs(jobs)
    helper = helper or worker.start(options.formats, options.template_dir, jobs)
    with helper:
        return _build(inputs, out_dir, options, progress, helper, jobs)


def _build(
    inputs: Sequence[str],
    out_dir: Path,
    options: BuildOptions,
    progress: Progress | None,
    helper: Helper,
    jobs: int,
) -> BuildResult:
    from briefgen.ingest.read import ingest

    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}

    t = time.perf_counter()
    # Cold start on two cores: the helper is importing WeasyPrint (the longest import, and the
    # PDF renders there) while this process reads the files and loads what the summarizer
    # needs; many files are read by a pool of all the cores.
    result = ingest(inputs, options.limits, jobs)
    _prewarm()
    timings["ingest"] = time.perf_counter() - t
    say(f"ingest: {len(result.articles)} articles, {len(result.dropped)} dropped")

    notes: list[str] = []
    briefing = make_briefing(result.articles, result.dropped, options, timings, notes, helper, jobs)
    say(
        f"summarize: {len(briefing.key_points)} key points from "
        f"{briefing.quality.sentences_considered} sentences"
    )

    t = time.perf_counter()
    staging = _staging_dir(out_dir)
    try:
        # The PDF renders in the helper (WeasyPrint already imported there) while this process
        # renders the other formats; only then does it wait for the PDF.
        args = (briefing, staging)
        tail = (options.template_dir, options.basename)
        formats = list(dict.fromkeys(options.formats))
        pdf = helper.submit(worker.render_timed, *args, "pdf", *tail) if "pdf" in formats else None
        rendered = {fmt: worker.render_timed(*args, fmt, *tail) for fmt in formats if fmt != "pdf"}
        if pdf is not None:
            rendered["pdf"] = pdf.result()
        staged: list[Path] = []
        for fmt in formats:  # in the order asked for
            paths, seconds = rendered[fmt]
            staged += paths
            timings[f"render_{fmt}"] = seconds
        briefing, trimmed = fit_pages(briefing, staging, options)
        if trimmed:
            notes.append(f"trimmed to fit {options.targets.max_pages} pages: {trimmed}")
        timings["render"] = time.perf_counter() - t
        t = time.perf_counter()
        results = check_staged(briefing, staging, out_dir, options)
        timings["check"] = time.perf_counter() - t
        say(
            f"check: {sum(r.status == 'pass' for r in results)} passed, "
            f"{sum(r.status == 'warn' for r in results)} warnings"
        )
        t = time.perf_counter()
        paths = _publish(staged, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    timings["write"] = time.perf_counter() - t
    say(f"render: {', '.join(p.suffix.lstrip('.') for p in paths)}")
    log.info("timings: %s", {k: round(v, 3) for k, v in timings.items()})
    return BuildResult(briefing, paths, [*result.warnings, *notes], timings)


# Optional content given up, step by step, when the PDF is over its page budget: the bottom line
# and at least three key points always stay.  (section, items kept)
_TRIMS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("actors", 6), ("quotes", 3), ("dates", 4), ("keyphrases", 6), ("disagreements", 2)),
    (("actors", 4), ("background", 2), ("outlook", 2), ("quotes", 2), ("dates", 2)),
    (("actors", 3), ("disagreements", 1), ("keyphrases", 0), ("quotes", 1), ("dates", 1)),
    (("key_points", 4), ("background", 1), ("outlook", 1), ("quotes", 0), ("dates", 0)),
    (("key_points", 3), ("actors", 3), ("disagreements", 0), ("background", 0), ("outlook", 0)),
)


def _trimmed(briefing: Briefing, level: int) -> tuple[Briefing, list[str]]:
    """``briefing`` with the first ``level`` steps of :data:`_TRIMS` applied, and what they cut."""
    done: dict[str, int] = {}  # section -> items kept, the last cut of each
    for step in _TRIMS[:level]:
        cut = {k: n for k, n in step if len(getattr(briefing, k)) > n}
        briefing = briefing.model_copy(update={k: getattr(briefing, k)[:n] for k, n in cut.items()})
        done |= cut
    if done:
        briefing.quality = briefing.quality.model_copy(
            update={"readability": check.section_readability(briefing)}
        )
    return briefing, [f"{k.replace('_', ' ')} to {n}" for k, n in done.items()]


def fit_pages(briefing: Briefing, staging: Path, options: BuildOptions) -> tuple[Briefing, str]:
    """Keep a rendered briefing within its page budget by showing less, never by shrinking type.

    When the staged PDF is too long, the fewest :data:`_TRIMS` steps that make it fit are found
    by bisection (a PDF render per probe: ~1 s on a large input), then every other format is
    rendered again, so all formats show the same briefing.  Returns the briefing as published
    and what was trimmed ("" when nothing was).
    """
    from briefgen.render import render

    pdf = staging / f"{options.basename}.pdf"
    budget = options.targets.max_pages
    if "pdf" not in options.formats or check.pdf_pages(pdf) <= budget:
        return briefing, ""

    def render_pdf(level: int) -> tuple[Briefing, list[str]]:
        trimmed = _trimmed(briefing, level)
        render(trimmed[0], staging, ["pdf"], options.template_dir, options.basename)
        return trimmed

    # Pages never grow as more is trimmed, so the smallest level that fits can be bisected;
    # when even the last level is too long, it is kept and the page check reports it.
    lo, hi = 1, len(_TRIMS)
    best = len(_TRIMS)
    last: tuple[int, tuple[Briefing, list[str]]] | None = None  # the level the PDF shows now
    while lo <= hi:
        mid = (lo + hi) // 2
        last = (mid, render_pdf(mid))
        if check.pdf_pages(pdf) <= budget:
            best, hi = mid, mid - 1
        else:
            lo = mid + 1
    final, done = last[1] if last is not None and last[0] == best else render_pdf(best)
    others = [f for f in options.formats if f != "pdf"]
    render(final, staging, others, options.template_dir, options.basename)
    return final, ", ".join(done)


def check_staged(
    briefing: Briefing, staging: Path, out_dir: Path, options: BuildOptions
) -> list[check.CheckResult]:
    """Run ``briefgen check`` on a rendered, not yet published briefing.

    A briefing that fails is moved aside to ``out_dir/.rejected/<time>/`` with its reasons and a
    :class:`CheckError` says why; what was published before stays in place.
    """
    results = check.check_model(briefing, options.targets) + check.check_rendered(
        briefing, staging, options.basename, options.targets
    )
    failed = [r for r in results if r.failed]
    if failed:
        kept = _set_aside(staging, out_dir, results)
        raise CheckError(
            f"briefing not published: {failed[0].name}: {failed[0].detail}"
            + (f" (+{len(failed) - 1} more failed checks)" if len(failed) > 1 else "")
            + f"; kept aside in {kept}"
        )
    return results


def _set_aside(staging: Path, out_dir: Path, results: Sequence[check.CheckResult]) -> Path:
    """Keep a rejected briefing for inspection, with the reasons, out of the way."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = out_dir / ".rejected" / stamp
    n = 1
    while target.exists():
        n += 1
        target = out_dir / ".rejected" / f"{stamp}-{n}"
    target.parent.mkdir(parents=True, exist_ok=True)
    (staging / "REASONS.txt").write_text(check.format_table(results) + "\n", encoding="utf-8")
    os.replace(staging, target)
    return target


def _staging_dir(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".briefgen-staging-", dir=out_dir))
    except FileExistsError as exc:
        raise PublishError(f"{out_dir}: output path exists and is not a folder") from exc
    except OSError as exc:
        raise PublishError(f"{out_dir}: cannot write output folder ({exc.strerror})") from exc


def _publish(staged: Sequence[Path], out_dir: Path) -> list[Path]:
    """Move rendered files into place, all or none.

    Each ``os.replace`` is atomic, but a set of them is not: when one fails (disk full, folder
    made read-only mid-run), the files already moved are put back as they were, so readers see
    the previous report or the new one, never a mix.  Previous files wait in the staging folder.
    """
    paths: list[Path] = []
    saved: dict[Path, Path] = {}  # dest -> its previous version, parked in the staging folder
    dest = out_dir
    try:
        for src in staged:
            dest = out_dir / src.name
            if dest.is_file():
                saved[dest] = src.with_name(f".previous-{src.name}")
                os.replace(dest, saved[dest])
            os.replace(src, dest)
            paths.append(dest)
    except OSError as exc:
        for moved in {*paths, *saved}:
            with contextlib.suppress(OSError):
                if moved in saved:
                    os.replace(saved[moved], moved)
                elif moved.exists():
                    moved.unlink()
        raise PublishError(f"{dest}: cannot write ({exc.strerror or exc})") from exc
    return paths
