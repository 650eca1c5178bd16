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
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from briefgen.base.parallel import map_ordered
from briefgen.errors import IngestError
from briefgen.ingest.clean import (
    TextProblem,
    clean_text,
    content_lines,
    decode_bytes,
    normalise,
    paragraphs,
    split_front_matter,
    strip_markdown,
)
from briefgen.ingest.dedupe import find_duplicates
from briefgen.model import Article, Dropped
from briefgen.spec import Limits, format_size

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


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def safe_name(name: str) -> str:
    """A file name fit for one-line messages, JSON and Markdown.

    Linux names may hold newlines, escape sequences and bytes that are not UTF-8 (Python keeps
    those as lone surrogates, which JSON cannot encode): controls are shown as ``\\n``-style
    escapes and undecodable bytes as U+FFFD, so a name can neither break a message onto a second
    line nor crash a writer.
    """
    if name.isprintable() and not any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        return name
    out = []
    for c in name:
        if 0xD800 <= ord(c) <= 0xDFFF:
            out.append("\ufffd")
        elif unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(c.encode("unicode_escape").decode("ascii"))
        else:
            out.append(c)
    return "".join(out)


def _display(path: Path) -> str:
    """Path as shown to users: relative to the working folder when inside it, always printable."""
    try:
        shown = path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return safe_name(shown)


def _walk(folder: Path, warnings: list[str] | None = None) -> list[Path]:
    """Article files under ``folder``, following symlinks but never a folder twice (loops).

    Folders that cannot be listed are reported in ``warnings`` rather than silently skipped.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def unreadable(exc: OSError) -> None:
        if warnings is not None:
            where = _display(Path(exc.filename)) if exc.filename else _display(folder)
            warnings.append(f"{where}: cannot read folder ({exc.strerror or exc}); skipped")

    for root, dirs, files in os.walk(folder, followlinks=True, onerror=unreadable):
        real = Path(root).resolve()
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        found += [Path(root, f) for f in files if Path(f).suffix.lower() in SUFFIXES]
    return found


def collect_paths(inputs: Sequence[str], warnings: list[str] | None = None) -> list[Path]:
    """Expand files, folders (recursively) and globs into sorted, unique, resolved paths.

    Only .txt, .md, .markdown, .html and .htm files are taken from folders and globs; naming
    another kind of file directly is an error rather than a silent skip.  Folders that cannot be
    listed are added to ``warnings`` when given.
    """
    found: set[Path] = set()
    for raw in inputs:
        path = Path(raw).expanduser()
        if path.is_dir():
            candidates = _walk(path, warnings)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise IngestError(f"{safe_name(raw)}: not an article file (use .txt, .md or .html)")
            candidates = [path]
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(os.path.expanduser(raw), recursive=True))
            if not matches:
                raise IngestError(f"{safe_name(raw)}: no files match this pattern")
            candidates = []
            for match in map(Path, matches):
                if match.is_dir():
                    candidates += _walk(match, warnings)
                elif match.suffix.lower() in SUFFIXES:
                    candidates.append(match)
        else:
            raise IngestError(f"{safe_name(raw)}: no such file or folder")
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
        for bad in tree.xpath("//script|//style|//nav|//noscript|//template"):
            bad.drop_tree()
        return "\n\n".join(p.text_content() for p in tree.iter("p"))
    except (ValueError, lxml.etree.LxmlError):
        return ""


_DEPTH_UNKNOWN = 1 << 30  # libxml2 gave up: deeper than it can parse at all
# Characters XML forbids: lxml refuses to build text nodes holding them (ValueError), and
# normalise() would drop them from the text anyway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def html_depth(html: str) -> int:
    """How deeply the elements of ``html`` nest, as libxml2 (trafilatura's parser) sees it.

    Measured with a start/end walk, never recursion, so any depth is safe to measure.
    """
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(huge_tree=True, collect_ids=False)
    try:
        tree = lxml.html.document_fromstring(html, parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return 0
    if any("depth" in e.message.lower() for e in parser.error_log):
        return _DEPTH_UNKNOWN
    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


class _TextOnly(HTMLParser):
    """Visible text of a page without building a tree: safe at any nesting depth."""

    _SKIP = frozenset(
        [
            "script",
            "style",
            "noscript",
            "template",
            "nav",
            "aside",
            "footer",
            "form",
            "button",
            "select",
            "svg",
            "math",
            "iframe",
            "object",
            "embed",
            "head",
        ]
    )
    _BLOCK = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "section",
            "article",
            "main",
            "header",
            "blockquote",
            "pre",
            "tr",
            "table",
            "dd",
            "dt",
            "figcaption",
            "hr",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self._break()

    def _break(self) -> None:
        if self.parts and self.parts[-1] != "\n\n":  # 100,000 nested divs: one break, not 100k
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def html_text(html: str) -> tuple[str, str]:
    """``(title, text)`` of a page by a flat scan: the fallback for pages too deep to parse."""
    scanner = _TextOnly()
    scanner.feed(html)
    scanner.close()
    return " ".join("".join(scanner.title).split()), "".join(scanner.parts)


def article_from_html(
    html: str,
    *,
    path: str | None = None,
    url: str | None = None,
    article_id: str = "a1",
    max_depth: int = Limits.max_html_depth,
) -> Article:
    """An article from an HTML page (file or fetched) via trafilatura; nothing is fetched.

    Pages nested deeper than ``max_depth`` are read as plain text (see :func:`html_text`).
    """
    return _from_html(html, path=path, url=url, article_id=article_id, max_depth=max_depth)[0]


def _from_html(
    html: str, *, path: str | None, url: str | None, article_id: str, max_depth: int
) -> tuple[Article, str | None]:
    """The article and, when the page was too deep for trafilatura, a note saying so."""
    name = path or url or "<html>"
    doc: dict[str, Any] = {}
    note = None
    html = _NOT_XML.sub("", html)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # our own message names the file
    depth = html_depth(html) if html.strip() else 0
    if depth > max_depth:
        # libxml2 stops at 256 levels and trafilatura then finds no text at all: scan instead.
        title, raw = html_text(html)
        doc = {"title": title}
        shown = "over 256" if depth == _DEPTH_UNKNOWN else str(depth)
        note = f"HTML nested {shown} levels deep (limit {max_depth}); read as plain text"
        text = clean_text(raw)
    else:
        if html.strip():
            from trafilatura import bare_extraction

            try:
                result = bare_extraction(
                    html,
                    url=url,
                    with_metadata=True,
                    include_comments=False,
                    include_tables=False,
                    include_images=False,
                    include_links=False,
                )
            except Exception as exc:  # a parser bug on hostile markup: fall back, don't crash
                LOGGER.debug("%s: trafilatura failed: %r", name, exc)
                result = None
            doc = result.as_dict() if result is not None else {}
        raw = doc.get("text") or ""
        # trafilatura puts one paragraph per line.
        text = clean_text(raw.replace("\n", "\n\n")) if raw.strip() else ""
        if not text and html.strip():
            text = clean_text(_lxml_paragraphs(html)) or clean_text(html_text(html)[1])
    if not text:
        raise IngestError(f"{name}: no article text found in HTML")
    title = normalise(doc.get("title") or "").replace("\n", " ").strip()
    article = Article(
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
    return article, note


# --------------------------------------------------------------------------- files


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
    path: Path, article_id: str = "a1", limits: Limits | None = None
) -> tuple[Article, list[str]]:
    """Read one file: ``(article, warnings)``; raises IngestError naming the file."""
    limits = limits or Limits()
    name = _display(path)
    warnings: list[str] = []
    data = _read_bytes(path, name, limits.max_file_size)
    try:
        text, encoding = decode_bytes(data)
    except TextProblem as exc:
        raise IngestError(f"{name}: {exc}") from None
    if encoding not in _UTF8:
        warnings.append(f"{name}: decoded as {encoding}")
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm") or _looks_like_html(text):
        article, note = _from_html(
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


def _try_read(path: Path, limits: Limits) -> tuple[Article | None, list[str], str | None]:
    """``_read_one`` for a process pool: an IngestError comes back as its message."""
    try:
        article, notes = _read_one(path, "a1", limits)
    except IngestError as exc:
        return None, [], str(exc)
    return article, notes, None


def ingest(inputs: Sequence[str], limits: Limits | None = None, jobs: int = 1) -> IngestResult:
    """Collect, read, dedupe; bad files are dropped with a warning, not raised.

    ``jobs`` processes read the files (0: all cores); the result does not depend on it.

    Raises IngestError when no article remains, or when the inputs together exceed
    ``limits.max_total_size`` (checked before any file is read).
    """
    limits = limits or Limits()
    warnings: list[str] = []
    paths = collect_paths(inputs, warnings)
    _check_total(paths, limits)
    read: list[tuple[int, Article]] = []
    dropped: list[tuple[int, Dropped]] = []

    outcomes = map_ordered(partial(_try_read, limits=limits), paths, jobs)
    for i, (path, (article, notes, error)) in enumerate(zip(paths, outcomes, strict=True)):
        if article is None:  # results keep path order, whatever process read them
            name = _display(path)
            reason = str(error).removeprefix(f"{name}: ")
            dropped.append((i, Dropped(path=name, reason=reason)))
            warnings.append(str(error))
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
        where = ", ".join(map(safe_name, inputs))
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
