"""The provenance views of the template context: sources, dropped inputs, what changed, the
source panel and the reproducibility note.

The work here grows with the number of sources (thousands on a large build), so it is done once
per build by :class:`~briefgen.render.context.Views`: :class:`Panel` counts the outlets once, and
a source's view is made once however many formats and trimmed variants list it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePath
from urllib.parse import urlsplit

from briefgen.model import DROPPED_SHOWN, Briefing, Source, Statement
from briefgen.render.chart import says_something, source_chart
from briefgen.render.filters import clean_text, fmt_date, fmt_range, single_line
from briefgen.render.views import (
    ChangesView,
    DroppedView,
    OutletView,
    PanelView,
    ReproView,
    SourceView,
    StatementView,
)

# A bar per outlet stays readable up to a dozen; the rest are counted, not drawn.
PANEL_OUTLETS = 8


def href(url: str | None) -> str:
    """Only http(s) URLs become links: no ``javascript:`` or ``file:`` from untrusted input."""
    if not url:
        return ""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


def source_view(source: Source, n: int) -> SourceView:
    """One listed source; ``cited_sentences`` is left empty for the caller to fill in."""
    return {
        "n": n,
        "id": source.id,
        "anchor": f"src-{n}",
        "title": clean_text(source.title),
        "outlet": clean_text(source.outlet),
        "published": fmt_date(source.published),
        "location": single_line(source.url),  # file paths stay in the JSON
        "href": clean_text(href(source.url)),
        "words": source.words,
        "copies": source.copies,
        "language": clean_text(source.language),
        "cited_sentences": [],
    }


def cited_sentences(briefing: Briefing) -> dict[str, list[int]]:
    """Source id -> the 1-based numbers of its sentences the briefing cites, in one pass."""
    found: dict[str, set[int]] = {}
    for _, st in briefing.statements():
        for c in st.citations:
            found.setdefault(c.article_id, set()).add(c.sentence_index + 1)
    return {k: sorted(v) for k, v in found.items()}


def dropped_views(briefing: Briefing, numbers: dict[str, int]) -> list[DroppedView]:
    return [
        {
            "path": PurePath(single_line(d.path)).name or single_line(d.path),
            "reason": clean_text(d.reason),
            "duplicate_of": clean_text(d.duplicate_of),
            "duplicate_of_n": numbers.get(d.duplicate_of or ""),
        }
        for d in briefing.dropped[:DROPPED_SHOWN]
    ]


def changes_view(
    briefing: Briefing, statement: Callable[[Statement], StatementView], generated: str | None
) -> ChangesView | None:
    """What changed since the previous edition; ``statement`` makes a statement's view,
    ``generated`` is the previous edition's time as shown."""
    ch = briefing.changes
    if ch is None:
        return None
    return {
        "previous": generated or "the previous edition",
        "new_points": [statement(s) for s in ch.new_points],
        "dropped_points": [clean_text(s.text) for s in ch.dropped_points],
        "new_actors": [clean_text(n) for n in ch.new_actors],
    }


class Panel:
    """The source panel: outlets counted over every source once; :meth:`view` adds which of
    them a variant of the briefing lists."""

    def __init__(self, briefing: Briefing) -> None:
        counts: dict[str, tuple[int, int, list[int]]] = {}  # name -> articles, copies, numbers
        for n, src in enumerate(briefing.sources, 1):
            # No outlet known: the article counts as its own outlet, as support does.
            name = clean_text(src.outlet) or f"Source {n} (no outlet)"
            articles, copies, numbers = counts.get(name, (0, 0, []))
            numbers.append(n)
            counts[name] = (articles + 1, copies + src.copies, numbers)
        order = sorted(counts, key=lambda name: (-counts[name][0], name))[:PANEL_OUTLETS]
        self._outlets = [(name, *counts[name]) for name in order]
        self._more = max(0, len(counts) - len(order))
        published = [s.published for s in briefing.sources if s.published]
        bars = [(name, articles, copies) for name, articles, copies, _ in self._outlets]
        named = len({clean_text(s.outlet) for s in briefing.sources if clean_text(s.outlet)})
        self._articles = len(briefing.sources)
        self._duplicates = sum(d.duplicate_of is not None for d in briefing.dropped)
        self._dates = fmt_range(briefing.date_from, briefing.date_to)
        self._languages = sorted({clean_text(s.language) for s in briefing.sources if s.language})
        self._chart = source_chart(bars, published) if says_something(bars, named) else ""

    def view(self, listed: Iterable[int]) -> PanelView:
        """The panel of a briefing listing the sources numbered ``listed``."""
        shown = set(listed)
        outlets: list[OutletView] = [
            {
                "name": name,
                "articles": articles,
                "copies": copies,
                "sources": [n for n in numbers if n in shown],
            }
            for name, articles, copies, numbers in self._outlets
        ]
        return {
            "outlets": outlets,
            "more_outlets": self._more,
            "articles": self._articles,
            "duplicates": self._duplicates,
            "dates": self._dates,
            "languages": list(self._languages),
            "chart_svg": self._chart,
        }


def repro_view(briefing: Briefing) -> ReproView | None:
    r = briefing.reproducibility
    if r is None:
        return None
    opts = r.options
    summary = opts.get("summary") if isinstance(opts, dict) else None
    shown = {k: opts[k] for k in ("formats", "title") if opts.get(k)}
    if isinstance(summary, dict):
        shown |= {k: summary[k] for k in ("max_key_points", "redundancy") if k in summary}
    return {
        "inputs_sha256": r.inputs_sha256,
        "inputs": [f"{clean_text(i.path or '')} sha256:{i.sha256[:16]}" for i in r.inputs],
        "versions": ", ".join(f"{k} {v}" for k, v in r.versions.items()),
        "options": "; ".join(f"{k}={v}" for k, v in shown.items()),
    }
