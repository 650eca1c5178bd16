"""Provenance you can check: ``briefgen verify BRIEFING.json PATHS...`` and the reproducibility
block every briefing carries.

A briefing's promise is that each shown sentence *is* its cited source sentence, or that
sentence with words deleted.  :func:`verify` re-reads the sources exactly as ``build`` did
(:func:`briefgen.ingest.read.ingest`), finds each of the briefing's sources among them by the
hash of the cleaned text (or, for an edited file, by its path), and checks every shown
statement against the character span it cites.  Nothing is trusted from the briefing but the
spans themselves.
"""

from __future__ import annotations

import dataclasses
import hashlib
import platform
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import metadata
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel

from briefgen.base.text import is_deletion_of
from briefgen.ingest.read import ingest
from briefgen.model import Article, Briefing, Citation, InputHash, Reproducibility, Source
from briefgen.summarize.support import match

PACKAGES = (
    "briefgen", "weasyprint", "python-docx", "jinja2", "pydantic", "numpy", "scipy",
    "snowballstemmer", "pystemmer", "syntok", "dateparser", "pycountry", "yake",
    "trafilatura", "textstat", "datasketch",
)  # fmt: skip


# --------------------------------------------------------------------------- reproducibility


def _jsonable(value: Any) -> Any:
    """Options as plain JSON: dataclasses as dicts, paths and dates as strings."""
    if isinstance(value, BaseModel):  # e.g. the previous edition: identify it, don't embed it
        ident = getattr(value, "generated_at", None)
        return f"{type(value).__name__} {ident.isoformat() if ident else ''}".strip()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def versions(packages: Iterable[str] = PACKAGES) -> dict[str, str]:
    """Installed versions of briefgen and the libraries whose output a briefing depends on."""
    out = {"python": platform.python_version()}
    for name in packages:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def reproducibility(articles: Sequence[Article], options: object = None) -> Reproducibility:
    """Input hashes (of the cleaned text ``verify`` re-derives), options and versions."""
    inputs = [InputHash(path=a.path, sha256=a.sha256) for a in articles]
    digest = hashlib.sha256("\n".join(sorted(i.sha256 for i in inputs)).encode()).hexdigest()
    opts = _jsonable(options) if options is not None else {}
    return Reproducibility(
        inputs=inputs,
        inputs_sha256=digest,
        options=opts if isinstance(opts, dict) else {"options": opts},
        versions=versions(),
    )


# --------------------------------------------------------------------------- verify


@dataclass
class SourceCheck:
    number: int
    source: Source
    article: Article | None
    status: str  # "unchanged" | "changed" | "missing"


@dataclass
class StatementCheck:
    section: str
    item: int  # 1-based position within its section
    cites: str  # "1:10, 2:7" = source number : sentence number (1-based)
    text: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class Report:
    sources: list[SourceCheck] = field(default_factory=list)
    statements: list[StatementCheck] = field(default_factory=list)

    @property
    def failures(self) -> list[StatementCheck]:
        return [s for s in self.statements if not s.ok]

    @property
    def ok(self) -> bool:
        return not self.failures


def _match(source: Source, articles: Sequence[Article]) -> tuple[Article | None, str]:
    for a in articles:
        if a.sha256 == source.sha256:
            return a, "unchanged"
    if source.path:
        for same in (lambda p: p == source.path, lambda p: Path(p).name == Path(source.path).name):
            hits = [a for a in articles if a.path and same(a.path)]
            if len(hits) == 1:
                return hits[0], "changed"
    return None, "missing"


def check_statements(briefing: Briefing, by_id: dict[str, Article | None]) -> list[StatementCheck]:
    """Each shown statement against the spans it cites in the re-read articles."""
    numbers = {s.id: i for i, s in enumerate(briefing.sources, 1)}
    rows: list[StatementCheck] = []
    counter: dict[str, int] = {}
    for section, st in briefing.statements():
        counter[section] = counter.get(section, 0) + 1
        label = ", ".join(
            f"{numbers.get(c.article_id, c.article_id)}:{c.sentence_index + 1}"
            for c in st.citations
        )
        row = StatementCheck(section, counter[section], label, st.text)
        rows.append(row)
        for k, c in enumerate(st.citations):
            article = by_id.get(c.article_id)
            where = f"source {numbers.get(c.article_id, c.article_id)}"
            if article is None:
                row.problem = f"{where} not found among the inputs"
                break
            if not 0 <= c.start < c.end <= len(article.text):
                row.problem = f"{where} has no sentence {c.sentence_index + 1} at {c.start}-{c.end}"
                break
            span = article.text[c.start : c.end]
            if k > 0:
                row.problem = _support_problem(st.source_text, c.text, span, where, c)
                if row.problem:
                    break
                continue
            if span != st.source_text:
                moved = article.text.find(st.source_text)
                row.problem = (
                    f"{where}, sentence {c.sentence_index + 1} is unchanged but moved to "
                    f"{moved}-{moved + len(st.source_text)} (the source was edited before it)"
                    if moved >= 0
                    else f"{where}, sentence {c.sentence_index + 1} now reads {_short(span)!r}"
                )
                break
            if not is_deletion_of(st.text, st.source_text):
                row.problem = "shown text is not its source sentence with words deleted"
                break
    return rows


def _support_problem(
    source_text: str, stored: str | None, span: str, where: str, c: Citation
) -> str | None:
    """Why a supporting citation's span does not support the statement, or None."""
    if stored is not None and span != stored:
        return f"{where}, sentence {c.sentence_index + 1} now reads {_short(span)!r}"
    verdict = match(source_text, span)
    if not verdict.same:
        return (
            f"{where}, sentence {c.sentence_index + 1} does not report the same fact "
            f"({verdict.reason})"
        )
    return None


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def verify(briefing: Briefing, inputs: Sequence[str]) -> Report:
    """Re-ingest ``inputs`` and check the briefing's sources and every shown statement."""
    articles = ingest(inputs).articles
    report = Report()
    by_id: dict[str, Article | None] = {}
    for n, source in enumerate(briefing.sources, 1):
        article, status = _match(source, articles)
        report.sources.append(SourceCheck(n, source, article, status))
        by_id[source.id] = article
    report.statements = check_statements(briefing, by_id)
    return report


def format_report(report: Report) -> str:
    """The table ``briefgen verify`` prints, then one line per statement that does not match."""
    lines = ["Sources:"]
    for s in report.sources:
        note = {
            "unchanged": "unchanged (sha256 matches)",
            "changed": f"CHANGED since the briefing: {s.article.path if s.article else ''}",
            "missing": "MISSING from the inputs",
        }[s.status]
        lines.append(f"  [{s.number}] {_short(s.source.path or s.source.title, 60)}: {note}")
    lines.append("")
    header = ("section", "#", "source:sentence", "result")
    table = [header] + [
        (r.section, str(r.item), r.cites, "ok" if r.ok else "MISMATCH") for r in report.statements
    ]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for row in table:
        lines.append(
            "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[3]
        )
    lines.append("")
    for r in report.failures:
        lines.append(f"MISMATCH {r.section} #{r.item} [{r.cites}]: {_short(r.text)!r}: {r.problem}")
    n, bad = len(report.statements), len(report.failures)
    lines.append(
        f"{n} statements checked: all match their sources."
        if not bad
        else f"{n} statements checked: {bad} do not match their sources."
    )
    return "\n".join(lines)
