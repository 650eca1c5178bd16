"""The sketch route for large inputs: quick splitting chooses, syntok still splits what is shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.ingest.read import ingest
from briefgen.spec import BriefingSpec
from briefgen.summarize import sketch
from briefgen.summarize import work as summarize_work
from briefgen.summarize.segment import segment_all, split_sentences
from briefgen.summarize.sketch import quick_spans

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_quick_split_ends_sentences_but_not_at_titles_or_initialisms() -> None:
    text = (
        "The Rev. Al Sharpton spoke. Mr. Smith met U.S. officials on Jan. 21 in Washington. "
        "Prices rose 2.5 percent!\n\nA new paragraph starts here."
    )
    assert [text[a:b] for a, b in quick_spans(text)] == [
        "The Rev. Al Sharpton spoke.",
        "Mr. Smith met U.S. officials on Jan. 21 in Washington.",
        "Prices rose 2.5 percent!",
        "A new paragraph starts here.",
    ]


@given(st.text(alphabet="ab .!?\n\"'”Mr", max_size=300))
def test_quick_spans_point_at_stripped_text_in_order(text: str) -> None:
    spans = quick_spans(text)
    assert spans == sorted(spans)
    for a, b in spans:
        assert text[a:b] == text[a:b].strip() and text[a:b]


def test_a_split_up_to_an_offset_is_a_prefix_of_the_whole_split() -> None:
    for article in ingest([str(SEEDS)]).articles:
        whole = split_sentences(article.text)
        for _, end in whole[::3]:
            part = split_sentences(article.text, until=end)
            assert part == whole[: len(part)]
            assert part[-1][1] >= end  # it reaches the sentence holding the offset


def test_rescore_keeps_the_pool_size_best_in_input_order() -> None:
    articles = ingest([str(SEEDS)]).articles
    sentences = segment_all(articles)
    terms = [" ".join(t.lower() for t in s.text.split()) for s in sentences]
    where = {a.id: k for k, a in enumerate(articles)}
    owner = [where[s.article_id] for s in sentences]
    index, end = [s.index for s in sentences], [s.end for s in sentences]
    choice = sketch.choose(articles, owner, index, end, terms, pool_size=5, focus_size=1)
    assert len(choice.focus) == 1 and choice.until[choice.focus[0]] is None
    best = sketch.rescore(choice.sketch, sentences, terms, pool_size=5)
    assert len(best) == 5
    assert best == [s for s in sentences if s in best]  # input order


def test_on_the_sketch_route_every_sentence_read_is_split_exactly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Shown sentences keep syntok's exact spans and indexes, whichever route chose them."""
    articles = ingest([str(SEEDS)]).articles
    exact = {(s.article_id, s.index): s for s in segment_all(articles)}
    monkeypatch.setattr(summarize_work, "SKETCH_CHARACTERS", 0)
    monkeypatch.setattr(sketch, "SKETCH_ABOVE", 10)
    work = summarize_work.work(articles, BriefingSpec(), 1, [])
    assert work.sentences and work.article_sentences
    for s in [*work.sentences, *work.article_sentences]:
        assert exact[(s.article_id, s.index)] == s
    assert work.article_sentences == [s for s in exact.values() if s.article_id in
                                      {a.id for a in work.articles}]  # fmt: skip


def test_a_briefing_built_on_the_sketch_route_passes_the_final_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from briefgen.service.build import build

    monkeypatch.setattr(summarize_work, "SKETCH_CHARACTERS", 0)
    monkeypatch.setattr(sketch, "SKETCH_ABOVE", 10)
    result = build([str(SEEDS)], tmp_path, BriefingSpec(jobs=1, formats=("json",)))
    assert result.briefing.key_points
    # build() publishes only what passed the final check (it raises otherwise)
    assert [p.name for p in result.paths] == ["briefing.json"]
    assert result.briefing.quality is not None and result.briefing.quality.faithful == 1.0
