"""``--layout brief``: one page with the title, date, bottom line, key points with their citation
numbers and one line of sources, in PDF, DOCX, HTML and Markdown; the memo stays the default;
a scheduled briefing asks for it with ``layout = "brief"``."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from briefgen.check.gate import check_report
from briefgen.cli import main
from briefgen.render.fit import pdf_pages
from briefgen.service.config import BriefingConfig
from briefgen.spec import BriefingSpec

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brief")
    done = CliRunner().invoke(
        main,
        ["build", str(SEEDS), "-o", str(out), "--layout", "brief", "--now", "2026-01-24T07:00Z"],
    )
    assert done.exit_code == 0, done.output
    return out


def test_the_brief_pdf_is_one_page_and_passes_its_check(brief: Path) -> None:
    assert pdf_pages(brief / "briefing.pdf") == 1
    briefing, results = check_report(brief)
    assert {r.name: r.status for r in results}["pages"] == "pass"
    assert not [r for r in results if r.failed]
    assert len(briefing.key_points) >= 3


def test_the_brief_shows_bottom_line_key_points_with_citations_and_one_sources_line(
    brief: Path,
) -> None:
    briefing, _ = check_report(brief)
    page = (brief / "briefing.html").read_text()
    assert "Policy brief</p>" in page and "Generated 24 January 2026" in page
    for st in briefing.bottom_line + briefing.key_points:
        assert st.text.replace("'", "&#39;") in page
    assert page.count('class="cite"') == len(briefing.bottom_line) + len(briefing.key_points)
    assert page.count("<strong>Sources:</strong>") == 1
    for absent in ("Actors", "Background", "Readability", "Reproducibility", "Source panel"):
        assert f">{absent}</h2>" not in page
    md = (brief / "briefing.md").read_text()
    assert "## Key points" in md and "## Background" not in md
    assert len([line for line in md.splitlines() if line.startswith("**Sources:**")]) == 1


def test_the_brief_docx_has_the_same_parts(brief: Path) -> None:
    doc = docx.Document(str(brief / "briefing.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Bottom line", "Key points"]
    assert doc.paragraphs[-1].text.startswith("Sources: [1] ")
    assert not doc.tables
    key_points = [p for p in doc.paragraphs if p.style.name == "List Number"]
    assert key_points and all(
        any(r.style.name == "Citation" and r.text.startswith("[") for r in p.runs)
        for p in key_points
    )  # citation numbers, as in the PDF, not footnotes
    assert "footnoteReference" not in doc.element.xml


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice needed")
def test_the_brief_docx_is_one_page_in_libreoffice(brief: Path, tmp_path: Path) -> None:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(brief / "briefing.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert pdf_pages(tmp_path / "briefing.pdf") == 1


def test_the_memo_stays_the_default_and_a_config_can_ask_for_the_brief() -> None:
    assert BriefingSpec().layout == "memo" and BriefingSpec().paper == "a4"
    spec = BriefingConfig(name="kz", layout="brief", paper="letter").spec()
    assert (spec.layout, spec.paper, spec.page_budget) == ("brief", "letter", 1)
    with pytest.raises(ValueError, match="unknown layout 'poster'"):
        BriefingSpec(layout="poster")


def test_an_unknown_layout_or_paper_is_a_usage_error(tmp_path: Path) -> None:
    for flag, value in (("--layout", "poster"), ("--paper", "a3")):
        done = CliRunner().invoke(main, ["build", str(SEEDS), "-o", str(tmp_path), flag, value])
        assert done.exit_code == 2 and value in done.output
