"""The Word file lays out like the PDF: same paper and margins, table columns sized to their
content, and about as many pages once LibreOffice opens it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from briefgen.check.gate import _pdf_text
from briefgen.model import Article, Briefing
from briefgen.render import render
from briefgen.render.fit import pdf_pages

LIBREOFFICE = shutil.which("soffice")


def _page_points(pdf: Path) -> tuple[float, float]:
    from pypdf import PdfReader

    box = PdfReader(str(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


@pytest.mark.parametrize(
    ("paper", "mm", "points"),
    [("a4", (210, 297), (595, 842)), ("letter", (215.9, 279.4), (612, 792))],
)
def test_docx_and_pdf_share_the_paper_and_margins(
    sample_briefing: Briefing, tmp_path: Path, paper: str, mm: tuple[float, float], points
) -> None:
    render(sample_briefing, tmp_path, ["docx", "pdf"], paper=paper)
    section = docx.Document(str(tmp_path / "briefing.docx")).sections[0]
    assert abs(section.page_width - Mm(mm[0])) < Mm(0.1)
    assert abs(section.page_height - Mm(mm[1])) < Mm(0.1)
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert [round(m.mm) for m in margins] == [22, 20, 20, 22]  # the PDF's @page margins
    assert _page_points(tmp_path / "briefing.pdf") == points


def test_docx_language_is_the_briefings_as_in_the_pdf(sample_briefing: Briefing, tmp_path: Path):
    sample_briefing.sources = [
        s.model_copy(update={"language": "de"}) for s in sample_briefing.sources
    ]
    (path,) = render(sample_briefing, tmp_path, ["docx"])
    styles = docx.Document(str(path)).styles.element
    (lang,) = styles.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert lang == "de"


def test_docx_actors_table_columns_fit_their_content(sample_briefing: Briefing, tmp_path: Path):
    (path,) = render(sample_briefing, tmp_path, ["docx"])
    doc = docx.Document(str(path))
    actors = doc.tables[0]
    widths = [c.width for c in actors.columns]
    section = doc.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(sum(widths) - text_width) < Mm(1)
    name, kind, mentions, _per_source, role = widths
    assert role > 3 * kind and role == max(widths)  # the long role sentence gets the room
    assert mentions < name and actors.autofit is False
    assert all(c.width == w for row in actors.rows for c, w in zip(row.cells, widths, strict=True))
    assert actors.rows[0]._tr.trPr.xpath("./w:tblHeader")  # header row repeats on each page


def _libreoffice_pdf(docx_path: Path, out: Path) -> Path:
    subprocess.run(
        [str(LIBREOFFICE), f"-env:UserInstallation=file://{out}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(docx_path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out / f"{docx_path.stem}.pdf"


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice (libreoffice-writer-nogui) needed")
def test_the_seed_docx_in_libreoffice_has_at_most_one_page_more_than_the_pdf_and_one_actors_page(
    seeds_briefing: tuple[list[Article], Briefing], tmp_path: Path
) -> None:
    _, briefing = seeds_briefing
    render(briefing, tmp_path, ["pdf", "docx"])
    converted = _libreoffice_pdf(tmp_path / "briefing.docx", tmp_path / "lo")
    pdf_count, docx_count = pdf_pages(tmp_path / "briefing.pdf"), pdf_pages(converted)
    print(f"seed briefing: PDF {pdf_count} pages, DOCX in LibreOffice {docx_count} pages")
    assert docx_count <= pdf_count + 1
    pages = _pdf_text(converted)[0].split("\f")
    names = [a.name for a in briefing.actors]
    holding = [i for i, page in enumerate(pages) if "Per source" in page]
    assert len(holding) == 1, "the actors table starts once"
    table_page = pages[holding[0]]
    assert all(name.split()[0] in table_page for name in names)
    first_page = pages[0]
    # Compact notes: a small share of page 1 (they filled half of it).
    lines = [line for line in first_page.splitlines() if line.strip()]
    notes = [line for line in lines if line.startswith("[") and ", sentence " in line]
    assert notes
    assert sum(map(len, notes)) < sum(map(len, lines)) / 3
