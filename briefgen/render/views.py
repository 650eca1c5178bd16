"""The shape of the template context: what every template and the DOCX writer may read.

Plain dicts and lists, never the pydantic model, so a template cannot reach methods or
internals.  Built only by :func:`briefgen.render.context.get_context`.
"""

from __future__ import annotations

from typing import TypedDict


class StatementView(TypedDict):
    text: str
    cites: list[int]
    single_source: bool
    shortened: bool
    support: int  # distinct outlets reporting it (0: not counted)
    new: bool  # cites an article that is new since the previous edition
    notes: list[str]  # "1:10": source number : sentence number (1-based), one per citation
    tooltip: str  # "Source 1, sentence 10; source 2, sentence 7"


class SourceMention(TypedDict):
    n: int
    count: int


class ActorView(TypedDict):
    name: str
    kind: str
    total: int
    per_source: list[SourceMention]
    more_sources: int
    role: StatementView | None
    also_called: list[str]  # aliases that are other names, not just a surname


class DateView(TypedDict):
    text: str
    iso: str
    statement: StatementView
    relative: bool
    conflict: str


class QuoteView(TypedDict):
    speaker: str
    statement: StatementView


class SourceView(TypedDict):
    n: int
    id: str
    anchor: str
    title: str
    outlet: str
    published: str
    location: str
    href: str
    words: int
    copies: int  # syndicated copies dropped at ingest
    language: str
    cited_sentences: list[int]  # 1-based sentence numbers this briefing cites


class DroppedView(TypedDict):
    path: str
    reason: str
    duplicate_of: str
    duplicate_of_n: int | None


class ReadabilityView(TypedDict):
    section: str
    label: str
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    words_per_sentence: float
    share_over_30_words: float
    sentences: int
    words: int


class DisagreementView(TypedDict):
    topic: str
    kind: str
    values: list[str]
    claims: list[StatementView]


class ChangesView(TypedDict):
    previous: str
    new_points: list[StatementView]
    dropped_points: list[str]  # text only: they cite the previous edition's sources
    new_actors: list[str]


class OutletView(TypedDict):
    name: str
    articles: int
    copies: int
    sources: list[int]


class PanelView(TypedDict):
    outlets: list[OutletView]
    more_outlets: int
    articles: int
    duplicates: int
    dates: str
    languages: list[str]
    chart_svg: str  # trusted markup built by render.chart from escaped labels


class ReproView(TypedDict):
    inputs_sha256: str
    inputs: list[str]
    versions: str
    options: str


class BriefingContext(TypedDict):
    """Everything a template may use.  ``target`` names the format being rendered ("html",
    "pdf", "md" or "docx"); the rest is the same for every format of one briefing."""

    target: str
    paper: str  # "a4" or "letter": the page of the PDF and the DOCX
    layout: str  # "memo" (every section) or "brief" (one page)
    lang: str  # BCP 47 language of the briefing (HTML lang, PDF /Lang, DOCX w:lang)
    labels: dict[str, str]
    title: str
    generator: str
    author: str
    generated: str
    generated_iso: str
    date_range: str
    n_sources: int
    new_since: str  # "" for a first edition
    n_new_sources: int
    description: str
    keywords: list[str]
    bottom_line: list[StatementView]
    key_points: list[StatementView]
    background: list[StatementView]
    outlook: list[StatementView]
    actors: list[ActorView]
    dates: list[DateView]
    quotes: list[QuoteView]
    keyphrases: list[str]
    sources: list[SourceView]
    brief_sources: list[SourceView]  # the sources the bottom line and key points cite
    more_sources: int
    dropped: list[DroppedView]
    more_dropped: int
    readability: list[ReadabilityView]
    target_warnings: list[str]
    faithful: float
    disagreements: list[DisagreementView]
    name_variants: list[str]
    changes: ChangesView | None
    panel: PanelView
    reproducibility: ReproView | None
