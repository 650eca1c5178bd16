"""Page fitting: keep the PDF within its page budget by showing less, never by shrinking type."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from briefgen.base.readability import section_readability
from briefgen.errors import CheckError
from briefgen.model import Briefing
from briefgen.render.registry import render
from briefgen.spec import BriefingSpec

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
            update={"readability": section_readability(briefing)}
        )
    return briefing, [f"{k.replace('_', ' ')} to {n}" for k, n in done.items()]


def fit_pages(briefing: Briefing, staging: Path, spec: BriefingSpec) -> tuple[Briefing, str]:
    """Keep a rendered briefing within its page budget by showing less, never by shrinking type.

    When the staged PDF is too long, the fewest :data:`_TRIMS` steps that make it fit are found
    by bisection (a PDF render per probe: ~1 s on a large input), then every other format is
    rendered again, so all formats show the same briefing.  Returns the briefing as published
    and what was trimmed ("" when nothing was).
    """
    pdf = staging / f"{spec.basename}.pdf"
    budget = spec.page_budget
    if "pdf" not in spec.formats or pdf_pages(pdf) <= budget:
        return briefing, ""

    def render_pdf(level: int) -> tuple[Briefing, list[str]]:
        trimmed = _trimmed(briefing, level)
        render(
            trimmed[0],
            staging,
            ["pdf"],
            spec.template_dir,
            spec.basename,
            paper=spec.paper,
            layout=spec.layout,
        )
        return trimmed

    # Pages never grow as more is trimmed, so the smallest level that fits can be bisected;
    # when even the last level is too long, it is kept and the page check reports it.
    lo, hi = 1, len(_TRIMS)
    best = len(_TRIMS)
    last: tuple[int, tuple[Briefing, list[str]]] | None = None  # the level the PDF shows now
    while lo <= hi:
        mid = (lo + hi) // 2
        last = (mid, render_pdf(mid))
        if pdf_pages(pdf) <= budget:
            best, hi = mid, mid - 1
        else:
            lo = mid + 1
    final, done = last[1] if last is not None and last[0] == best else render_pdf(best)
    others = [f for f in spec.formats if f != "pdf"]
    render(
        final,
        staging,
        others,
        spec.template_dir,
        spec.basename,
        paper=spec.paper,
        layout=spec.layout,
    )
    return final, ", ".join(done)


def pdf_pages(path: Path) -> int:
    """Pages of a PDF: poppler's pdfinfo when installed (a build asks on every run, and
    importing pypdf alone takes longer than pdfinfo's whole run), else pypdf."""
    if exe := shutil.which("pdfinfo"):
        done = subprocess.run([exe, str(path)], capture_output=True, timeout=60)
        found = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
        if done.returncode == 0 and found:
            return int(found.group(1))
    from pypdf import PdfReader

    try:
        return len(PdfReader(str(path)).pages)
    except Exception as exc:  # pypdf raises many types on a damaged file
        raise CheckError(f"{path}: cannot read PDF ({exc})") from exc
