"""Support (distinct outlets, wire copies once) and disagreements between outlets."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.extract import compare
from briefgen.ingest.read import ingest
from briefgen.model import Article, Briefing
from briefgen.pipeline import make_briefing
from briefgen.render.context import get_context
from briefgen.render.html import render_html_string
from briefgen.summarize.segment import segment_all
from tests.conftest import PROVENANCE

QUAKE = PROVENANCE / "quake"


def _quake() -> tuple[list[Article], Briefing]:
    result = ingest([str(QUAKE)])
    return result.articles, make_briefing(result.articles, result.dropped)


def test_different_figures_for_one_fact_are_listed_with_both_citations() -> None:
    articles, briefing = _quake()
    by_kind = {d.kind: d for d in briefing.disagreements}
    toll = by_kind["number"]
    assert sorted(toll.values) == ["40", "52"]
    assert "killed" in toll.topic and "people" in toll.topic
    outlets = {a.id: a.outlet for a in articles}
    assert {outlets[c.citations[0].article_id] for c in toll.claims} == {"Wire Daily", "The Herald"}
    for claim, value in zip(toll.claims, toll.values, strict=True):
        cite = claim.citations[0]
        text = next(a.text for a in articles if a.id == cite.article_id)
        assert text[cite.start : cite.end] == claim.source_text
        assert value in claim.text
    talks = by_kind["date"]
    assert sorted(talks.values) == ["on Monday", "on Tuesday"]
    # the claims are shown statements: verify and the renderers see them
    assert ("disagreements", toll.claims[0]) in briefing.statements()
    html = render_html_string(briefing)
    assert "Disagreements" in html and "52" in html and "40" in html


def test_one_sentence_with_the_same_values_is_no_disagreement() -> None:
    a = "Governor Anna Keller said 40 shelters had been opened in schools across the province."
    assert compare.differences(compare.facts(a), compare.facts(a)) == []


def test_support_counts_distinct_outlets_reporting_the_same_fact() -> None:
    articles, briefing = _quake()
    outlet_of = compare.outlets(articles)
    for st in briefing.bottom_line + briefing.key_points:
        assert st.support == len({outlet_of[c.article_id] for c in st.citations})
        assert st.single_source == (st.support == 1)
    # The one fact both outlets report cites the other outlet's sentence saying the same thing.
    (both,) = [st for st in briefing.key_points if st.support == 2]
    assert "Hundreds of homes" in both.text and "homes" in (both.citations[1].text or "")
    # "At least 40 people were killed" is not supported by the outlet that counts 52 dead.
    (bottom,) = briefing.bottom_line
    assert "40 people" in bottom.text and bottom.support == 1 and bottom.single_source


def test_a_sentence_on_the_same_topic_is_no_support(seeds_briefing: tuple[list, Briefing]) -> None:
    # Issue #14: the second citation of "The diplomatic experience of President Kassym-Jomart
    # Tokayev ..." said he accepted the invitation: another fact, so one outlet, not two.
    articles, _ = seeds_briefing
    sentences = segment_all(articles)
    (sentence,) = [s for s in sentences if s.text.startswith("The diplomatic experience")]
    point = compare.support_of(sentence, articles, sentences)
    assert [c.article_id for c in point.citations] == [sentence.article_id]
    assert point.support == 1 and point.single_source


def test_around_sixty_countries_is_marked_single_source(
    seeds_briefing: tuple[list, Briefing],
) -> None:
    articles, _ = seeds_briefing
    sentences = segment_all(articles)
    sixty = next(s for s in sentences if "around sixty countries" in s.text)
    st = compare.support_of(sixty, articles, sentences)
    assert st.single_source and st.support == 1
    assert st.citations[0].sentence_index == sixty.index


def test_seed_aliases_are_one_actor_not_a_disagreement(
    seeds_briefing: tuple[list, Briefing],
) -> None:
    _, briefing = seeds_briefing
    assert not [d for d in briefing.disagreements if d.kind == "name"]
    ctx = get_context(briefing)
    assert "Board of Peace (also called Council of Peace)" in ctx["name_variants"]
    assert "Board of Peace (also called Council of Peace)" in render_html_string(briefing)


def test_a_wire_copy_counts_once_and_is_reported_as_syndicated(tmp_path: Path) -> None:
    for p in QUAKE.iterdir():
        shutil.copyfile(p, tmp_path / p.name)
    wire = (QUAKE / "quake_wire.md").read_text(encoding="utf-8")
    (tmp_path / "z_reprint.md").write_text(
        wire.replace("outlet: Wire Daily", "outlet: Evening Reprint"), encoding="utf-8"
    )
    result = ingest([str(tmp_path)])
    assert len(result.articles) == 2 and result.dropped[0].duplicate_of
    briefing = make_briefing(result.articles, result.dropped)
    kept = next(s for s in briefing.sources if s.id == result.dropped[0].duplicate_of)
    assert kept.copies == 1
    assert max(st.support for st in briefing.key_points + briefing.bottom_line) == 2
    html = render_html_string(briefing)
    assert "syndicated by 2 outlets" in html
    panel = get_context(briefing)["panel"]
    assert panel["duplicates"] == 1 and "<svg" in panel["chart_svg"]
