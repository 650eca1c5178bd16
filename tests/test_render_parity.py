"""Every format shows the same briefing: each section heading and each statement is in the HTML,
the PDF text, the DOCX text and the Markdown, and the Markdown is real Markdown."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.check.gate import _docx_text, _letters, _pdf_text
from briefgen.model import Briefing, Changes, DateMention, Disagreement
from briefgen.render import render
from briefgen.render.context import SECTION_LABELS
from tests.conftest import build_sample_briefing, make_statement, seed_article

markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (dev extra)")

# Sections the full briefing below has, by their heading.
HEADINGS = [
    SECTION_LABELS[k]
    for k in (
        "bottom_line",
        "key_points",
        "background",
        "outlook",
        "disagreements",
        "changes",
        "actors",
        "dates",
        "quotes",
        "keyphrases",
        "sources",
        "dropped",
        "readability",
    )
]


def full_briefing(base: Briefing | None = None) -> Briefing:
    """The sample briefing with every optional section filled: what changed, a timeline,
    quotes, disagreements and a set-aside input; a title with ``&`` and ``<``."""
    b = base or build_sample_briefing()
    a1 = seed_article("000_f4493892df17a64d.txt", "a1")
    a2 = seed_article("002_7bd0d2179170dade.txt", "a2")
    st = make_statement
    b.title = "Kazakhstan & the <Board of Peace>: what next"
    b.dates = [
        DateMention(text="2025", iso="2025", statement=st(a2, "Events in Kazakhstan hold")),
        DateMention(text="January 2026", iso="2026-01", statement=st(a1, "around sixty")),
    ]
    b.disagreements = [
        Disagreement(
            topic="countries invited",
            kind="number",
            values=["sixty", "dozens"],
            claims=[st(a1, "around sixty countries"), st(a2, "established with the support of")],
        )
    ]
    b.changes = Changes(
        previous_generated_at=datetime(2026, 1, 17, 7, 0, tzinfo=UTC),
        new_points=[st(a2, "first post-Soviet state to join the Abraham Accords")],
        dropped_points=[st(a1, "This step aligns with")],
        new_actors=["Igor Shestakov"],
    )
    return b


def _html_text(path: Path) -> str:
    import lxml.html

    return str(lxml.html.parse(str(path)).getroot().text_content())


def _md_html(path: Path) -> str:
    return str(markdown_it.MarkdownIt("commonmark").enable("table").render(path.read_text()))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Briefing, Path]:
    out = tmp_path_factory.mktemp("parity")
    briefing = full_briefing()
    render(briefing, out, ["pdf", "docx", "html", "md"])
    return briefing, out


def _texts(out: Path) -> dict[str, str]:
    import lxml.html

    md_text = str(lxml.html.fromstring(_md_html(out / "briefing.md")).text_content())
    return {
        "html": _html_text(out / "briefing.html"),
        "pdf": _pdf_text(out / "briefing.pdf")[0],
        "docx": _docx_text(out / "briefing.docx"),
        "md": md_text,
    }


def test_every_format_holds_every_section_heading(rendered) -> None:
    _, out = rendered
    for fmt, text in _texts(out).items():
        letters = _letters(text)
        missing = [h for h in HEADINGS if _letters(h) not in letters]
        assert missing == [], f"{fmt} lacks {missing}"


def test_every_format_holds_every_statement_and_the_title(rendered) -> None:
    briefing, out = rendered
    wanted = [st.text for _, st in briefing.statements()]
    wanted += [s.text for s in briefing.changes.dropped_points]  # type: ignore[union-attr]
    assert len(wanted) >= 20
    for fmt, text in _texts(out).items():
        letters = _letters(text)
        missing = [w[:50] for w in wanted if _letters(w) not in letters]
        assert missing == [], f"{fmt} lacks {missing}"
        assert _letters(briefing.title) in letters, fmt


def test_markdown_has_no_html_entities_and_shows_plain_text_as_written(rendered) -> None:
    _, out = rendered
    md = (out / "briefing.md").read_text()
    assert md.startswith("# Kazakhstan & the \\<Board of Peace\\>: what next\n")
    assert not re.search(r"&(amp|lt|gt|quot|#\d+);", md)
    parsed = markdown_it.MarkdownIt("commonmark").parse(md)
    title = next(t for t in parsed if t.type == "inline")
    assert title.content and "Kazakhstan & the" in (title.children or [])[0].content


def test_markdown_puts_one_list_item_per_line_and_parses_to_the_same_items(rendered) -> None:
    briefing, out = rendered
    md = (out / "briefing.md").read_text()
    items = re.findall(r"^(?:- |\d+\. )", md, re.MULTILINE)
    run_together = re.findall(r"\S(?:- \*\*|\d+\. )\S", md)
    assert run_together == [] or all("—" not in r for r in run_together)
    assert not re.search(r"\]- \*\*", md)  # "...[1]- **2025**": a timeline item run on
    html = _md_html(out / "briefing.md")
    assert html.count("<li>") == len(items)
    # The sections as lists: key points numbered, timeline and what changed one item each.
    assert len(re.findall(r"^\d+\. ", md, re.MULTILINE)) == len(briefing.key_points) + len(
        briefing.sources
    )
    assert len(briefing.dates) == len(re.findall(r"^- \*\*(?:2025|2026-01)\*\*", md, re.M))


def test_markdown_what_changed_lists_what_the_pdf_shows(rendered) -> None:
    briefing, out = rendered
    md = (out / "briefing.md").read_text()
    section = md.split(f"## {SECTION_LABELS['changes']}", 1)[1].split("\n## ", 1)[0]
    assert briefing.changes is not None
    for st in briefing.changes.new_points + briefing.changes.dropped_points:
        assert _letters(st.text) in _letters(section)
    assert "Igor Shestakov" in section
    pdf = _pdf_text(out / "briefing.pdf")[0]
    assert _letters(briefing.changes.new_points[0].text) in _letters(pdf)
