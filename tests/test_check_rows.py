"""Every row `briefgen check` reports on the briefing JSON, word for word, in each of its states
(#14 item 10: a row disabled, downgraded or mislabelled must fail a test)."""

from __future__ import annotations

from typing import Any

import pytest

from briefgen.base.readability import readability
from briefgen.check.gate import GRADE_SLACK, CheckResult, check_model
from briefgen.ingest.read import ingest
from briefgen.model import Briefing
from briefgen.pipeline import make_briefing
from briefgen.spec import Targets
from tests.conftest import PROVENANCE


@pytest.fixture(scope="module")
def quake() -> Briefing:
    result = ingest([str(PROVENANCE / "quake")])
    return make_briefing(result.articles, result.dropped)


def _grade(b: Briefing) -> float:
    return readability([s.text for s in b.bottom_line + b.key_points]).flesch_kincaid_grade


def _rows(b: Briefing, targets: Targets) -> dict[str, CheckResult]:
    return {r.name: r for r in check_model(b, targets)}


def test_a_sound_briefing_passes_every_row_with_its_counts(quake: Briefing) -> None:
    g = _grade(quake)
    rows = _rows(quake, Targets(max_grade=g))
    shown = quake.statements()
    cites = sum(len(st.citations) for _, st in shown)
    supporting = sum(len(st.citations) - 1 for _, st in shown)
    assert list(rows) == ["faithful", "citations", "support", "length", "grade"]
    assert rows["faithful"] == CheckResult(
        "faithful", "pass", f"{len(shown)} sentences are deletion-only copies of their sources"
    )
    assert rows["citations"] == CheckResult(
        "citations", "pass", f"{cites} citations resolve to {len(quake.sources)} sources"
    )
    assert rows["support"] == CheckResult(
        "support", "pass", f"{supporting} supporting citations report the same fact as their "
        "statements"
    )  # fmt: skip
    assert supporting >= 1
    assert rows["length"] == CheckResult("length", "pass", "no key point over 35 words")
    assert rows["grade"] == CheckResult("grade", "pass", f"FK grade {g} <= {g}")


def test_a_briefing_without_points_has_no_grade_row(quake: Briefing) -> None:
    empty = quake.model_copy(update={"bottom_line": [], "key_points": []})
    assert "grade" not in _rows(empty, Targets())


def _with_floor(b: Briefing, floor: float | None) -> Briefing:
    return b.model_copy(update={"quality": b.quality.model_copy(update={"source_grade": floor})})


def test_a_grade_over_target_fails_only_under_strict_targets(quake: Briefing) -> None:
    g = _grade(quake)
    b = _with_floor(quake, g - 3)
    assert _rows(b, Targets(max_grade=g - 1, strict=True))["grade"] == CheckResult(
        "grade",
        "fail",
        f"FK grade {g} > target {g - 1} (strict targets; the sources' median grade is {g - 3})",
    )


@pytest.mark.parametrize(
    ("floor_below", "easier"), [(0.0, True), (GRADE_SLACK, True), (GRADE_SLACK + 0.5, False)]
)
def test_a_grade_over_target_warns_saying_whether_the_sources_allow_better(
    quake: Briefing, floor_below: float, easier: bool
) -> None:
    g = _grade(quake)
    floor = round(g - floor_below, 2)
    row = _rows(_with_floor(quake, floor), Targets(max_grade=g - 1))["grade"]
    tail = (
        f"but no harder than the sources it quotes (median grade {floor})"
        if easier
        else f"and harder than the sources (median grade {floor}): the sources allow no easier "
        "sentences"
    )
    assert row == CheckResult("grade", "warn", f"FK grade {g} > target {g - 1}, {tail}")


def test_an_unknown_source_grade_is_never_called_easier(quake: Briefing) -> None:
    g = _grade(quake)
    row = _rows(_with_floor(quake, None), Targets(max_grade=g - 1))["grade"]
    assert row.status == "warn" and "and harder than the sources (median grade None)" in row.detail


def _doctor_all(b: Briefing, change: Any) -> Briefing:
    data = b.model_dump(mode="json")
    for section in ("bottom_line", "key_points"):
        for st in data[section]:
            change(st)
    return Briefing.model_validate(data)


def test_every_failure_is_counted_after_the_first(quake: Briefing) -> None:
    n = len(quake.bottom_line) + len(quake.key_points)
    assert n >= 3

    def garble(st: dict[str, Any]) -> None:
        st["text"] = "Nothing " + st["text"]
        for c in st["citations"][1:]:
            c["text"] = "Aid agencies warned that aftershocks could bring down more buildings."
            c["end"] = c["start"] + len(c["text"])

    rows = _rows(_doctor_all(quake, garble), Targets(max_grade=30, max_key_point_words=5))
    first = quake.bottom_line[0].text
    assert rows["faithful"].detail.startswith("not a deletion-only copy of its source: bottom ")
    assert rows["faithful"].detail.endswith(f" (+{n - 1} more)")
    assert first[:20] in rows["faithful"].detail
    supported = sum(len(s.citations) > 1 for s in quake.bottom_line + quake.key_points)
    more = f" (+{supported - 1} more)" if supported > 1 else ""
    assert rows["support"].status == "fail" and rows["support"].detail.endswith(
        "'Aid agencies warned that aftershocks could bring down more …'" + more
    )
    assert rows["length"].status == "fail"
    assert rows["length"].detail.startswith("bottom line 1 has ")
    assert "words (max 5): 'Nothing " in rows["length"].detail


def test_a_key_point_at_the_word_limit_passes_and_one_over_fails(quake: Briefing) -> None:
    from briefgen.base.text import word_count

    longest = max(word_count(s.text) for s in quake.bottom_line + quake.key_points)
    assert _rows(quake, Targets(max_grade=30, max_key_point_words=longest))["length"].status == (
        "pass"
    )
    row = _rows(quake, Targets(max_grade=30, max_key_point_words=longest - 1))["length"]
    assert row.status == "fail" and f"has {longest} words (max {longest - 1})" in row.detail
