"""Page fitting: one layout tells how much to trim; the PDF is laid out at most twice."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest

from benchmarks.evaldata import eval_set
from briefgen.ingest.read import ingest
from briefgen.model import Briefing
from briefgen.pipeline import make_briefing
from briefgen.render import fit
from briefgen.render.context import Views, get_context
from briefgen.render.fit import TRIMS, left_out, pdf_pages, trim
from briefgen.render.paging import Flow, Piece, flow_of
from briefgen.render.pdf import lay_out
from briefgen.service.build import build
from briefgen.spec import BriefingSpec, Targets

SEEDS = Path(__file__).parent.parent / "seeds"
TEMPLATES = Path(__file__).parent.parent / "templates"
LENIENT = Targets(max_grade=99.0, max_key_point_words=1000)


def _line(page: int, top: float, *names: str, glued: bool = False) -> Piece:
    return Piece(page, top, 10.0, frozenset(names), glued=glued)


def test_a_flow_pages_what_is_left_when_items_are_left_out() -> None:
    # Page of 30 px: three 10 px lines a page; item #s/1 is two lines.
    pieces = [
        _line(0, 0, "#s", "#s/0"),
        _line(0, 10, "#s", "#s/1"),
        _line(0, 20, "#s", "#s/1"),
        _line(1, 0, "#s", "#s/2"),
        _line(1, 10, "#s", "#s/3"),
    ]
    flow = Flow(pieces, page_height=30.0, laid_out_pages=2)
    assert flow.pages() == 2
    assert flow.pages({"#s/1"}) == 1
    assert flow.pages({"#s/3"}) == 2
    assert flow.pages({"#s"}) == 1


def test_glued_pieces_go_to_the_next_page_together() -> None:
    # A heading glued to its first line cannot end a page: both move on.
    pieces = [_line(0, 0), _line(0, 10), _line(0, 20, glued=True), _line(1, 0)]
    assert Flow(pieces, page_height=30.0, laid_out_pages=2).pages() == 2
    assert Flow(pieces, page_height=30.0, laid_out_pages=2).pages({"#none"}) == 2
    unglued = [_line(0, 0), _line(0, 10), _line(1, 0)]
    assert Flow(unglued, page_height=30.0, laid_out_pages=2).pages() == 1


def test_a_table_row_opening_a_page_carries_its_repeated_header() -> None:
    rows = [Piece(0, 14.0 * i, 14.0, frozenset({"#t"}), header=5.0) for i in range(4)]
    # 4 rows of 14 px: two a page of 33 px, the second page's two under the 5 px header...
    assert Flow(rows, page_height=33.0, laid_out_pages=2).pages() == 2
    # ...but at 32 px only one fits under it.
    assert Flow(rows, page_height=32.0, laid_out_pages=2).pages() == 3
    bare = [Piece(0, 14.0 * i, 14.0, frozenset({"#t"})) for i in range(4)]
    assert Flow(bare, page_height=28.0, laid_out_pages=2).pages() == 2


@pytest.fixture(scope="module")
def seed_briefing() -> Briefing:
    found = ingest([str(SEEDS)], jobs=1)
    return make_briefing(found.articles, found.dropped, BriefingSpec(targets=LENIENT, jobs=1))


def test_the_pages_predicted_for_every_trimming_level_are_the_pages_laid_out(
    seed_briefing: Briefing,
) -> None:
    views = Views(seed_briefing)
    full = views.context(target="pdf")
    flow = flow_of(lay_out(seed_briefing, None, full))
    assert flow.pages() == flow.laid_out_pages == 3
    for level in range(1, len(TRIMS) + 1):
        variant = views.context(trim(seed_briefing, level)[0], "pdf")
        laid_out = len(lay_out(seed_briefing, None, variant).pages)
        assert flow.pages(left_out(full, variant)) == laid_out, level


def test_the_shared_views_give_each_trimmed_variant_the_context_it_would_have_alone(
    seed_briefing: Briefing,
) -> None:
    views = Views(seed_briefing, paper="letter")
    for level in range(len(TRIMS) + 1):
        variant = trim(seed_briefing, level)[0]
        alone = get_context(variant, "md", paper="letter")
        assert views.context(variant, "md") == alone, level
    # what is left out of a variant: the items past the kept ones, whole sections emptied
    trimmed = views.context(trim(seed_briefing, len(TRIMS))[0])
    gone = left_out(views.context(), trimmed)
    assert {"#keyphrases", "#background", "#outlook", "#actors/3"} <= gone
    assert "#actors" not in gone and "#actors/2" not in gone  # three actors stay
    assert "#key-points/2" not in gone and f"#key-points/{len(trimmed['key_points'])}" in gone


def test_the_views_reach_the_pdf_helper_process_whole(seed_briefing: Briefing) -> None:
    views = Views(seed_briefing, paper="letter", layout="brief")
    copy = pickle.loads(pickle.dumps(views))
    assert copy.briefing == seed_briefing
    assert copy.context(target="pdf") == views.context(target="pdf")
    level = len(TRIMS)
    assert copy.context(trim(copy.briefing, level)[0]) == get_context(
        trim(seed_briefing, level)[0], paper="letter", layout="brief"
    )


def test_a_briefing_within_its_budget_is_laid_out_once(tmp_path: Path) -> None:
    result = build([str(SEEDS)], tmp_path, BriefingSpec(targets=LENIENT))
    assert result.timings["pdf_layouts"] == 1
    assert not any("trimmed" in w for w in result.warnings)


def test_when_the_prediction_falls_short_one_more_level_is_laid_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At 2 pages the seeds need two trimming steps; a prediction of one is caught by the layout.
    monkeypatch.setattr(fit, "predict", lambda *_: 1)
    spec = BriefingSpec(targets=Targets(max_grade=99.0, max_pages=2), jobs=1)
    result = build([str(SEEDS)], tmp_path, spec)
    assert result.timings["pdf_layouts"] == 3
    assert pdf_pages(tmp_path / "briefing.pdf") <= 2
    assert len(result.briefing.background) <= 2 and len(result.briefing.actors) <= 4


def test_a_template_without_the_section_ids_is_fitted_by_laying_out_levels(
    tmp_path: Path,
) -> None:
    # Without the ids nothing can be measured, so the levels are searched by layouts.
    page = (TEMPLATES / "briefing.html.j2").read_text(encoding="utf-8")
    mine = tmp_path / "templates"
    mine.mkdir()
    without_ids = re.sub(r'(<section[^>]*) id="[^"]*"', r"\1", page)
    (mine / "briefing.html.j2").write_text(without_ids, encoding="utf-8")
    spec = BriefingSpec(targets=Targets(max_grade=99.0, max_pages=2), template_dir=mine, jobs=1)
    result = build([str(SEEDS)], tmp_path / "out", spec)
    assert pdf_pages(tmp_path / "out" / "briefing.pdf") <= 2
    assert result.timings["pdf_layouts"] > 2
    assert len(result.briefing.background) == 2 and len(result.briefing.actors) == 4


@pytest.mark.skipif(not eval_set().is_dir(), reason="evaluation data not on this machine")
def test_a_build_of_many_articles_over_its_budget_lays_out_the_pdf_twice_and_fits(
    tmp_path: Path,
) -> None:
    from benchmarks.corpus import build_corpus

    corpus = build_corpus(120, tmp_path / "corpus", eval_set())
    out = tmp_path / "out"
    result = build([str(corpus)], out, BriefingSpec(targets=LENIENT))
    assert result.timings["pdf_layouts"] == 2
    assert pdf_pages(out / "briefing.pdf") <= 3
    assert any(w.startswith("trimmed to fit 3 pages") for w in result.warnings)
    # every format shows the briefing as trimmed
    saved = json.loads((out / "briefing.json").read_text(encoding="utf-8"))
    assert len(saved["actors"]) == len(result.briefing.actors) <= 6
