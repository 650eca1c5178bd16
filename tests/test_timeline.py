"""Timeline: relative dates resolved against the article date, conflicts with it flagged."""

from __future__ import annotations

from datetime import date

from briefgen.extract.timeline import conflict, resolve, timeline
from briefgen.summarize.segment import segment_all
from tests.builders import make_article

THURSDAY = date(2026, 1, 15)


def test_a_bare_weekday_follows_the_tense_of_its_sentence() -> None:
    assert resolve("on Monday", THURSDAY, "past") == "2026-01-12"
    assert resolve("on Monday", THURSDAY, "future") == "2026-01-19"
    assert resolve("on Thursday", THURSDAY, "past") == "2026-01-15"  # the same day
    assert resolve("last Thursday", THURSDAY) == "2026-01-08"
    assert resolve("next Monday", THURSDAY) == "2026-01-19"
    assert resolve("last week", THURSDAY, "past") == "2026-01-08"
    assert resolve("on Monday", None) is None  # no article date: nothing to resolve against


def test_dates_are_cited_resolved_and_ordered() -> None:
    text = (
        "The ministers met on Monday to prepare the agreement. "
        "The summit will open on March 3, 2026 in Astana. "
        "Talks first began in 2024."
    )
    arts = [make_article(text, id="a1", published=THURSDAY)]
    found = timeline(arts, segment_all(arts))
    assert [d.iso for d in found] == ["2024", "2026-01-12", "2026-03-03"]
    monday = found[1]
    assert monday.relative and monday.text == "on Monday"
    cite = monday.statement.citations[0]
    assert text[cite.start : cite.end] == monday.statement.source_text
    assert all(d.conflict is None for d in found)


def test_a_past_event_dated_after_publication_is_flagged() -> None:
    text = (
        "On Tuesday, January 20, the ministers signed the agreement in Astana. "
        "The parliament will vote on the agreement on January 27."
    )
    arts = [make_article(text, id="a1", published=THURSDAY)]
    found = {d.iso: d for d in timeline(arts, segment_all(arts))}
    assert found["2026-01-20"].conflict is not None
    assert "2026-01-15" in found["2026-01-20"].conflict
    assert found["2026-01-27"].conflict is None  # future tense: no conflict
    assert conflict("2026-01-10", THURSDAY, "They signed it.") is None  # before publication
