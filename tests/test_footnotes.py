"""DOCX citations as real Word footnotes: the footnotes part, references by id, LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from briefgen.model import Briefing
from briefgen.render import render

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


@pytest.fixture(scope="module")
def rendered_docx(tmp_path_factory: pytest.TempPathFactory, briefing_builder) -> Path:
    (path,) = render(briefing_builder(), tmp_path_factory.mktemp("docx"), ["docx"])
    return path


def test_footnotes_part_is_declared_related_and_has_separators(rendered_docx: Path) -> None:
    parts = _parts(rendered_docx)
    assert (
        f'PartName="/word/footnotes.xml" ContentType="{FOOTNOTES_CT}"'
        in parts["[Content_Types].xml"]
    )
    assert re.search(
        rf'Type="{FOOTNOTES_RT}"[^>]*Target="footnotes.xml"|Target="footnotes.xml"[^>]*'
        rf'Type="{FOOTNOTES_RT}"',
        parts["word/_rels/document.xml.rels"],
    )
    notes = parts["word/footnotes.xml"]
    assert re.search(r'w:type="separator" w:id="-1".*<w:separator/>', notes)
    assert re.search(r'w:type="continuationSeparator" w:id="0".*<w:continuationSeparator/>', notes)


def test_every_reference_in_the_text_has_its_footnote(
    rendered_docx: Path, sample_briefing: Briefing
) -> None:
    parts = _parts(rendered_docx)
    body_refs = re.findall(r'<w:footnoteReference w:id="(\d+)"/>', parts["word/document.xml"])
    note_ids = re.findall(r'<w:footnote w:id="(\d+)">', parts["word/footnotes.xml"])
    assert body_refs and sorted(body_refs, key=int) == sorted(note_ids, key=int)
    assert len(set(body_refs)) == len(body_refs)
    # each body statement (outside tables) gets one note; the reference run is styled
    assert parts["word/document.xml"].count('<w:rStyle w:val="FootnoteReference"/>') == len(
        body_refs
    )
    assert parts["word/footnotes.xml"].count("<w:footnoteRef/>") == len(note_ids)
    assert '<w:pStyle w:val="FootnoteText"/>' in parts["word/footnotes.xml"]
    styles = parts["word/styles.xml"]
    assert re.search(r'w:styleId="FootnoteReference".*?<w:vertAlign w:val="superscript"/>', styles)
    assert 'w:styleId="FootnoteText"' in styles


def test_footnote_text_names_source_outlet_and_sentence_compactly(
    rendered_docx: Path, sample_briefing: Briefing
) -> None:
    notes = _parts(rendered_docx)["word/footnotes.xml"]
    first = sample_briefing.bottom_line[0]
    c1, c2 = first.citations
    s1, s2 = sample_briefing.sources
    text = re.search(r'<w:footnote w:id="1">.*?</w:footnote>', notes)
    assert text
    plain = re.sub(r"<[^>]+>", "", text.group())
    # Compact: the outlet names the source (the source list has the title).
    assert f"[1] {s1.outlet}, sentence {c1.sentence_index + 1}" in plain
    assert f"[2] {s2.outlet}, sentence {c2.sentence_index + 1}" in plain
    assert s1.title not in plain


def test_a_source_without_outlet_is_named_in_a_note_by_its_first_words() -> None:
    from briefgen.render.footnotes import note_text

    sources = {1: ("Experts analyze how Astana's foreign policy steps affect the region", "")}
    assert (
        note_text(["1:4"], sources)
        == "[1] Experts analyze how Astana's foreign policy…, sentence 4."
    )


def test_a_citation_is_shown_once_as_a_footnote_and_the_outlet_count_as_plain_text(
    sample_briefing: Briefing, tmp_path: Path
) -> None:
    sample_briefing.bottom_line[0].support = 2
    (path,) = render(sample_briefing, tmp_path, ["docx"])
    doc = docx.Document(str(path))
    bottom = next(p for p in doc.paragraphs if p.style.name == "Bottom Line")
    runs = bottom._p.findall(f"{W}r")
    styles = [r.find(f"{W}rPr/{W}rStyle") for r in runs]
    names = [s.get(f"{W}val") if s is not None else None for s in styles]
    assert names == [None, "FootnoteReference", None]  # no "[1, 2]" marker beside the note
    assert runs[1].find(f"{W}footnoteReference") is not None
    assert bottom.text.endswith(". (2 outlets)")
    body = [p for p in doc.paragraphs if p.style.name != "Heading 1"]
    assert not any(r.style.name == "Citation" for p in body for r in p.runs)


def test_a_reference_docx_with_its_own_footnotes_keeps_one_footnotes_part(
    rendered_docx: Path, sample_briefing: Briefing, tmp_path: Path
) -> None:
    tdir = tmp_path / "tpl"
    tdir.mkdir()
    shutil.copyfile(rendered_docx, tdir / "reference.docx")
    (path,) = render(sample_briefing, tmp_path / "out", ["docx"], template_dir=tdir)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        notes = z.read("word/footnotes.xml").decode()
    assert names.count("word/footnotes.xml") == 1
    ids = re.findall(r'<w:footnote w:id="(\d+)">', notes)
    assert ids == [str(i) for i in range(1, len(ids) + 1)]  # old notes replaced, not appended
    assert notes.count('w:id="-1"') == 1


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (apt-get install libreoffice-writer-nogui) and poppler-utils needed",
)
def test_libreoffice_opens_the_docx_and_shows_the_footnotes(
    rendered_docx: Path, sample_briefing: Briefing, tmp_path: Path
) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(rendered_docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / f"{rendered_docx.stem}.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    c1 = sample_briefing.bottom_line[0].citations[0]
    assert f"[1] {sample_briefing.sources[0].outlet}, sentence {c1.sentence_index + 1}" in flat
    assert "[2] Vesti.kg, sentence" in flat
