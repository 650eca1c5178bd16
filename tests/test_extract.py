from datetime import date

from briefgen.extract.actors import actors
from briefgen.extract.phrases import dates, keyphrases
from briefgen.extract.quotes import quotes
from briefgen.summarize.segment import segment_all
from tests.builders import make_article

TEXT_A = (
    "United States President Donald Trump proposed a Board of Peace to address the Gaza conflict. "
    "President Kassym-Jomart Tokayev accepted the invitation on behalf of Kazakhstan. "
    "Tokayev's decision was welcomed in Washington. "
    "Moreover, the board plans to meet in March 2026."
)
TEXT_B = (
    "Kazakhstan joined the Council of Peace, established with the support of Donald Trump. "
    "Political scientist Igor Shestakov noted that Kazakhstan has become the first "
    "post-Soviet state to join the Abraham Accords. "
    "Such steps are measured, according to Shestakov. "
    "The talks will resume on Monday, officials said."
)


def _articles():
    return [
        make_article(TEXT_A, id="a1", published=date(2026, 1, 21)),
        make_article(TEXT_B, id="a2", published=date(2026, 1, 22)),
    ]


def _actors():
    arts = _articles()
    return {a.name: a for a in actors(arts, segment_all(arts))}


def test_people_countries_and_organisations_are_found_and_typed() -> None:
    found = _actors()
    assert found["Donald Trump"].kind == "person"
    assert found["Kassym-Jomart Tokayev"].kind == "person"
    assert found["Igor Shestakov"].kind == "person"
    assert found["Kazakhstan"].kind == "country"
    assert found["Board of Peace"].kind == "organization"


def test_titles_and_sentence_openers_are_not_actors() -> None:
    found = _actors()
    for common in ("President", "Moreover", "Such", "The", "Political", "United States President"):
        assert common not in found


def test_a_surname_counts_as_a_mention_of_the_full_name() -> None:
    tokayev = _actors()["Kassym-Jomart Tokayev"]
    assert "Tokayev" in tokayev.aliases
    assert tokayev.mentions == {"a1": 2}


def test_board_and_council_of_peace_are_one_actor_with_an_alias() -> None:
    board = _actors()["Board of Peace"]
    assert board.aliases == ["Council of Peace"]
    assert board.mentions == {"a1": 1, "a2": 1}


def test_each_actor_has_a_cited_sentence_naming_it() -> None:
    for actor in _actors().values():
        assert actor.role is not None
        names = [actor.name, *actor.aliases]
        assert any(n in actor.role.text for n in names)


def test_reported_speech_is_never_a_quote() -> None:
    """Issue #14: the seeds' "Shestakov noted that ..." is reported speech, not a quote."""
    arts = _articles()
    sents = segment_all(arts)
    assert quotes(sents, actors(arts, sents)) == []


QUOTE_TEXT = (
    "Chief Inspector Joseph Sullivan met the protesters at the plaza on Sunday. "
    '"We want to talk with the campers before anyone moves a tent," he said. '
    'Mayor Maria Nutter spoke later. "The square must be empty by the end of the week," said '
    "Mark McDonald, a spokesman. Foreign Minister Kairat Sarybay arrived on Monday. "
    '"The decision was taken after long consultations with partners," the minister told '
    "reporters. "
    '"Nobody will be moved from the square tonight," an officer said. '
    'Residents called it a "truly historic day for the city".'
)


def test_a_quote_is_only_the_words_inside_quotation_marks_with_its_speaker() -> None:
    arts = [make_article(QUOTE_TEXT, id="a1")]
    sents = segment_all(arts)
    found = {q.statement.text: q for q in quotes(sents, actors(arts, sents))}
    assert set(found) == {
        '"We want to talk with the campers before anyone moves a tent"',
        '"The square must be empty by the end of the week"',
        '"The decision was taken after long consultations with partners"',
    }
    speakers = {text: q.speaker for text, q in found.items()}
    assert speakers['"The square must be empty by the end of the week"'] == "Mark McDonald"
    assert speakers['"We want to talk with the campers before anyone moves a tent"'] == (
        "Joseph Sullivan"
    )  # "he said": the person named in the sentence before
    assert speakers['"The decision was taken after long consultations with partners"'] == (
        "Kairat Sarybay"
    )  # "the minister": the person named with that role earlier
    for q in found.values():  # the citation is kept and the text is a span of the source
        assert q.statement.text.strip('"') in q.statement.source_text
        assert q.statement.citations[0].article_id == "a1"


def test_an_unnamed_speaker_or_a_short_phrase_in_quotation_marks_is_left_out() -> None:
    arts = [make_article(QUOTE_TEXT, id="a1")]
    sents = segment_all(arts)
    texts = " ".join(q.statement.text for q in quotes(sents, actors(arts, sents)))
    assert "Nobody will be moved" not in texts  # "an officer said": nobody named
    assert "historic day" not in texts  # four words: a phrase, not a statement


def test_dates_are_resolved_against_the_article_date() -> None:
    arts = _articles()
    found = {d.text: d.iso for d in dates(arts, segment_all(arts))}
    assert found["March 2026"] == "2026-03"
    assert found["on Monday"] is not None and found["on Monday"].startswith("2026-01")


def test_keyphrases_do_not_repeat_each_other() -> None:
    phrases = [k.phrase.lower() for k in keyphrases(_articles())]
    assert phrases
    for i, p in enumerate(phrases):
        for q in phrases[i + 1 :]:
            assert not set(p.split()) <= set(q.split())


def test_a_pronoun_speaker_is_the_subject_not_a_person_mentioned_in_passing() -> None:
    text = (
        "Mayor Anna Keller met the envoy Kairat Sarybay in the harbour town on Monday. "
        "Asked whether she had offered Sarybay a new deal, she replied: "
        '"I made no offer of any kind to anyone."'
    )
    arts = [make_article(text, id="a1")]
    sents = segment_all(arts)
    found = quotes(sents, actors(arts, sents))
    assert [(q.speaker, q.statement.text) for q in found] == [
        ("Anna Keller", '"I made no offer of any kind to anyone."')
    ]
