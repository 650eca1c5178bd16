"""Issue #14: what a briefing says about its sentences is true (titles, quotes, language, ...)."""

from __future__ import annotations

import pytest

from briefgen.extract.title import topic_title
from briefgen.ingest.meta import clean_title
from briefgen.model import Actor, Article, Briefing, Keyphrase


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
