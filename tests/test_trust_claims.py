"""Issue #14: what a briefing says about its sentences is true (titles, quotes, language, ...)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefgen.extract.title import topic_title
from briefgen.ingest.language import detect
from briefgen.ingest.meta import clean_title
from briefgen.model import Actor, Article, Briefing, Keyphrase

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_the_seed_briefing_is_titled_by_its_topic_not_a_headline(
    seeds_briefing: tuple[list[Article], Briefing],
) -> None:
    articles, briefing = seeds_briefing
    assert briefing.title == "Kazakhstan and the Board of Peace"
    assert briefing.title not in {a.title for a in articles}


def test_the_seed_briefing_quotes_nobody_because_its_sources_quote_nobody(
    seeds_briefing: tuple[list[Article], Briefing],
) -> None:
    """The seeds report speech ("Shestakov noted that ...") but quote no one directly."""
    _, briefing = seeds_briefing
    assert briefing.quotes == []


def _actor(name: str, kind: str, mentions: dict[str, int]) -> Actor:
    return Actor(name=name, kind=kind, mentions=mentions)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("actors", "phrases", "title"),
    [
        pytest.param(
            [
                _actor("Kazakhstan", "country", {"a1": 9, "a2": 8}),
                _actor("Board of Peace", "organization", {"a1": 3, "a2": 3}),
                _actor("Gaza", "place", {"a1": 4}),
            ],
            [],
            "Kazakhstan and the Board of Peace",
            id="country-and-body",
        ),
        pytest.param(
            [
                _actor("Mitt Romney", "person", {"a1": 9, "a2": 4}),
                _actor("Romney", "person", {"a1": 3}),
                _actor("Rick Santorum", "person", {"a1": 2, "a2": 2, "a3": 1}),
            ],
            [],
            "Mitt Romney and Rick Santorum",
            id="no-name-twice",
        ),
        pytest.param(
            [_actor("NASA", "organization", {"a1": 5, "a2": 2})],
            [Keyphrase(phrase="space station", score=0.1)],
            "NASA and space station",
            id="actor-and-keyphrase",
        ),
        pytest.param([], [Keyphrase(phrase="colon cancer", score=0.1)], "Colon cancer", id="kp"),
        pytest.param([], [], "News briefing", id="nothing-found"),
    ],
)
def test_the_default_title_names_leading_actors_and_keyphrases(
    actors: list[Actor], phrases: list[Keyphrase], title: str
) -> None:
    assert topic_title(actors, phrases) == title


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "Kazakhstan joins the Board of Peace - The Astana Times",
            "Kazakhstan joins the Board of Peace",
        ),
        ("Kazakhstan joins the Board of Peace | Reuters", "Kazakhstan joins the Board of Peace"),
        ("Storm hits the coast — BBC News", "Storm hits the coast"),
        ("Trump: I will win - and fast", "Trump: I will win - and fast"),
        ("Image copyright Getty Images Image caption The rifle in 1949", None),
        ("FILE - This June 2013 photo shows the harbour wall", None),
        ("(European Pressphoto Agency)", None),
    ],
)
def test_source_titles_lose_site_names_and_captions(raw: str, clean: str | None) -> None:
    assert clean_title(raw) == clean


GERMAN = (
    "Die Bundesregierung hat am Montag neue Maßnahmen gegen die Inflation beschlossen, teilte "
    "ein Sprecher in Berlin mit. Die Opposition kritisierte den Plan als unzureichend und "
    "forderte mehr Hilfe für Familien mit Kindern und für Rentner in den Städten."
)


def test_a_german_article_is_set_aside_with_a_one_line_warning_naming_it(tmp_path: Path) -> None:
    from briefgen.ingest.read import ingest

    for name in ("000_f4493892df17a64d.txt", "002_7bd0d2179170dade.txt"):
        (tmp_path / name).write_text((SEEDS / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bericht.txt").write_text(GERMAN, encoding="utf-8")
    result = ingest([str(tmp_path)])
    assert [a.language for a in result.articles] == ["en", "en"]
    assert [Path(d.path).name for d in result.dropped] == ["bericht.txt"]
    assert "German (de)" in result.dropped[0].reason
    warning = next(w for w in result.warnings if "bericht.txt" in w)
    assert "\n" not in warning and "not English" in warning


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (GERMAN, "de"),
        (
            "Le gouvernement a annoncé lundi de nouvelles mesures contre l'inflation, a déclaré "
            "un porte-parole à Paris. L'opposition a critiqué le plan et demandé plus d'aide.",
            "fr",
        ),
        (
            "El gobierno anunció el lunes nuevas medidas contra la inflación, dijo un portavoz en "
            "Madrid. La oposición criticó el plan y pidió más ayuda para las familias.",
            "es",
        ),
        (
            "The government announced new measures against inflation on Monday, a spokesman "
            "said in Berlin. The opposition criticised the plan and asked for more help.",
            "en",
        ),
        ("Too short to tell.", "und"),
    ],
)
def test_the_language_is_detected_not_assumed(text: str, code: str) -> None:
    assert detect(text) == code


@pytest.mark.parametrize(
    "sentence",
    [
        "FILE - This May 2014 photo shows the harbour master at the quay in Dover.",
        "In this Friday, March 3, 2017 file photo the mayor opens a bridge in Leeds.",
        "The minister speaks to farmers in Lyon, Wednesday, June 7, 2017.",
        "Hide Caption 2 of 9 Photos: The new lock opened to barges in April 2003.",
        "Since 2001, a web crawler has given its crawl data to the Internet Archive.",
        "— A. Mayor (@harbourmayor) May 2, 2016.",
        "May 2, 2016 A man carries a banner during a march in Dover.",
    ],
)
def test_captions_archive_notices_and_boilerplate_never_enter_the_timeline(sentence: str) -> None:
    from briefgen.extract.timeline import timeline
    from briefgen.summarize.segment import segment_all
    from tests.builders import make_article

    arts = [make_article(sentence, id="a1", published=date(2016, 12, 30))]
    assert timeline(arts, segment_all(arts)) == []


def test_news_sentences_keep_their_dates_and_relative_dates_need_a_publication_date() -> None:
    from briefgen.extract.timeline import timeline
    from briefgen.summarize.segment import segment_all
    from tests.builders import make_article

    text = "The station was first launched in 1998. The crew returned on Monday after repairs."
    dated = [make_article(text, id="a1", published=date(2026, 1, 22))]
    undated = [make_article(text, id="a1")]
    found = {d.text: d.iso for d in timeline(dated, segment_all(dated))}
    assert found == {"in 1998": "1998", "on Monday": "2026-01-19"}
    found = {d.text: d.iso for d in timeline(undated, segment_all(undated))}
    assert found == {"in 1998": "1998"}  # "on Monday" of an undated article is no date at all


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Mr Volkov", "Volkov"),
        ("Cyril Alexander Volkov", "Alexander Volkov"),
        ("J. Smith", "John Smith"),
        ("President Mohamed Mursi", "Mohamed Morsi"),
        ("Dr. Hendren", "Samantha Hendren"),
        ("Professor Prideaux", "Prideaux"),
        ("Mr", "Donald Trump"),
    ],
)
def test_name_variants_of_one_entity_never_disagree(a: str, b: str) -> None:
    from briefgen.extract.compare import name_variants

    assert name_variants(a, b)


def test_different_people_are_not_name_variants() -> None:
    from briefgen.extract.compare import name_variants

    assert not name_variants("Alexander Volkov", "Kirill Petrov")
    assert not name_variants("John Smith", "Jane Doe")


def _disagreements(text_a: str, text_b: str) -> list[tuple[str, list[str]]]:
    from briefgen.extract.actors import actors
    from briefgen.extract.compare import disagreements
    from briefgen.summarize.segment import segment_all
    from tests.builders import make_article

    arts = [
        make_article(text_a, id="a1", outlet="Harbour News"),
        make_article(text_b, id="a2", outlet="Coast Daily"),
    ]
    sents = segment_all(arts)
    return [(d.kind, d.values) for d in disagreements(arts, sents, actors(arts, sents))]


def test_the_same_count_with_different_values_is_a_disagreement() -> None:
    found = _disagreements(
        "At least 40 people were killed in the attack on the harbour market on Friday.",
        "Officials said 52 people were killed in the attack on the harbour market.",
    )
    assert found == [("number", ["40", "52"])]


@pytest.mark.parametrize(
    ("text_a", "text_b"),
    [
        pytest.param(
            "Mr Volkov told the paper the church leader had received the letter and replied.",
            "The spokesman Volkov told the paper the church leader had received the letter.",
            id="title-and-surname",
        ),
        pytest.param(
            "The firm is seeking to recover about $973,000 in legal costs from the former partner.",
            "The firm filed papers seeking $972,814 in legal costs from the former partner.",
            id="rounding",
        ),
        pytest.param(
            "Survival was 95 percent for younger patients versus 92 percent for older patients.",
            "Survival was 76 percent for younger patients and 70 percent for older patients.",
            id="a-comparison-of-several-values",
        ),
        pytest.param(
            "The ministers met in the harbour town on Tuesday to discuss the new sea wall.",
            "The ministers met in the harbour town on Monday night to discuss the new sea wall.",
            id="weekdays-without-a-publication-date",
        ),
    ],
)
def test_variants_roundings_comparisons_and_unresolved_days_are_not_disagreements(
    text_a: str, text_b: str
) -> None:
    assert _disagreements(text_a, text_b) == []


ACTOR_TEXT = (
    "Police in Los Angeles cleared the camp near City Hall on Monday, the Los Angeles Times "
    "reported. But Ross said the Russian newspaper Izvestia had printed the letter. "
    "Mr Ross, who once ran the Harbour Steel Group, told reporters: I'm not worried. "
    "The archive holds photos from World War II and the Second Amendment debate. "
    "Mayor Anna Keller met officials in Dover and in Leeds. Ross said Keller agreed."
)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Los Angeles", "place"),
        ("City Hall", "place"),
        ("Los Angeles Times", "organization"),
        ("Izvestia", "organization"),
        ("Harbour Steel Group", "organization"),
        ("Anna Keller", "person"),
        ("Dover", "place"),
    ],
)
def test_actors_are_of_the_right_kind(name: str, kind: str) -> None:
    from briefgen.extract.actors import actors
    from briefgen.summarize.segment import segment_all
    from tests.builders import make_article

    arts = [make_article(ACTOR_TEXT, id="a1")]
    found = {a.name: a.kind for a in actors(arts, segment_all(arts))}
    assert found.get(name) == kind, found


def test_openers_demonyms_titles_contractions_and_events_are_not_actors() -> None:
    from briefgen.extract.actors import actors
    from briefgen.spec import Extraction
    from briefgen.summarize.segment import segment_all
    from tests.builders import make_article

    arts = [make_article(ACTOR_TEXT, id="a1")]
    found = actors(arts, segment_all(arts), options=Extraction(max_actors=100))
    names = {n for a in found for n in (a.name, *a.aliases)}
    for not_an_actor in ("But Ross", "Russian", "Mr", "I'm", "World War II", "Second Amendment"):
        assert not_an_actor not in names
    assert "Ross" in names


def test_label_files_hold_references_and_labels_never_text() -> None:
    import json

    labels = Path(__file__).resolve().parent.parent / "benchmarks" / "labels"
    allowed = {
        "actors.jsonl": {"cluster", "article", "start", "end", "kind"},
        "disagreements.jsonl": {"cluster", "kind", "a", "b", "real"},
    }
    for name, keys in allowed.items():
        rows = [json.loads(x) for x in (labels / name).read_text().splitlines() if x.strip()]
        assert len(rows) >= (150 if name == "actors.jsonl" else 30)
        assert all(set(r) == keys for r in rows)


def _dev_set_present() -> bool:
    from benchmarks.evaldata import eval_set

    return eval_set().is_dir()


@pytest.mark.skipif(not _dev_set_present(), reason="evaluation data not found")
def test_actor_kinds_are_right_for_nine_in_ten_labelled_mentions() -> None:
    """Item 5 on the labelled development fixture (benchmarks/labels/actors.jsonl)."""
    from benchmarks.trust_extract import actor_scores

    scores = actor_scores()
    assert scores["mentions"] >= 150
    assert isinstance(scores["kind_accuracy"], float) and scores["kind_accuracy"] >= 0.9
    assert isinstance(scores["non_names_listed"], int) and scores["non_names_listed"] <= 5


def test_a_surname_in_the_title_is_given_in_full() -> None:
    actors = [
        _actor("Trump", "person", {"a1": 9, "a2": 8}),
        _actor("Donald Trump", "person", {"a1": 2, "a2": 1}),
        _actor("Melania Trump", "person", {"a1": 1}),
        _actor("White House", "organization", {"a1": 3, "a2": 2}),
    ]
    assert topic_title(actors, []) == "Donald Trump and the White House"


def test_a_title_never_names_a_weekday_or_month_as_the_topic() -> None:
    from briefgen.extract.title import topic_title
    from briefgen.model import Actor, Keyphrase

    keller = Actor(name="Anna Keller", kind="person", mentions={"a1": 1, "a2": 1})
    phrases = [Keyphrase(phrase="Friday", score=0.01), Keyphrase(phrase="earthquake", score=0.02)]
    assert topic_title([keller], phrases) == "Anna Keller and earthquake"
