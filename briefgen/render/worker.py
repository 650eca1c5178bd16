"""The helper process's share of a build: load WeasyPrint early, then render the PDF.

A cold ``briefgen build`` on two cores is bounded by WeasyPrint (~0.5 s to import, ~0.4 s to lay
out a memo).  :func:`start` forks the helper before the CLI loads the pipeline, so the import
overlaps everything the main process does; this module imports nothing heavy itself, or that
head start would be lost.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.base.parallel import Helper

if TYPE_CHECKING:
    from briefgen.model import Briefing
    from briefgen.render.views import BriefingContext


def start(formats: Sequence[str], template_dir: Path | None, jobs: int) -> Helper:
    """A helper process (none with ``jobs`` 1) already loading what the PDF render needs."""
    helper = Helper(enabled=jobs > 1)
    if helper.enabled and "pdf" in formats:
        helper.submit(warm, template_dir)
    return helper


def warm(template_dir: Path | None) -> None:
    """Import WeasyPrint and the renderers, and load the fonts the stylesheet asks for."""
    from briefgen.render import pdf, registry  # noqa: F401  (registry: what unpickling needs)

    pdf.warm(template_dir)


def render_timed(
    briefing: Briefing,
    folder: Path,
    fmt: str,
    template_dir: Path | None,
    basename: str,
    paper: str = "a4",
    layout: str = "memo",
    context: BriefingContext | None = None,
) -> tuple[list[Path], float]:
    """Render one format and time it (runs in the helper process for the PDF)."""
    from briefgen.render.registry import render

    t = time.perf_counter()
    paths = render(
        briefing, folder, [fmt], template_dir, basename, context, paper=paper, layout=layout
    )
    return paths, time.perf_counter() - t


def render_timed_many(
    briefing: Briefing,
    folder: Path,
    formats: Sequence[str],
    template_dir: Path | None,
    basename: str,
    paper: str = "a4",
    layout: str = "memo",
) -> dict[str, tuple[list[Path], float]]:
    """:func:`render_timed` for each of ``formats`` in this process, sharing one template context
    (built once, its time counted in the first format's)."""
    from briefgen.render.registry import RENDERERS, get_context

    done: dict[str, tuple[list[Path], float]] = {}
    context: BriefingContext | None = None
    for fmt in formats:
        t = time.perf_counter()
        if context is None and fmt in RENDERERS and RENDERERS[fmt].needs_context:
            context = get_context(briefing, paper=paper, layout=layout)
        paths, _ = render_timed(
            briefing, folder, fmt, template_dir, basename, paper, layout, context
        )
        done[fmt] = (paths, time.perf_counter() - t)
    return done
