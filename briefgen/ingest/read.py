"""Read article files (.txt, .md, .html) into cleaned :class:`Article` objects.

File I/O lives at the edges (:func:`collect_paths`, :func:`read_article`); decoding, cleaning
(:mod:`~briefgen.ingest.clean`), metadata (:mod:`~briefgen.ingest.meta`), HTML extraction
(:mod:`~briefgen.ingest.html`) and dedupe (:mod:`~briefgen.ingest.dedupe`) are pure functions, so
``--jobs N`` maps ``_read_one`` over the sorted paths in parallel and still gives byte-identical
output.  :func:`read_all` reads without de-duplicating; :func:`ingest` and the scheduled runs'
:func:`~briefgen.ingest.fetch.gather` each de-duplicate what they read exactly once.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from briefgen.base.budget import OverBudget, time_budget
from briefgen.base.cache import Store, cached_map, code_fingerprint, dependency_versions, key_of
from briefgen.base.parallel import map_ordered
from briefgen.errors import IngestError
from briefgen.ingest.clean import TextProblem, decode_bytes, split_front_matter, strip_markdown
from briefgen.ingest.dedupe import NUM_PERM, dedupe_articles, signature
from briefgen.ingest.html import article_from_html, from_html
from briefgen.ingest.language import require_english
from briefgen.ingest.meta import as_date, clean_title, fallback_title, meta_str, parse_plain, sha256
from briefgen.ingest.paths import SUFFIXES, _display, collect_paths, is_url, safe_name
from briefgen.model import Article, Dropped
from briefgen.spec import Limits, format_size

__all__ = [
    "SUFFIXES",
    "IngestResult",
    "ReadResult",
    "article_from_html",
    "collect_paths",
    "ingest",
    "is_url",
    "no_readable_articles",
    "read_all",
    "read_article",
    "safe_name",
]

LOGGER = logging.getLogger(__name__)

_UTF8 = ("utf-8", "utf-8-sig")


@dataclass(frozen=True)
class IngestResult:
    """Articles kept (ids ``a1``, ``a2``, ... in input order), inputs dropped, and warnings."""

    articles: list[Article]
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- files


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def _too_big(size: int, limit: int) -> str:
    return (
        f"file is {format_size(size)}, over the {format_size(limit)} limit "
        "(raise it with --max-file-size)"
    )


def _read_bytes(path: Path, name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``; a bigger file is an error naming it.

    Reads one byte past the limit rather than trusting ``stat``: the file may still be growing,
    or be a FIFO or device whose size ``stat`` does not know.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
            size = max(len(data), os.fstat(fh.fileno()).st_size)
    except OSError as exc:
        raise IngestError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise IngestError(f"{name}: {_too_big(size, limit)}")
    return data


def _read_one(
    path: Path,
    article_id: str = "a1",
    limits: Limits | None = None,
    data: bytes | None = None,
    root: Path | None = None,
) -> tuple[Article, list[str]]:
    """Read one file (or ``data``, its bytes already read): ``(article, warnings)``; raises
    IngestError naming the file (shown relative to ``root``, default the working folder)."""
    limits = limits or Limits()
    name = _display(path, root)
    warnings: list[str] = []
    data = _read_bytes(path, name, limits.max_file_size) if data is None else data
    try:
        text, encoding = decode_bytes(data)
    except TextProblem as exc:
        raise IngestError(f"{name}: {exc}") from None
    if encoding not in _UTF8:
        warnings.append(f"{name}: decoded as {encoding}")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm") or _looks_like_html(text):
        article, note = from_html(
            text, path=name, url=None, article_id=article_id, max_depth=limits.max_html_depth
        )
        if note:
            warnings.append(f"{name}: {note}")
        return article.model_copy(update={"encoding": encoding}), warnings

    meta: dict[str, Any] = {}
    if suffix in (".md", ".markdown"):
        # Line ends only: YAML needs its indentation, which normalise() strips.
        meta, body, problem = split_front_matter(re.sub(r"\r\n?", "\n", text))
        if problem:
            warnings.append(f"{name}: {problem}")
        text = strip_markdown(body)
    parsed = parse_plain(text)
    if not parsed.text:
        raise IngestError(f"{name}: no article text left after removing page furniture")
    title = (
        clean_title(meta_str(meta, "title", "headline"))
        or clean_title(parsed.title)
        or fallback_title(parsed.text)
    )
    article = Article(
        id=article_id,
        path=name,
        url=meta_str(meta, "url", "link", "canonical_url", "source_url"),
        title=title,
        outlet=meta_str(meta, "outlet", "source", "site", "sitename", "publisher"),
        published=as_date(meta.get("date") or meta.get("published")) or parsed.published,
        text=parsed.text,
        sha256=sha256(parsed.text),
        encoding=encoding,
        language=require_english(name, parsed.text),
    )
    return article, warnings


def read_article(path: Path, article_id: str = "a1", limits: Limits | None = None) -> Article:
    """Read one article file; raises IngestError("<path>: <problem>") if it holds none."""
    article, warnings = _read_one(Path(path), article_id, limits)
    for warning in warnings:
        LOGGER.warning(warning)
    return article


def _sizes(paths: Sequence[Path]) -> list[int]:
    """File sizes from ``stat`` (0 when it fails: reading will then report the problem)."""
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    return sizes


def _check_total(paths: Sequence[Path], limits: Limits) -> None:
    """Refuse the whole input before reading anything when it adds up to too much."""
    total = sum(s for s in _sizes(paths) if s <= limits.max_file_size)
    if total > limits.max_total_size:
        raise IngestError(
            f"{len(paths)} input files total {format_size(total)}, over the "
            f"{format_size(limits.max_total_size)} limit (raise it with --max-total-size, "
            "or pass fewer files); nothing was read"
        )


Outcome = tuple[Article | None, list[str], str | None, np.ndarray | None]
"""What reading one file gave: the article or ``None``, warnings, the error message, and the
article's de-duplication signature (:func:`~briefgen.ingest.dedupe.signature`), found by the
process that read it so the serial de-duplication only compares."""


def _try_read(
    path: Path, limits: Limits, data: bytes | None = None, root: Path | None = None
) -> Outcome:
    """``_read_one`` within the article time budget, for a process pool or a Dask worker: an
    IngestError (or the budget running out) comes back as its message."""
    seconds = limits.max_article_seconds
    name = _display(path, root)
    try:
        with time_budget(seconds, name) as mine:
            try:
                article, notes = _read_one(path, "a1", limits, data, root)
            except OverBudget as exc:
                if exc is not mine:
                    raise
                return (
                    None,
                    [],
                    (
                        f"{name}: still being read after {seconds} s, its time budget "
                        "(raise it with --max-article-seconds); skipped"
                    ),
                    None,
                )
    except IngestError as exc:
        return None, [], str(exc), None
    return article, notes, None, signature(article.text)


@dataclass(frozen=True)
class ReadResult:
    """Every input file read, in path order, before de-duplication.

    ``positions[i]`` is the index among the collected paths of ``articles[i]``; ``dropped`` pairs
    each unreadable file with its index, so callers can merge other drops in path order.
    """

    articles: list[Article]
    positions: list[int]
    dropped: list[tuple[int, Dropped]]
    warnings: list[str]
    # of ``articles``; derived from them, so left out of comparisons
    signatures: list[np.ndarray] = field(default_factory=list, compare=False, repr=False)


def read_all(
    inputs: Sequence[str],
    limits: Limits | None = None,
    jobs: int = 1,
    cache: Store | None = None,
    executor: str = "local",
) -> ReadResult:
    """Collect and read every input file; bad files are dropped with a warning, not raised.

    ``jobs`` processes read the files (0: all cores), or the workers of ``executor``
    (``"dask://HOST:PORT"``, given absolute paths: a shared filesystem); the result does not
    depend on either, nor on ``cache``, which holds the articles of files read before (by a hash
    of their bytes).  Raises
    IngestError only when an input names nothing or the inputs together exceed
    ``limits.max_total_size`` (checked before any file is read).  Articles keep the id ``a1``
    until :func:`~briefgen.ingest.dedupe.dedupe_articles` numbers those kept.
    """
    limits = limits or Limits()
    warnings: list[str] = []
    paths = collect_paths(inputs, warnings, limits.follow_symlinks)
    _check_total(paths, limits)
    result = ReadResult(articles=[], positions=[], dropped=[], warnings=warnings)
    root = Path.cwd().resolve()
    outcomes = (
        map_ordered(partial(_try_read, limits=limits, root=root), paths, jobs, executor=executor)
        if cache is None
        else _read_cached(paths, limits, jobs, cache, executor, root)
    )
    for i, (path, (article, notes, error, sig)) in enumerate(zip(paths, outcomes, strict=True)):
        if article is None:  # results keep path order, whatever process read them
            name = _display(path)
            reason = str(error).removeprefix(f"{name}: ")
            result.dropped.append((i, Dropped(path=name, reason=reason)))
            warnings.append(str(error))
            continue
        result.articles.append(article)
        result.signatures.append(signature(article.text) if sig is None else sig)
        result.positions.append(i)
        warnings += notes
    return result


# --------------------------------------------------------------------------- the cache

# Libraries whose version can change what a file reads as (extraction, decoding, dates, language).
_READ_LIBRARIES = (
    "trafilatura", "htmldate", "justext", "lxml", "ftfy", "charset-normalizer", "PyYAML",
    "dateparser", "py3langid",
)  # fmt: skip


def _bytes_and_key(path: Path, limits: Limits, fingerprint: str) -> tuple[bytes | None, str | None]:
    """A regular file's bytes and cache key; ``(None, None)`` for anything else (too big, a
    FIFO, unreadable): it is read uncached, reporting its problem as ever."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None, None
        with open(path, "rb") as fh:
            data = fh.read(limits.max_file_size + 1)
    except OSError:
        return None, None
    if len(data) > limits.max_file_size:
        return None, None
    return data, key_of(fingerprint, f"read{path.suffix.lower()}", data)


def _try_read_data(
    item: tuple[Path, bytes | None], limits: Limits, root: Path | None = None
) -> Outcome:
    return _try_read(item[0], limits, item[1], root)


def _read_cached(
    paths: Sequence[Path],
    limits: Limits,
    jobs: int,
    cache: Store,
    executor: str = "local",
    root: Path | None = None,
) -> list[Outcome]:
    """Each file's outcome, from ``cache`` when its bytes were read before under the same code
    and settings; the others read by ``jobs`` processes (from the bytes hashed) and stored."""
    fingerprint = code_fingerprint(
        "read", limits.max_html_depth, dependency_versions(*_READ_LIBRARIES)
    )
    found = [_bytes_and_key(p, limits, fingerprint) for p in paths]
    keys = [key for _, key in found]

    def compute(missing: list[int]) -> list[Outcome]:
        items = [(paths[i], found[i][0]) for i in missing]
        read = partial(_try_read_data, limits=limits, root=root)
        return map_ordered(read, items, jobs, executor=executor)

    def decode(i: int, blob: bytes) -> Outcome:
        return _outcome_of(blob, _display(paths[i]))

    return cached_map(cache, keys, compute, _stored_outcome, decode)


def _stored_outcome(outcome: Outcome) -> bytes | None:
    """A read article as the cache keeps it: without its id and path, warnings without the file
    name.  Failures are not kept (a time budget running out says nothing of the bytes)."""
    article, notes, _, sig = outcome
    if article is None or article.path is None or sig is None:
        return None
    prefix = f"{article.path}: "
    if not all(n.startswith(prefix) for n in notes):
        return None
    value = {
        "article": article.model_dump(mode="json", exclude={"id", "path"}),
        "notes": [n.removeprefix(prefix) for n in notes],
        "signature": sig.astype("<u4").tobytes().hex(),
    }
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _outcome_of(blob: bytes, name: str) -> Outcome:
    """The outcome :func:`_stored_outcome` kept, for the file shown as ``name``; ValueError when
    the entry is not one."""
    try:
        value = json.loads(blob)
        fields = {**value["article"], "id": "a1", "path": name}
        notes = [f"{name}: {n}" for n in value["notes"]]
        sig = np.frombuffer(bytes.fromhex(value["signature"]), dtype="<u4").astype(np.uint32)
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a read article: {exc}") from None
    if sig.shape != (NUM_PERM,):
        raise ValueError("not a read article: a signature of the wrong size")
    return Article.model_validate(fields), notes, None, sig


def no_readable_articles(inputs: Sequence[str], read: ReadResult) -> IngestError:
    """The error for inputs that gave no article at all, naming every file's problem."""
    where = ", ".join(map(safe_name, inputs))
    details = "; ".join(f"{d.path}: {d.reason}" for _, d in read.dropped)
    return IngestError(
        f"no readable articles in {where}: {details or 'no .txt, .md or .html files found'}"
    )


def ingest(
    inputs: Sequence[str],
    limits: Limits | None = None,
    jobs: int = 1,
    cache: Store | None = None,
    executor: str = "local",
) -> IngestResult:
    """Collect, read, dedupe; bad files are dropped with a warning, not raised.

    ``jobs`` processes, or the workers of ``executor``, read the files (:func:`read_all`); the
    result does not depend on them, nor on ``cache``.

    Raises IngestError when no article remains, or when the inputs together exceed
    ``limits.max_total_size`` (checked before any file is read).
    """
    read = read_all(inputs, limits, jobs, cache, executor)
    if not read.articles:
        raise no_readable_articles(inputs, read)
    unique = dedupe_articles(read.articles, signatures=read.signatures)
    copies = [(read.positions[j], d) for j, d in unique.dropped]
    dropped = sorted(read.dropped + copies, key=_first)
    return IngestResult(
        articles=unique.articles,
        dropped=[d for _, d in dropped],
        warnings=read.warnings + unique.warnings,
    )


def _first(pair: tuple[int, Dropped]) -> int:
    return pair[0]
