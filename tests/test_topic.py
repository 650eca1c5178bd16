"""Topic focus (briefgen/ingest/topic.py) and the unrelated-stories warning
(briefgen/summarize/stories.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.ingest.read import ingest
from briefgen.ingest.topic import TopicError, focus, parse_topic
from briefgen.summarize.stories import stories, story_warning
from tests.builders import make_article

ROOT = Path(__file__).resolve().parent.parent
MIXED = [
    str(ROOT / "seeds"),
    str(ROOT / "tests/resources/provenance/quake"),
    str(ROOT / "tests/resources/ingest"),
]


def art(title: str, text: str, id: str = "a1"):  # type: ignore[no-untyped-def]
    return make_article(text, id=id, title=title)


@pytest.mark.parametrize(
    ("query", "title", "text", "matches"),
    [
        ("Kazakhstan", "News", "Kazakhstan's envoy spoke.", True),  # possessive, any case
        ("sanction", "News", "New sanctions were imposed.", True),  # stemmed
        ('"Board of Peace"', "News", "He joined the board of peace.", True),
        ('"Board of Peace"', "News", "The board met; peace followed.", False),  # not adjacent
        ("quake AND Teral", "Teral earthquake", "A quake struck.", True),  # title counts
        ("quake Teral", "News", "A quake struck the coast.", False),  # adjacency means AND
        ("Gaza OR Kazakhstan AND quake", "News", "Gaza talks resumed.", True),  # AND first
        ("(Gaza OR Kazakhstan) AND quake", "News", "Gaza talks resumed.", False),
        ("peace NOT Gaza", "News", "Peace in Gaza.", False),
        ("peace AND NOT (Gaza OR Sudan)", "News", "Peace in Europe.", True),
    ],
)
def test_query_language(query: str, title: str, text: str, matches: bool) -> None:
    assert parse_topic(query).match(art(title, text))[0] is matches


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"Board of Peace', "unclosed quote"),
        ("(Gaza OR Peace", "missing ')'"),
        ("Gaza)", "unmatched ')'"),
        ("Gaza OR", "missing at the end"),
        ("NOT Gaza", "needs a word or phrase not under NOT"),
        ("", "empty query"),
    ],
)
def test_bad_queries_are_refused_with_the_problem(query: str, problem: str) -> None:
    with pytest.raises(TopicError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_topic(query)


def test_min_matches_sets_aside_passing_mentions() -> None:
    once = art("Markets", "Oil rose. Gaza was mentioned once.", "a1")
    often = art("Gaza talks", "Gaza talks resumed in Gaza.", "a2")
    kept, aside = focus([once, often], "Gaza", min_matches=2)
    assert [a.id for a in kept] == ["a2"]
    assert aside[0].reason == "off topic: 1 mention of the topic, fewer than 2"


def test_build_with_topic_sets_aside_the_other_story_in_every_format(tmp_path: Path) -> None:
    out = tmp_path / "out"
    topic = 'Kazakhstan OR "Board of Peace"'
    result = CliRunner().invoke(
        main, ["build", *MIXED, "-o", str(out), "--formats", "json,md,html", "--topic", topic]
    )
    assert result.exit_code == 0, result.output
    assert "topic: 4 articles kept, 2 set aside as off topic" in result.output
    assert "unrelated stories" not in result.output  # the topic chose the story
    data = json.loads((out / "briefing.json").read_text())
    assert [s["id"] for s in data["sources"]] == ["a1", "a2", "a3", "a4"]  # renumbered
    aside = [(Path(d["path"]).name, d["reason"]) for d in data["dropped"]]
    reason = f"off topic: does not match {topic}"
    assert aside == [("quake_herald.md", reason), ("quake_wire.md", reason)]
    md = (out / "briefing.md").read_text()
    html = (out / "briefing.html").read_text()
    assert "quake_wire.md`: off topic: does not match" in md
    assert "quake_wire.md" in html and "off topic: does not match" in html


def test_build_with_a_topic_nothing_matches_fails_clearly(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", *MIXED, "-o", str(tmp_path), "--topic", "Ukraine"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: no article matches the topic Ukraine (6 set aside); check the topic's words or "
        "the sources"
    )


def test_bad_topic_flag_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", *MIXED, "-o", str(tmp_path), "--topic", "(a"])
    assert result.exit_code == 2 and "missing ')'" in result.output


def test_mixed_input_without_topic_warns_and_names_the_stories(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", *MIXED, "-o", str(tmp_path), "--formats", "json"])
    assert result.exit_code == 0, result.output
    (line,) = [x for x in result.output.splitlines() if "unrelated stories" in x]
    assert line.startswith("Warning: the input holds 2 unrelated stories; summarized ")
    assert "not covered: 'Death toll rises to 52 after Teral earthquake' (2 articles)" in line


def test_one_story_gives_no_warning() -> None:
    seeds = ingest([str(ROOT / "seeds"), str(ROOT / "tests/resources/ingest")]).articles
    assert len(stories(seeds)) == 1
    assert story_warning(seeds, "a1") is None


def test_split_topics_builds_one_briefing_per_story(tmp_path: Path) -> None:
    args = ["build", *MIXED, "-o", str(tmp_path), "--formats", "json", "--split-topics"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "death-toll-rises-to-52-after-teral-earthquake",
        "tokayev-backs-gaza-peace-board",
    ]
    quake = json.loads(
        (tmp_path / "death-toll-rises-to-52-after-teral-earthquake" / "briefing.json").read_text()
    )
    assert sorted(Path(s["path"]).name for s in quake["sources"]) == [
        "quake_herald.md",
        "quake_wire.md",
    ]
    aside = {d["reason"] for d in quake["dropped"]}
    assert aside == {"another story: 'Tokayev backs Gaza peace board'"}
    assert len(quake["dropped"]) == 4
    assert "unrelated stories" not in result.output
    assert result.output.splitlines()[-1].startswith("2 stories, ")


def test_split_topics_and_topic_together_is_a_usage_error(tmp_path: Path) -> None:
    args = ["build", *MIXED, "-o", str(tmp_path), "--split-topics", "--topic", "Gaza"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "give one of them" in result.output
