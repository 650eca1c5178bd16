"""Tests that guard the promise (#14 item 10): every section and every citation of a briefing is
doctored in turn, and each time exactly the check row that must fail does.

The briefing is built from ``tests/resources/provenance/quake`` (two outlets, one fact both
report, one count they disagree on), so it has every kind of shown statement: bottom line, key
points, outlook, quotes, actor roles, dates, disagreement claims, and a supporting citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefgen.check.gate import CheckResult, check_model, check_rendered, check_report
from briefgen.check.verify import check_statements
from briefgen.errors import CheckError
from briefgen.ingest.read import ingest
from briefgen.model import Article, Briefing
from briefgen.pipeline import make_briefing
from briefgen.service.build import build
from briefgen.spec import BriefingSpec, Targets
from tests.conftest import PROVENANCE

QUAKE = PROVENANCE / "quake"
LENIENT = Targets(max_grade=30)


# A third report with direct speech, so the fixture has a quotes section (#14: quotes are only
# words inside quotation marks, with their speaker).
RESCUE = """---
title: Rescuers search Teral rubble
outlet: Valley Post
date: 2026-01-17
---

Rescue teams searched collapsed buildings in the northern province of Teral on Saturday.

"We will not stop while anyone may still be alive under the rubble," Governor Anna Keller told
reporters in the regional capital.

Aid agencies said shelters in schools were full and more tents were on their way.
"""


@pytest.fixture(scope="module")
def quake_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The quake reports plus :data:`RESCUE`."""
    folder = tmp_path_factory.mktemp("quake-src")
    for f in QUAKE.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "rescue.md").write_text(RESCUE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def quake(quake_folder: Path) -> tuple[list[Article], Briefing]:
    result = ingest([str(quake_folder)])
    return result.articles, make_briefing(result.articles, result.dropped)


def _statement_dicts(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The statements of a briefing's JSON form, in ``Briefing.statements()`` order."""
    for section in ("bottom_line", "key_points", "background", "outlook"):
        yield from data[section]
    yield from (q["statement"] for q in data["quotes"])
    yield from (a["role"] for a in data["actors"] if a["role"] is not None)
    yield from (d["statement"] for d in data["dates"])
    yield from (c for d in data["disagreements"] for c in d["claims"])


def _failed(results: list[CheckResult]) -> set[str]:
    return {r.name for r in results if r.failed}


def _doctored(briefing: Briefing, n: int, change: Any) -> Briefing:
    """A copy of ``briefing`` with ``change`` applied to the JSON of its ``n``-th statement."""
    data = briefing.model_dump(mode="json")
    change(list(_statement_dicts(data))[n])
    return Briefing.model_validate(data)


def _labels(briefing: Briefing) -> list[str]:
    counters: dict[str, int] = {}
    out = []
    for section, _ in briefing.statements():
        counters[section] = counters.get(section, 0) + 1
        out.append(f"{section.replace('_', ' ')} {counters[section]}")
    return out


def test_the_fixture_has_every_kind_of_statement_and_passes(quake: Any) -> None:
    _, briefing = quake
    sections = {s for s, _ in briefing.statements()}
    assert {"bottom_line", "key_points", "quotes", "actors", "dates", "disagreements"} <= sections
    assert any(len(st.citations) > 1 for _, st in briefing.statements())
    assert _failed(check_model(briefing, LENIENT)) == set()


def _swap_word(st: dict[str, Any]) -> None:
    words = re.findall(r"[A-Za-z]{4,}", st["text"])
    st["text"] = st["text"].replace(words[-1], "nothing", 1)


def _insert_not(st: dict[str, Any]) -> None:
    st["text"] = re.sub(r"\b(was|were|is|are|had|has|will)\b", r"\1 not", st["text"], count=1)
    if " not" not in st["text"]:
        st["text"] = "Not " + st["text"][0].lower() + st["text"][1:]


def _change_number(st: dict[str, Any]) -> None:
    if re.search(r"\d", st["text"]):
        st["text"] = re.sub(r"\d", lambda m: str((int(m.group()) + 1) % 10), st["text"], count=1)
    else:
        st["text"] = st["text"].rstrip(".") + " 3."


def _change_end(st: dict[str, Any]) -> None:
    st["text"] = st["text"].rstrip('.!?"”') + "!"


def _upper_inner(st: dict[str, Any]) -> None:
    st["text"] = st["text"][:1] + st["text"][1:].upper()


@pytest.mark.parametrize(
    "change", [_swap_word, _insert_not, _change_number, _change_end, _upper_inner]
)
def test_every_doctored_statement_fails_the_faithful_row_and_only_it(
    quake: Any, change: Any
) -> None:
    _, briefing = quake
    labels = _labels(briefing)
    for n, label in enumerate(labels):
        results = check_model(_doctored(briefing, n, change), LENIENT)
        assert _failed(results) == {"faithful"}, (label, change.__name__)
        faithful = next(r for r in results if r.name == "faithful")
        assert f"{label}:" in faithful.detail


def _every_citation(briefing: Briefing) -> Iterator[tuple[int, int, str]]:
    for n, ((_, st), label) in enumerate(
        zip(briefing.statements(), _labels(briefing), strict=True)
    ):
        for k in range(len(st.citations)):
            yield n, k, label


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        ("empty span", lambda c: c.update(end=c["start"]), "has an empty span"),
        ("negative index", lambda c: c.update(sentence_index=-1), "has an empty span"),
        ("unknown article", lambda c: c.update(article_id="a99"), "which is not a listed source"),
        ("longer span", lambda c: c.update(end=c["end"] + 7), "-character span"),
    ],
)
def test_every_doctored_citation_fails_the_citations_row_and_only_it(
    quake: Any, name: str, change: Any, message: str
) -> None:
    _, briefing = quake
    for n, k, label in _every_citation(briefing):
        doctored = _doctored(briefing, n, lambda st, k=k: change(st["citations"][k]))
        results = check_model(doctored, LENIENT)
        failed = _failed(results)
        assert failed == {"citations"}, (name, label, k, failed)
        detail = next(r for r in results if r.name == "citations").detail
        assert label in detail and message in detail
        if name == "longer span":
            cite = briefing.statements()[n][1].citations[k]
            size = cite.end - cite.start
            assert detail == (
                f"{label} cites a {size + 7}-character span in {cite.article_id} for a "
                f"{size}-character sentence"
            )


def _supporting(briefing: Briefing) -> list[tuple[int, int, str]]:
    return [(n, k, label) for n, k, label in _every_citation(briefing) if k > 0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda c: c.update(text="Aid agencies warned that aftershocks could bring down more."),
            "does not report the same fact",
        ),
        (lambda c: c.update(text=None), "carries no sentence to test"),
        (lambda c: c.update(text=""), "carries no sentence to test"),
    ],
)
def test_every_doctored_supporting_citation_fails_the_support_row_and_only_it(
    quake: Any, change: Any, message: str
) -> None:
    _, briefing = quake
    supporting = _supporting(briefing)
    assert supporting
    for n, k, label in supporting:

        def doctor(st: dict[str, Any], k: int = k) -> None:
            c = st["citations"][k]
            change(c)
            if c["text"]:  # keep the span as long as the sentence: only the support is wrong
                c["end"] = c["start"] + len(c["text"])

        results = check_model(_doctored(briefing, n, doctor), LENIENT)
        assert _failed(results) == {"support"}, label
        detail = next(r for r in results if r.name == "support").detail
        assert f"{label}, citation {k + 1}" in detail and message in detail


# --------------------------------------------------------------------------- verify


def test_verify_tests_every_citation_of_every_statement(quake: Any) -> None:
    articles, briefing = quake
    by_id: dict[str, Article | None] = {a.id: a for a in articles}
    assert all(row.ok for row in check_statements(briefing, by_id))
    for n, k, label in _every_citation(briefing):
        cite = briefing.statements()[n][1].citations[k]
        text = by_id[cite.article_id].text  # type: ignore[union-attr]
        other = next(
            m for m in re.finditer(r"[A-Z][^.!?]{20,}[.!?]", text) if m.start() != cite.start
        )

        def move(st: dict[str, Any], k: int = k, m: Any = other) -> None:
            c = st["citations"][k]
            c.update(start=m.start(), end=m.end())
            if c.get("text"):
                c["text"] = m.group()

        rows = check_statements(_doctored(briefing, n, move), by_id)
        bad = [r for r in rows if not r.ok]
        assert len(bad) == 1, (label, k)
        problem = bad[0].problem or ""
        if k:
            assert "does not report the same fact" in problem, (label, problem)
        else:  # the shown sentence is elsewhere in its source, or not there at all
            assert "moved to" in problem or "now reads" in problem, (label, problem)


def test_verify_refuses_a_span_past_the_end_of_its_source(quake: Any) -> None:
    articles, briefing = quake
    by_id: dict[str, Article | None] = {a.id: a for a in articles}
    for n, k, label in _every_citation(briefing):
        end = len(by_id[briefing.statements()[n][1].citations[k].article_id].text)  # type: ignore[union-attr]
        doctored = _doctored(
            briefing, n, lambda st, k=k, e=end: st["citations"][k].update(end=e + 5)
        )
        (bad,) = [r for r in check_statements(doctored, by_id) if not r.ok]
        assert "has no sentence" in (bad.problem or ""), label


# --------------------------------------------------------------------------- rendered files


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, quake_folder: Path) -> tuple[Path, Briefing]:
    out = tmp_path_factory.mktemp("quake")
    spec = BriefingSpec(targets=LENIENT, formats=("pdf", "docx", "html", "md", "json"))
    build([str(quake_folder)], out, spec)
    return out, Briefing.from_json((out / "briefing.json").read_text(encoding="utf-8"))


def test_a_doctored_title_fails_the_text_rows_of_both_files(rendered: Any) -> None:
    out, briefing = rendered
    doctored = briefing.model_copy(update={"title": briefing.title + " cancelled"})
    results = check_rendered(doctored, out, "briefing", LENIENT)
    assert _failed(results) == {"pdf text", "docx text"}
    assert all("title:" in r.detail for r in results if r.failed)


def test_a_doctored_source_title_fails_the_source_rows_of_both_files(rendered: Any) -> None:
    out, briefing = rendered
    sources = [s.model_copy() for s in briefing.sources]
    sources[-1] = sources[-1].model_copy(update={"title": "Earthquake toll falls to nine"})
    doctored = briefing.model_copy(update={"sources": sources})
    results = check_rendered(doctored, out, "briefing", LENIENT)
    assert _failed(results) == {"pdf sources", "docx sources"}


@pytest.mark.parametrize("section", ["key_points", "quotes", "disagreements"])
def test_a_number_doctored_in_the_model_fails_the_text_rows(rendered: Any, section: str) -> None:
    out, briefing = rendered
    data = briefing.model_dump(mode="json")
    sts = {
        "key_points": lambda: data["key_points"],
        "quotes": lambda: [q["statement"] for q in data["quotes"]],
        "disagreements": lambda: [c for d in data["disagreements"] for c in d["claims"]],
    }[section]()
    target = next((st for st in sts if re.search(r"\d|\b(?:one|two|hundreds)\b", st["text"])), None)
    if target is None:
        target = sts[0]
        target["text"] = target["text"].rstrip(".") + " 7."
    else:
        _change_number(target)
    results = check_rendered(Briefing.model_validate(data), out, "briefing", LENIENT)
    assert _failed(results) == {"pdf text", "docx text"}


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".md", ".json"])
def test_check_reads_a_briefing_from_any_of_its_files(rendered: Any, suffix: str) -> None:
    out, briefing = rendered
    found, results = check_report(out / f"briefing{suffix}", LENIENT)
    assert found.title == briefing.title
    assert {"faithful", "citations", "support", "pdf text", "docx text"} <= {
        r.name for r in results
    }
    assert _failed(results) == set()


@pytest.mark.parametrize(
    ("name", "message"),
    [("notes.txt", "not a briefing file or folder"), ("empty", "no briefing JSON in this folder")],
)
def test_check_refuses_what_is_not_a_briefing_naming_it(
    tmp_path: Path, name: str, message: str
) -> None:
    path = tmp_path / name
    if name == "empty":
        path.mkdir()
    else:
        path.write_text("not a briefing", encoding="utf-8")
    with pytest.raises(CheckError) as caught:
        check_report(path, LENIENT)
    assert str(caught.value) == f"{path}: {message}"
