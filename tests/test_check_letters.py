"""How `briefgen check` reads rendered text and proves a statement from its article (#14 item 10:
each boundary and replacement is pinned, so a mutant of it fails)."""

from __future__ import annotations

import pytest

from briefgen.check.gate import _letters, _rtl, faithful_share, statement_is_faithful
from briefgen.ingest.read import ingest
from briefgen.model import Article
from briefgen.pipeline import make_briefing
from tests.conftest import PROVENANCE


@pytest.mark.parametrize(
    ("c", "rtl"),
    [
        ("\u0590", True), ("\u05d0", True), ("\u08ff", True), ("\ufb1d", True), ("\ufdff", True),
        ("\ufe70", True), ("\ufeff", True), ("\u058f", False), ("\u0900", False),
        ("\ufb1c", False), ("\ufe00", False), ("a", False), ("\uff00", False),
    ],
)  # fmt: skip
def test_right_to_left_letters_are_hebrew_and_arabic_blocks_exactly(c: str, rtl: bool) -> None:
    assert _rtl(c) is rtl


def test_letters_ignore_case_spacing_ligatures_and_soft_hyphens() -> None:
    assert _letters("Ef\ufb01cient \ufb02ow,\nco\u00adop 42!") == "efficientflowcoop42"
    assert _letters("Peace שלום talks") == "peaceשלוםtalks"
    assert _letters("Peace שלום talks", rtl=False) == "peacetalks"


@pytest.fixture(scope="module")
def quake() -> tuple[dict[str, Article], object]:
    result = ingest([str(PROVENANCE / "quake")])
    return {a.id: a for a in result.articles}, make_briefing(result.articles, result.dropped)


def test_a_statement_is_proved_from_its_first_citation_or_the_reason_named(quake: tuple) -> None:
    by_id, briefing = quake
    st = briefing.key_points[0]
    cite = st.citations[0]
    assert statement_is_faithful(st, by_id) is None
    gone = {k: v for k, v in by_id.items() if k != cite.article_id}
    assert statement_is_faithful(st, gone) == f"cites missing article {cite.article_id}"
    moved = st.model_copy(
        update={"citations": [cite.model_copy(update={"start": cite.start + 1}), *st.citations[1:]]}
    )
    assert statement_is_faithful(moved, by_id) == (
        f"source text differs from {cite.article_id} sentence {cite.sentence_index}"
    )
    changed = st.model_copy(update={"text": st.text.replace(" ", " not ", 1)})
    assert statement_is_faithful(changed, by_id) == (
        "text is not a deletion-only copy of its source sentence"
    )


def test_the_faithful_share_counts_statements_proved(quake: tuple) -> None:
    by_id, briefing = quake
    assert faithful_share(briefing, list(by_id.values())) == 1.0
    n = len(briefing.statements())
    first = briefing.key_points[0].model_copy(update={"text": "Not so."})
    bad = briefing.model_copy(update={"key_points": [first, *briefing.key_points[1:]]})
    assert faithful_share(bad, list(by_id.values())) == (n - 1) / n
    empty = briefing.model_copy(
        update={"bottom_line": [], "key_points": [], "background": [], "outlook": [],
                "quotes": [], "actors": [], "dates": [], "disagreements": []}
    )  # fmt: skip
    assert faithful_share(empty, []) == 1.0
