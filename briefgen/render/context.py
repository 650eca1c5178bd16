"""The one context dict every template and the DOCX writer see, built from a :class:`Briefing`.

Article text is untrusted: it is cleaned here once (control characters that XML forbids are
stripped) and then only ever treated as data.  Templates get plain dicts and lists
(:mod:`briefgen.render.views`), never the pydantic model, so a template cannot reach methods or
internals, and the sandbox blocks the rest.  :func:`get_context` runs once per render call;
:func:`for_target` gives each format its view of it.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import PurePath
from urllib.parse import urlsplit

import briefgen
from briefgen.errors import RenderError
from briefgen.model import (
    ACTOR_SOURCES_SHOWN,
    CITATIONS_SHOWN,
    DROPPED_SHOWN,
    Briefing,
    Statement,
)
from briefgen.render.chart import says_something, source_chart
from briefgen.render.env import BUILTIN_TEMPLATES
from briefgen.render.filters import clean_text, fmt_date, fmt_range, single_line
from briefgen.render.views import (
    ActorView,
    BriefingContext,
    ChangesView,
    DateView,
    DisagreementView,
    DroppedView,
    OutletView,
    PanelView,
    QuoteView,
    ReadabilityView,
    ReproView,
    SourceView,
    StatementView,
)

__all__ = [
    "BUILTIN_TEMPLATES",  # re-exported: briefgen.service.publish reads the index template there
    "PANEL_OUTLETS",
    "SECTION_LABELS",
    "brief_source_ids",
    "briefing_language",
    "for_target",
    "get_context",
]

SECTION_LABELS = {
    "bottom_line": "Bottom line",
    "key_points": "Key points",
    "background": "Background",
    "outlook": "Outlook",
    "actors": "Actors",
    "dates": "Timeline",
    "quotes": "Quotes",
    "keyphrases": "Keyphrases",
    "sources": "Sources",
    "dropped": "Dropped inputs",
    "readability": "Readability",
    "disagreements": "Disagreements",
    "changes": "What changed",
    "panel": "Source panel",
    "reproducibility": "Reproducibility",
}

# A bar per outlet stays readable up to a dozen; the rest are counted, not drawn.
PANEL_OUTLETS = 8


def get_context(
    briefing: Briefing, target: str = "html", *, paper: str = "a4", layout: str = "memo"
) -> BriefingContext:
    """The only dict templates see: cleaned text, citation numbers resolved, dates formatted.

    ``paper`` and ``layout`` are the page settings of the render (see
    :class:`~briefgen.spec.BriefingSpec`)."""
    numbers = _numbers(briefing)
    actors = _actors(briefing, numbers)
    sources = _sources(briefing, numbers)
    readability = _readability(briefing)
    keyphrases = [clean_text(k.phrase) for k in briefing.keyphrases if clean_text(k.phrase)]
    bottom_line = _views(briefing.bottom_line, numbers)
    key_points = _views(briefing.key_points, numbers)
    return {
        "target": target,
        "paper": paper,
        "layout": layout,
        "lang": briefing_language(briefing),
        "labels": dict(SECTION_LABELS),
        "title": clean_text(briefing.title),
        "generator": f"briefgen {getattr(briefgen, '__version__', '')}".strip(),
        "author": "briefgen",
        "generated": _generated(briefing.generated_at),
        "generated_iso": _iso_datetime(briefing.generated_at),
        "date_range": fmt_range(briefing.date_from, briefing.date_to),
        "n_sources": len(briefing.sources),
        "new_since": fmt_date(briefing.new_since),
        "n_new_sources": sum(s.new for s in briefing.sources),
        "description": " ".join(s["text"] for s in bottom_line),
        "keywords": keyphrases,
        "bottom_line": bottom_line,
        "key_points": key_points,
        "background": _views(briefing.background, numbers),
        "outlook": _views(briefing.outlook, numbers),
        "actors": actors,
        "dates": _dates(briefing, numbers),
        "quotes": _quotes(briefing, numbers),
        "keyphrases": keyphrases,
        "sources": sources,
        "brief_sources": [s for s in sources if s["n"] in _cited_by(bottom_line + key_points)],
        "more_sources": len(briefing.sources) - len(sources),
        "dropped": _dropped(briefing, numbers),
        "more_dropped": max(0, len(briefing.dropped) - DROPPED_SHOWN),
        "readability": readability,
        "target_warnings": list(briefing.quality.warnings),
        "faithful": briefing.quality.faithful,
        "disagreements": _disagreements(briefing, numbers),
        "name_variants": _name_variants(actors),
        "changes": _changes(briefing, numbers),
        "panel": _panel(briefing, sources),
        "reproducibility": _repro(briefing),
    }


def briefing_language(briefing: Briefing) -> str:
    """The language most sources are in (a BCP 47 tag such as "en"), "en" when none says."""
    found = [clean_text(s.language).strip() for s in briefing.sources if s.language]
    tags = [t for t in found if re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", t)]
    return max(sorted(set(tags)), key=tags.count) if tags else "en"


def brief_source_ids(briefing: Briefing) -> set[str]:
    """Sources a one-page brief lists: those its bottom line and key points cite."""
    return {
        c.article_id
        for st in briefing.bottom_line + briefing.key_points
        for c in st.citations[:CITATIONS_SHOWN]
    }


def _cited_by(items: list[StatementView]) -> set[int]:
    return {n for st in items for n in st["cites"]}


def for_target(context: BriefingContext, target: str) -> BriefingContext:
    """``context`` as the format ``target`` sees it: a shallow copy with ``target`` set, so
    one context serves every format of a render call."""
    view = context.copy()
    view["target"] = target
    return view


# --------------------------------------------------------------------------- statements


def _numbers(briefing: Briefing) -> dict[str, int]:
    """Each source's number, as :meth:`Briefing.source_number` gives it, in one pass (asking it
    per source is quadratic: minutes at 80,000 sources)."""
    numbers: dict[str, int] = {}
    for i, s in enumerate(briefing.sources, 1):
        numbers.setdefault(s.id, i)
    return numbers


def _statement(st: Statement, numbers: dict[str, int]) -> StatementView:
    for c in st.citations:
        if c.article_id not in numbers:
            raise RenderError(f"briefing cites unknown source {c.article_id!r}")
    shown = st.citations[:CITATIONS_SHOWN]  # the support count tells how many more agree
    cites = {numbers[c.article_id] for c in shown}
    notes = [f"{numbers[c.article_id]}:{c.sentence_index + 1}" for c in shown]
    return {
        "text": clean_text(st.text),
        "cites": sorted(cites),
        "single_source": st.single_source,
        "shortened": st.shortened,
        "support": st.support,
        "new": st.new,
        "notes": notes,
        "tooltip": "; ".join(
            f"source {n.split(':')[0]}, sentence {n.split(':')[1]}" for n in notes
        ).capitalize(),
    }


def _views(items: list[Statement], numbers: dict[str, int]) -> list[StatementView]:
    return [_statement(s, numbers) for s in items]


def _iso_datetime(dt: datetime) -> str:
    """W3C datetime for PDF metadata; a naive time is taken as UTC."""
    aware = dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return aware.isoformat(timespec="seconds").replace("+00:00", "Z")


def _generated(dt: datetime) -> str:
    zone = f" {dt.tzname()}" if dt.tzinfo and dt.tzname() else ""
    return f"{fmt_date(dt.date())}, {dt:%H:%M}{zone}"


def _href(url: str | None) -> str:
    """Only http(s) URLs become links: no ``javascript:`` or ``file:`` from untrusted input."""
    if not url:
        return ""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


# --------------------------------------------------------------------------- sections


def _actors(briefing: Briefing, numbers: dict[str, int]) -> list[ActorView]:
    return [
        {
            "name": clean_text(a.name),
            "kind": a.kind,
            "total": a.total_mentions,
            "per_source": sorted(
                ({"n": numbers[k], "count": v} for k, v in a.top_mentions(numbers)),
                key=lambda m: m["n"],
            ),
            "more_sources": max(0, len(a.mentions) - ACTOR_SOURCES_SHOWN),
            "role": _statement(a.role, numbers) if a.role else None,
            "also_called": [clean_text(x) for x in a.aliases if x not in a.name],
        }
        for a in briefing.actors
    ]


def _name_variants(actors: list[ActorView]) -> list[str]:
    return [
        f"{clean_text(a['name'])} (also called {', '.join(a['also_called'])})"
        for a in actors
        if a["also_called"]
    ]


def _dates(briefing: Briefing, numbers: dict[str, int]) -> list[DateView]:
    return [
        {
            "text": clean_text(d.text),
            "iso": clean_text(d.iso),
            "statement": _statement(d.statement, numbers),
            "relative": d.relative,
            "conflict": clean_text(d.conflict),
        }
        for d in briefing.dates
    ]


def _quotes(briefing: Briefing, numbers: dict[str, int]) -> list[QuoteView]:
    return [
        {"speaker": clean_text(q.speaker), "statement": _statement(q.statement, numbers)}
        for q in briefing.quotes
    ]


def _readability(briefing: Briefing) -> list[ReadabilityView]:
    return [
        {
            "section": key,
            "label": SECTION_LABELS.get(key, key.replace("_", " ").capitalize()),
            **r.model_dump(),  # type: ignore[typeddict-item]
        }
        for key, r in briefing.quality.readability.items()
    ]


def _disagreements(briefing: Briefing, numbers: dict[str, int]) -> list[DisagreementView]:
    return [
        {
            "topic": clean_text(d.topic),
            "kind": d.kind,
            "values": [clean_text(v) for v in d.values],
            "claims": _views(d.claims, numbers),
        }
        for d in briefing.disagreements
    ]


# --------------------------------------------------------------------------- provenance views


def _sources(briefing: Briefing, numbers: dict[str, int]) -> list[SourceView]:
    return [
        {
            "n": numbers[s.id],
            "id": s.id,
            "anchor": f"src-{numbers[s.id]}",
            "title": clean_text(s.title),
            "outlet": clean_text(s.outlet),
            "published": fmt_date(s.published),
            "location": single_line(s.url),  # file paths stay in the JSON
            "href": clean_text(_href(s.url)),
            "words": s.words,
            "copies": s.copies,
            "language": clean_text(s.language),
            "cited_sentences": _cited_sentences(briefing, s.id),
        }
        for s in briefing.listed_sources()
    ]


def _cited_sentences(briefing: Briefing, source_id: str) -> list[int]:
    found = {
        c.sentence_index + 1
        for _, st in briefing.statements()
        for c in st.citations
        if c.article_id == source_id
    }
    return sorted(found)


def _dropped(briefing: Briefing, numbers: dict[str, int]) -> list[DroppedView]:
    return [
        {
            "path": PurePath(single_line(d.path)).name or single_line(d.path),
            "reason": clean_text(d.reason),
            "duplicate_of": clean_text(d.duplicate_of),
            "duplicate_of_n": numbers.get(d.duplicate_of or ""),
        }
        for d in briefing.dropped[:DROPPED_SHOWN]
    ]


def _changes(briefing: Briefing, numbers: dict[str, int]) -> ChangesView | None:
    ch = briefing.changes
    if ch is None:
        return None
    prev = ch.previous_generated_at
    return {
        "previous": _generated(prev) if prev else "the previous edition",
        "new_points": [_statement(s, numbers) for s in ch.new_points],
        "dropped_points": [clean_text(s.text) for s in ch.dropped_points],
        "new_actors": [clean_text(n) for n in ch.new_actors],
    }


def _panel(briefing: Briefing, sources: list[SourceView]) -> PanelView:
    by_outlet: dict[str, OutletView] = {}
    listed = {s["n"] for s in sources}
    for n, src in enumerate(briefing.sources, 1):
        # No outlet known: the article counts as its own outlet, as support does.
        name = clean_text(src.outlet) or f"Source {n} (no outlet)"
        view = by_outlet.setdefault(name, {"name": name, "articles": 0, "copies": 0, "sources": []})
        view["articles"] += 1
        view["copies"] += src.copies
        if n in listed:
            view["sources"].append(n)
    outlets = sorted(by_outlet.values(), key=lambda o: (-o["articles"], o["name"]))[:PANEL_OUTLETS]
    published = [s.published for s in briefing.sources if s.published]
    bars = [(o["name"], o["articles"], o["copies"]) for o in outlets]
    named = len({clean_text(s.outlet) for s in briefing.sources if clean_text(s.outlet)})
    return {
        "outlets": outlets,
        "more_outlets": max(0, len(by_outlet) - len(outlets)),
        "articles": len(briefing.sources),
        "duplicates": sum(d.duplicate_of is not None for d in briefing.dropped),
        "dates": fmt_range(briefing.date_from, briefing.date_to),
        "languages": sorted({clean_text(s.language) for s in briefing.sources if s.language}),
        "chart_svg": source_chart(bars, published) if says_something(bars, named) else "",
    }


def _repro(briefing: Briefing) -> ReproView | None:
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
