"""The PDF's page layout: no heading left alone at the foot of a page, no single word alone on
an item's first line, a source chart only when it says something, and a source list of
outlet, title, date and URL (file paths stay in the JSON).  Layout is read from WeasyPrint's
own box tree, so the checks see exactly the lines and pages of the PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefgen.model import Briefing, Source
from briefgen.render import render
from briefgen.render.context import get_context
from briefgen.render.html import render_html_string
from tests.test_render_parity import full_briefing

CSS = (Path(__file__).resolve().parent.parent / "templates" / "briefing.css").read_text()


def _text(box: object) -> str:
    if hasattr(box, "text"):
        return str(box.text)
    return "".join(_text(c) for c in getattr(box, "children", []))


def layout_problems(page_html: str) -> list[str]:
    """Headings that end a page and items whose first line is one word, in ``page_html``."""
    import weasyprint
    from weasyprint.formatting_structure import boxes

    document = weasyprint.HTML(string=page_html, media_type="print").render()
    found: list[tuple[int, object]] = []

    def walk(box: object, page: int) -> None:
        found.append((page, box))
        for child in getattr(box, "children", []):
            walk(child, page)

    for n, page in enumerate(document.pages, 1):
        walk(page._page_box, n)
    problems = []
    for i, (page, box) in enumerate(found):
        tag = getattr(box, "element_tag", None)
        if not isinstance(box, boxes.BlockBox):
            continue
        if tag in ("li", "p", "td", "th"):
            lines = [c for c in box.children if isinstance(c, boxes.LineBox)]
            if len(lines) >= 2 and len(_text(lines[0]).split()) == 1:
                problems.append(f"page {page}: one word on a first line: {_text(lines[0])!r}")
        if tag in ("h2", "h3"):
            after = (
                p
                for p, b in found[i + 1 :]
                if isinstance(b, boxes.LineBox)
                and getattr(b, "element_tag", None) is not None  # not the running footer
                and _text(b).strip()
                and getattr(b, "element", None) is not box.element
            )
            nxt = next(after, page)
            if nxt != page:
                problems.append(f"page {page}: heading {_text(box).strip()!r} ends the page")
    return problems


def _stranded(height_mm: int) -> str:
    """A page of ``height_mm`` of filler, then a heading (allowed to end a page) and a block
    that cannot be split."""
    return (
        f'<html lang="en"><style>{CSS} h2 {{ break-after: auto }}</style><body>'
        f'<div style="height: {height_mm}mm"></div><h2>Sources</h2>'
        '<div style="height: 30mm; break-inside: avoid"><p>A block kept whole.</p></div>'
        "</body></html>"
    )


def test_the_layout_check_finds_a_stranded_heading_and_a_lone_first_word() -> None:
    found = [p for mm in range(200, 250, 4) for p in layout_problems(_stranded(mm))]
    assert any("heading 'SOURCES' ends the page" in p for p in found)  # text-transform
    # Without the statement's own span (as before), WeasyPrint breaks after '"This'.
    lone = (
        f'<html lang="en"><style>{CSS}</style><body><main><section class="background"><ul><li>'
        '"This is the worst thing I\'ve heard of," said Greco, who has been in law enforcement '
        'for 29 years. <span class="cite">[2]</span> <span class="flag">single source</span>'
        "</li></ul></section></main></body></html>"
    )
    assert any("one word" in p for p in layout_problems(lone))


@pytest.mark.parametrize("key_points", [1, 3, 5])
@pytest.mark.parametrize("background", [0, 2])
def test_pdf_keeps_headings_with_their_text_and_no_lone_first_words(
    briefing_builder, key_points: int, background: int
) -> None:
    briefing = full_briefing(briefing_builder())
    briefing.key_points = briefing.key_points[:key_points]
    briefing.background = briefing.background[:background]
    quoted = briefing.quotes[0].statement.model_copy()
    briefing.background.insert(0, quoted)  # an item opening with a quotation mark
    assert layout_problems(render_html_string(briefing, target="pdf")) == []


def test_the_source_list_shows_outlet_title_date_and_url_never_a_path(
    sample_briefing: Briefing, tmp_path: Path
) -> None:
    from briefgen.check.gate import _pdf_text

    first = sample_briefing.sources[0]
    sample_briefing.sources[0] = first.model_copy(update={"url": "https://example.org/kz-peace"})
    render(sample_briefing, tmp_path, ["pdf", "html", "md", "docx", "json"])
    text = " ".join(_pdf_text(tmp_path / "briefing.pdf")[0].split())
    assert "US Trending News, 21 January 2026." in text and "https://example.org/kz-peace" in text
    for fmt in ("pdf", "html", "md"):
        shown = (tmp_path / f"briefing.{fmt}").read_bytes()
        assert b"seeds/000_f4493892df17a64d.txt" not in shown, fmt  # the path
        assert b"inbox/" not in shown, fmt  # a set-aside input shows its file name only
    assert "seeds/000_f4493892df17a64d.txt" in (tmp_path / "briefing.json").read_text()


def _with_sources(briefing: Briefing, outlets: list[str | None]) -> Briefing:
    """The two cited sources with the first two ``outlets``, then one more source per outlet."""
    first = briefing.sources[0]
    pairs = zip(briefing.sources, outlets[:2], strict=True)
    kept = [s.model_copy(update={"outlet": o}) for s, o in pairs]
    extra = [
        first.model_copy(update={"id": f"x{i}", "outlet": o}) for i, o in enumerate(outlets[2:])
    ]
    briefing.sources = kept + extra
    return briefing


@pytest.mark.parametrize(
    ("outlets", "drawn"),
    [
        ([None, None], False),  # "Source 1 (no outlet)", "Source 2 (no outlet)": bars all 1
        (["Reuters", "Reuters"], False),  # one bar says nothing
        (["Reuters", "AP"], True),  # several outlets
        (["Reuters", "Reuters", None], True),  # unequal counts
    ],
)
def test_the_source_chart_is_drawn_only_when_it_says_something(
    sample_briefing: Briefing, outlets: list[str | None], drawn: bool
) -> None:
    panel = get_context(_with_sources(sample_briefing, outlets))["panel"]
    assert bool(panel["chart_svg"]) is drawn
    if drawn:
        title = panel["chart_svg"].split("<title>")[1].split("</title>")[0]
        assert title.startswith("Articles per outlet: ") and "Reuters " in title


def test_sources_with_dates_keep_their_date_strip_in_the_chart(sample_briefing: Briefing):
    sample_briefing.sources.append(
        Source(
            id="a3", title="Third", outlet="AP", published=date(2026, 1, 22), words=10, sha256="0"
        )
    )
    svg = get_context(sample_briefing)["panel"]["chart_svg"]
    assert "Published" in svg and "21 Jan 2026" in svg
