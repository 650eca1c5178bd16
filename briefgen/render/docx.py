"""DOCX renderer: a Word memo built from real styles, so a user restyles it in Word.

Every paragraph and run gets a named style (Title, Subtitle, Heading 1, List Number, List Bullet,
"Bottom Line", character style "Citation"); no direct formatting.  A ``reference.docx`` in the
template folder supplies the styles (like pandoc's reference doc); otherwise python-docx's default
template gets briefgen's few extra styles.  python-docx is imported lazily.
"""

from __future__ import annotations

import io
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.errors import RenderError
from briefgen.model import Briefing
from briefgen.render.base import atomic_write, one_line, render_errors
from briefgen.render.context import for_target, get_context
from briefgen.render.filters import cite_label
from briefgen.render.footnotes import Footnotes, note_text
from briefgen.render.views import BriefingContext, StatementView

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

REFERENCE_DOCX = "reference.docx"
BOTTOM_LINE = "Bottom Line"
CITATION = "Citation"
NOTE = "Briefing Note"
ACCENT = "1F4E79"
TABLE_STYLES = ("Light List Accent 1", "Table Grid")
# Footnote writer and source titles of each document being rendered, keyed by its main part.
_NOTES: weakref.WeakKeyDictionary[Any, tuple[Footnotes, dict[int, tuple[str, str]]]] = (
    weakref.WeakKeyDictionary()
)


# --------------------------------------------------------------------------- styles


def _load_document(template_dir: Path | None) -> DocxDocument:
    """Start from the user's reference.docx (body emptied, styles and page setup kept)."""
    from docx import Document
    from docx.oxml.ns import qn

    ref = Path(template_dir) / REFERENCE_DOCX if template_dir else None
    if ref is None or not ref.is_file():
        return Document()
    try:
        doc = Document(str(ref))
    except Exception as e:
        raise RenderError(f"docx: cannot read {ref}: {one_line(e)}") from e
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return doc


def _set_ppr(style: Any, xml: str) -> None:
    """Append raw paragraph properties (shading, borders) that python-docx has no API for."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = style.element.get_or_add_pPr()
    ppr.append(parse_xml(xml.format(nsdecls("w"))))


def _ensure_styles(doc: DocxDocument) -> None:
    """Add briefgen's own styles when missing; never touch styles a reference.docx defines."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    names = {s.name for s in styles}
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "List Number", "List Bullet"):
        if name not in names:  # a sparse reference.docx: add a plain stand-in
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    if BOTTOM_LINE not in names:
        st = styles.add_style(BOTTOM_LINE, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles["Normal"]
        st.quick_style = True
        # pBdr and shd first: python-docx inserts spacing/ind after them in schema order.
        _set_ppr(
            st,
            '<w:pBdr {}><w:left w:val="single" w:sz="24" w:space="8" '
            f'w:color="{ACCENT}"/></w:pBdr>',
        )
        _set_ppr(st, '<w:shd {} w:val="clear" w:color="auto" w:fill="EEF3F8"/>')
        st.font.bold = True
        st.font.size = Pt(12)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.left_indent = Pt(6)
    if CITATION not in names:
        st = styles.add_style(CITATION, WD_STYLE_TYPE.CHARACTER)
        if "Default Paragraph Font" in names:
            st.base_style = styles["Default Paragraph Font"]
        st.quick_style = True
        st.font.superscript = True
        st.font.color.rgb = RGBColor.from_string(ACCENT)
    if NOTE not in names:
        st = styles.add_style(NOTE, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles["Normal"]
        st.font.italic = True
        st.font.size = Pt(9)
        st.font.color.rgb = RGBColor.from_string("5B6573")


def _memoize_style_ids(doc: DocxDocument) -> None:
    """Look each style name up once: python-docx scans every style of the document on each
    ``style=`` assignment (half the DOCX render time).  Styles are all added by now."""
    part = doc.part
    lookup = part.get_style_id
    found: dict[tuple[str, Any], str | None] = {}

    def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)  # type: ignore[no-any-return]
        key = (style_or_name, style_type)
        if key not in found:
            found[key] = lookup(style_or_name, style_type)
        return found[key]

    part.get_style_id = get_style_id  # type: ignore[method-assign]


def _table_style(doc: DocxDocument) -> str | None:
    names = {s.name for s in doc.styles}
    return next((n for n in TABLE_STYLES if n in names), None)


def _new_list(doc: DocxDocument, style: str) -> int | None:
    """A fresh numbering instance for ``style`` so each numbered list starts at 1.

    Word continues one list across the whole document for a style's own numbering, which would
    number the sources 6, 7, ... after five key points, breaking the citation markers.
    """
    try:
        numpr = doc.styles[style].element.pPr.numPr
        num_id = numpr.numId.val
        numbering = doc.part.numbering_part.element
        abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    except (AttributeError, KeyError, NotImplementedError):
        return None  # style without numbering in a reference.docx: nothing to restart
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return int(num.numId)


def _number(paragraph: Paragraph, num_id: int | None) -> None:
    if num_id is None:
        return
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


# --------------------------------------------------------------------------- content


def _footnote(paragraph: Paragraph, st: StatementView) -> None:
    """A real footnote naming each cited source and sentence (not in table cells: too cramped)."""
    from docx.oxml.ns import qn

    found = _NOTES.get(paragraph.part)
    if found is None or not st.get("notes") or paragraph._p.getparent().tag == qn("w:tc"):
        return
    notes, sources = found
    notes.add(paragraph, note_text(st["notes"], sources))


def _cited(
    paragraph: Paragraph, st: StatementView, strong_text: bool = False, support: bool = False
) -> Paragraph:
    """Statement text, then its citation marker as a run in the "Citation" style."""
    paragraph.add_run(st["text"] + " ")
    paragraph.add_run(cite_label(st["cites"]), style=CITATION)
    _footnote(paragraph, st)
    if support and st.get("support", 0) > 1:
        paragraph.add_run(f" ({st['support']} outlets)", style=CITATION)
    if st["single_source"]:
        paragraph.add_run(" (single source)", style=CITATION)
    if st.get("new"):
        paragraph.add_run(" (new)", style=CITATION)
    return paragraph


def _table(doc: DocxDocument, header: list[str], rows: int) -> Table:
    table = doc.add_table(rows=rows + 1, cols=len(header), style=_table_style(doc))
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    return table


def _body(doc: DocxDocument, ctx: BriefingContext) -> None:
    labels = ctx["labels"]
    strong = "Strong" if "Strong" in {s.name for s in doc.styles} else None
    doc.add_paragraph(ctx["title"], style="Title")
    meta = [f"Policy briefing · Generated {ctx['generated']}"]
    if ctx["date_range"]:
        meta.append(f"covers {ctx['date_range']}")
    meta.append(f"{ctx['n_sources']} source{'' if ctx['n_sources'] == 1 else 's'}")
    if ctx["new_since"]:
        meta.append(f"new since {ctx['new_since']}: {ctx['n_new_sources']}")
    doc.add_paragraph(" · ".join(meta), style="Subtitle")
    doc.add_paragraph(
        "Every statement is taken word for word from a source, or shortened by deletion only. "
        "Numbers in brackets refer to the numbered sources at the end.",
        style=NOTE,
    )
    if ctx["bottom_line"]:
        doc.add_heading(labels["bottom_line"], level=1)
        for st in ctx["bottom_line"]:
            _cited(doc.add_paragraph(style=BOTTOM_LINE), st, support=True)
    if ctx["key_points"]:
        doc.add_heading(labels["key_points"], level=1)
        num_id = _new_list(doc, "List Number")
        for st in ctx["key_points"]:
            _number(_cited(doc.add_paragraph(style="List Number"), st, support=True), num_id)
    for name in ("background", "outlook"):
        items: list[StatementView] = ctx[name]  # type: ignore[literal-required]
        if items:
            doc.add_heading(labels[name], level=1)
            for st in items:
                _cited(doc.add_paragraph(style="List Bullet"), st)
    _provenance(doc, ctx, strong)
    if ctx["actors"]:
        doc.add_heading(labels["actors"], level=1)
        header = ["Name", "Kind", "Mentions", "Per source", "Role"]
        table = _table(doc, header, len(ctx["actors"]))
        for row, a in zip(table.rows[1:], ctx["actors"], strict=True):
            cells = row.cells
            cells[0].text = a["name"] + (
                f" (also called {', '.join(a['also_called'])})" if a.get("also_called") else ""
            )
            cells[1].text = a["kind"]
            cells[2].text = str(a["total"])
            cells[3].text = ", ".join(f"[{m['n']}] {m['count']}" for m in a["per_source"]) + (
                f", +{a['more_sources']} more" if a["more_sources"] else ""
            )
            if a["role"]:
                _cited(cells[4].paragraphs[0], a["role"])
    if ctx["dates"]:
        doc.add_heading(labels["dates"], level=1)
        for d in ctx["dates"]:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{d['iso'] or d['text']}:", style=strong)
            p.add_run(" ")
            _cited(p, d["statement"])
            if d.get("conflict"):
                p.add_run(f" (date conflict: {d['conflict']})", style=CITATION)
    if ctx["quotes"]:
        doc.add_heading(labels["quotes"], level=1)
        for q in ctx["quotes"]:
            p = doc.add_paragraph(style="List Bullet")
            if q["speaker"]:
                p.add_run(q["speaker"], style=strong)
                p.add_run(" — ")
            text = q["statement"]["text"]
            quoted = text if text[:1] in "\"“‘'«" else f"“{text}”"
            _cited(p, {**q["statement"], "text": quoted})
    if ctx["keyphrases"]:
        doc.add_heading(labels["keyphrases"], level=1)
        doc.add_paragraph(" · ".join(ctx["keyphrases"]))
    _panel(doc, ctx)
    if ctx["sources"]:
        doc.add_heading(labels["sources"], level=1)
        num_id = _new_list(doc, "List Number")
        for s in ctx["sources"]:
            p = doc.add_paragraph(style="List Number")
            _number(p, num_id)
            p.add_run(s["title"], style=strong)
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
            doc.add_paragraph(
                f"… and {n} more source{'' if n == 1 else 's'} not cited here, all listed in the "
                "briefing's JSON."
            )
    if ctx["dropped"]:
        doc.add_heading(labels["dropped"], level=1)
        for d in ctx["dropped"]:
            n = d["duplicate_of_n"]
            dup = f"[{n}]" if n else d["duplicate_of"]
            extra = f" (duplicate of {dup})" if dup else ""
            doc.add_paragraph(f"{d['path']}: {d['reason']}{extra}", style="List Bullet")
        if ctx["more_dropped"]:
            doc.add_paragraph(
                f"… and {ctx['more_dropped']} more, all listed in the briefing's JSON.",
                style="List Bullet",
            )
    if ctx["readability"]:
        doc.add_heading(labels["readability"], level=1)
        header = ["Section", "Reading ease", "FK grade", "Fog", "Words/sent.", ">30 words"]
        table = _table(doc, header, len(ctx["readability"]))
        for row, r in zip(table.rows[1:], ctx["readability"], strict=True):
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
    repro = ctx.get("reproducibility")
    if repro:
        doc.add_heading(labels["reproducibility"], level=1)
        doc.add_paragraph(
            f"Inputs sha256 {repro['inputs_sha256']} ({len(repro['inputs'])} files). "
            f"{repro['versions']}. Check with: briefgen verify briefing.json SOURCES...",
            style=NOTE,
        )


def _provenance(doc: DocxDocument, ctx: BriefingContext, strong: str | None) -> None:
    """Disagreements between outlets and what changed since the previous edition."""
    labels = ctx["labels"]
    if ctx.get("disagreements") or ctx.get("name_variants"):
        doc.add_heading(labels["disagreements"], level=1)
        for d in ctx["disagreements"]:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run(f"{d['topic']} ({d['kind']}):", style=strong)
            for value, claim in zip(d["values"], d["claims"], strict=False):
                p.add_run(" ")
                p.add_run(value, style=strong)
                p.add_run(" — ")
                _cited(p, claim)
        if ctx["name_variants"]:
            doc.add_paragraph(
                "One actor, different names: " + "; ".join(ctx["name_variants"]) + ".", style=NOTE
            )
    ch = ctx.get("changes")
    if ch:
        doc.add_heading(labels["changes"], level=1)
        doc.add_paragraph(f"Since the edition of {ch['previous']}.", style=NOTE)
        for st in ch["new_points"]:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run("New: ", style=strong)
            _cited(p, st)
        for text in ch["dropped_points"]:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run("No longer a key point: ", style=strong)
            p.add_run(text)
        if ch["new_actors"]:
            p = doc.add_paragraph(style="List Bullet")
            p.add_run("New actors: ", style=strong)
            p.add_run(", ".join(ch["new_actors"]))


def _panel(doc: DocxDocument, ctx: BriefingContext) -> None:
    """Outlets, article counts, copies dropped, dates covered and languages."""
    panel = ctx.get("panel")
    if not panel or not panel["outlets"]:
        return
    doc.add_heading(ctx["labels"]["panel"], level=1)
    table = _table(doc, ["Outlet", "Articles", "Copies dropped", "Sources"], len(panel["outlets"]))
    for row, o in zip(table.rows[1:], panel["outlets"], strict=True):
        values = [o["name"], str(o["articles"]), str(o["copies"]), cite_label(o["sources"])]
        for cell, v in zip(row.cells, values, strict=True):
            cell.text = v
    facts = [f"{panel['articles']} articles"]
    if panel["dates"]:
        facts.append(f"published {panel['dates']}")
    facts.append(f"{panel['duplicates']} duplicates dropped")
    if panel["languages"]:
        facts.append("language: " + ", ".join(panel["languages"]))
    doc.add_paragraph(" · ".join(facts), style=NOTE)


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
    doc = _load_document(template_dir)
    _ensure_styles(doc)
    _memoize_style_ids(doc)
    notes = Footnotes(doc)
    _NOTES[doc.part] = (notes, {s["n"]: (s["title"], s["outlet"]) for s in ctx["sources"]})
    try:
        _body(doc, ctx)
    finally:
        _NOTES.pop(doc.part, None)
    notes.finish()
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
