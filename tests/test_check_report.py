"""`briefgen check`: a rendered briefing is re-read and doctored copies are caught."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.service.build import build
from briefgen.spec import BriefingSpec, Targets

SEEDS = Path(__file__).parent.parent / "seeds"
TEMPLATES = Path(__file__).parent.parent / "templates"
LENIENT = ["--max-grade", "30"]  # grade targets are tested in test_check.py; here: doctoring


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    build([str(SEEDS)], out, BriefingSpec(targets=Targets(max_grade=30)))
    return out


@pytest.fixture
def copy(report: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(report, target)
    return target


def check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", str(path), *LENIENT])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_fresh_briefing_passes_every_check(report: Path) -> None:
    code, output = check(report)
    assert code == 0, output
    for name in ("faithful", "citations", "length", "pdf text", "docx text", "pages"):
        assert name in output
    assert "FAIL" not in output


def test_a_word_changed_in_the_pdf_source_html_fails_naming_the_sentence(copy: Path) -> None:
    import weasyprint

    data = json.loads((copy / "briefing.json").read_text(encoding="utf-8"))
    html = (copy / "briefing.html").read_text(encoding="utf-8")
    # A word that occurs once in the whole page, inside a key point: change just that word.
    number, point, word = next(
        (n, p["text"], w)
        for n, p in enumerate(data["key_points"], 1)
        for w in p["text"].split()
        if w.isalpha() and len(w) > 5 and html.count(w) == 1
    )
    html = html.replace(word, "Tuesday")
    weasyprint.HTML(string=html, base_url=str(TEMPLATES)).write_pdf(copy / "briefing.pdf")
    code, output = check(copy / "briefing.pdf")
    assert code == 1
    assert "pdf text" in output and "FAIL" in output
    assert f"key points {number}" in output and point[:30] in output


def test_a_citation_of_a_missing_article_fails_naming_it(copy: Path) -> None:
    path = copy / "briefing.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["key_points"][0]["citations"][0]["article_id"] = "a9"
    path.write_text(json.dumps(data), encoding="utf-8")
    code, output = check(copy)
    assert code == 1
    assert "key points 1 cites a9, which is not a listed source" in output


def test_a_key_point_of_sixty_words_fails_the_length_check(copy: Path) -> None:
    path = copy / "briefing.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    long = " ".join(["Kazakhstan"] + ["joined"] * 58) + " talks."
    data["key_points"][2]["text"] = long
    data["key_points"][2]["source_text"] = long
    path.write_text(json.dumps(data), encoding="utf-8")
    code, output = check(copy)
    assert code == 1
    assert "key points 3 has 60 words (max 35)" in output


def test_a_key_point_that_is_not_its_source_fails_faithfulness(copy: Path) -> None:
    path = copy / "briefing.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    first, rest = data["key_points"][0]["text"].split(" ", 1)
    data["key_points"][0]["text"] = f"{first} never {rest}"  # an added negation
    path.write_text(json.dumps(data), encoding="utf-8")
    code, output = check(copy)
    assert code == 1
    assert "faithful" in output and "key points 1" in output


def test_a_briefing_failing_its_checks_is_set_aside_and_the_previous_stays(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    build([str(SEEDS)], out, BriefingSpec(formats=("json",), targets=Targets(max_grade=30)))
    before = (out / "briefing.json").read_bytes()
    result = CliRunner().invoke(
        main,
        ["build", str(SEEDS), "-o", str(out), "--formats", "json", "--strict", "--max-grade", "5"],
    )
    assert result.exit_code == 1
    assert "not published" in result.output and "grade" in result.output
    assert (out / "briefing.json").read_bytes() == before
    rejected = list((out / ".rejected").iterdir())
    assert len(rejected) == 1
    assert "grade" in (rejected[0] / "REASONS.txt").read_text(encoding="utf-8")


def test_a_briefing_over_its_page_budget_shows_less_rather_than_failing(tmp_path: Path) -> None:
    from briefgen.render.fit import pdf_pages

    full = build([str(SEEDS)], tmp_path / "full", BriefingSpec(targets=Targets(max_grade=30)))
    assert pdf_pages(tmp_path / "full" / "briefing.pdf") == 3
    result = build(
        [str(SEEDS)], tmp_path / "two", BriefingSpec(targets=Targets(max_grade=30, max_pages=2))
    )
    assert pdf_pages(tmp_path / "two" / "briefing.pdf") <= 2
    assert any("trimmed to fit 2 pages" in w for w in result.warnings)
    kept, before = result.briefing, full.briefing
    assert kept.bottom_line == before.bottom_line
    assert len(kept.key_points) >= 3
    assert len(kept.actors) < len(before.actors)
    # every format shows the trimmed briefing
    saved = json.loads((tmp_path / "two" / "briefing.json").read_text(encoding="utf-8"))
    assert len(saved["actors"]) == len(kept.actors)
