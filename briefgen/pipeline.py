"""The orchestrator: ingest -> segment -> summarize -> extract -> model -> render -> publish.

:func:`make_briefing` is pure (articles in, briefing out); :func:`build` adds the file I/O at both
ends.  Each stage logs one line and its time, so a slow stage is easy to find.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from briefgen import check, extract, segment, summarize
from briefgen.errors import CheckError, PublishError
from briefgen.model import Article, Briefing, Dropped, Quality, Source

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
    targets: check.Targets = field(default_factory=check.Targets)


@dataclass
class BuildResult:
    briefing: Briefing
    paths: list[Path]
    warnings: list[str]
    timings: dict[str, float]


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
) -> Briefing:
    """Build the briefing model from cleaned articles.  Pure: no file is read or written."""
    options = options or BuildOptions()
    timings = timings if timings is not None else {}

    t = time.perf_counter()
    sentences = segment.segment_all(articles)
    timings["segment"] = time.perf_counter() - t

    t = time.perf_counter()
    ranking = summarize.rank(articles, sentences, options.summary)
    summary = summarize.summarize(ranking, options.summary)
    timings["summarize"] = time.perf_counter() - t

    t = time.perf_counter()
    scores = {
        (s.article_id, s.index): float(ranking.score[i]) for i, s in enumerate(ranking.sentences)
    }
    actors = extract.actors(articles, sentences, scores, options.extract)
    found_dates = extract.dates(articles, sentences, options.extract)
    found_quotes = extract.quotes(sentences, actors, scores, options.extract)
    phrases = extract.keyphrases(articles, options.extract)
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
    briefing.quality = Quality(
        readability=check.section_readability(briefing),
        faithful=check.faithful_share(briefing, articles),
        articles=len(articles),
        sentences_considered=len(ranking.sentences),
        duplicates_dropped=sum(d.duplicate_of is not None for d in dropped),
        source_grade=_source_grade(ranking),
    )
    return briefing


def _source_grade(ranking: summarize.Ranking, sample: int = 400) -> float | None:
    """Median FK grade of the best-ranked candidate sentences (a sample keeps it cheap)."""
    import statistics

    import textstat

    top = sorted(range(len(ranking.sentences)), key=lambda i: -ranking.score[i])[:sample]
    grades = [float(textstat.flesch_kincaid_grade(ranking.sentences[i].text)) for i in top]
    return round(statistics.median(grades), 2) if grades else None


def build(
    inputs: Sequence[str],
    out_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Read ``inputs``, build the briefing and publish every format into ``out_dir``.

    Outputs are rendered into a staging folder inside ``out_dir`` and moved into place only when
    every format rendered, so a failure never leaves a half-written or mixed set of files.
    """
    from briefgen.ingest import ingest
    from briefgen.render import render

    options = options or BuildOptions()
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}

    t = time.perf_counter()
    result = ingest(inputs)
    timings["ingest"] = time.perf_counter() - t
    say(f"ingest: {len(result.articles)} articles, {len(result.dropped)} dropped")

    briefing = make_briefing(result.articles, result.dropped, options, timings)
    say(
        f"summarize: {len(briefing.key_points)} key points from "
        f"{briefing.quality.sentences_considered} sentences"
    )

    t = time.perf_counter()
    staging = _staging_dir(out_dir)
    try:
        staged = render(
            briefing, staging, list(options.formats), options.template_dir, options.basename
        )
        timings["render"] = time.perf_counter() - t
        t = time.perf_counter()
        results = check.check_model(briefing, options.targets) + check.check_rendered(
            briefing, staging, options.basename, options.targets
        )
        timings["check"] = time.perf_counter() - t
        failed = [r for r in results if r.failed]
        if failed:
            kept = _set_aside(staging, out_dir, results)
            raise CheckError(
                f"briefing not published: {failed[0].name}: {failed[0].detail}"
                + (f" (+{len(failed) - 1} more failed checks)" if len(failed) > 1 else "")
                + f"; kept aside in {kept}"
            )
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
    return BuildResult(briefing, paths, list(result.warnings), timings)


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
    """Move rendered files into place; each replace is atomic on one filesystem."""
    paths = []
    for src in staged:
        dest = out_dir / src.name
        try:
            os.replace(src, dest)
        except OSError as exc:
            raise PublishError(f"{dest}: cannot write ({exc.strerror})") from exc
        paths.append(dest)
    return paths
