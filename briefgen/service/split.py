"""``briefgen build --split-topics``: one briefing per story found in the input.

The stories are those of :func:`briefgen.summarize.stories.stories`; each is built through the
one build route into ``OUTPUT/<story>/`` and lists the other stories' articles as set aside
("another story: '…'").  Articles too short to be placed on their own (under 40 words) join the
story whose names they share most, else the largest.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from briefgen.base.cache import opened
from briefgen.base.parallel import Helper, resolve_jobs
from briefgen.ingest.read import IngestResult
from briefgen.model import Article, Dropped
from briefgen.pipeline import Progress, build_edition, prewarm
from briefgen.render import worker
from briefgen.service.build import BuildResult, publish_files, staging_dir
from briefgen.service.inputs import read_inputs
from briefgen.spec import BriefingSpec
from briefgen.summarize.stories import Story, names, stories

__all__ = ["split_build", "story_folder"]


def story_folder(title: str, taken: set[str]) -> str:
    """A folder name from a story's title: lower-case words joined by '-', at most 48
    characters, made unique among ``taken`` with -2, -3 ..."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    base = "-".join(words)[:48].rstrip("-") or "story"
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


def _placed(articles: Sequence[Article]) -> list[Story]:
    """Every article in a story: the short ones join the story sharing most of their names."""
    found = stories(articles)
    if not found:
        return [Story(articles[0].title, list(articles))]
    inside = {a.id for s in found for a in s.articles}
    vocab = [set(names(" ".join(f"{a.title}\n{a.text}" for a in s.articles))) for s in found]
    members = [list(s.articles) for s in found]
    for a in articles:
        if a.id in inside:
            continue
        own = set(names(f"{a.title}\n{a.text}"))
        best = max(range(len(found)), key=lambda i: (len(own & vocab[i]), -i))
        members[best].append(a)
    order = {a.id: i for i, a in enumerate(articles)}
    return [
        Story(s.title, sorted(m, key=lambda a: order[a.id]))
        for s, m in zip(found, members, strict=True)
    ]


def story_input(ingested: IngestResult, story: Story, others: Sequence[Story]) -> IngestResult:
    """The input of one story's briefing: its articles renumbered a1, a2 ..., the other
    stories' articles set aside with the story they belong to."""
    new_id = {a.id: f"a{i}" for i, a in enumerate(story.articles, 1)}
    dropped = [
        d.model_copy(update={"duplicate_of": new_id[d.duplicate_of]}) if d.duplicate_of else d
        for d in ingested.dropped
        if d.duplicate_of is None or d.duplicate_of in new_id
    ]
    aside = [
        Dropped(path=a.url or a.path or a.title, reason=f"another story: {s.title!r}")
        for s in others
        for a in s.articles
    ]
    return IngestResult(
        articles=[a.model_copy(update={"id": new_id[a.id]}) for a in story.articles],
        dropped=dropped + aside,
        warnings=list(ingested.warnings),
    )


def split_build(
    inputs: Sequence[str],
    out_dir: Path,
    spec: BriefingSpec,
    progress: Progress | None = None,
    helper: Helper | None = None,
) -> list[tuple[Path, BuildResult]]:
    """Build one briefing per story of ``inputs`` into ``out_dir/<story>/``, largest first."""
    say = progress or (lambda _msg: None)
    jobs = resolve_jobs(spec.jobs)
    results: list[tuple[Path, BuildResult]] = []
    with (
        helper or worker.start(spec.formats, spec.template_dir, jobs) as own,
        opened(spec.cache, spec.cache_size) as cache,
    ):
        ingested = read_inputs(inputs, spec, jobs, cache)
        prewarm()
        found = _placed(ingested.articles)
        say(f"split: {len(found)} stories in {len(ingested.articles)} articles")
        taken: set[str] = set()
        for story in found:
            folder = out_dir / story_folder(story.title, taken)
            others = [s for s in found if s is not story]
            staging = staging_dir(folder)
            try:
                edition = build_edition(
                    story_input(ingested, story, others), spec, staging, folder, helper=own,
                    progress=say, cache=cache,
                )  # fmt: skip
                paths = publish_files(edition.files, folder)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            warnings = [w for w in edition.warnings if "unrelated stories" not in w]
            results.append((folder, BuildResult(edition.briefing, paths, warnings, {})))
    return results
