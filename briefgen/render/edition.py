"""Every format of one briefing into a staging folder, the PDF fitted to its page budget.

The template context is built once (:class:`~briefgen.render.context.Views`) and shared by every
format, the PDF helper process and the page fitting.  The helper lays out and writes the PDF
(:func:`~briefgen.render.fit.fit_pdf`) while this process writes the other formats; when the
PDF had to be trimmed to fit, the other formats are written again from the trimmed briefing, so
every format shows the same one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.base.parallel import Helper
from briefgen.model import Briefing
from briefgen.render.context import Views
from briefgen.render.fit import fit_pdf, trim
from briefgen.render.registry import RENDERERS, prepare, render
from briefgen.spec import BriefingSpec


@dataclass
class Rendered:
    """The staged files and the briefing they show."""

    briefing: Briefing  # trimmed when the PDF needed it
    files: list[Path]
    trimmed: str = ""  # what was cut to fit the page budget ("" when nothing was)
    timings: dict[str, float] = field(default_factory=dict)


def render_edition(
    briefing: Briefing, staging: Path, spec: BriefingSpec, helper: Helper
) -> Rendered:
    """Write every format of ``spec`` into ``staging``; ``timings`` has ``render_<format>``
    (seconds) and ``pdf_layouts`` (WeasyPrint layouts the PDF took: 1, or 2 when trimmed)."""
    prepare(staging, spec.basename, spec.template_dir)  # before the helper writes there
    views = Views(briefing, paper=spec.paper, layout=spec.layout)
    formats = list(dict.fromkeys(spec.formats))
    others = [f for f in formats if f != "pdf"]
    pdf = staging / f"{spec.basename}.{RENDERERS['pdf'].extension}"
    fitting = (
        helper.submit(fit_pdf, views, pdf, spec.template_dir, spec.page_budget)
        if "pdf" in formats
        else None
    )
    timings = _render(views, briefing, staging, others, spec)
    trimmed: list[str] = []
    if fitting is not None:
        fitted = fitting.result()
        timings |= {"render_pdf": fitted.seconds, "pdf_layouts": float(fitted.layouts)}
        if fitted.level:
            briefing, trimmed = trim(briefing, fitted.level)
            again = _render(views, briefing, staging, others, spec)
            timings |= {k: timings[k] + v for k, v in again.items()}
    files = [staging / f"{spec.basename}.{RENDERERS[f].extension}" for f in formats]
    return Rendered(briefing, files, ", ".join(trimmed), timings)


def _render(
    views: Views, briefing: Briefing, staging: Path, formats: Sequence[str], spec: BriefingSpec
) -> dict[str, float]:
    """Write ``formats`` of ``briefing`` (``views``' briefing or a trimmed copy of it), each
    timed; the context is made once for all of them."""
    timings: dict[str, float] = {}
    t = time.perf_counter()
    context = views.context(briefing) if formats else None
    for fmt in formats:
        render(briefing, staging, [fmt], spec.template_dir, spec.basename, context)
        timings[f"render_{fmt}"] = time.perf_counter() - t
        t = time.perf_counter()
    return timings
