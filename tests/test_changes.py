"""What changed between editions: new and dropped points by content, first-time actors."""

from __future__ import annotations

from briefgen.extract.changes import changes, sentence_hash
from briefgen.ingest.read import ingest
from briefgen.model import Briefing
from briefgen.pipeline import make_briefing
from briefgen.render.html import render_html_string
from tests.conftest import PROVENANCE, SEEDS

NEW = PROVENANCE / "edition2"


def _editions(first: Briefing) -> tuple[Briefing, Briefing]:
    result = ingest([str(SEEDS), str(NEW)])
    second = make_briefing(result.articles, result.dropped, previous=first)
    return first, second


def test_a_second_edition_with_one_new_article_lists_exactly_what_is_new(
    seeds_briefing: tuple[list, Briefing],
) -> None:
    first, second = _editions(seeds_briefing[1])
    ch = second.changes
    assert ch is not None and ch.previous_generated_at == first.generated_at
    new_id = next(s.id for s in second.sources if s.outlet == "Daryo")

    def points(b: Briefing) -> dict[str, str]:
        return {sentence_hash(s.source_text): s.text for s in b.bottom_line + b.key_points}

    before, after = points(first), points(second)
    assert {sentence_hash(s.source_text) for s in ch.new_points} == set(after) - set(before)
    assert {sentence_hash(s.source_text) for s in ch.dropped_points} == set(before) - set(after)
    assert any(s.citations[0].article_id == new_id for s in ch.new_points)
    assert "Shavkat Mirziyoyev" in ch.new_actors and "Uzbekistan" in ch.new_actors
    old = {n for a in first.actors for n in (a.name, *a.aliases)}
    assert not old & set(ch.new_actors)
    for name in ch.new_actors:  # only the new article mentions them
        actor = next(a for a in second.actors if a.name == name)
        assert set(actor.mentions) == {new_id}
    html = render_html_string(second)
    assert "What changed" in html and "Shavkat Mirziyoyev" in html


def test_points_match_by_content_not_position(seeds_briefing: tuple[list, Briefing]) -> None:
    _, briefing = seeds_briefing
    shuffled = briefing.model_copy(deep=True)
    shuffled.key_points.reverse()
    same = changes(shuffled, briefing)
    assert same.new_points == [] and same.dropped_points == [] and same.new_actors == []


def test_same_edition_rebuilt_reports_no_change(seeds_briefing: tuple[list, Briefing]) -> None:
    articles, briefing = seeds_briefing
    again = make_briefing(articles, previous=briefing)
    assert again.changes is not None
    assert again.changes.new_points == [] and again.changes.new_actors == []
