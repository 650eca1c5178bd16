"""Page fitting: keep the PDF within its page budget by showing less, never by shrinking type.

The PDF is laid out once.  When it is over its budget, the layout tells how tall every line,
row and item is (:mod:`briefgen.render.paging`), so the pages each step of :data:`TRIMS` would
leave are predicted without laying out again; the fewest steps predicted to fit are laid out
and written.  Two layouts in the common case; when a prediction was short, one more step is
laid out at a time until the PDF fits (or the last step is kept, and the page check says so).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.base.readability import section_readability
from briefgen.errors import CheckError
from briefgen.model import Briefing
from briefgen.render.context import Views
from briefgen.render.paging import Flow, flow_of
from briefgen.render.views import BriefingContext

if TYPE_CHECKING:
    import weasyprint

# Optional content given up, step by step, when the PDF is over its page budget: the bottom line
# and at least three key points always stay.  (section, items kept)
TRIMS: tuple[tuple[tuple[str, int], ...], ...] = (
    (("actors", 6), ("quotes", 3), ("dates", 4), ("keyphrases", 6), ("disagreements", 2)),
    (("actors", 4), ("background", 2), ("outlook", 2), ("quotes", 2), ("dates", 2)),
    (("actors", 3), ("disagreements", 1), ("keyphrases", 0), ("quotes", 1), ("dates", 1)),
    (("key_points", 4), ("background", 1), ("outlook", 1), ("quotes", 0), ("dates", 0)),
    (("key_points", 3), ("actors", 3), ("disagreements", 0), ("background", 0), ("outlook", 0)),
)

# The template's sections (element ids) that trimming shortens, the context list each shows,
# and the context lists that keep a section shown when its own list is empty.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("key-points", "key_points", ()),
    ("background", "background", ()),
    ("outlook", "outlook", ()),
    ("disagreements", "disagreements", ("name_variants", "disagreements")),
    ("actors", "actors", ()),
    ("timeline", "dates", ()),
    ("quotes", "quotes", ()),
    ("keyphrases", "keyphrases", ()),
)
COMPACT_SOURCES = 12
"""More listed sources than this and the template sets the list small (``.sources.compact``)."""


def trim(briefing: Briefing, level: int) -> tuple[Briefing, list[str]]:
    """``briefing`` with the first ``level`` steps of :data:`TRIMS` applied, and what they cut."""
    done: dict[str, int] = {}  # section -> items kept, the last cut of each
    for step in TRIMS[:level]:
        cut = {k: n for k, n in step if len(getattr(briefing, k)) > n}
        briefing = briefing.model_copy(update={k: getattr(briefing, k)[:n] for k, n in cut.items()})
        done |= cut
    if done:
        briefing.quality = briefing.quality.model_copy(
            update={"readability": section_readability(briefing)}
        )
    return briefing, [f"{k.replace('_', ' ')} to {n}" for k, n in done.items()]


@dataclass
class Fitted:
    """The PDF as written: the :data:`TRIMS` level it shows, its pages, the layouts it took and
    the time spent."""

    level: int
    pages: int
    layouts: int
    seconds: float = 0.0


def fit_pdf(views: Views, path: Path, template_dir: Path | None, budget: int) -> Fitted:
    """Lay out and write the PDF of ``views``' briefing, trimmed to ``budget`` pages if needed.

    Runs in the helper process (WeasyPrint is loaded there); the caller applies :func:`trim`
    with the returned level to publish the same briefing in every other format.
    """
    from briefgen.render.pdf import lay_out, write_document

    started = time.perf_counter()
    briefing = views.briefing
    variants = {0: views.context(target="pdf")}
    layouts: list[int] = []  # the level of each layout made

    def lay(level: int) -> weasyprint.Document:
        layouts.append(level)
        return lay_out(briefing, template_dir, variants[level])

    document, level = lay(0), 0
    if len(document.pages) > budget:
        variants |= {
            k: views.context(trim(briefing, k)[0], "pdf") for k in range(1, len(TRIMS) + 1)
        }
        guess = predict(flow_of(document), variants, budget)
        if guess is None:  # a template the layout cannot be read from: search by layouts
            level, document = _search(lay, budget)
        else:
            level, document = guess, lay(guess)
            while len(document.pages) > budget and level < len(TRIMS):
                level += 1  # the prediction was short: one more step
                document = lay(level)
    write_document(document, path)
    return Fitted(level, len(document.pages), len(layouts), time.perf_counter() - started)


def _search(
    lay: Callable[[int], weasyprint.Document], budget: int
) -> tuple[int, weasyprint.Document]:
    """The fewest :data:`TRIMS` steps that fit, by bisection (pages never grow as more is
    trimmed), a layout per probe; the last step when none fits."""
    lo, hi = 1, len(TRIMS)
    best: tuple[int, weasyprint.Document] | None = None
    while lo <= hi:
        mid = (lo + hi) // 2
        document = lay(mid)
        if len(document.pages) <= budget:
            best, hi = (mid, document), mid - 1
        else:
            lo = mid + 1
    return best or (len(TRIMS), lay(len(TRIMS)))


def predict(flow: Flow, variants: dict[int, BriefingContext], budget: int) -> int | None:
    """The fewest trimming steps whose layout :meth:`Flow.pages` predicts within ``budget``
    (the last step when none is); None when the layout has none of the sections trimming
    shortens (a template of one's own without their ids)."""
    if not any(f"#{section}" in flow.names for section, _, _ in SECTIONS):
        return None
    for level in range(1, len(TRIMS) + 1):
        if flow.pages(left_out(variants[0], variants[level])) <= budget:
            return level
    return len(TRIMS)


def left_out(full: BriefingContext, trimmed: BriefingContext) -> set[str]:
    """Names (:mod:`briefgen.render.paging`) of what ``trimmed`` no longer shows of ``full``:
    whole sections, items past the kept ones, and sources no longer listed."""
    gone: set[str] = set()
    for section, key, alive in SECTIONS:
        shown = alive or (key,)
        if any(full[k] for k in shown) and not any(trimmed[k] for k in shown):  # type: ignore[literal-required]
            gone.add(f"#{section}")
        before, after = len(full[key]), len(trimmed[key])  # type: ignore[literal-required]
        gone |= {f"#{section}/{i}" for i in range(after, before)}
    listed = {s["anchor"] for s in trimmed["sources"]}
    # The list set small stays small: otherwise its lines grow and no height is known.
    if len(full["sources"]) <= COMPACT_SOURCES or len(listed) > COMPACT_SOURCES:
        gone |= {f"#{s['anchor']}" for s in full["sources"] if s["anchor"] not in listed}
    return gone


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
