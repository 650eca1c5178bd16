"""The one build route: articles and a spec in, a checked, staged edition out.

``briefgen build``, a scheduled ``briefgen run`` and the Dask executor all call
:func:`build_edition`; they differ only in where the articles come from
(:mod:`briefgen.ingest`) and how the staged files are published (:mod:`briefgen.service.publish`).

    articles -> segment -> rank -> select -> extract -> model      (make_briefing: pure)
             -> render every format -> fit pages -> check          (build_edition: staging I/O)

Each stage logs one line and its time, so a slow stage is easy to find.
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

from briefgen.base.cache import Store
from briefgen.base.parallel import Helper, resolve_jobs
from briefgen.base.readability import section_readability
from briefgen.base.syllables import textstat
from briefgen.check import gate
from briefgen.check.staged import check_staged
from briefgen.check.verify import reproducibility
from briefgen.extract import changes, compare
from briefgen.extract.actors import actors as find_actors
from briefgen.extract.phrases import dates as find_dates
from briefgen.extract.phrases import keyphrases as find_keyphrases
from briefgen.extract.quotes import quotes as find_quotes
from briefgen.extract.title import topic_title
from briefgen.ingest.read import IngestResult
from briefgen.model import (
    Actor,
    Article,
    Briefing,
    DateMention,
    Disagreement,
    Dropped,
    Keyphrase,
    Quality,
    Quote,
    Sentence,
    Source,
    Statement,
)
from briefgen.render import worker
from briefgen.render.edition import render_edition
from briefgen.spec import BriefingSpec
from briefgen.summarize import rank, select, similarity
from briefgen.summarize import work as summarize_work
from briefgen.summarize.stories import story_warning

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

SIDE_WORK_SENTENCES = 300
"""Above this many sentences, dates and keyphrases are found in the helper process: YAKE takes
~2 s on 30 articles, while the helper's WeasyPrint import it may wait behind takes ~0.6 s."""
SPEAKER_ACTORS = 200
"""Actors a quote's speaker is looked up among (the briefing lists fewer)."""


@dataclass(frozen=True)
class NewSince:
    """What a scheduled run knows about the previous edition: the hashes of articles first seen
    since it was published, and when that was."""

    hashes: Collection[str]
    since: datetime


@dataclass
class Edition:
    """A built, rendered and checked briefing waiting in ``staging`` to be published."""

    briefing: Briefing
    staging: Path
    files: list[Path]
    results: list[gate.CheckResult]
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- the model


def _dates_and_keyphrases(
    articles: Sequence[Article], sentences: Sequence[Sentence], spec: BriefingSpec
) -> tuple[list[DateMention], list[Keyphrase]]:
    """The extract work that needs no ranking, so it can run beside the summarizer."""
    return (
        find_dates(articles, sentences, spec.extraction),
        find_keyphrases(articles, spec.extraction),
    )


def prewarm() -> None:
    """Load the stemmer, syllable table, YAKE and dateparser while the helper imports WeasyPrint."""
    import dateparser  # noqa: F401
    import yake  # noqa: F401

    rank.vectorize(["Warm up the sentence vectorizer."])
    textstat().flesch_kincaid_grade("Warm up the syllable dictionary.")


def _source_grade(ranking: rank.Ranking, sample: int = 400) -> float | None:
    """Median FK grade of the best-ranked candidate sentences (a sample keeps it cheap)."""
    top = sorted(range(len(ranking.sentences)), key=lambda i: -ranking.score[i])[:sample]
    grades = [float(textstat().flesch_kincaid_grade(ranking.sentences[i].text)) for i in top]
    return round(statistics.median(grades), 2) if grades else None


def _sources(
    articles: Sequence[Article],
    dropped: Sequence[Dropped],
    new: NewSince | None,
    words: dict[str, int],
) -> list[Source]:
    """The sources list; ``words`` holds every article's word count, found in the pool."""
    copies: dict[str, int] = {}
    for d in dropped:
        if d.duplicate_of:
            copies[d.duplicate_of] = copies.get(d.duplicate_of, 0) + 1
    return [
        Source(
            id=a.id,
            title=a.title,
            outlet=a.outlet,
            published=a.published,
            path=a.path,
            url=a.url,
            words=words[a.id],
            sha256=a.sha256,
            language=a.language,
            copies=copies.get(a.id, 0),
            new=new is not None and a.sha256 in new.hashes,
        )
        for a in articles
    ]


def make_briefing(
    articles: Sequence[Article],
    dropped: Sequence[Dropped] = (),
    spec: BriefingSpec | None = None,
    *,
    previous: Briefing | None = None,
    new: NewSince | None = None,
    timings: dict[str, float] | None = None,
    notes: list[str] | None = None,
    helper: Helper | None = None,
    cache: Store | None = None,
) -> Briefing:
    """Build the complete briefing model from cleaned articles.  Pure: no file is touched but
    ``cache``, which holds per-article work of earlier builds and never changes the result.

    ``previous`` adds the "what changed" section; ``new`` marks sources first seen since the
    previous edition and the statements citing them.  Warnings for the user go to ``notes``.
    With ``spec.jobs`` > 1, sentences are split in a pool and, on large inputs, dates and
    keyphrases found in ``helper``; the briefing is the same for any ``jobs``.
    """
    spec = spec or BriefingSpec()
    timings = timings if timings is not None else {}
    notes = notes if notes is not None else []
    jobs = resolve_jobs(spec.jobs)
    if helper is None:
        with Helper(enabled=jobs > 1) as own:
            return make_briefing(
                articles, dropped, spec, previous=previous, new=new, timings=timings,
                notes=notes, helper=own, cache=cache,
            )  # fmt: skip

    t = time.perf_counter()
    # Large inputs: a linear pre-ranking bounds what the summarizer and extractors read.
    work = summarize_work.work(articles, spec, jobs, notes, cache)
    timings["segment"] = time.perf_counter() - t

    t = time.perf_counter()
    # Dates and keyphrases need no ranking: on a large input the helper process finds them
    # meanwhile; on a small one they are quicker here than behind the helper's WeasyPrint import.
    large = len(work.article_sentences) > SIDE_WORK_SENTENCES
    side = (
        helper.submit(_dates_and_keyphrases, work.articles, work.article_sentences, spec)
        if large
        else None
    )
    ranking = rank.rank(articles, work.sentences, spec)
    summary = select.summarize(ranking, spec)
    timings["summarize"] = time.perf_counter() - t

    t = time.perf_counter()
    found = _extract(work, ranking, spec, side.result if side is not None else None)
    timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    briefing = _assemble(
        articles, dropped, spec, summary, found, ranking, previous, new, work.words
    )
    timings["provenance"] = time.perf_counter() - t
    return briefing


@dataclass
class _Found:
    """What the extract stage found, ready for the model."""

    actors: list[Actor]
    quotes: list[Quote]
    dates: list[DateMention]
    keyphrases: list[Keyphrase]
    disagreements: list[Disagreement]


def _extract(
    work: similarity.Plan,
    ranking: rank.Ranking,
    spec: BriefingSpec,
    side: Callable[[], tuple[list[DateMention], list[Keyphrase]]] | None,
) -> _Found:
    """Actors, quotes, dates, keyphrases and disagreements of the articles the ranking read;
    ``side`` gives dates and keyphrases found meanwhile in the helper process."""
    scores = {
        (s.article_id, s.index): float(ranking.score[i]) for i, s in enumerate(ranking.sentences)
    }
    # Speakers are resolved against every actor found, not only the ones the briefing lists.
    wide = replace(spec.extraction, max_actors=max(SPEAKER_ACTORS, spec.extraction.max_actors))
    every_actor = find_actors(work.articles, work.article_sentences, scores, wide)
    actors = every_actor[: spec.extraction.max_actors]
    found_quotes = find_quotes(work.article_sentences, every_actor, scores, spec.extraction)
    found_dates, phrases = (
        side()
        if side is not None
        else _dates_and_keyphrases(work.articles, work.article_sentences, spec)
    )
    disagreements = compare.disagreements(work.articles, work.article_sentences, actors)
    return _Found(actors, found_quotes, found_dates, phrases, disagreements)


def _assemble(
    articles: Sequence[Article],
    dropped: Sequence[Dropped],
    spec: BriefingSpec,
    summary: select.Summary,
    found: _Found,
    ranking: rank.Ranking,
    previous: Briefing | None,
    new: NewSince | None,
    words: dict[str, int],
) -> Briefing:
    """The briefing, complete: sections, sources, marks, what changed and quality."""
    published = [a.published for a in articles if a.published]
    sources = _sources(articles, dropped, new, words)
    # Cited sources first: a long source list is cut after them, and numbers stay consecutive.
    cited = {c.article_id for part in summary.sections() for st in part for c in st.citations}
    draft = Briefing(
        title=spec.title or topic_title(found.actors, found.keyphrases),
        generated_at=(spec.now or datetime.now(UTC)).replace(microsecond=0),
        date_from=min(published) if published else None,
        date_to=max(published) if published else None,
        new_since=_new_since(new, spec),
        bottom_line=summary.bottom_line,
        key_points=summary.key_points,
        background=summary.background,
        outlook=summary.outlook,
        actors=found.actors,
        dates=found.dates,
        quotes=found.quotes,
        keyphrases=found.keyphrases,
        sources=sorted(sources, key=lambda src: src.id not in cited),
        dropped=list(dropped),
        disagreements=found.disagreements,
        reproducibility=reproducibility(articles, spec.recorded()),
    )
    briefing = _marked(draft, articles, new)
    if previous is not None:
        briefing = briefing.model_copy(update={"changes": changes.changes(briefing, previous)})
    quality = Quality(
        readability=section_readability(briefing),
        faithful=gate.faithful_share(briefing, articles),
        articles=len(articles),
        sentences_considered=len(ranking.sentences),
        duplicates_dropped=sum(d.duplicate_of is not None for d in dropped),
        source_grade=_source_grade(ranking),
    )
    return briefing.model_copy(update={"quality": quality})


def _new_since(new: NewSince | None, spec: BriefingSpec) -> date | None:
    return new.since.astimezone(spec.tz).date() if new is not None else None


def _marked(draft: Briefing, articles: Sequence[Article], new: NewSince | None) -> Briefing:
    """Every statement with its outlet support and, after a previous edition, its new mark."""
    outlet_of = compare.outlets(articles)
    new_ids = {s.id for s in draft.sources if s.new}

    def mark(st: Statement) -> Statement:
        return st.model_copy(
            update={
                "support": compare.support(st, outlet_of),
                "new": any(c.article_id in new_ids for c in st.citations),
            }
        )

    return draft.map_statements(mark)


# --------------------------------------------------------------------------- the edition


def build_edition(
    ingested: IngestResult,
    spec: BriefingSpec,
    staging: Path,
    reject_dir: Path,
    *,
    previous: Briefing | None = None,
    new: NewSince | None = None,
    helper: Helper | None = None,
    progress: Progress | None = None,
    cache: Store | None = None,
) -> Edition:
    """Turn ingested articles into a checked edition staged in ``staging``.

    A briefing that fails its checks is moved aside to ``reject_dir/.rejected/<time>/`` with
    its reasons, and :class:`CheckError` says why; nothing is published either way.  ``cache``
    (the article cache) spares per-article work done by earlier builds; the edition is the same.
    """
    say = progress or (lambda _msg: None)
    own = helper is None
    helper = helper or worker.start(spec.formats, spec.template_dir, resolve_jobs(spec.jobs))
    try:
        return _build_edition(
            ingested, spec, staging, reject_dir, previous, new, helper, say, cache
        )
    finally:
        if own:
            helper.close()


def _build_edition(
    ingested: IngestResult,
    spec: BriefingSpec,
    staging: Path,
    reject_dir: Path,
    previous: Briefing | None,
    new: NewSince | None,
    helper: Helper,
    say: Progress,
    cache: Store | None = None,
) -> Edition:
    timings: dict[str, float] = {}
    notes: list[str] = []
    briefing = make_briefing(
        ingested.articles, ingested.dropped, spec, previous=previous, new=new,
        timings=timings, notes=notes, helper=helper, cache=cache,
    )  # fmt: skip
    if not spec.topic:  # several unrelated stories: say which one this briefing tells
        told = briefing.bottom_line[0].citations[0].article_id if briefing.bottom_line else None
        notes += filter(None, [story_warning(ingested.articles, told)])
    say(
        f"summarize: {len(briefing.key_points)} key points from "
        f"{briefing.quality.sentences_considered} sentences"
    )
    # A target missed on the model (a grade the sources cannot meet; the grade row is the only
    # one that warns) is stated in the briefing.  The full check runs once, after rendering.
    grade = gate.grade_check(briefing, spec.targets)
    if grade is not None and grade.status == "warn":
        quality = briefing.quality.model_copy(
            update={"warnings": [f"{grade.name}: {grade.detail}"]}
        )
        briefing = briefing.model_copy(update={"quality": quality})
    t = time.perf_counter()
    # Every format, the PDF fitted to the page budget (laid out once, or twice when trimmed).
    rendered = render_edition(briefing, staging, spec, helper)
    briefing, files, timings = rendered.briefing, rendered.files, timings | rendered.timings
    if rendered.trimmed:
        pages = f"{spec.page_budget} page" + ("" if spec.page_budget == 1 else "s")
        notes.append(f"trimmed to fit {pages}: {rendered.trimmed}")
    timings["render"] = time.perf_counter() - t
    say(f"render: {', '.join(spec.formats)}")
    t = time.perf_counter()
    results = check_staged(briefing, staging, reject_dir, spec)
    timings["check"] = time.perf_counter() - t
    notes += [f"{r.name}: {r.detail}" for r in results if r.status == "warn"]
    say(
        f"check: {sum(r.status == 'pass' for r in results)} passed, "
        f"{sum(r.status == 'warn' for r in results)} warnings"
    )
    log.info("timings: %s", {k: round(v, 3) for k, v in timings.items()})
    return Edition(briefing, staging, files, results, [*ingested.warnings, *notes], timings)
