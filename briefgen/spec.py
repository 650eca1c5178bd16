"""Every setting of a briefing, defined once: :class:`BriefingSpec`.

The command line (:func:`spec_from_flags`) and a config's ``[[briefings]]`` table
(:func:`briefgen.service.config.spec_of`) both build one; selection, shortening, extraction,
checks, rendering and publishing all read it.  A target is therefore the same number where a
sentence is chosen and where the briefing is checked.

Groups are frozen dataclasses with their defaults and a one-line doc per knob; the user-facing
groups (:class:`Targets`, :class:`Limits`, :class:`FetchLimits`) validate themselves, so a config
table and a flag fail with the same message.  No pydantic import here: the CLI reads this module
before WeasyPrint has loaded.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "FORMATS",
    "LAYOUTS",
    "PAPERS",
    "BriefingSpec",
    "Extraction",
    "FetchLimits",
    "Limits",
    "Selection",
    "Targets",
    "format_size",
    "parse_executor",
    "parse_size",
    "spec_from_flags",
]

FORMATS = ("pdf", "docx", "html", "md", "json")
"""Every output format, in the order they are written."""

PAPERS = ("a4", "letter")
"""Paper sizes of the PDF and DOCX (the same for both)."""

LAYOUTS = ("memo", "brief")
"""Layouts: the full memo, or a one-page brief."""

# Unknown keys in a config table fail (pydantic reads this from plain dataclasses too).
_FORBID: Any = {"extra": "forbid"}

_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "kib": 1024,
    "m": 1000**2,
    "mb": 1000**2,
    "mib": 1024**2,
    "g": 1000**3,
    "gb": 1000**3,
    "gib": 1024**3,
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*", re.IGNORECASE)


def _positive(obj: object, *names: str) -> None:
    for name in names:
        value = getattr(obj, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{name} must be a positive number, not {value!r}")


@dataclass(frozen=True)
class Targets:
    """What a briefing aims at and is checked against.  Each is a flag and a config key
    (``[briefings.readability]``).  Selection reads the same numbers the final check enforces."""

    __pydantic_config__ = _FORBID

    max_grade: float = 12.0
    """Flesch-Kincaid grade the bottom line and key points aim for: easier sentences are
    preferred; a briefing over it is published with a warning unless ``strict``."""
    max_key_point_words: int = 35
    """No key point or bottom-line sentence is longer than this (words): longer sentences are
    shortened by deletion or not chosen."""
    max_pages: int = 3
    """Page budget of the PDF; optional sections are trimmed to meet it."""
    strict: bool = False
    """Refuse to publish a briefing over ``max_grade`` (default: publish it with a warning)."""

    def __post_init__(self) -> None:
        _positive(self, "max_grade", "max_key_point_words", "max_pages")


@dataclass(frozen=True)
class Limits:
    """How much input one build accepts.  Each field is a flag of ``briefgen build`` and a key of
    a config's ``[briefings.limits]`` table."""

    __pydantic_config__ = _FORBID

    max_file_size: int = 5_000_000
    """Bytes of one input file (``--max-file-size``); bigger files are skipped with a warning.
    News articles are 5-100 kB; 5 MB is a saved page with inline images or a misplaced dump."""
    max_total_size: int = 200_000_000
    """Bytes of all input files together (``--max-total-size``); over it the build stops before
    reading anything, so a wrong folder (a home directory) fails fast instead of running for
    hours."""
    max_sentences: int = 300_000
    """Sentences read into the pipeline (``--max-sentences``); beyond it the best by a cheap prior
    (position in the article) are kept and a warning says how many were set aside.  Ranking
    itself is bounded (sparse top-k neighbours and a linear pre-ranking to 2,000 candidates), so
    this caps memory of segmentation and vectors: 25,000 sentences (1,000 articles) take ~10 s
    and 0.25 GB here; 300,000 covers the 10,000-article benchmark corpus."""
    max_html_depth: int = 200
    """Element nesting of an HTML file.  libxml2 stops parsing at 256 levels and trafilatura then
    silently finds no text, so deeper pages are read as plain text instead (with a warning)."""

    max_article_seconds: int = 10
    """Seconds one input file may take to read, decode, clean and extract
    (``--max-article-seconds``); a file still being read then is skipped with a warning.
    Articles take milliseconds; only hostile input comes near this."""
    max_run_seconds: int = 3600
    """Seconds a whole build or run may take (``--max-run-seconds``); then it ends with a
    one-line error, releasing its lock and leaving the previous edition in place."""
    max_memory: int = 8_000_000_000
    """Bytes of memory (data segment) the building process may use (``--max-memory``); over
    it the build or run ends with a one-line error, as over ``max_run_seconds``.  The
    10,000-article benchmark peaks at 2.9 GB resident; 8 GB leaves room for that."""
    follow_symlinks: bool = False
    """Follow links in input folders that lead outside the folder given
    (``--follow-symlinks``); by default they are skipped with a warning, so a link to
    ``/etc/passwd`` dropped into a shared folder is never read."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("bool", bool):
                if not isinstance(value, bool):
                    raise ValueError(f"{f.name} must be true or false, not {value!r}")
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{f.name} must be a positive whole number, not {value!r}")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Limits:
        """Limits from a config table; sizes may be "5MB"-style strings, unknown keys fail."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown limit {unknown[0]!r} (known: {', '.join(sorted(known))})")
        return cls(**cls.sized(values))

    @staticmethod
    def sized(values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` with sizes written "5MB" (``max_file_size``, ``max_total_size``,
        ``max_memory``) read as bytes; other values as they are."""
        return {
            k: parse_size(v) if k.endswith(("_size", "_memory")) and isinstance(v, str) else v
            for k, v in values.items()
        }


@dataclass(frozen=True)
class FetchLimits:
    """Bounds on what one fetched page or feed may cost (``[briefings.fetch]``)."""

    __pydantic_config__ = _FORBID

    timeout: float = 15.0
    """Seconds per request, in total."""
    max_bytes: int = 5_000_000
    """Larger pages or feeds are rejected."""
    max_redirects: int = 5
    """Redirects followed per request (at most 5)."""
    max_entries: int = 30
    """Entries taken from each feed, newest first."""
    workers: int = 4
    """Pages fetched at once (1-16)."""
    allow_networks: tuple[str, ...] = ()
    """Networks (CIDR, e.g. ``"10.0.0.0/8"``) that may be fetched although not public; by
    default only public addresses are (no loopback, private, link-local, shared, multicast,
    reserved or unspecified address, IPv4 or IPv6)."""
    allow_private_networks: bool = False
    """Also fetch from loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7) and shared
    (100.64/10) addresses: intranet feeds.  Link-local (cloud metadata) needs ``allow_networks``."""

    def __post_init__(self) -> None:
        _positive(self, "timeout", "max_bytes", "max_entries", "workers")
        for net in self.allow_networks:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                why = f"allow_networks: {net!r} is not a network (e.g. 10.0.0.0/8)"
                raise ValueError(why) from None
        if self.timeout > 600:
            raise ValueError("timeout must be at most 600 seconds")
        if not 0 <= self.max_redirects <= 5:
            raise ValueError("max_redirects must be between 0 and 5")
        if self.workers > 16:
            raise ValueError("workers must be at most 16")


@dataclass(frozen=True)
class Selection:
    """How sentences are ranked and chosen (tuning knobs; the targets they aim at are
    :class:`Targets`).  Defaults keep a briefing to 2-3 pages at any input size."""

    min_key_points: int = 3
    max_key_points: int = 7
    max_background: int = 3
    max_outlook: int = 3
    min_words: int = 6
    max_words: int = 80
    redundancy: float = 0.45  # cosine above which a candidate repeats a chosen sentence
    support_similarity: float = 0.18  # cosine above which another article supports a sentence
    mmr_lambda: float = 0.75
    # Ranking weights: graph centrality, closeness to the cluster centroid, cross-outlet support,
    # and position in the article (position raised from 0.30 in #16, tuned on the odd clusters).
    w_lexrank: float = 0.0
    w_centroid: float = 0.35
    w_support: float = 0.20
    w_position: float = 1.0
    # Length fit: sentences of fit_min..fit_max words carry a whole fact and read in one breath.
    fit_min: int = 15
    fit_max: int = 35
    # Readability: a mild penalty per Flesch-Kincaid grade above Targets.max_grade (after
    # shortening), so of two sentences with about the same score the easier one wins.
    grade_penalty: float = 0.01
    # The bottom line and key points together aim at a mean Flesch-Kincaid grade of at most
    # Targets.max_grade and at most this many grades under the median candidate sentence of the
    # sources, chosen among the best-scored sentences that keep the mean there (select.py).
    grade_below_sources: float = 2.0
    shorten: bool = True  # deletion-only shortening (compress.shorten) before display
    # Concept coverage (after the first pick): weight per shown word of the not-yet-covered
    # content words several articles share that a candidate would add (scaled per step so the
    # best candidate gets 1), alongside its score in the greedy choice.
    w_coverage: float = 0.2
    position_decay: float = 1.0  # position signal = (1 + index) ** -position_decay
    balanced_centroid: bool = False
    # One real article (the others stubs: "page not found", a caption): when one article holds
    # at least this share of the candidate words, it is read in order (position weighs
    # ``single_article_boost`` times as much), as an editor would.
    single_article_share: float = 0.8
    single_article_boost: float = 10.0
    # Selection method: "mmr" (greedy, above) or "ilp", an exact concept-coverage ILP (Gillick &
    # Favre 2009) over the ilp_pool best-scored candidates, solved by scipy's HiGHS.  Concepts are
    # stemmed word bigrams (not both stop words) found in two or more articles, weighted by the sum
    # over those articles of (1 + index of the earliest sentence with it) ** -ilp_position_decay;
    # the objective adds ilp_lambda * score (scaled to the heaviest concept) per sentence.  Not the
    # default: on the news-mds-dev held-out half it scored lower R-1 than "mmr" (see
    # benchmarks/results/quality-experiments.md).
    selector: str = "mmr"
    ilp_lambda: float = 1.0
    ilp_pool: int = 150
    ilp_position_decay: float = 0.6
    ilp_time_limit: float = 5.0  # seconds per solve; on time-out the best solution found is used


@dataclass(frozen=True)
class Extraction:
    """How many actors, dates, quotes and keyphrases a briefing lists at most."""

    max_actors: int = 10
    max_dates: int = 8
    max_quotes: int = 5
    max_keyphrases: int = 8


@dataclass(frozen=True)
class BriefingSpec:
    """One briefing's settings: what it says, what it aims at, what it writes."""

    title: str | None = None
    """Briefing title (default: from the articles)."""
    formats: tuple[str, ...] = FORMATS
    """Output formats, written in this order."""
    template_dir: Path | None = None
    """Folder of the user's own templates; missing ones fall back to the built-in ones."""
    basename: str = "briefing"
    """File name (without extension) of the outputs."""
    now: datetime | None = None
    """The briefing's time (fixed for reproducible builds; default: the clock)."""
    timezone: str = "UTC"
    """IANA time zone edition names and times shown to people are given in."""
    jobs: int = 0
    """Processes for reading, splitting and the PDF (0: all cores); the briefing is the same."""
    executor: str = "local"
    """Where the per-article work (reading, cleaning, splitting) runs: "local" (``jobs``
    processes) or "dask://HOST:PORT", the workers of a Dask scheduler (``briefgen.base.cluster``);
    the briefing is the same."""
    paper: str = "a4"
    """Paper size of the PDF and the DOCX, with the same margins: "a4" or "letter"."""
    layout: str = "memo"
    """"memo" (every section, up to ``targets.max_pages``) or "brief": one page with the title,
    date, bottom line, key points and one line of sources, in PDF, DOCX, HTML and Markdown."""
    targets: Targets = field(default_factory=Targets)
    selection: Selection = field(default_factory=Selection)
    extraction: Extraction = field(default_factory=Extraction)
    limits: Limits = field(default_factory=Limits)
    fetch: FetchLimits = field(default_factory=FetchLimits)
    topic: str | None = None
    """Topic query (words, "quoted phrases", AND, OR, NOT, parentheses): articles that do not
    match are set aside and listed with the reason (``briefgen.ingest.topic``)."""
    topic_min_matches: int = 1
    """Matches of the topic's words and phrases an article needs, in its title and text."""
    cache: Path | None = None
    """Folder of the article cache (``--cache DIR``; scheduled runs keep theirs in the state
    folder): per-article work (the read and cleaned article, its sentences) found by a hash of
    its input, so a rebuild redoes only what is new.  The briefing is the same without it."""
    cache_size: int = 1_000_000_000
    """Bytes the article cache may hold (``--cache-size``); the least recently used entries are
    removed first.  10,000 news articles take about 0.1 GB."""

    def __post_init__(self) -> None:
        if isinstance(self.topic_min_matches, bool) or self.topic_min_matches < 1:
            raise ValueError(f"topic_min_matches must be at least 1, not {self.topic_min_matches}")
        if isinstance(self.cache_size, bool) or self.cache_size < 1:
            raise ValueError(
                f"cache_size must be a positive number of bytes, not {self.cache_size}"
            )
        _check_formats(self.formats)
        if self.paper not in PAPERS:
            raise ValueError(f"unknown paper {self.paper!r}; choose from {', '.join(PAPERS)}")
        if self.layout not in LAYOUTS:
            raise ValueError(f"unknown layout {self.layout!r}; choose from {', '.join(LAYOUTS)}")
        parse_executor(self.executor)

    @property
    def page_budget(self) -> int:
        """Most pages the PDF may have: one for a brief, else ``targets.max_pages``."""
        return 1 if self.layout == "brief" else self.targets.max_pages

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def recorded(self) -> dict[str, Any]:
        """The settings a reader needs to rebuild this briefing (stored in its provenance)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("now", "template_dir", "jobs", "cache", "cache_size", "executor")
        }


def _check_formats(formats: tuple[str, ...]) -> None:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(
            f"unknown format {', '.join(unknown) or '(none)'}; choose from {','.join(FORMATS)}"
        )


def parse_formats(value: str) -> tuple[str, ...]:
    """``"pdf,docx"`` -> ``("pdf", "docx")``; unknown names raise ValueError."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    _check_formats(formats)
    return formats


_SCHEDULER_SCHEMES = {"dask://": "tcp://", "tcp://": "tcp://", "tls://": "tls://"}


def parse_executor(value: str) -> str | None:
    """``"local"`` -> ``None``; ``"dask://HOST:PORT"`` (or ``tcp://``, ``tls://``) -> the Dask
    scheduler's address (``tcp://HOST:PORT``); anything else raises ValueError."""
    value = value.strip()
    if value == "local":
        return None
    for prefix, scheme in _SCHEDULER_SCHEMES.items():
        rest = value.removeprefix(prefix)
        if value.startswith(prefix) and rest and not any(c.isspace() for c in rest):
            return scheme + rest
    raise ValueError(f"unknown executor {value!r}: use 'local' or 'dask://HOST:PORT'")


def spec_from_flags(**flags: Any) -> BriefingSpec:
    """The spec of ``briefgen build``: each flag named as the knob it sets; None keeps the default.

    Target, limit, fetch and top-level knobs are routed to their group by name, so a new knob
    needs no code here, only a flag.
    """
    given = {k: v for k, v in flags.items() if v is not None}
    groups: dict[str, Any] = {"targets": Targets, "limits": Limits, "fetch": FetchLimits}
    built: dict[str, Any] = {}
    for group, cls in groups.items():
        names = {f.name for f in fields(cls)}
        built[group] = cls(**{k: given.pop(k) for k in list(given) if k in names})
    return BriefingSpec(**built, **given)


def parse_size(text: str | int) -> int:
    """Bytes from ``5000000``, ``"5MB"``, ``"500k"`` or ``"2MiB"`` (k/M/G are powers of 1000)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    match = _SIZE.fullmatch(str(text))
    unit = match.group(2).lower() if match else ""
    if not match or unit not in _UNITS:
        raise ValueError(f"not a size: {text!r} (use e.g. 5000000, 500kB, 5MB or 1GB)")
    return int(float(match.group(1)) * _UNITS[unit])


def format_size(n: int) -> str:
    """``5 MB``, ``512 kB``, ``900 bytes``: how limits and file sizes appear in messages."""
    for unit, size in (("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"
