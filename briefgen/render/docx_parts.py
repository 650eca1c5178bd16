"""The parts of briefgen's Word memo: styles, numbered lists, tables, cited statements.

Every paragraph and run of the memo gets a named style (Title, Subtitle, Heading 1, List Number,
List Bullet, "Bottom Line", character style "Citation"); no direct formatting.  A
``reference.docx`` in the template folder supplies the styles (like pandoc's reference doc);
otherwise python-docx's default template gets briefgen's few extra styles here.  A
:class:`Memo` is one document being written, with its own footnotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.errors import RenderError
from briefgen.render.base import one_line
from briefgen.render.filters import cite_label
from briefgen.render.footnotes import Footnotes, note_text
from briefgen.render.views import BriefingContext, StatementView

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

__all__ = [
    "BOTTOM_LINE",
    "CITATION",
    "NOTE",
    "REFERENCE_DOCX",
    "TABLE_TEXT",
    "Memo",
    "ensure_styles",
    "load_document",
    "memoize_style_ids",
    "new_list",
    "number",
    "page_setup",
    "set_language",
    "table_style",
]

REFERENCE_DOCX = "reference.docx"
BOTTOM_LINE = "Bottom Line"
CITATION = "Citation"
NOTE = "Briefing Note"
TABLE_TEXT = "Table Text"
# Paper (width, height) and margins (top, right, bottom, left) in millimetres: the PDF's @page.
PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
MARGINS_MM = (22.0, 20.0, 20.0, 22.0)
ACCENT = "1F4E79"
TABLE_STYLES = ("Light List Accent 1", "Table Grid")


def load_document(template_dir: Path | None) -> DocxDocument:
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


def ensure_styles(doc: DocxDocument) -> None:
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
    if TABLE_TEXT not in names:  # table cells set small and tight, as in the PDF
        st = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles["Normal"]
        st.font.size = Pt(8.5)
        st.paragraph_format.space_after = Pt(0)
        st.paragraph_format.line_spacing = 1.0
        # Each cell kept with the next: a table that fits on a page is not split across two.
        st.paragraph_format.keep_with_next = True


def page_setup(doc: DocxDocument, paper: str, own_styles: bool) -> None:
    """The PDF's page: paper size and margins on every section; with briefgen's own styles
    (no reference.docx), the PDF's 10 pt body text too."""
    from docx.shared import Mm, Pt

    width, height = PAPER_MM.get(paper, PAPER_MM["a4"])
    top, right, bottom, left = MARGINS_MM
    for section in doc.sections:
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.right_margin = Mm(top), Mm(right)
        section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    if own_styles:
        normal = doc.styles["Normal"]
        normal.font.size = Pt(10)
        normal.paragraph_format.space_after = Pt(4)


def set_language(doc: DocxDocument, lang: str) -> None:
    """The document's language (``w:lang`` of the default run properties), as the PDF's /Lang:
    screen readers and spell checkers read it."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        doc.styles.element.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    found = rpr.find(qn("w:lang"))
    if found is None:
        found = OxmlElement("w:lang")
        rpr.append(found)
    found.set(qn("w:val"), lang)


def text_width(doc: DocxDocument) -> int:
    """Width between the margins of the last section, in EMU."""
    section = doc.sections[-1]
    return (
        int(section.page_width or 0)
        - int(section.left_margin or 0)
        - int(section.right_margin or 0)
    )


def set_widths(table: Table, shares: tuple[float, ...], total: int) -> None:
    """Fixed column widths, as shares of ``total`` (EMU): on the grid for LibreOffice and on
    every cell for Word, with autofit off so neither evens them out."""
    from docx.shared import Emu

    table.autofit = False
    widths = [Emu(int(total * s / sum(shares))) for s in shares]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def memoize_style_ids(doc: DocxDocument) -> None:
    """Look each style name up once: python-docx scans every style of the document on each
    ``style=`` assignment (half the DOCX render time).  Styles are all added by now."""
    part = doc.part
    lookup = part.get_style_id
    found: dict[tuple[str, Any], str | None] = {}

    def get_style_id(style_or_name: Any, style_type: Any) -> str | None:
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        key = (style_or_name, style_type)
        if key not in found:
            found[key] = lookup(style_or_name, style_type)
        return found[key]

    part.get_style_id = get_style_id  # type: ignore[method-assign]


def table_style(doc: DocxDocument) -> str | None:
    names = {s.name for s in doc.styles}
    return next((n for n in TABLE_STYLES if n in names), None)


def new_list(doc: DocxDocument, style: str) -> int | None:
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


def number(paragraph: Paragraph, num_id: int | None) -> None:
    if num_id is None:
        return
    numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


@dataclass(frozen=True)
class Memo:
    """One document being written: its context, bold style and footnotes (per render call)."""

    doc: DocxDocument
    ctx: BriefingContext
    strong: str | None  # the character style for bold lead-ins, when the template has one
    footnotes: Footnotes
    sources: dict[int, tuple[str, str]]  # title and outlet of each source, by number

    @classmethod
    def start(cls, doc: DocxDocument, ctx: BriefingContext) -> Memo:
        return cls(
            doc=doc,
            ctx=ctx,
            strong="Strong" if "Strong" in {s.name for s in doc.styles} else None,
            footnotes=Footnotes(doc),
            sources={s["n"]: (s["title"], s["outlet"]) for s in ctx["sources"]},
        )

    def heading(self, key: str) -> None:
        self.doc.add_heading(self.ctx["labels"][key], level=1)

    def bullet(self) -> Paragraph:
        return self.doc.add_paragraph(style="List Bullet")

    def table(self, header: list[str], rows: int, shares: tuple[float, ...] | None = None) -> Table:
        """A table with its header row; ``shares`` are the columns' widths relative to each
        other (default: even), fitted to the text width."""
        from docx.oxml import OxmlElement

        table = self.doc.add_table(rows=rows + 1, cols=len(header), style=table_style(self.doc))
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        # The first row is the header row: repeated on each page, read as headers by Word.
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for row in table.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        set_widths(table, shares or (1.0,) * len(header), text_width(self.doc))
        return table

    def finish_table(self, table: Table) -> None:
        """Every cell paragraph in the compact "Table Text" style (call once it is filled)."""
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.style = TABLE_TEXT

    def cited(self, paragraph: Paragraph, st: StatementView, support: bool = False) -> Paragraph:
        """Statement text and its citation, shown once: a footnote naming each source and
        sentence, or in a table cell (too cramped for notes) and in the one-page brief (as its
        PDF) the marker in the "Citation" style.  The outlet count and flags follow as plain
        text."""
        from docx.oxml.ns import qn

        in_cell = paragraph._p.getparent().tag == qn("w:tc")
        if st.get("notes") and not in_cell and self.ctx["layout"] != "brief":
            paragraph.add_run(st["text"])
            self.footnotes.add(paragraph, note_text(st["notes"], self.sources))
        else:
            paragraph.add_run(st["text"] + " ")
            paragraph.add_run(cite_label(st["cites"]), style=CITATION)
        flags = []
        if support and st.get("support", 0) > 1:
            flags.append(f"{st['support']} outlets")
        if st["single_source"]:
            flags.append("single source")
        if st.get("new"):
            flags.append("new")
        if flags:
            paragraph.add_run(f" ({'; '.join(flags)})")
        return paragraph
