"""The source panel's chart: plain inline SVG, no plotting library and no external file.

A bar per outlet (articles kept, plus a lighter segment for syndicated copies dropped at ingest)
and, when publication dates are known, a strip with one tick per article across the dates
covered.  WeasyPrint draws inline SVG natively, and the HTML page shows the same markup.  Every
label is XML-escaped: outlet names come from untrusted input.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape as _xml_escape

WIDTH = 420
BAR_H = 14
GAP = 6
LABEL_W = 140
ACCENT = "#1F4E79"
LIGHT = "#9DB7D1"


def escape(text: str) -> str:
    """XML-escaped for text and for attribute values alike (quotes too): an outlet name must
    never close the ``aria-label`` it is written into."""
    return _xml_escape(text, {'"': "&quot;", "'": "&#39;"})


def _label(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def says_something(outlets: Sequence[tuple[str, int, int]], named: int) -> bool:
    """Whether a chart of ``outlets`` (name, articles, copies) tells the reader anything: several
    outlets with a name (``named`` of them), or bars of unequal length.  Equal bars of unnamed
    sources ("Source 1", "Source 2", each 1) only repeat the source list."""
    lengths = {n + c for _, n, c in outlets}
    return named >= 2 or len(lengths) > 1


def describe(outlets: Sequence[tuple[str, int, int]]) -> str:
    """The chart in words, its alternative text: "Articles per outlet: Reuters 3 (+1 copy), ..."."""
    parts = []
    for name, n, copies in outlets:
        extra = f" (+{copies} {'copy' if copies == 1 else 'copies'})" if copies else ""
        parts.append(f"{' '.join(name.split())} {n}{extra}")
    return "Articles per outlet: " + ", ".join(parts)


def source_chart(outlets: Sequence[tuple[str, int, int]], published: Sequence[date] = ()) -> str:
    """SVG markup: ``outlets`` as (name, articles, copies); ``published`` one date per article.
    Its ``<title>`` (the PDF's alternative text and the HTML image's name) says it in words."""
    if not outlets:
        return ""
    alt = escape(describe(outlets))
    top = max(n + c for _, n, c in outlets) or 1
    span = WIDTH - LABEL_W - 30
    rows = []
    for i, (name, n, copies) in enumerate(outlets):
        y = i * (BAR_H + GAP)
        w_kept = span * n / top
        w_copies = span * copies / top
        rows.append(
            f'<text x="{LABEL_W - 6}" y="{y + BAR_H - 3}" text-anchor="end" '
            f'font-size="10">{_label(name)}</text>'
            f'<rect x="{LABEL_W}" y="{y}" width="{w_kept:.1f}" height="{BAR_H}" fill="{ACCENT}"/>'
        )
        if copies:
            rows.append(
                f'<rect x="{LABEL_W + w_kept:.1f}" y="{y}" width="{w_copies:.1f}" '
                f'height="{BAR_H}" fill="{LIGHT}"/>'
            )
        total = f"{n}" + (f" + {copies} copies" if copies else "")
        rows.append(
            f'<text x="{LABEL_W + w_kept + w_copies + 4:.1f}" y="{y + BAR_H - 3}" '
            f'font-size="9">{escape(total)}</text>'
        )
    height = len(outlets) * (BAR_H + GAP)
    strip = _date_strip(published, height + 8)
    if strip:
        height += 8 + 34
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="source-chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{alt}" font-family="DejaVu Sans, sans-serif"><title>{alt}</title>'
        + "".join(rows)
        + strip
        + "</svg>"
    )


def _date_strip(published: Sequence[date], y: int) -> str:
    """A line from the first to the last publication date with a tick per article."""
    if not published:
        return ""
    first, last = min(published), max(published)
    days = max((last - first).days, 1)
    x0, x1 = LABEL_W, WIDTH - 30
    parts = [
        f'<text x="{LABEL_W - 6}" y="{y + 12}" text-anchor="end" font-size="10">Published</text>',
        f'<line x1="{x0}" y1="{y + 8}" x2="{x1}" y2="{y + 8}" stroke="#5B6573" stroke-width="1"/>',
    ]
    for d in published:
        x = x0 + (x1 - x0) * (d - first).days / days
        parts.append(f'<rect x="{x - 2:.1f}" y="{y + 2}" width="4" height="12" fill="{ACCENT}"/>')
    for d, anchor, x in ((first, "start", x0), (last, "end", x1)):
        if d == last and first == last and anchor == "end":
            continue
        parts.append(
            f'<text x="{x}" y="{y + 28}" text-anchor="{anchor}" font-size="9">'
            f"{d.day} {d:%b %Y}</text>"
        )
    return "".join(parts)
