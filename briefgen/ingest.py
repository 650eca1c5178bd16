"""Read article files (.txt, .md, .html) into cleaned :class:`Article` objects.

File I/O lives at the edges (:func:`collect_paths`, :func:`read_article`); decoding, cleaning,
metadata and dedupe are pure functions, so a later ``--jobs N`` can map ``_read_one`` over the
sorted paths in parallel and still give byte-identical output.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from briefgen.clean import (
    TextProblem,
    clean_text,
    content_lines,
    decode_bytes,
    normalise,
    paragraphs,
    split_front_matter,
    strip_markdown,
)
from briefgen.dedupe import find_duplicates
from briefgen.errors import IngestError
from briefgen.model import Article, Dropped

__all__ = [
    "SUFFIXES",
    "IngestResult",
    "article_from_html",
    "clean_text",
    "collect_paths",
    "ingest",
    "read_article",
]

LOGGER = logging.getLogger(__name__)

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
_UTF8 = ("utf-8", "utf-8-sig")
_TITLE_WORDS = 30
_FALLBACK_TITLE_WORDS = 12
_HEADER_LINES = 4  # title, date and byline are looked for among the first lines only


@dataclass(frozen=True)
class IngestResult:
    """Articles kept (ids ``a1``, ``a2``, ... in input order), inputs dropped, and warnings."""

    articles: list[Article]
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- paths


def _display(path: Path) -> str:
    """Path as shown to users: relative to the working folder when inside it."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _walk(folder: Path) -> list[Path]:
    """Article files under ``folder``, following symlinks but never a folder twice (loops)."""
    found: list[Path] = []
    seen: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = Path(root).resolve()
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        found += [Path(root, f) for f in files if Path(f).suffix.lower() in SUFFIXES]
    return found


def collect_paths(inputs: Sequence[str]) -> list[Path]:
    """Expand files, folders (recursively) and globs into sorted, unique, resolved paths.

    Only .txt, .md, .markdown, .html and .htm files are taken from folders and globs; naming
    another kind of file directly is an error rather than a silent skip.
    """
    found: set[Path] = set()
    for raw in inputs:
        path = Path(raw).expanduser()
        if path.is_dir():
            candidates = _walk(path)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise IngestError(f"{raw}: not an article file (use .txt, .md or .html)")
            candidates = [path]
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(os.path.expanduser(raw), recursive=True))
            if not matches:
                raise IngestError(f"{raw}: no files match this pattern")
            candidates = []
            for match in map(Path, matches):
                if match.is_dir():
                    candidates += _walk(match)
                elif match.suffix.lower() in SUFFIXES:
                    candidates.append(match)
        else:
            raise IngestError(f"{raw}: no such file or folder")
        for candidate in candidates:
            real = candidate.resolve()
            if real.is_file():  # skips dangling links
                found.add(real)
    return sorted(found)


# --------------------------------------------------------------------------- metadata

_BYLINE = re.compile(r"by\s+[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,4}(\s*(,|and|&|\|).*)?")
_DATE_PREFIX = re.compile(
    r"^(published|updated|posted|date|last updated)\s*(on|at)?\s*[:\-–]?\s*", re.I
)
_NOT_TITLE_END = re.compile(r"[.:;,…][\"'”’)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def _parse_date_line(line: str) -> date | None:
    """A short line that is only a date, optionally after "Published:"; None otherwise."""
    text = _DATE_PREFIX.sub("", line).split("|")[0].strip()
    if not re.search(r"\d", text) or len(text.split()) > 8:
        return None
    import dateparser  # ~0.5 s import, only for files whose header has a date-like line

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date() if parsed else None


def _as_date(value: Any) -> date | None:
    """A front matter or HTML meta date (date, datetime or string) as a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return _parse_date_line(value)
    return None


def _fallback_title(text: str) -> str:
    """The first sentence, cut to about a dozen words."""
    first = text.split("\n", 1)[0]
    match = _SENTENCE_END.search(first)
    sentence = first[: match.start()] if match else first
    words = sentence.split()
    if len(words) > _FALLBACK_TITLE_WORDS:
        return " ".join(words[:_FALLBACK_TITLE_WORDS]) + " …"
    return " ".join(words)


@dataclass
class _Parsed:
    """Body and whatever metadata one file's own text revealed."""

    text: str
    title: str | None = None
    published: date | None = None


def _parse_plain(text: str) -> _Parsed:
    """Plain text: pull title, date line and byline from the top, clean the rest."""
    lines = content_lines(normalise(text))
    parsed = _Parsed(text="")
    seen = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if seen == _HEADER_LINES:
            break
        seen += 1
        if parsed.published is None and (when := _parse_date_line(line)):
            parsed.published = when
        elif _BYLINE.fullmatch(line) and len(line.split()) <= 12:
            pass
        elif parsed.title is None and _is_title_line(line):
            parsed.title = line
        else:
            break
        lines[i] = ""
    parsed.text = "\n\n".join(paragraphs(lines))
    return parsed


def _is_title_line(line: str) -> bool:
    """A line that reads as a headline: under ~30 words, not ending like a sentence.

    "?" and "!" are allowed: question and exclamation headlines are common.
    """
    return len(line.split()) < _TITLE_WORDS and not _NOT_TITLE_END.search(line)


def _meta_str(meta: dict[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = meta.get(key)
        text = normalise(str(value)).replace("\n", " ").strip() if value is not None else ""
        if text:
            return text
    return None


# --------------------------------------------------------------------------- HTML


def _lxml_paragraphs(html: str) -> str:
    """Fallback when trafilatura finds nothing: the text of every ``<p>``."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in tree.xpath("//script|//style|//nav|//noscript|//template"):
        bad.drop_tree()
    return "\n\n".join(p.text_content() for p in tree.iter("p"))


def article_from_html(
    html: str, *, path: str | None = None, url: str | None = None, article_id: str = "a1"
) -> Article:
    """An article from an HTML page (file or fetched) via trafilatura; nothing is fetched."""
    from trafilatura import bare_extraction

    name = path or url or "<html>"
    doc: dict[str, Any] = {}
    if html.strip():
        result = bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
        )
        doc = result.as_dict() if result is not None else {}
    raw = doc.get("text") or ""
    # trafilatura puts one paragraph per line.
    text = clean_text(raw.replace("\n", "\n\n")) if raw.strip() else ""
    if not text:
        text = clean_text(_lxml_paragraphs(html)) if html.strip() else ""
    if not text:
        raise IngestError(f"{name}: no article text found in HTML")
    title = normalise(doc.get("title") or "").replace("\n", " ").strip()
    return Article(
        id=article_id,
        path=path,
        url=doc.get("url") or url,
        title=title or _fallback_title(text),
        outlet=normalise(doc.get("sitename") or "").strip() or None,
        published=_as_date(doc.get("date")),
        text=text,
        sha256=_sha256(text),
        encoding=None,
    )


# --------------------------------------------------------------------------- files


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html"))


def _read_one(path: Path, article_id: str = "a1") -> tuple[Article, list[str]]:
    """Read one file: ``(article, warnings)``; raises IngestError naming the file."""
    name = _display(path)
    warnings: list[str] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{name}: cannot read ({exc.strerror or exc})") from None
    try:
        text, encoding = decode_bytes(data)
    except TextProblem as exc:
        raise IngestError(f"{name}: {exc}") from None
    if encoding not in _UTF8:
        warnings.append(f"{name}: decoded as {encoding}")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm") or _looks_like_html(text):
        article = article_from_html(text, path=name, article_id=article_id)
        return article.model_copy(update={"encoding": encoding}), warnings

    meta: dict[str, Any] = {}
    if suffix in (".md", ".markdown"):
        # Line ends only: YAML needs its indentation, which normalise() strips.
        meta, body, problem = split_front_matter(re.sub(r"\r\n?", "\n", text))
        if problem:
            warnings.append(f"{name}: {problem}")
        text = strip_markdown(body)
    parsed = _parse_plain(text)
    if not parsed.text:
        raise IngestError(f"{name}: no article text left after removing page furniture")
    title = _meta_str(meta, "title", "headline") or parsed.title or _fallback_title(parsed.text)
    article = Article(
        id=article_id,
        path=name,
        url=_meta_str(meta, "url", "link", "canonical_url", "source_url"),
        title=title,
        outlet=_meta_str(meta, "outlet", "source", "site", "sitename", "publisher"),
        published=_as_date(meta.get("date") or meta.get("published")) or parsed.published,
        text=parsed.text,
        sha256=_sha256(parsed.text),
        encoding=encoding,
    )
    return article, warnings


def read_article(path: Path, article_id: str = "a1") -> Article:
    """Read one article file; raises IngestError("<path>: <problem>") if it holds none."""
    article, warnings = _read_one(Path(path), article_id)
    for warning in warnings:
        LOGGER.warning(warning)
    return article


def ingest(inputs: Sequence[str]) -> IngestResult:
    """Collect, read, dedupe; bad files are dropped with a warning, not raised.

    Raises IngestError only when no article remains.
    """
    paths = collect_paths(inputs)
    read: list[tuple[int, Article]] = []
    dropped: list[tuple[int, Dropped]] = []
    warnings: list[str] = []
    for i, path in enumerate(paths):  # the place to parallelise: results keep path order
        try:
            article, notes = _read_one(path)
        except IngestError as exc:
            name = _display(path)
            reason = str(exc).removeprefix(f"{name}: ")
            dropped.append((i, Dropped(path=name, reason=reason)))
            warnings.append(str(exc))
            continue
        read.append((i, article))
        warnings += notes

    duplicates = {d.index: d for d in find_duplicates([a.text for _, a in read])}
    kept: list[Article] = []
    new_id: dict[int, str] = {}
    for j, (_, article) in enumerate(read):
        if j not in duplicates:
            new_id[j] = f"a{len(kept) + 1}"
            kept.append(article.model_copy(update={"id": new_id[j]}))
    for j, dup in sorted(duplicates.items()):
        original, copy = read[dup.kept][1], read[j][1]
        what = "exact duplicate" if dup.exact else "near-duplicate"
        score = "" if dup.exact else f" (Jaccard {dup.jaccard:.2f})"
        reason = f"{what} of {original.path}{score}"
        dropped.append(
            (
                read[j][0],
                Dropped(path=copy.path or "", reason=reason, duplicate_of=new_id[dup.kept]),
            )
        )
        warnings.append(f"{copy.path}: dropped as {reason}")
    if not kept:
        where = ", ".join(inputs)
        details = "; ".join(f"{d.path}: {d.reason}" for _, d in sorted(dropped, key=_first))
        raise IngestError(
            f"no readable articles in {where}: {details or 'no .txt, .md or .html files found'}"
        )
    return IngestResult(
        articles=kept,
        dropped=[d for _, d in sorted(dropped, key=_first)],
        warnings=warnings,
    )


def _first(pair: tuple[int, Dropped]) -> int:
    return pair[0]
