"""The PDF is a tagged PDF/UA-1 file: a reader's assistive technology finds its language, title,
headings, lists, tables, chart text and links in the structure tree (read here with pikepdf)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.model import Briefing
from briefgen.render import render

pikepdf = pytest.importorskip("pikepdf", reason="pikepdf (dev extra) reads the structure tree")


def _kids(elem: object) -> list[object]:
    k = elem.get("/K") if isinstance(elem, pikepdf.Dictionary) else None  # type: ignore[attr-defined]
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def _elements(elem: object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under ``elem``, in reading order (depth first)."""
    for kid in _kids(elem):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            yield kid
            yield from _elements(kid)


def _has_content(elem: pikepdf.Dictionary) -> bool:
    """Whether ``elem`` or an element under it holds marked content (text drawn on a page)."""
    for kid in _kids(elem):
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid):
            return True
        is_elem = isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem"
        if is_elem and _has_content(kid):
            return True
    return False


def _tag(elem: pikepdf.Dictionary) -> str:
    return str(elem.get("/S"))[1:]


def _rows(table: pikepdf.Dictionary) -> list[tuple[str, list[str]]]:
    """A table's rows as (THead or TBody, the tags of its cells)."""
    rows = []
    for part in _kids(table):
        for row in _kids(part):
            if isinstance(row, pikepdf.Dictionary) and _tag(row) == "TR":
                rows.append((_tag(part), [_tag(c) for c in _kids(row) if _tag(c) in ("TH", "TD")]))
    return rows


def structure_report(path: Path) -> dict[str, object]:
    """What the structure tree says about ``path``: the facts each test below checks."""
    pdf = pikepdf.open(path)
    root = pdf.Root
    elements = list(_elements(root.StructTreeRoot))
    tags = [_tag(e) for e in elements]
    tables = [e for e in elements if _tag(e) == "Table"]
    links = [e for e in elements if _tag(e) == "Link"]
    objrs = [
        k
        for e in links
        for k in _kids(e)
        if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"
    ]
    return {
        "lang": str(root.get("/Lang", "")),
        "marked": bool(root.MarkInfo.get("/Marked")) if "/MarkInfo" in root else False,
        "display_title": bool(root.ViewerPreferences.get("/DisplayDocTitle", False))
        if "/ViewerPreferences" in root
        else False,
        "title": str(pdf.docinfo.get("/Title", "")),
        "pdfua_part": "pdfuaid:part" in pdf.open_metadata().__str__()
        or b"pdfuaid" in pdf.Root.Metadata.read_bytes(),
        "headings": [int(t[1]) for t in tags if len(t) == 2 and t[0] == "H" and t[1].isdigit()],
        "lists": [
            [_tag(k) for k in _kids(e) if isinstance(k, pikepdf.Dictionary)]
            for e in elements
            if _tag(e) == "L"
        ],
        "tables": [_rows(t) for t in tables],
        "figures": [str(e.get("/Alt", "")) for e in elements if _tag(e) == "Figure"],
        "links": len(links),
        "links_with_text": sum(_has_content(e) for e in links),
        "link_annotations_described": sum(bool(str(o.Obj.get("/Contents", ""))) for o in objrs),
    }


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, briefing_builder) -> dict[str, object]:
    out = tmp_path_factory.mktemp("pdfua")
    briefing: Briefing = briefing_builder()
    render(briefing, out, ["pdf"])
    return structure_report(out / "briefing.pdf")


def test_pdf_is_marked_pdfua_with_the_title_shown_from_metadata(report) -> None:
    assert report["marked"] is True
    assert report["pdfua_part"] is True
    assert report["display_title"] is True
    assert report["title"] == "Kazakhstan joins Trump's Board of Peace"


def test_pdf_language_comes_from_the_briefing(briefing_builder, tmp_path: Path) -> None:
    assert structure_report_of(briefing_builder(), tmp_path / "en")["lang"] == "en"
    german = briefing_builder()
    german.sources = [s.model_copy(update={"language": "de"}) for s in german.sources]
    assert structure_report_of(german, tmp_path / "de")["lang"] == "de"


def structure_report_of(briefing: Briefing, out: Path) -> dict[str, object]:
    render(briefing, out, ["pdf"])
    return structure_report(out / "briefing.pdf")


def test_pdf_headings_start_at_h1_and_never_skip_a_level(report) -> None:
    levels = report["headings"]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    assert levels.count(2) >= 8  # bottom line, key points, background, ... readability


def test_pdf_lists_are_tagged_as_list_items_with_label_and_body(report) -> None:
    lists = report["lists"]
    assert len(lists) >= 5
    for items in lists:
        assert items and set(items) == {"LI"}


def test_pdf_tables_have_header_cells(report) -> None:
    tables = report["tables"]  # a table across a page break is tagged once per page
    assert len(tables) >= 2  # actors, readability
    for rows in tables:
        head = [cells for part, cells in rows if part == "THead"]
        body = [cells for part, cells in rows if part == "TBody"]
        assert head and all(set(cells) == {"TH"} for cells in head)
        assert body and all(cells[0] == "TH" and "TD" in cells for cells in body)
    assert sum(len(rows) for rows in tables) >= 1 + 4 + 1 + 4  # actors, readability rows


def test_pdf_chart_has_alternative_text_naming_each_outlet(report) -> None:
    (alt,) = report["figures"]
    assert alt == "Articles per outlet: US Trending News 1, Vesti.kg 1"


def test_pdf_links_have_text_and_described_annotations(report) -> None:
    assert report["links"] >= 10
    assert report["links_with_text"] == report["links"]
    assert report["link_annotations_described"] >= report["links"] - 2
