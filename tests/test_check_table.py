"""What `briefgen check` prints and how far it looks across a page break (#14 item 10: a mutant
that garbles the table, a message or a limit must fail a test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.check.gate import (
    CheckResult,
    _finder,
    _letters,
    _page_break_joins,
    check_model,
    check_report,
    format_table,
)
from briefgen.errors import CheckError
from briefgen.ingest.read import ingest
from briefgen.model import Briefing
from briefgen.pipeline import make_briefing
from briefgen.service.build import build
from briefgen.spec import BriefingSpec, Targets
from tests.conftest import PROVENANCE

QUAKE = PROVENANCE / "quake"


def test_the_check_table_aligns_names_statuses_and_details() -> None:
    table = format_table(
        [
            CheckResult("faithful", "pass", "9 sentences are deletion-only copies"),
            CheckResult("pdf sources", "fail", "source not listed: 'Quake'"),
            CheckResult("grade", "warn", "FK grade 13 > target 12"),
        ]
    )
    assert table == (
        "check        status  detail\n"
        "-----------  ------  ------\n"
        "faithful     PASS    9 sentences are deletion-only copies\n"
        "pdf sources  FAIL    source not listed: 'Quake'\n"
        "grade        WARN    FK grade 13 > target 12"
    )
    assert format_table([]) == "check  status  detail\n-----  ------  ------"
    assert CheckResult("x", "fail", "").failed and not CheckResult("x", "warn", "").failed


def test_a_long_statement_is_named_by_its_first_59_characters() -> None:
    result = ingest([str(QUAKE)])
    briefing = make_briefing(result.articles, result.dropped)
    long = briefing.key_points[0]
    assert len(long.text) > 60
    data = briefing.model_dump(mode="json")
    data["key_points"][0]["text"] = long.text.replace(" ", "  ", 1) + " Nothing."
    (faithful,) = [r for r in check_model(Briefing.model_validate(data)) if r.name == "faithful"]
    shown = data["key_points"][0]["text"]
    assert faithful.detail == (
        f"not a deletion-only copy of its source: key points 1: '{shown[:59]}…'"
    )


SENTENCE = "Kazakhstan seeks to complement existing international institutions with more flexible."


@pytest.mark.parametrize(("footer", "header", "found"), [(3, 0, True), (0, 3, True), (2, 2, True),
                                                         (4, 0, False), (0, 4, False)])  # fmt: skip
def test_a_sentence_is_read_across_up_to_three_lines_each_side_of_a_page_break(
    footer: int, header: int, found: bool
) -> None:
    half = "Kazakhstan seeks to complement existing international\n"
    rest = "institutions with more flexible.\n"
    text = (
        "KEY POINTS\n"
        + half
        + "".join(f"footer line {i}\n" for i in range(footer))
        + "\f"
        + "".join(f"header line {i}\n" for i in range(header))
        + rest
    )
    assert _finder(text, _letters)(SENTENCE) is found
    assert len(_page_break_joins(text)) == (min(3, 2 + footer) + 1) * (min(3, 1 + header) + 1)


def test_a_sentence_far_before_a_page_break_is_still_joined_within_reach() -> None:
    lines = [f"line {i}" for i in range(60)]
    text = "\n".join(lines) + "\n\fnext page\n"
    joins = _page_break_joins(text)
    assert joins[0].splitlines()[0] == "line 20"  # 40 lines of reach before the break
    assert joins[0].splitlines()[-1] == "next page"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quake")
    build([str(QUAKE)], out, BriefingSpec(targets=Targets(max_grade=30), formats=("pdf", "json")))
    return out


def test_check_applies_the_targets_it_is_given(report: Path) -> None:
    _, lenient = check_report(report, Targets(max_grade=30))
    assert not [r for r in lenient if r.failed]
    _, strict = check_report(report, Targets(max_grade=30, max_key_point_words=5, max_pages=1))
    assert {r.name for r in strict if r.failed} == {"length", "pages"}


def test_a_briefing_without_or_with_a_broken_json_is_named(tmp_path: Path, report: Path) -> None:
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes((report / "briefing.pdf").read_bytes())
    with pytest.raises(CheckError) as missing:
        check_report(pdf)
    assert str(missing.value) == (
        f"{tmp_path / 'briefing.json'}: missing (the briefing JSON is the reference to check)"
    )
    (tmp_path / "briefing.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CheckError) as broken:
        check_report(pdf)
    assert str(broken.value).startswith(f"{tmp_path / 'briefing.json'}: not a briefing JSON (")
