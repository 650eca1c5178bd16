"""``briefgen build``: read files into a briefing and publish it into one folder, all or none.

The articles come from :func:`briefgen.ingest.read.ingest`; the edition from the one build route
(:func:`briefgen.pipeline.build_edition`); publishing is :func:`publish_files` (every format is
replaced at once, or none is).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.base.budget import run_limits
from briefgen.base.parallel import Helper, resolve_jobs
from briefgen.ingest.read import ingest
from briefgen.model import Briefing
from briefgen.pipeline import Progress, build_edition, prewarm
from briefgen.render import worker
from briefgen.service.publish import publish_files, staging_dir
from briefgen.spec import BriefingSpec


@dataclass
class BuildResult:
    briefing: Briefing
    paths: list[Path]
    warnings: list[str]
    timings: dict[str, float]


def build(
    inputs: Sequence[str],
    out_dir: Path,
    spec: BriefingSpec | None = None,
    progress: Progress | None = None,
    helper: Helper | None = None,
    previous: Briefing | None = None,
) -> BuildResult:
    """Read ``inputs``, build the briefing and publish every format into ``out_dir``.

    ``helper`` is a :func:`briefgen.render.worker.start` process the caller started early (the
    CLI does, before importing this module); it is closed here.  Outputs are staged in a folder
    inside ``out_dir`` and moved into place only when every format rendered and passed its
    checks, so a failure never leaves a half-written or mixed set of files.
    """
    spec = spec or BriefingSpec()
    limits = spec.limits
    with run_limits(limits.max_run_seconds, limits.max_memory, "build"):
        return _build(inputs, out_dir, spec, progress, helper, previous)


def _build(
    inputs: Sequence[str],
    out_dir: Path,
    spec: BriefingSpec,
    progress: Progress | None,
    helper: Helper | None,
    previous: Briefing | None,
) -> BuildResult:
    say = progress or (lambda _msg: None)
    jobs = resolve_jobs(spec.jobs)
    with helper or worker.start(spec.formats, spec.template_dir, jobs) as own:
        t = time.perf_counter()
        # Cold start on two cores: the helper is importing WeasyPrint while this process reads
        # the files and loads what the summarizer needs.
        ingested = ingest(inputs, spec.limits, jobs)
        prewarm()
        ingest_time = time.perf_counter() - t
        say(f"ingest: {len(ingested.articles)} articles, {len(ingested.dropped)} dropped")
        staging = staging_dir(out_dir)
        try:
            edition = build_edition(
                ingested, spec, staging, out_dir, previous=previous, helper=own, progress=say
            )
            t = time.perf_counter()
            paths = publish_files(edition.files, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    timings = {"ingest": ingest_time, **edition.timings, "write": time.perf_counter() - t}
    return BuildResult(edition.briefing, paths, edition.warnings, timings)
