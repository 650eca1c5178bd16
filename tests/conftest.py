"""Shared fixtures and cheap builders for briefgen's tests (no network, no models).

Builders turn the real seed articles in ``seeds/`` into model objects, so tests exercise real
news text (curly quotes, apostrophes, long sentences) without running the pipeline.  Add new
fixtures in their own section below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from briefgen.model import (
    Actor,
    Article,
    Briefing,
    Citation,
    Dropped,
    Keyphrase,
    Quality,
    Quote,
    Readability,
    Source,
    Statement,
)
from tests.builders import make_article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


# --------------------------------------------------------------------------- builders


def seed_article(name: str, id: str, **kw: object) -> Article:
    """An article from ``seeds/<name>``; the title defaults to the first non-empty line."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    kw.setdefault("title", next(line.strip() for line in text.splitlines() if line.strip()))
    kw.setdefault("path", f"seeds/{name}")
    return make_article(text, id=id, **kw)  # type: ignore[arg-type]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Rough sentence spans (good enough for fixtures; the real splitter lives in ingest)."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def cite(article: Article, needle: str) -> tuple[Citation, str]:
    """The citation and full text of the first sentence of ``article`` containing ``needle``."""
    for i, (s, e) in enumerate(sentence_spans(article.text)):
        if needle in article.text[s:e]:
            return Citation(article_id=article.id, sentence_index=i, start=s, end=e), (
                article.text[s:e]
            )
    raise LookupError(f"{needle!r} not in {article.id}")


def make_statement(
    article: Article,
    needle: str,
    *also: tuple[Article, str],
    single_source: bool = False,
    score: float = 0.5,
) -> Statement:
    """A statement quoting the sentence with ``needle``; ``also`` adds corroborating citations."""
    first, text = cite(article, needle)
    extra = [cite(a, n)[0] for a, n in also]
    return Statement(
        text=text,
        source_text=text,
        citations=[first, *extra],
        score=score,
        single_source=single_source,
    )


def make_source(article: Article) -> Source:
    return Source(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        published=article.published,
        path=article.path,
        url=article.url,
        words=len(article.text.split()),
        sha256=article.sha256,
    )


def readability(fre: float, grade: float, fog: float, wps: float, over30: float) -> Readability:
    return Readability(
        flesch_reading_ease=fre,
        flesch_kincaid_grade=grade,
        gunning_fog=fog,
        words_per_sentence=wps,
        share_over_30_words=over30,
        sentences=5,
        words=round(wps * 5),
    )


def build_sample_briefing() -> Briefing:
    """A realistic two-source briefing on Kazakhstan joining the "Board of Peace"."""
    a1 = seed_article(
        "000_f4493892df17a64d.txt",
        "a1",
        title="Kazakhstan: Global Diplomacy Takes a New Turn as Signals Support for a New "
        "Peace Framework",
        outlet="US Trending News",
        published=date(2026, 1, 21),
    )
    a2 = seed_article(
        "002_7bd0d2179170dade.txt",
        "a2",
        outlet="Vesti.kg",
        published=date(2026, 1, 23),
    )
    st = make_statement
    mentions = {
        name: {a.id: a.text.count(name) for a in (a1, a2) if name in a.text}
        for name in ("Kazakhstan", "Tokayev", "Trump", "Shestakov")
    }
    return Briefing(
        title="Kazakhstan joins Trump's Board of Peace",
        generated_at=datetime(2026, 1, 24, 7, 0, tzinfo=UTC),
        date_from=date(2026, 1, 21),
        date_to=date(2026, 1, 23),
        bottom_line=[
            st(a1, "accepted the invitation and conveyed", (a2, "Key steps include")),
        ],
        key_points=[
            st(a1, "is an initiative put forward by", (a2, "established with the support of")),
            st(a1, "The initial priority of the board is the Gaza conflict"),
            st(a1, "around sixty countries", single_source=True),
            st(a2, "first post-Soviet state to join the Abraham Accords", single_source=True),
            st(a2, "practical peacekeeping experience"),
        ],
        background=[
            st(a1, "This step aligns with"),
            st(a2, "Events in Kazakhstan hold significant importance"),
        ],
        outlook=[
            st(a1, "Whether this new framework can deliver"),
            st(a2, "Thus, Kazakhstan seeks to complement"),
        ],
        actors=[
            Actor(
                name="Kazakhstan",
                kind="country",
                mentions=mentions["Kazakhstan"],
                role=st(a1, "Kazakhstan’s decision to participate carries"),
            ),
            Actor(
                name="Kassym-Jomart Tokayev",
                kind="person",
                aliases=["Tokayev"],
                mentions=mentions["Tokayev"],
                role=st(a1, "accepted the invitation and conveyed"),
            ),
            Actor(name="Donald Trump", kind="person", mentions=mentions["Trump"]),
            Actor(
                name="Igor Shestakov",
                kind="person",
                mentions=mentions["Shestakov"],
                role=st(a2, "Political scientist Igor Shestakov noted"),
            ),
        ],
        quotes=[
            Quote(speaker="Igor Shestakov", statement=st(a2, "Shestakov also emphasizes")),
        ],
        keyphrases=[
            Keyphrase(phrase=p, score=s)
            for p, s in [
                ("Board of Peace", 0.02),
                ("Abraham Accords", 0.03),
                ("Middle East", 0.04),
                ("Central Asia", 0.05),
                ("conflict resolution", 0.06),
            ]
        ],
        sources=[make_source(a1), make_source(a2)],
        dropped=[
            Dropped(
                path="inbox/kazakhstan-board-of-peace (copy).txt",
                reason="near-duplicate (MinHash Jaccard 0.97)",
                duplicate_of="a1",
            )
        ],
        quality=Quality(
            readability={
                "bottom_line": readability(28.3, 15.1, 18.2, 26.0, 0.0),
                "key_points": readability(22.5, 16.4, 19.0, 29.2, 0.4),
                "background": readability(18.0, 16.9, 19.6, 24.5, 0.0),
                "outlook": readability(25.4, 14.8, 17.3, 21.0, 0.0),
            },
            faithful=1.0,
            articles=2,
            sentences_considered=64,
            duplicates_dropped=1,
        ),
    )


# --------------------------------------------------------------------------- fixtures: briefing


@pytest.fixture
def sample_briefing() -> Briefing:
    """A fresh realistic briefing per test (tests may mutate it freely)."""
    return build_sample_briefing()


@pytest.fixture(scope="session")
def briefing_builder() -> Callable[[], Briefing]:
    """The sample builder itself, for module- or session-scoped fixtures that render once."""
    return build_sample_briefing


# --------------------------------------------------------------------------- fixtures: provenance

PROVENANCE = ROOT / "tests" / "resources" / "provenance"


@pytest.fixture(scope="session")
def seeds_briefing() -> tuple[list[Article], Briefing]:
    """The seed articles and their briefing, built in process (no render, no publish gate)."""
    from briefgen.ingest.read import ingest
    from briefgen.pipeline import make_briefing
    from briefgen.spec import BriefingSpec

    result = ingest([str(SEEDS)])
    options = BriefingSpec(now=datetime(2026, 1, 24, 7, 0, tzinfo=UTC))
    return result.articles, make_briefing(result.articles, result.dropped, options)


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[Any]:
    """A Dask cluster of 2 single-threaded workers on 127.0.0.1, in this process."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1",
        dashboard_address=None,
    ) as local:  # fmt: skip
        yield local


def dask_url(address: str) -> str:
    """``--executor`` for a scheduler at ``address`` (``tcp://HOST:PORT``)."""
    return "dask://" + address.removeprefix("tcp://")
