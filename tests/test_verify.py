"""`briefgen verify`: a briefing checked against re-read sources, and the reproducibility block."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from briefgen.check.verify import verify
from briefgen.cli import main
from briefgen.ingest.read import ingest
from briefgen.model import Briefing
from briefgen.pipeline import make_briefing
from briefgen.render import render
from tests.conftest import SEEDS

CITED = "accepted the invitation and conveyed"


def _fresh(tmp_path: Path) -> tuple[Path, Path, Briefing]:
    """Seeds copied to tmp_path, and the briefing JSON built from the copies."""
    src = tmp_path / "sources"
    src.mkdir()
    for p in SEEDS.iterdir():
        shutil.copyfile(p, src / p.name)
    result = ingest([str(src)])
    briefing = make_briefing(result.articles, result.dropped)
    path = tmp_path / "briefing.json"
    path.write_text(briefing.to_json(), encoding="utf-8")
    return src, path, briefing


def test_verify_passes_on_a_fresh_briefing(tmp_path: Path) -> None:
    src, path, briefing = _fresh(tmp_path)
    result = CliRunner().invoke(main, ["verify", str(path), str(src)])
    assert result.exit_code == 0, result.output
    assert "all match their sources" in result.output
    assert result.output.count(" ok") >= len(briefing.statements())
    assert "unchanged (sha256 matches)" in result.output


def test_verify_fails_naming_the_sentence_when_a_source_was_edited(tmp_path: Path) -> None:
    src, path, briefing = _fresh(tmp_path)
    shown = [(sec, st) for sec, st in briefing.statements() if CITED in st.source_text]
    assert shown, "the seed briefing should show the Tokayev sentence"
    seed = next(p for p in src.iterdir() if CITED in p.read_text(encoding="utf-8"))
    seed.write_text(
        seed.read_text(encoding="utf-8").replace(CITED, "accepted the invitation and sent"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["verify", str(path), str(src)])
    assert result.exit_code == 1, result.output
    mismatch = [line for line in result.output.splitlines() if line.startswith("MISMATCH")]
    section = shown[0][0]
    assert any(section in line and "President Kassym-Jomart Tokayev" in line for line in mismatch)
    assert any("now reads" in line and "and sent" in line for line in mismatch)
    assert "CHANGED since the briefing" in result.output


def test_verify_reports_a_missing_source(tmp_path: Path) -> None:
    src, _, briefing = _fresh(tmp_path)
    keep = sorted(src.iterdir())[0]
    report = verify(briefing, [str(keep)])
    assert [s.status for s in report.sources].count("missing") == 1
    assert not report.ok
    assert all("not found among the inputs" in (r.problem or "") for r in report.failures)


def test_reproducibility_block_in_json_pdf_and_docx(
    seeds_briefing: tuple[list, Briefing], tmp_path: Path
) -> None:
    import docx
    from pypdf import PdfReader

    articles, briefing = seeds_briefing
    repro = briefing.reproducibility
    assert repro is not None
    assert [i.sha256 for i in repro.inputs] == [a.sha256 for a in articles]
    assert {"briefgen", "weasyprint", "python-docx", "python"} <= set(repro.versions)
    assert repro.options["selection"]["max_key_points"] == 7
    assert len(repro.inputs_sha256) == 64
    assert Briefing.from_json(briefing.to_json()).reproducibility == repro
    paths = {p.suffix: p for p in render(briefing, tmp_path, ["pdf", "docx"])}
    meta = PdfReader(paths[".pdf"]).metadata
    assert f"inputs-sha256:{repro.inputs_sha256}" in str(meta.get("/Keywords"))
    props = docx.Document(str(paths[".docx"])).core_properties
    assert props.identifier == f"sha256:{repro.inputs_sha256}"
    assert repro.inputs_sha256 in props.comments
