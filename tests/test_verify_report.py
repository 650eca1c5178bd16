"""What `briefgen verify` prints and the exact problem it names for each kind of broken citation
(#14 item 10: a mutant that garbles a message or a sentence number must fail a test)."""

from __future__ import annotations

import re
from pathlib import Path

from briefgen.check.verify import (
    Report,
    SourceCheck,
    StatementCheck,
    check_statements,
    format_report,
)
from briefgen.ingest.read import ingest
from briefgen.model import Article, Briefing, Source
from briefgen.pipeline import make_briefing
from briefgen.summarize.support import same_fact
from tests.conftest import PROVENANCE

LONG = (
    "Rescue teams reached the villages by boat after the flood had cut the only road, officials "
    "said on Monday night."
)


def _report(failing: bool) -> Report:
    return Report(
        sources=[
            SourceCheck(1, Source(id="a1", title="Toll rises", path="news/herald.md", sha256="x"),
                        None, "unchanged"),
            SourceCheck(2, Source(id="a2", title="A very long title " * 6, sha256="y"), None,
                        "missing"),
            SourceCheck(3, Source(id="a3", title="Aid", path="news/wire.md", sha256="z"), None,
                        "changed"),
        ],
        statements=[
            StatementCheck("bottom_line", 1, "1:4, 3:2", "At least 40 people were killed."),
            StatementCheck("key_points", 2, "2:7", LONG,
                           "source 2 not found among the inputs" if failing else None),
        ],
    )  # fmt: skip


def test_the_verify_report_lists_sources_statements_and_each_mismatch() -> None:
    assert format_report(_report(failing=True)) == (
        "Sources:\n"
        "  [1] news/herald.md: unchanged (sha256 matches)\n"
        "  [2] A very long title A very long title A very long title A ver…: MISSING from the "
        "inputs\n"
        "  [3] news/wire.md: CHANGED since the briefing: \n"
        "\n"
        "  section      #  source:sentence  result\n"
        "  bottom_line  1  1:4, 3:2         ok\n"
        "  key_points   2  2:7              MISMATCH\n"
        "\n"
        "MISMATCH key_points #2 [2:7]: 'Rescue teams reached the villages by boat after the flood "
        "had cut the only road, official…': source 2 not found among the inputs\n"
        "2 statements checked: 1 do not match their sources."
    )


def test_a_report_without_mismatches_says_all_match() -> None:
    report = _report(failing=False)
    assert report.ok and not report.failures
    assert format_report(report).endswith("\n2 statements checked: all match their sources.")


def _quake() -> tuple[dict[str, Article | None], Briefing]:
    result = ingest([str(PROVENANCE / "quake")])
    return {a.id: a for a in result.articles}, make_briefing(result.articles, result.dropped)


def _supported(briefing: Briefing) -> tuple[int, str]:
    """The first statement with a supporting citation, and its label's section."""
    n = next(i for i, (_, st) in enumerate(briefing.statements()) if len(st.citations) > 1)
    return n, briefing.statements()[n][0]


def test_an_edited_supporting_sentence_is_named_with_what_it_now_reads() -> None:
    by_id, briefing = _quake()
    n, _ = _supported(briefing)
    cite = briefing.statements()[n][1].citations[1]
    article = by_id[cite.article_id]
    assert article is not None
    text = article.text
    span = text[cite.start : cite.end]
    word = max(re.findall(r"[a-z]{5,}", span), key=len)
    edited = span.replace(word, word[::-1], 1)  # as long: no other span moves
    assert edited != span
    by_id[cite.article_id] = article.model_copy(
        update={"text": text[: cite.start] + edited + text[cite.end :]}
    )
    bad = check_statements(briefing, by_id)[n]
    number = sorted(by_id).index(cite.article_id) + 1
    assert bad.problem == (
        f"source {number}, sentence {cite.sentence_index + 1} now reads "
        f"{(edited[:89] + '…') if len(edited) > 90 else edited!r}"
    )


def test_a_supporting_sentence_of_another_fact_is_named_with_the_reason(tmp_path: Path) -> None:
    by_id, briefing = _quake()
    n, _ = _supported(briefing)
    data = briefing.model_dump(mode="json")
    st = [*data["bottom_line"], *data["key_points"], *data["background"], *data["outlook"]][n]
    cite = st["citations"][1]
    article = by_id[cite["article_id"]]
    assert article is not None
    # another sentence of the same article, on another fact
    found = next(
        m
        for m in re.finditer(r"[A-Z][^.!?]{20,}[.!?]", article.text)
        if not same_fact(st["source_text"], m.group())
    )
    cite.update(start=found.start(), end=found.end(), text=found.group(), sentence_index=4)
    bad = check_statements(Briefing.model_validate(data), by_id)[n]
    number = sorted(by_id).index(cite["article_id"]) + 1
    assert bad.problem is not None
    assert bad.problem.startswith(
        f"source {number}, sentence 5 does not report the same fact (only "
    )


def test_each_row_names_its_section_item_and_one_based_source_and_sentence_numbers() -> None:
    by_id, briefing = _quake()
    rows = check_statements(briefing, by_id)
    number = {s.id: i for i, s in enumerate(briefing.sources, 1)}
    seen: dict[str, int] = {}
    for row, (section, st) in zip(rows, briefing.statements(), strict=True):
        seen[section] = seen.get(section, 0) + 1
        assert (row.section, row.item, row.text, row.problem) == (
            section,
            seen[section],
            st.text,
            None,
        )
        assert row.cites == ", ".join(
            f"{number[c.article_id]}:{c.sentence_index + 1}" for c in st.citations
        )
    assert rows[0].item == 1 and rows[0].cites.split(":")[0] in {"1", "2"}
    assert any(", " in row.cites for row in rows)  # a statement with two citations


def test_an_empty_or_unknown_citation_is_named_by_its_source_number() -> None:
    by_id, briefing = _quake()
    n, _ = _supported(briefing)
    data = briefing.model_dump(mode="json")
    st = [*data["bottom_line"], *data["key_points"], *data["background"], *data["outlook"]][n]
    cite = st["citations"][1]
    number = [s["id"] for s in data["sources"]].index(cite["article_id"]) + 1
    cite["end"] = cite["start"]
    bad = check_statements(Briefing.model_validate(data), by_id)[n]
    assert bad.problem == (
        f"source {number} has no sentence {cite['sentence_index'] + 1} at "
        f"{cite['start']}-{cite['start']}"
    )
    cite["article_id"] = "a9"
    bad = check_statements(Briefing.model_validate(data), by_id)[n]
    assert bad.problem == "source a9 not found among the inputs"


def test_a_source_is_found_by_hash_then_by_path_then_by_file_name(tmp_path: Path) -> None:
    from briefgen.check.verify import verify

    _, briefing = _quake()
    report = verify(briefing, [str(PROVENANCE / "quake")])
    assert [(s.number, s.status) for s in report.sources] == [(1, "unchanged"), (2, "unchanged")]
    assert [s.article.id if s.article else None for s in report.sources] == ["a1", "a2"]
    # an edited copy elsewhere: found by its file name, marked changed
    first = briefing.sources[0]
    assert first.path is not None
    copy = tmp_path / Path(first.path).name
    copy.write_text(Path(first.path).read_text(encoding="utf-8") + "\nA new line.\n", "utf-8")
    report = verify(briefing, [str(copy)])
    assert [s.status for s in report.sources] == ["changed", "missing"]
    # the same path, edited in place, beside another file of that name: found by its path
    other = tmp_path / "elsewhere" / copy.name
    other.parent.mkdir()
    other.write_text(
        "Farmers in the south harvested a record crop of wheat this summer.\n", "utf-8"
    )
    moved = briefing.model_copy(
        update={"sources": [first.model_copy(update={"path": str(copy)}), briefing.sources[1]]}
    )
    report = verify(moved, [str(copy), str(other)])
    assert report.sources[0].status == "changed"
    assert report.sources[0].article is not None and report.sources[0].article.path == str(copy)


def test_a_doctored_shown_text_or_a_moved_sentence_is_named_exactly() -> None:
    by_id, briefing = _quake()
    data = briefing.model_dump(mode="json")
    point = data["key_points"][0]
    point["text"] = "Not " + point["text"]
    n = len(briefing.bottom_line)
    bad = check_statements(Briefing.model_validate(data), by_id)[n]
    assert bad.problem == "shown text is not its source sentence with words deleted"
    # the cited sentence moved: something was inserted before it in the source
    cite = briefing.key_points[0].citations[0]
    article = by_id[cite.article_id]
    assert article is not None
    by_id[cite.article_id] = article.model_copy(update={"text": "Update. " + article.text})
    number = [s.id for s in briefing.sources].index(cite.article_id) + 1
    row = check_statements(briefing, by_id)[n]
    start = cite.start + len("Update. ")
    assert row.problem == (
        f"source {number}, sentence {cite.sentence_index + 1} is unchanged but moved to "
        f"{start}-{start + cite.end - cite.start} (the source was edited before it)"
    )
