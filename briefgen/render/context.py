"""The Jinja environment and the one context dict every template and the DOCX writer see.

Article text is untrusted: it is cleaned here once (control characters that XML forbids are
stripped) and then only ever treated as data.  Templates get plain dicts and lists, never the
pydantic model, so a template cannot reach methods or internals, and the sandbox blocks the rest.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypedDict
from urllib.parse import urlsplit

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.sandbox import SandboxedEnvironment

import briefgen
from briefgen.base.cache import private_dir
from briefgen.errors import RenderError
from briefgen.model import (
    ACTOR_SOURCES_SHOWN,
    CITATIONS_SHOWN,
    DROPPED_SHOWN,
    Briefing,
    Statement,
)

BUILTIN_TEMPLATES = Path(briefgen.__file__).resolve().parent.parent / "templates"

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

# Characters XML 1.0 forbids or that only arise from broken decoding: C0 controls except tab and
# newline, DEL, C1 controls, lone surrogates and the two non-characters U+FFFE/U+FFFF.  Also bidi
# embeddings/overrides/isolates: an unclosed U+202E reverses the rest of a paragraph in DOCX and
# PDF ("Trojan Source"); ingest strips them too, this covers briefings loaded from JSON.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]])")
_MD_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


# --------------------------------------------------------------------------- cleaning/filters


def clean_text(text: str | None) -> str:
    """Strip characters XML (DOCX, PDF via HTML) cannot hold; keep ``\\n`` and ``\\t``."""
    if not text:
        return ""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _one_line(text: str | None) -> str:
    """A path or URL on one line: the Markdown template shows them in a code span, which a
    newline in a (hostile) file name would end, letting the rest through as raw HTML."""
    return " ".join(clean_text(text).split())


def md_escape(text: object) -> str:
    """Make untrusted text literal in Markdown: no raw HTML, no emphasis, no links.

    ``<``, ``>`` and ``&`` become entities (Markdown viewers pass raw HTML through); Markdown
    punctuation is backslash-escaped; whitespace collapses so text cannot start a new block.
    """
    s = " ".join(str(text).split())
    s = _MD_SPECIAL_RE.sub(r"\\\1", s)
    return "".join(_MD_ENTITIES.get(ch, ch) for ch in s)


def cite_label(numbers: list[int]) -> str:
    """``[1]`` or ``[1, 2]``: the marker a reader matches against the source list."""
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def fmt_date(d: date | None) -> str:
    """``25 November 2026``: unambiguous for readers on both sides of the Atlantic."""
    return f"{d.day} {d:%B %Y}" if d else ""


def fmt_range(start: date | None, end: date | None) -> str:
    """A compact date range, e.g. ``12–20 January 2026``; empty when nothing is known."""
    if start and end and start > end:
        start, end = end, start
    if not (start and end):
        return fmt_date(start or end)
    if start == end:
        return fmt_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {fmt_date(end)}"
    return f"{fmt_date(start)} – {fmt_date(end)}"


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs: compiling the three templates costs ~0.1 s, a
    large share of a cold build.  Entries are keyed by a hash of the template source, so an
    edited template (built-in or the user's) is compiled afresh."""
    import jinja2

    folder = private_dir(f"jinja-{jinja2.__version__}")
    return FileSystemBytecodeCache(str(folder)) if folder is not None else None


def get_env(template_dir: Path | str | None = None) -> SandboxedEnvironment:
    """The only Jinja environment: sandboxed, strict, HTML-escaping, user folder first.

    A user's ``template_dir`` is searched before the built-in templates, so overriding one file
    (say ``briefing.md.j2``) keeps the others.
    """
    loaders: list[BaseLoader] = []
    if template_dir is not None:
        folder = Path(template_dir)
        if not folder.is_dir():
            raise RenderError(f"template dir not found: {folder}")
        loaders.append(FileSystemLoader(folder))
    loaders.append(FileSystemLoader(BUILTIN_TEMPLATES))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "html.j2", "xml.j2"),
            default_for_string=True,
            default=False,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md"] = md_escape
    env.filters["cite_label"] = cite_label
    return env


def template_roots(template_dir: Path | str | None = None) -> list[Path]:
    """Folders templates may load assets from (the PDF url_fetcher's allow-list)."""
    roots = [Path(template_dir).resolve()] if template_dir is not None else []
    return [*roots, BUILTIN_TEMPLATES]


# --------------------------------------------------------------------------- context types


class StatementView(TypedDict):
    text: str
    cites: list[int]
    single_source: bool
    shortened: bool
    support: int  # distinct outlets reporting it (0: not counted)
    new: bool  # cites an article that is new since the previous edition
    notes: list[str]  # "1:10": source number : sentence number (1-based), one per citation
    tooltip: str  # "Source 1, sentence 10; source 2, sentence 7"


class SourceMention(TypedDict):
    n: int
    count: int


class ActorView(TypedDict):
    name: str
    kind: str
    total: int
    per_source: list[SourceMention]
    more_sources: int
    role: StatementView | None
    also_called: list[str]  # aliases that are other names, not just a surname


class DateView(TypedDict):
    text: str
    iso: str
    statement: StatementView
    relative: bool
    conflict: str


class QuoteView(TypedDict):
    speaker: str
    statement: StatementView


class SourceView(TypedDict):
    n: int
    id: str
    anchor: str
    title: str
    outlet: str
    published: str
    location: str
    href: str
    words: int
    copies: int  # syndicated copies dropped at ingest
    language: str
    cited_sentences: list[int]  # 1-based sentence numbers this briefing cites


class DroppedView(TypedDict):
    path: str
    reason: str
    duplicate_of: str
    duplicate_of_n: int | None


class ReadabilityView(TypedDict):
    section: str
    label: str
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    words_per_sentence: float
    share_over_30_words: float
    sentences: int
    words: int


class DisagreementView(TypedDict):
    topic: str
    kind: str
    values: list[str]
    claims: list[StatementView]


class ChangesView(TypedDict):
    previous: str
    new_points: list[StatementView]
    dropped_points: list[str]  # text only: they cite the previous edition's sources
    new_actors: list[str]


class OutletView(TypedDict):
    name: str
    articles: int
    copies: int
    sources: list[int]


class PanelView(TypedDict):
    outlets: list[OutletView]
    more_outlets: int
    articles: int
    duplicates: int
    dates: str
    languages: list[str]
    chart_svg: str  # trusted markup built by render.chart from escaped labels


class ReproView(TypedDict):
    inputs_sha256: str
    inputs: list[str]
    versions: str
    options: str


class BriefingContext(TypedDict):
    """Everything a template may use; built only by :func:`get_context`."""

    target: str
    labels: dict[str, str]
    title: str
    generator: str
    author: str
    generated: str
    generated_iso: str
    date_range: str
    n_sources: int
    new_since: str  # "" for a first edition
    n_new_sources: int
    description: str
    keywords: list[str]
    bottom_line: list[StatementView]
    key_points: list[StatementView]
    background: list[StatementView]
    outlook: list[StatementView]
    actors: list[ActorView]
    dates: list[DateView]
    quotes: list[QuoteView]
    keyphrases: list[str]
    sources: list[SourceView]
    more_sources: int
    dropped: list[DroppedView]
    more_dropped: int
    readability: list[ReadabilityView]
    faithful: float
    disagreements: list[DisagreementView]
    name_variants: list[str]
    changes: ChangesView | None
    panel: PanelView
    reproducibility: ReproView | None


# --------------------------------------------------------------------------- context builder


def _numbers(briefing: Briefing) -> dict[str, int]:
    return {s.id: briefing.source_number(s.id) for s in briefing.sources}


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


def get_context(briefing: Briefing, target: str = "html") -> BriefingContext:
    """The only dict templates see: cleaned text, citation numbers resolved, dates formatted."""
    numbers = _numbers(briefing)

    def views(items: list[Statement]) -> list[StatementView]:
        return [_statement(s, numbers) for s in items]

    actors: list[ActorView] = [
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
    sources: list[SourceView] = [
        {
            "n": numbers[s.id],
            "id": s.id,
            "anchor": f"src-{numbers[s.id]}",
            "title": clean_text(s.title),
            "outlet": clean_text(s.outlet),
            "published": fmt_date(s.published),
            "location": _one_line(s.url or s.path),
            "href": clean_text(_href(s.url)),
            "words": s.words,
            "copies": s.copies,
            "language": clean_text(s.language),
            "cited_sentences": _cited_sentences(briefing, s.id),
        }
        for s in briefing.listed_sources()
    ]
    readability: list[ReadabilityView] = [
        {
            "section": key,
            "label": SECTION_LABELS.get(key, key.replace("_", " ").capitalize()),
            **r.model_dump(),  # type: ignore[typeddict-item]
        }
        for key, r in briefing.quality.readability.items()
    ]
    keyphrases = [clean_text(k.phrase) for k in briefing.keyphrases if clean_text(k.phrase)]
    bottom_line = views(briefing.bottom_line)
    return {
        "target": target,
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
        "key_points": views(briefing.key_points),
        "background": views(briefing.background),
        "outlook": views(briefing.outlook),
        "actors": actors,
        "dates": [
            {
                "text": clean_text(d.text),
                "iso": clean_text(d.iso),
                "statement": _statement(d.statement, numbers),
                "relative": d.relative,
                "conflict": clean_text(d.conflict),
            }
            for d in briefing.dates
        ],
        "quotes": [
            {"speaker": clean_text(q.speaker), "statement": _statement(q.statement, numbers)}
            for q in briefing.quotes
        ],
        "keyphrases": keyphrases,
        "sources": sources,
        "more_sources": len(briefing.sources) - len(sources),
        "dropped": [
            {
                "path": _one_line(d.path),
                "reason": clean_text(d.reason),
                "duplicate_of": clean_text(d.duplicate_of),
                "duplicate_of_n": numbers.get(d.duplicate_of or ""),
            }
            for d in briefing.dropped[:DROPPED_SHOWN]
        ],
        "more_dropped": max(0, len(briefing.dropped) - DROPPED_SHOWN),
        "readability": readability,
        "faithful": briefing.quality.faithful,
        "disagreements": [
            {
                "topic": clean_text(d.topic),
                "kind": d.kind,
                "values": [clean_text(v) for v in d.values],
                "claims": views(d.claims),
            }
            for d in briefing.disagreements
        ],
        "name_variants": [
            f"{clean_text(a['name'])} (also called {', '.join(a['also_called'])})"
            for a in actors
            if a["also_called"]
        ],
        "changes": _changes(briefing, numbers),
        "panel": _panel(briefing, sources),
        "reproducibility": _repro(briefing),
    }


# --------------------------------------------------------------------------- provenance views


def _cited_sentences(briefing: Briefing, source_id: str) -> list[int]:
    found = {
        c.sentence_index + 1
        for _, st in briefing.statements()
        for c in st.citations
        if c.article_id == source_id
    }
    return sorted(found)


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


PANEL_OUTLETS = 8


def _panel(briefing: Briefing, sources: list[SourceView]) -> PanelView:
    from briefgen.render.chart import source_chart

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
    # A bar per outlet stays readable up to a dozen; the rest are counted, not drawn.
    outlets = sorted(by_outlet.values(), key=lambda o: (-o["articles"], o["name"]))[:PANEL_OUTLETS]
    published = [s.published for s in briefing.sources if s.published]
    return {
        "outlets": outlets,
        "more_outlets": max(0, len(by_outlet) - len(outlets)),
        "articles": len(briefing.sources),
        "duplicates": sum(d.duplicate_of is not None for d in briefing.dropped),
        "dates": fmt_range(briefing.date_from, briefing.date_to),
        "languages": sorted({clean_text(s.language) for s in briefing.sources if s.language}),
        "chart_svg": source_chart(
            [(o["name"], o["articles"], o["copies"]) for o in outlets], published
        ),
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
