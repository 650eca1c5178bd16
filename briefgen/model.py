"""The typed data passed between pipeline stages, and the briefing itself.

Everything a briefing shows is a :class:`Statement`: text taken from a source sentence (word for
word, or shortened by deletion only) plus the citations that locate it.  The JSON form of
:class:`Briefing` is the contract with renderers, ``briefgen check`` and ``briefgen verify``;
``briefgen schema`` prints its JSON Schema.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"
SECTIONS = ("bottom_line", "key_points", "background", "outlook")
"""The sections of statements the summarizer chooses, in reading order."""
SOURCE_LIST_MIN = 30  # up to this many sources, a rendered briefing lists uncited ones too
CITATIONS_SHOWN = 3  # citations a rendered statement shows; its support count tells the rest
ACTOR_SOURCES_SHOWN = 4  # an actor's mentions per source: the sources naming it most
DROPPED_SHOWN = 5  # dropped inputs listed by name; the JSON keeps every one


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- pipeline data


class Article(_Model):
    """One cleaned source article, as the pipeline sees it after ingest."""

    id: str = Field(description="Stable id within a briefing, e.g. 'a1'.")
    path: str | None = Field(None, description="File the article was read from.")
    url: str | None = None
    title: str
    outlet: str | None = None
    published: date | None = None
    text: str = Field(description="Cleaned body text; sentence offsets point into it.")
    sha256: str = Field(description="Hash of the cleaned text, for incremental runs and verify.")
    encoding: str | None = Field(None, description="Encoding the file was decoded with.")
    language: str = "en"


class Sentence(_Model):
    """A sentence of an article with its character span in ``Article.text``."""

    article_id: str
    index: int = Field(description="0-based position of the sentence within its article.")
    start: int
    end: int
    text: str

    def citation(self, with_text: bool = False) -> Citation:
        """A citation of this sentence by article, index and span; ``with_text`` carries its
        words too (a supporting citation, which ``check`` re-tests from the JSON alone)."""
        return Citation(
            article_id=self.article_id,
            sentence_index=self.index,
            start=self.start,
            end=self.end,
            text=self.text if with_text else None,
        )

    def verbatim(self, support: int = 0) -> Statement:
        """This sentence shown word for word, citing itself."""
        return Statement(
            text=self.text, source_text=self.text, citations=[self.citation()], support=support
        )


class Dropped(_Model):
    """An input that did not become an article, and why."""

    path: str
    reason: str
    duplicate_of: str | None = Field(None, description="Article id this one duplicates.")


# --------------------------------------------------------------------------- briefing


class Citation(_Model):
    """Where a statement comes from: article, sentence and character span."""

    article_id: str
    sentence_index: int
    start: int = Field(description="Offset of the source sentence in the cleaned article text.")
    end: int
    text: str | None = Field(
        None,
        description="A supporting citation's sentence (the span's text), so `briefgen check` can "
        "test that it reports the same fact; None on a statement's first citation.",
    )


class Statement(_Model):
    """A sentence shown in the briefing.

    ``text`` is ``source_text`` itself or ``source_text`` with words deleted.  The first citation
    is the sentence ``text`` was taken from; further citations are other articles reporting the
    same fact.
    """

    text: str
    source_text: str
    citations: list[Citation] = Field(min_length=1)
    score: float = 0.0
    shortened: bool = False
    single_source: bool = Field(False, description="Only one outlet reports this.")
    new: bool = Field(False, description="Cites an article new since the previous report.")
    support: int = Field(
        0, description="Distinct outlets reporting this (wire copies dropped at ingest count once)."
    )


class Actor(_Model):
    name: str
    kind: Literal["person", "organization", "country", "place"]
    aliases: list[str] = Field(default_factory=list)
    mentions: dict[str, int] = Field(default_factory=dict, description="Mentions per article id.")
    role: Statement | None = Field(None, description="A cited sentence showing the actor's role.")

    @property
    def total_mentions(self) -> int:
        return sum(self.mentions.values())

    def top_mentions(self, numbers: dict[str, int]) -> list[tuple[str, int]]:
        """(article id, mentions) of the sources naming it most, as a briefing shows them;
        ties go to the lower source number."""
        known = ((k, v) for k, v in self.mentions.items() if k in numbers)
        return sorted(known, key=lambda kv: (-kv[1], numbers[kv[0]]))[:ACTOR_SOURCES_SHOWN]


class DateMention(_Model):
    text: str = Field(description="The date as written.")
    iso: str | None = Field(None, description="Resolved date (YYYY, YYYY-MM or YYYY-MM-DD).")
    statement: Statement
    relative: bool = Field(False, description="Written relative ('on Monday'), resolved.")
    conflict: str | None = Field(
        None, description="Why this date conflicts with the article's publication date."
    )


class Quote(_Model):
    speaker: str | None
    statement: Statement


class Keyphrase(_Model):
    phrase: str
    score: float


class Source(_Model):
    """A source article as listed at the end of the briefing (number = position + 1)."""

    id: str
    title: str
    outlet: str | None = None
    published: date | None = None
    path: str | None = None
    url: str | None = None
    words: int = 0
    sha256: str
    new: bool = Field(False, description="First seen since the previous report.")
    language: str | None = None
    copies: int = Field(0, description="Near-duplicate copies of this article dropped at ingest.")


class Readability(_Model):
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    words_per_sentence: float
    share_over_30_words: float
    sentences: int
    words: int


class Quality(_Model):
    readability: dict[str, Readability] = Field(
        default_factory=dict, description="Per section: bottom_line, key_points, ..."
    )
    faithful: float = Field(1.0, description="Share of shown sentences that match their source.")
    articles: int = 0
    sentences_considered: int = 0
    duplicates_dropped: int = 0
    source_grade: float | None = Field(
        None,
        description="Median Flesch-Kincaid grade of the candidate source sentences: a briefing "
        "cannot be much easier to read than what it quotes.",
    )
    warnings: list[str] = Field(
        default_factory=list,
        description="Targets the briefing misses but was published anyway, e.g. a grade target "
        "the sources cannot meet.",
    )


class Disagreement(_Model):
    """Two outlets giving different numbers, dates or names for the same thing."""

    topic: str = Field(description="The words both sentences share around the differing value.")
    kind: Literal["number", "date", "name"]
    values: list[str] = Field(description="The differing values, one per claim.")
    claims: list[Statement] = Field(min_length=2)


class Changes(_Model):
    """What changed since the previous edition of this briefing."""

    previous_generated_at: datetime | None = None
    new_points: list[Statement] = Field(default_factory=list)
    dropped_points: list[Statement] = Field(
        default_factory=list, description="Points of the previous edition; cite its sources."
    )
    new_actors: list[str] = Field(default_factory=list)


class InputHash(_Model):
    path: str | None = None
    sha256: str


class Reproducibility(_Model):
    """What it takes to rebuild this briefing: inputs, options and software versions."""

    inputs: list[InputHash] = Field(default_factory=list)
    inputs_sha256: str = Field("", description="Hash over the sorted input hashes.")
    options: dict[str, Any] = Field(default_factory=dict)
    versions: dict[str, str] = Field(default_factory=dict)


class Briefing(_Model):
    schema_version: str = SCHEMA_VERSION
    title: str
    generated_at: datetime
    date_from: date | None = None
    date_to: date | None = None
    new_since: date | None = Field(
        None, description="Date of the previous report; items marked new are newer."
    )
    bottom_line: list[Statement] = Field(default_factory=list)
    key_points: list[Statement] = Field(default_factory=list)
    background: list[Statement] = Field(default_factory=list)
    outlook: list[Statement] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    keyphrases: list[Keyphrase] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    dropped: list[Dropped] = Field(default_factory=list)
    quality: Quality = Field(default_factory=Quality)
    disagreements: list[Disagreement] = Field(default_factory=list)
    changes: Changes | None = None
    reproducibility: Reproducibility | None = None

    def statements(self) -> list[tuple[str, Statement]]:
        """Every shown statement with the section it is in, in reading order."""
        out: list[tuple[str, Statement]] = []
        for section in SECTIONS:
            out += [(section, s) for s in getattr(self, section)]
        out += [("quotes", q.statement) for q in self.quotes]
        out += [("actors", a.role) for a in self.actors if a.role is not None]
        out += [("dates", d.statement) for d in self.dates]
        out += [("disagreements", c) for d in self.disagreements for c in d.claims]
        if self.changes is not None:  # dropped points cite the previous edition's sources
            out += [("changes", s) for s in self.changes.new_points]
        return out

    def map_statements(self, fn: Callable[[Statement], Statement]) -> Briefing:
        """A copy with ``fn`` applied to every statement the briefing shows (not the previous
        edition's dropped points): how a whole-briefing mark is added without mutation."""

        def each(items: list[Statement]) -> list[Statement]:
            return [fn(s) for s in items]

        return self.model_copy(
            update={
                **{k: each(getattr(self, k)) for k in SECTIONS},
                "quotes": [
                    q.model_copy(update={"statement": fn(q.statement)}) for q in self.quotes
                ],
                "actors": [
                    a.model_copy(update={"role": fn(a.role) if a.role is not None else None})
                    for a in self.actors
                ],
                "dates": [d.model_copy(update={"statement": fn(d.statement)}) for d in self.dates],
                "disagreements": [
                    d.model_copy(update={"claims": each(d.claims)}) for d in self.disagreements
                ],
                "changes": None
                if self.changes is None
                else self.changes.model_copy(update={"new_points": each(self.changes.new_points)}),
            }
        )

    def source_number(self, article_id: str) -> int:
        """1-based number of a source in the source list (the citation marker)."""
        for i, s in enumerate(self.sources, 1):
            if s.id == article_id:
                return i
        raise KeyError(article_id)

    def cited_ids(self) -> set[str]:
        """Sources a rendered briefing cites (each statement shows its first few citations)."""
        return {c.article_id for _, st in self.statements() for c in st.citations[:CITATIONS_SHOWN]}

    def referenced_ids(self) -> set[str]:
        """Every source a rendered briefing points to by number: cited ones, the sources naming
        each actor most, and the originals of the dropped duplicates it lists."""
        numbers = {s.id: n for n, s in enumerate(self.sources, 1)}
        ids = self.cited_ids()
        ids |= {k for a in self.actors for k, _ in a.top_mentions(numbers)}
        ids |= {d.duplicate_of for d in self.dropped[:DROPPED_SHOWN] if d.duplicate_of}
        return ids

    def listed_sources(self, all_up_to: int = SOURCE_LIST_MIN) -> list[Source]:
        """The sources a rendered briefing lists: all of them when there are at most
        ``all_up_to``, else the ones it points to (:meth:`referenced_ids`).

        A briefing of thousands of articles stays 2-3 pages (a padded list would crowd out key
        points when the page budget is fitted); the JSON keeps them all.
        """
        if len(self.sources) <= all_up_to:
            return list(self.sources)
        referenced = self.referenced_ids()
        return [s for s in self.sources if s.id in referenced]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str) -> Briefing:
        return cls.model_validate_json(text)


def json_schema() -> dict[str, object]:
    return Briefing.model_json_schema()
