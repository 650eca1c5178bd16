"""Property-based tests (hypothesis): no input crashes ingest, segmentation or the renderers.

Example counts are fixed below (``EXAMPLES``) so the suite's cost is known: a few hundred files
and texts, 60 briefings in the four fast formats and 4 as PDF.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import unicodedata
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import IngestError
from briefgen.ingest.clean import clean_text
from briefgen.ingest.read import _read_one
from briefgen.model import (
    Actor,
    Briefing,
    Citation,
    Dropped,
    Keyphrase,
    Quote,
    Source,
    Statement,
)
from briefgen.render import render
from briefgen.summarize.segment import segment, split_sentences
from tests.builders import make_article
from tests.test_adversarial import html_problems, md_problems

EXAMPLES = {"bytes": 300, "markup": 200, "sentences": 300, "briefing": 60, "pdf": 4}
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --------------------------------------------------------------------------- building blocks

HOSTILE_BITS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)">',
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% for x in range(9) %}",
    "\x00",
    "\x0b",
    "\x1b[31m",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ufffe",
    "&amp;",
    "&lt;b&gt;",
    "]]>",
    "<!--",
    "`",
    "*_#|>",
    "\\",
    "\r\n",
    "\n\n# heading\n\n",
    "الرئيس قال",
    "השיחות",
    "会谈将恢复。",
    "🕊️👍🏽🇰🇿",
    "U.S.",
    "Mr.",
    "2.5",
    "…",
    "“quoted”",
]
WORDS = ["the", "council", "said", "harbour", "wall", "will", "be", "rebuilt", "Tokayev", "2026"]
PUNCT = [". ", "! ", "? ", ", ", "; ", ": ", " — ", "… ", ".\n\n", "\n", " ", "。", "» ", '" ']

hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_BITS),
        st.sampled_from(WORDS),
        st.text(max_size=12),  # any code points hypothesis likes (no surrogates)
    ),
    max_size=12,
).map(" ".join)

realistic_text = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(PUNCT),
        st.sampled_from(HOSTILE_BITS),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    ),
    max_size=60,
).map("".join)

file_bytes = st.one_of(
    st.binary(max_size=3000),
    realistic_text.map(lambda t: t.encode("utf-8")),
    realistic_text.map(lambda t: t.encode("utf-16")),
    realistic_text.map(lambda t: t.encode("utf-16-le")),
    realistic_text.map(lambda t: t.encode("cp1252", "replace")),
    st.binary(max_size=200).map(lambda b: b"\xef\xbb\xbf" + b),
)
markup = st.lists(
    st.one_of(
        st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<b>", "<", ">", "<!--", "-->"]),
        st.sampled_from(["<html>", "<body>", "<script>", "<title>", "<![CDATA[", "&#0;"]),
        st.sampled_from(["&#x202e;", "&nbsp;", '<a href="javascript:x">', "<br/>", "<p"]),
        realistic_text,
    ),
    max_size=40,
).map(lambda parts: "<!DOCTYPE html><html><body>" + "".join(parts))

_BAD_IN_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _check_read(data: bytes, suffix: str) -> None:
    """``data`` as a file either becomes a clean article or a one-line IngestError naming it."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input file{suffix}"
        path.write_bytes(data)
        try:
            article, warnings = _read_one(path)
        except IngestError as exc:
            message = str(exc)
            assert "input file" in message and "\n" not in message, message
            return
    assert article.text.strip()
    assert not _BAD_IN_TEXT.search(article.text), repr(article.text)
    assert not _BAD_IN_TEXT.search(article.title), repr(article.title)
    assert article.sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert all("input file" in w and "\n" not in w for w in warnings)


# --------------------------------------------------------------------------- ingest


@settings(FAST, max_examples=EXAMPLES["bytes"])
@given(data=file_bytes, suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_any_bytes_become_an_article_or_an_error_naming_the_file(data: bytes, suffix: str):
    _check_read(data, suffix)


@settings(FAST, max_examples=EXAMPLES["markup"])
@given(page=markup)
def test_any_markup_becomes_an_article_or_an_error_naming_the_file(page: str) -> None:
    _check_read(page.encode("utf-8"), ".html")


# --------------------------------------------------------------------------- segmentation


@settings(FAST, max_examples=EXAMPLES["sentences"])
@given(text=realistic_text)
def test_sentence_offsets_point_at_exactly_their_text(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for a, b in spans:
        assert previous_end <= a < b <= len(text)
        assert text[a:b].strip()
        previous_end = b
    cleaned = clean_text(text)
    article = make_article(cleaned) if cleaned else None
    if article is not None:
        for s in segment(article):
            assert article.text[s.start : s.end] == s.text


# --------------------------------------------------------------------------- rendering


@st.composite
def briefings(draw: st.DrawFn, text: st.SearchStrategy[str] = hostile_text) -> Briefing:
    """A structurally valid briefing whose every string is hostile."""
    n_sources = draw(st.integers(1, 3))
    ids = [f"a{i + 1}" for i in range(n_sources)]

    def statement() -> Statement:
        cited = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3, unique=True))
        body = draw(text)
        return Statement(
            text=body,
            source_text=body,
            citations=[Citation(article_id=a, sentence_index=0, start=0, end=1) for a in cited],
            single_source=draw(st.booleans()),
        )

    def some(n: int) -> list[Statement]:
        return [statement() for _ in range(draw(st.integers(0, n)))]

    url = st.one_of(st.none(), st.sampled_from(["javascript:alert(1)", "http://127.0.0.1:9/x"]))
    dropped_by = st.sampled_from(ids)
    return Briefing(
        title=draw(text),
        generated_at=datetime(2026, 1, 24, 7, 0, tzinfo=UTC),
        date_from=date(2026, 1, 21),
        date_to=date(2026, 1, 23),
        bottom_line=[statement()],
        key_points=some(4),
        background=some(2),
        outlook=some(2),
        actors=[
            Actor(name=draw(text), kind="person", mentions={ids[0]: 2}, role=statement())
            for _ in range(draw(st.integers(0, 2)))
        ],
        quotes=[Quote(speaker=draw(text), statement=statement())],
        keyphrases=[Keyphrase(phrase=draw(text), score=0.1)],
        sources=[
            Source(
                id=i,
                title=draw(text),
                outlet=draw(text),
                path=draw(text),
                url=draw(url),
                sha256="0" * 64,
            )
            for i in ids
        ],
        dropped=[Dropped(path=draw(text), reason=draw(text), duplicate_of=draw(dropped_by))],
    )


def _check_outputs(paths: list[Path], briefing: Briefing) -> None:
    import docx

    by_ext = {p.suffix.lstrip("."): p for p in paths}
    if "html" in by_ext:
        assert html_problems(by_ext["html"].read_text(encoding="utf-8"), False) == []
    if "md" in by_ext:
        assert md_problems(by_ext["md"].read_text(encoding="utf-8")) == []
    if "json" in by_ext:
        text = by_ext["json"].read_text(encoding="utf-8")
        assert Briefing.from_json(text) == briefing
        json.loads(text)
    if "docx" in by_ext:
        document = docx.Document(str(by_ext["docx"]))
        assert not any(_BAD_IN_TEXT.search(p.text.replace("\t", "")) for p in document.paragraphs)
    if "pdf" in by_ext:
        assert by_ext["pdf"].read_bytes().startswith(b"%PDF")


@settings(FAST, max_examples=EXAMPLES["briefing"])
@given(briefing=briefings())
def test_any_briefing_renders_to_html_md_json_docx(briefing: Briefing) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths = render(briefing, Path(tmp), ["html", "md", "json", "docx"])
        _check_outputs(paths, briefing)
        assert sorted(p.name for p in Path(tmp).iterdir()) == sorted(p.name for p in paths)


@pytest.mark.filterwarnings("ignore")
@settings(FAST, max_examples=EXAMPLES["pdf"])
@given(briefing=briefings())
def test_any_briefing_renders_to_pdf(briefing: Briefing) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _check_outputs(render(briefing, Path(tmp), ["pdf"]), briefing)


def test_hostile_strings_survive_as_text_in_html() -> None:
    """A sanity anchor for the properties: markup shows as text, it is not dropped."""
    briefing = Briefing(
        title="<script>alert(1)</script> {{ 7*7 }}",
        generated_at=datetime(2026, 1, 24, tzinfo=UTC),
        bottom_line=[
            Statement(
                text="a <b>\u202e c",
                source_text="a <b>\u202e c",
                citations=[Citation(article_id="a1", sentence_index=0, start=0, end=1)],
            )
        ],
        sources=[Source(id="a1", title="t", sha256="0" * 64)],
    )
    with tempfile.TemporaryDirectory() as tmp:
        (html,) = render(briefing, Path(tmp), ["html"])
        page = html.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}" in page
    assert unicodedata.normalize("NFC", "a &lt;b&gt;") in page
