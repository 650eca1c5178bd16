"""``briefgen build``: read files into a briefing and publish it into one folder, all or none.

The articles come from :func:`briefgen.service.inputs.read_inputs` (files, feeds, URLs); the
edition from the one build route
(:func:`briefgen.pipeline.build_edition`); publishing is :func:`publish_files` (every format is
replaced at once, or none is).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.base.budget import run_limits
from briefgen.base.cache import opened
from briefgen.base.parallel import Helper, resolve_jobs
from briefgen.errors import PublishError
from briefgen.model import Briefing
from briefgen.pipeline import Progress, build_edition, prewarm
from briefgen.render import worker
from briefgen.service.inputs import read_inputs
from briefgen.service.publish import flock_wait, usual_mode
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
    lock_wait: float = 30.0,
) -> BuildResult:
    """Read ``inputs``, build the briefing and publish every format into ``out_dir``.

    One build at a time writes to ``out_dir``: a second waits up to ``lock_wait`` seconds for
    the lock, then fails with LockBusy.  The whole build is bounded by the spec's
    ``max_run_seconds`` and ``max_memory`` (RunLimitExceeded).

    ``helper`` is a :func:`briefgen.render.worker.start` process the caller started early (the
    CLI does, before importing this module); it is closed here.  Outputs are staged in a folder
    inside ``out_dir`` and moved into place only when every format rendered and passed its
    checks, so a failure never leaves a half-written or mixed set of files.
    """
    spec = spec or BriefingSpec()
    limits = spec.limits
    with (
        run_limits(limits.max_run_seconds, limits.max_memory, "build"),
        output_lock(out_dir, lock_wait),
    ):
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
    with (
        helper or worker.start(spec.formats, spec.template_dir, jobs) as own,
        opened(spec.cache, spec.cache_size) as cache,
    ):
        t = time.perf_counter()
        # Cold start on two cores: the helper is importing WeasyPrint while this process reads
        # the files and loads what the summarizer needs.
        ingested = read_inputs(inputs, spec, jobs, cache)  # files; feeds and URLs as `run` does
        prewarm()
        ingest_time = time.perf_counter() - t
        say(f"ingest: {len(ingested.articles)} articles, {len(ingested.dropped)} dropped")
        staging = staging_dir(out_dir)
        try:
            edition = build_edition(
                ingested, spec, staging, out_dir, previous=previous, helper=own, progress=say,
                cache=cache,
            )  # fmt: skip
            t = time.perf_counter()
            paths = publish_files(edition.files, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    timings = {"ingest": ingest_time, **edition.timings, "write": time.perf_counter() - t}
    return BuildResult(edition.briefing, paths, edition.warnings, timings)


# --------------------------------------------------------------------------- the output folder


@contextlib.contextmanager
def output_lock(out_dir: Path, wait: float = 30.0) -> Iterator[None]:
    """Hold ``briefgen build``'s lock on its output folder: a second build into the same
    folder waits up to ``wait`` seconds, then fails with LockBusy.  The lock is ``flock`` on
    the folder itself, so no lock file is left among the outputs."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except FileExistsError as exc:
        raise PublishError(f"{out_dir}: output path exists and is not a folder") from exc
    except OSError as exc:
        raise PublishError(f"{out_dir}: cannot write output folder ({exc.strerror})") from exc
    try:
        busy = f"{out_dir}: another briefgen build is writing to this folder"
        flock_wait(fd, wait, out_dir, busy)
        yield
    finally:
        os.close(fd)


def staging_dir(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".briefgen-staging-", dir=out_dir))
    except FileExistsError as exc:
        raise PublishError(f"{out_dir}: output path exists and is not a folder") from exc
    except OSError as exc:
        raise PublishError(f"{out_dir}: cannot write output folder ({exc.strerror})") from exc


def publish_files(staged: Sequence[Path], out_dir: Path) -> list[Path]:
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
            os.chmod(src, usual_mode())
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
