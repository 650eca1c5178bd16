"""The helper process's share of a build: load WeasyPrint early, then lay out and write the PDF
(:func:`briefgen.render.fit.fit_pdf`, submitted by :mod:`briefgen.render.edition`).

A cold ``briefgen build`` on two cores is bounded by WeasyPrint (~0.5 s to import, ~0.4 s to lay
out a memo).  :func:`start` forks the helper before the CLI loads the pipeline, so the import
overlaps everything the main process does; this module imports nothing heavy itself, or that
head start would be lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefgen.base.parallel import Helper


def start(formats: Sequence[str], template_dir: Path | None, jobs: int) -> Helper:
    """A helper process (none with ``jobs`` 1) already loading what the PDF render needs."""
    helper = Helper(enabled=jobs > 1)
    if helper.enabled and "pdf" in formats:
        helper.submit(warm, template_dir)
    return helper


def warm(template_dir: Path | None) -> None:
    """Import WeasyPrint and the renderers, and load the fonts the stylesheet asks for."""
    from briefgen.render import fit, pdf  # noqa: F401  (fit: what unpickling the job needs)

    pdf.warm(template_dir)
