import pytest

from briefgen.spec import BriefingSpec, Selection, Targets
from briefgen.summarize.rank import rank
from briefgen.summarize.segment import segment_all
from briefgen.summarize.select import select, summarize, summary_text
from tests.builders import make_article

QUAKE_A = (
    "A magnitude 6.1 earthquake struck the coastal city of Izmir on Sunday morning. "
    "Rescue teams pulled 12 survivors from collapsed buildings overnight. "
    "The governor said schools would stay closed until engineers inspect them. "
    "Tweet with a location. "
    "Local markets reopened by the afternoon as aftershocks eased."
)
QUAKE_B = (
    "An earthquake of magnitude 6.1 hit the city of Izmir on Sunday, officials said. "
    "The country's disaster agency expects the death toll to rise as searches continue. "
    "Engineers will inspect every school building before classes resume next week."
)


def _ranked():
    articles = [
        make_article(QUAKE_A, id="a1", outlet="Daily Coast"),
        make_article(QUAKE_B, id="a2", outlet="Wire Service"),
    ]
    return articles, rank(articles, segment_all(articles))


def test_a_fact_reported_by_two_outlets_is_one_point_citing_both() -> None:
    _articles, ranking = _ranked()
    summary = summarize(ranking)
    shown = summary.bottom_line + summary.key_points
    quake = [s for s in shown if "6.1" in s.text]
    assert len(quake) == 1
    assert {c.article_id for c in quake[0].citations} == {"a1", "a2"}
    assert quake[0].single_source is False


def test_page_furniture_sentences_are_never_candidates() -> None:
    _, ranking = _ranked()
    assert all("Tweet with a location" not in s.text for s in ranking.sentences)


def test_sentences_reported_by_several_outlets_outrank_single_source_ones() -> None:
    _, ranking = _ranked()
    texts = [s.text for s in ranking.sentences]
    quake = texts.index(next(t for t in texts if t.startswith("A magnitude 6.1")))
    market = texts.index(next(t for t in texts if t.startswith("Local markets")))
    assert ranking.support[quake] == 1 and ranking.support[market] == 0
    assert ranking.score[quake] > ranking.score[market]


def test_selection_never_repeats_a_near_identical_sentence() -> None:
    text = (
        "The central bank raised interest rates by half a point on Thursday. "
        "The central bank raised its interest rates by half a point on Thursday. "
        "Mortgage costs for new buyers are expected to climb within weeks."
    )
    articles = [make_article(text)]
    ranking = rank(articles, segment_all(articles))
    chosen = select(ranking, max_items=3)
    texts = [ranking.sentences[i].text for i in chosen]
    assert sum("raised" in t for t in texts) == 1


def test_summary_text_stops_at_the_word_budget() -> None:
    articles, _ = _ranked()
    out = summary_text(articles, segment_all(articles), word_budget=25)
    assert 0 < sum(len(s.split()) for s in out) <= 25 or len(out) == 1


def test_forward_looking_sentences_go_to_the_outlook() -> None:
    _, ranking = _ranked()
    summary = summarize(
        ranking, BriefingSpec(selection=Selection(min_key_points=1, max_key_points=1))
    )
    assert summary.outlook
    assert all(
        any(w in s.text for w in ("will", "would", "expects", "next week")) for s in summary.outlook
    )


LONG = (
    "The regional governor, speaking at a crowded press conference in the port city late on "
    "Sunday evening, said that the earthquake had damaged roads, bridges, schools, hospitals and "
    "many older apartment blocks across the whole coastal province."
)
SHORT = "The earthquake damaged roads, bridges, schools and older apartment blocks in the province."


def test_a_key_point_over_the_word_limit_loses_to_a_shorter_alternative() -> None:
    articles = [
        make_article(LONG + " Aid arrived on Monday.", id="a1", outlet="One"),
        make_article(SHORT + " Aid arrived on Monday.", id="a2", outlet="Two"),
    ]
    options = BriefingSpec(targets=Targets(max_key_point_words=35))
    ranking = rank(articles, segment_all(articles), options)
    first = ranking.sentences[select(ranking, max_items=1, spec=options)[0]].text
    assert first == SHORT
    # With no shorter alternative left, the long one may still be chosen.
    only_long = [i for i, s in enumerate(ranking.sentences) if s.text == LONG]
    assert select(ranking, max_items=1, only=only_long, spec=options) == only_long


def test_the_word_budget_is_filled_with_a_shorter_sentence_when_the_next_one_does_not_fit() -> None:
    _articles, ranking = _ranked()
    chosen = select(ranking, word_budget=30)
    used = sum(ranking.length(i) for i in chosen)
    assert used <= 30
    rest = [i for i in range(len(ranking.sentences)) if i not in chosen]
    assert len(chosen) >= 2 or all(ranking.length(i) > 30 - used for i in rest)


def test_readability_penalty_is_mild_and_prefers_the_easier_sentence() -> None:
    from briefgen.summarize.rank import _readability_factor

    options = BriefingSpec()
    easy = _readability_factor("The bank raised rates on Thursday.", options)
    hard = _readability_factor(
        "Institutional considerations notwithstanding, the monetary authority's "
        "unprecedented intervention fundamentally reconfigured expectations.",
        options,
    )
    assert easy == 1.0 and 0.85 <= hard < easy


def test_every_statement_on_the_seeds_is_a_deletion_of_its_source() -> None:
    from pathlib import Path

    from briefgen.base.text import is_deletion_of
    from briefgen.ingest.read import read_article

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    articles = [read_article(p, f"a{i}") for i, p in enumerate(sorted(seeds.glob("*.txt")), 1)]
    summary = summarize(rank(articles, segment_all(articles)))
    shown = summary.bottom_line + summary.key_points + summary.background + summary.outlook
    assert shown
    for st in shown:
        assert is_deletion_of(st.text, st.source_text)
        assert st.shortened == (st.text != st.source_text)


@pytest.mark.parametrize(
    "text",
    [
        "You can delete your location history from the account settings at any time.",
        "Add Climate Change as an interest to stay up to date on the latest news.",
        "Jane Doe in Nairobi and John Roe in Lagos contributed to this report.",
        "The archive's goal is to fix all the broken links on the web.",
    ],
)
def test_embed_and_sign_off_boilerplate_is_never_a_candidate(text: str) -> None:
    from briefgen.model import Sentence
    from briefgen.summarize.candidates import is_candidate

    sentence = Sentence(article_id="a1", index=0, start=0, end=len(text), text=text)
    assert not is_candidate(sentence, BriefingSpec())


def test_truncated_captions_and_questions_are_never_candidates() -> None:
    from briefgen.model import Sentence
    from briefgen.summarize.candidates import is_candidate

    def sentence(text: str) -> Sentence:
        return Sentence(article_id="a1", index=0, start=0, end=len(text), text=text)

    options = BriefingSpec()
    assert not is_candidate(
        sentence("The chief gives his opening statement in a hearing on TSA's..."), options
    )
    assert not is_candidate(
        sentence("Was it a random attack on the hairdresser in the hills?"), options
    )
    assert is_candidate(
        sentence("Police were investigating the killing of a hairdresser."), options
    )


def test_ilp_selector_is_off_by_default_and_stays_within_budget_with_the_top_sentence() -> None:
    assert Selection().selector == "mmr"
    options = BriefingSpec(selection=Selection(selector="ilp"))
    articles = [
        make_article(QUAKE_A, id="a1", outlet="Daily Coast"),
        make_article(QUAKE_B, id="a2", outlet="Wire Service"),
    ]
    ranking = rank(articles, segment_all(articles), options)
    for budget in (20, 40, 200):
        chosen = select(ranking, word_budget=budget, spec=options)
        assert sum(ranking.length(i) for i in chosen) <= budget
        assert len(set(chosen)) == len(chosen)
    assert ranking.ilp_weight  # bigrams both articles share, e.g. "magnitud 6"
    best = max(range(len(ranking.sentences)), key=lambda i: ranking.score[i])
    assert select(ranking, max_items=2, spec=options)[0] == best
    assert len(select(ranking, max_items=2, spec=options)) == 2
    summary = summarize(ranking, options)
    assert summary.bottom_line and summary.bottom_line[0].text == ranking.text(best)


def test_an_unknown_selector_is_an_error() -> None:
    import pytest

    from briefgen.errors import SummarizeError

    articles = [make_article(QUAKE_A, id="a1")]
    with pytest.raises(SummarizeError):
        rank(articles, segment_all(articles), BriefingSpec(selection=Selection(selector="nope")))
