"""The per-article pass gives the pre-ranking exactly what it would find sentence by sentence."""

from __future__ import annotations

from pathlib import Path

from briefgen.ingest.read import ingest
from briefgen.spec import BriefingSpec, Selection
from briefgen.summarize.candidates import is_candidate
from briefgen.summarize.prepare import prepare, sentences_of
from briefgen.summarize.segment import segment
from briefgen.summarize.similarity import term_lists

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_prepared_sentences_candidates_and_terms_match_the_sentence_by_sentence_tests():
    spec = BriefingSpec()
    for article in ingest([str(SEEDS)]).articles:
        prepared = prepare(article.text, spec.selection)
        sentences = sentences_of(article, prepared)
        assert sentences == segment(article)
        assert list(prepared.candidate) == [is_candidate(s, spec) for s in sentences]
        assert any(prepared.candidate)
        for s, ok, terms in zip(sentences, prepared.candidate, prepared.terms, strict=True):
            assert terms.split() == (term_lists(s.text) if ok else [])


def test_a_stricter_word_limit_marks_fewer_candidates():
    article = ingest([str(SEEDS)]).articles[0]
    loose = prepare(article.text, BriefingSpec().selection)
    strict = prepare(article.text, Selection(min_words=25))
    assert sum(strict.candidate) < sum(loose.candidate)


def test_a_whole_article_is_counted_in_words_and_a_split_up_to_an_offset_is_not():
    from briefgen.base.text import word_count

    article = ingest([str(SEEDS)]).articles[0]
    selection = BriefingSpec().selection
    assert prepare(article.text, selection).words == word_count(article.text)
    assert prepare(article.text, selection, until=200).words is None
