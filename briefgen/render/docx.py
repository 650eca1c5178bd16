"""DOCX renderer: a Word memo built from real styles, so a user restyles it in Word.

The styles, lists, tables and cited statements come from :mod:`briefgen.render.docx_parts`; this
module writes the memo's sections in order, with named styles only (no direct formatting).
python-docx is imported lazily.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from briefgen.errors import RenderError
from briefgen.model import Briefing
from briefgen.render.base import atomic_write, one_line, render_errors
from briefgen.render.context import for_target, get_context
from briefgen.render.docx_parts import (
    BOTTOM_LINE,
    CITATION,
    NOTE,
    REFERENCE_DOCX,
    Memo,
    ensure_styles,
    load_document,
    memoize_style_ids,
    new_list,
    number,
    page_setup,
    set_language,
)
from briefgen.render.filters import cite_label
from briefgen.render.views import BriefingContext, StatementView

__all__ = ["DocxRenderer", "render_docx_bytes"]


# --------------------------------------------------------------------------- sections


def _front(m: Memo) -> None:
    """Title, a line of what the briefing covers, and how to read its statements."""
    ctx = m.ctx
    m.doc.add_paragraph(ctx["title"], style="Title")
    kind = "brief" if ctx["layout"] == "brief" else "briefing"
    meta = [f"Policy {kind} · Generated {ctx['generated']}"]
    if ctx["date_range"]:
        meta.append(f"covers {ctx['date_range']}")
    meta.append(f"{ctx['n_sources']} source{'' if ctx['n_sources'] == 1 else 's'}")
    if ctx["new_since"]:
        meta.append(f"new since {ctx['new_since']}: {ctx['n_new_sources']}")
    m.doc.add_paragraph(" · ".join(meta), style="Subtitle")
    if ctx["layout"] == "brief":
        return
    m.doc.add_paragraph(
        "Every statement is taken word for word from a source, or shortened by deletion only. "
        "Numbers in brackets refer to the numbered sources at the end.",
        style=NOTE,
    )


def _summary(m: Memo) -> None:
    """Bottom line, numbered key points, then background and outlook as bullets."""
    ctx = m.ctx
    if ctx["bottom_line"]:
        m.heading("bottom_line")
        for st in ctx["bottom_line"]:
            m.cited(m.doc.add_paragraph(style=BOTTOM_LINE), st, support=True)
    if ctx["key_points"]:
        m.heading("key_points")
        num_id = new_list(m.doc, "List Number")
        for st in ctx["key_points"]:
            number(m.cited(m.doc.add_paragraph(style="List Number"), st, support=True), num_id)
    if ctx["layout"] == "brief":
        return
    for name in ("background", "outlook"):
        items: list[StatementView] = ctx[name]
        if items:
            m.heading(name)
            for st in items:
                m.cited(m.bullet(), st)


def _disagreements(m: Memo) -> None:
    """What outlets disagree on, and actors they name differently."""
    ctx = m.ctx
    if not (ctx.get("disagreements") or ctx.get("name_variants")):
        return
    m.heading("disagreements")
    for d in ctx["disagreements"]:
        p = m.bullet()
        p.add_run(f"{d['topic']} ({d['kind']}):", style=m.strong)
        for value, claim in zip(d["values"], d["claims"], strict=False):
            p.add_run(" ")
            p.add_run(value, style=m.strong)
            p.add_run(" — ")
            m.cited(p, claim)
    if ctx["name_variants"]:
        m.doc.add_paragraph(
            "One actor, different names: " + "; ".join(ctx["name_variants"]) + ".", style=NOTE
        )


def _changes(m: Memo) -> None:
    """What changed since the previous edition."""
    ch = m.ctx.get("changes")
    if not ch:
        return
    m.heading("changes")
    m.doc.add_paragraph(f"Since the edition of {ch['previous']}.", style=NOTE)
    for st in ch["new_points"]:
        p = m.bullet()
        p.add_run("New: ", style=m.strong)
        m.cited(p, st)
    for text in ch["dropped_points"]:
        p = m.bullet()
        p.add_run("No longer a key point: ", style=m.strong)
        p.add_run(text)
    if ch["new_actors"]:
        p = m.bullet()
        p.add_run("New actors: ", style=m.strong)
        p.add_run(", ".join(ch["new_actors"]))


def _actors(m: Memo) -> None:
    """A table of actors: name, kind, mentions in all and per source, and a role sentence."""
    found = m.ctx["actors"]
    if not found:
        return
    m.heading("actors")
    header = ["Name", "Kind", "Mentions", "Per source", "Role"]
    table = m.table(header, len(found), (19, 12, 11, 13, 45))
    for row, a in zip(table.rows[1:], found, strict=True):
        cells = row.cells
        cells[0].text = a["name"] + (
            f" (also called {', '.join(a['also_called'])})" if a.get("also_called") else ""
        )
        cells[1].text = a["kind"]
        cells[2].text = str(a["total"])
        cells[3].text = ", ".join(f"[{n['n']}] {n['count']}" for n in a["per_source"]) + (
            f", +{a['more_sources']} more" if a["more_sources"] else ""
        )
        if a["role"]:
            m.cited(cells[4].paragraphs[0], a["role"])
    m.finish_table(table)


def _dates(m: Memo) -> None:
    """Dates the sources mention, each with the sentence that mentions it."""
    if not m.ctx["dates"]:
        return
    m.heading("dates")
    for date in m.ctx["dates"]:
        p = m.bullet()
        p.add_run(f"{date['iso'] or date['text']}:", style=m.strong)
        p.add_run(" ")
        m.cited(p, date["statement"])
        if date.get("conflict"):
            p.add_run(f" (date conflict: {date['conflict']})", style=CITATION)


def _quotes(m: Memo) -> None:
    """Quotes, each after its speaker, with the source's own quotation marks (none added)."""
    if not m.ctx["quotes"]:
        return
    m.heading("quotes")
    for q in m.ctx["quotes"]:
        p = m.bullet()
        if q["speaker"]:
            p.add_run(q["speaker"], style=m.strong)
            p.add_run(" — ")
        m.cited(p, q["statement"])


def _keyphrases(m: Memo) -> None:
    if m.ctx["keyphrases"]:
        m.heading("keyphrases")
        m.doc.add_paragraph(" · ".join(m.ctx["keyphrases"]))


def _panel(m: Memo) -> None:
    """Outlets, article counts, copies dropped, dates covered and languages."""
    panel = m.ctx.get("panel")
    if not panel or not panel["outlets"]:
        return
    m.heading("panel")
    header = ["Outlet", "Articles", "Copies dropped", "Sources"]
    table = m.table(header, len(panel["outlets"]), (40, 15, 20, 25))
    for row, o in zip(table.rows[1:], panel["outlets"], strict=True):
        values = [o["name"], str(o["articles"]), str(o["copies"]), cite_label(o["sources"])]
        for cell, v in zip(row.cells, values, strict=True):
            cell.text = v
    m.finish_table(table)
    facts = [f"{panel['articles']} articles"]
    if panel["dates"]:
        facts.append(f"published {panel['dates']}")
    facts.append(f"{panel['duplicates']} duplicates dropped")
    if panel["languages"]:
        facts.append("language: " + ", ".join(panel["languages"]))
    m.doc.add_paragraph(" · ".join(facts), style=NOTE)


def _sources(m: Memo) -> None:
    """The numbered sources the citation markers refer to."""
    ctx = m.ctx
    if not ctx["sources"]:
        return
    m.heading("sources")
    num_id = new_list(m.doc, "List Number")
    for s in ctx["sources"]:
        p = m.doc.add_paragraph(style="List Number")
        number(p, num_id)
        p.add_run(s["title"], style=m.strong)
        tail = (f". {s['outlet']}" if s["outlet"] else "") + (
            f", {s['published']}" if s["published"] else ""
        )
        p.add_run(tail + "." + (f" {s['location']}" if s["location"] else ""))
        if s.get("copies"):
            p.add_run(f" Syndicated by {s['copies'] + 1} outlets.")
        if s.get("cited_sentences"):
            p.add_run(" Sentences cited: " + ", ".join(map(str, s["cited_sentences"])) + ".")
    if ctx["more_sources"]:
        n = ctx["more_sources"]
        m.doc.add_paragraph(
            f"… and {n} more source{'' if n == 1 else 's'} not cited here, all listed in the "
            "briefing's JSON."
        )


def _brief_sources(m: Memo) -> None:
    """The brief's one line of sources: those its bottom line and key points cite."""
    found = m.ctx["brief_sources"]
    if not found:
        return
    p = m.doc.add_paragraph(style=NOTE)
    p.add_run("Sources: ", style=m.strong)
    p.add_run(
        "; ".join(
            f"[{s['n']}] "
            + ", ".join(x for x in (s["outlet"], s["title"], s["published"], s["href"]) if x)
            for s in found
        )
        + "."
    )


def _dropped(m: Memo) -> None:
    """Inputs left out, and why (unreadable, or a copy of a source)."""
    ctx = m.ctx
    if not ctx["dropped"]:
        return
    m.heading("dropped")
    for drop in ctx["dropped"]:
        n = drop["duplicate_of_n"]
        dup = f"[{n}]" if n else drop["duplicate_of"]
        extra = f" (duplicate of {dup})" if dup else ""
        m.doc.add_paragraph(f"{drop['path']}: {drop['reason']}{extra}", style="List Bullet")
    if ctx["more_dropped"]:
        m.doc.add_paragraph(
            f"… and {ctx['more_dropped']} more, all listed in the briefing's JSON.",
            style="List Bullet",
        )


def _readability(m: Memo) -> None:
    """A table of readability scores per section."""
    found = m.ctx["readability"]
    if not found:
        return
    m.heading("readability")
    header = ["Section", "Reading ease", "FK grade", "Fog", "Words/sent.", ">30 words"]
    table = m.table(header, len(found), (28, 16, 13, 11, 16, 16))
    for row, r in zip(table.rows[1:], found, strict=True):
        values = [
            r["label"],
            f"{r['flesch_reading_ease']:.0f}",
            f"{r['flesch_kincaid_grade']:.1f}",
            f"{r['gunning_fog']:.1f}",
            f"{r['words_per_sentence']:.1f}",
            f"{r['share_over_30_words'] * 100:.0f}%",
        ]
        for cell, v in zip(row.cells, values, strict=True):
            cell.text = v
    m.finish_table(table)


def _reproducibility(m: Memo) -> None:
    repro = m.ctx.get("reproducibility")
    if repro:
        m.heading("reproducibility")
        m.doc.add_paragraph(
            f"Inputs sha256 {repro['inputs_sha256']} ({len(repro['inputs'])} files). "
            f"{repro['versions']}. Check with: briefgen verify briefing.json SOURCES...",
            style=NOTE,
        )


# The memo's sections, in reading order.
_SECTIONS: tuple[Callable[[Memo], None], ...] = (
    _front,
    _summary,
    _disagreements,
    _changes,
    _actors,
    _dates,
    _quotes,
    _keyphrases,
    _panel,
    _sources,
    _dropped,
    _readability,
    _reproducibility,
)

# The one-page brief: title, date, bottom line, key points, one line of sources.
_BRIEF: tuple[Callable[[Memo], None], ...] = (_front, _summary, _brief_sources)


def render_docx_bytes(
    briefing: Briefing,
    template_dir: Path | None = None,
    context: BriefingContext | None = None,
) -> bytes:
    """The Word document as bytes (saved to memory first so the file write stays atomic).

    ``context`` is the briefing's template context when the caller has built it already.
    """
    try:
        import docx  # noqa: F401
    except ImportError as e:  # pragma: no cover - python-docx is a dependency
        raise RenderError("docx: python-docx is not installed (pip install python-docx)") from e
    ctx = get_context(briefing, "docx") if context is None else for_target(context, "docx")
    doc = load_document(template_dir)
    ensure_styles(doc)
    own_styles = template_dir is None or not (Path(template_dir) / REFERENCE_DOCX).is_file()
    page_setup(doc, ctx["paper"], own_styles)
    set_language(doc, ctx["lang"])
    memoize_style_ids(doc)
    memo = Memo.start(doc, ctx)
    for section in _BRIEF if ctx["layout"] == "brief" else _SECTIONS:
        section(memo)
    memo.footnotes.finish()
    props = doc.core_properties
    props.title = ctx["title"][:255]
    props.author = "briefgen"
    props.last_modified_by = "briefgen"
    props.subject = "Policy briefing"
    props.keywords = ", ".join(ctx["keywords"])[:255]
    props.comments = ctx["description"][:255]
    repro = ctx.get("reproducibility")
    if repro:
        props.identifier = f"sha256:{repro['inputs_sha256']}"
        props.subject = f"Policy briefing · inputs sha256:{repro['inputs_sha256'][:16]}"
        tail = f"\n\nInputs sha256:{repro['inputs_sha256']}; {ctx['generator']}"
        props.comments = ctx["description"][: 255 - len(tail)] + tail  # python-docx: max 255
    created = briefing.generated_at
    props.created = created
    props.modified = created
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


class DocxRenderer:
    """Writes ``briefing.docx``."""

    extension = "docx"
    needs_context = True

    def render(
        self,
        briefing: Briefing,
        path: Path,
        template_dir: Path | None = None,
        context: BriefingContext | None = None,
    ) -> None:
        try:
            data = render_docx_bytes(briefing, template_dir, context)
        except RenderError:
            raise
        except Exception as e:
            raise RenderError(f"docx: {one_line(e)}") from e
        with render_errors("docx"):
            atomic_write(path, data)
