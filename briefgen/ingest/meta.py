"""An article's metadata from its own text: title, date line, byline, front matter values.

Pure functions shared by the file reader (:mod:`briefgen.ingest.read`) and the HTML reader
(:mod:`briefgen.ingest.html`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from briefgen.ingest.clean import content_lines, normalise, paragraphs

__all__ = [
    "Parsed",
    "as_date",
    "clean_title",
    "fallback_title",
    "meta_str",
    "parse_plain",
    "sha256",
]

_TITLE_WORDS = 30
_FALLBACK_TITLE_WORDS = 12
_HEADER_LINES = 4  # title, date and byline are looked for among the first lines only

_BYLINE = re.compile(r"by\s+[A-Z][\w.'’-]*(\s+[A-Z][\w.'’-]*){0,4}(\s*(,|and|&|\|).*)?")
_DATE_PREFIX = re.compile(
    r"^(published|updated|posted|date|last updated)\s*(on|at)?\s*[:\-–]?\s*", re.I
)
_NOT_TITLE_END = re.compile(r"[.:;,…][\"'”’)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text: an article's identity across runs."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


def as_date(value: Any) -> date | None:
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


# A site name after the headline: "Kazakhstan joins the board - The Astana Times".
_SITE_SUFFIX = re.compile(r"\s+(?:[-|–—:•]|::)\s+(?P<site>[^-|–—:•]{2,40})$")
# Photo captions and credits a page puts where a headline would be.
_CAPTION = re.compile(
    r"^(?:image|photo|picture|video)\s+(?:copyright|caption|credit)\b|^\(?(?:photo|file|ap "
    r"photo)\b\s*[-:/)]|^file\s*[-–—]|^play\s+(?:facebook|video)\b|^article excerpt\b|"
    r"^story highlights\b|^\(.*(?:photo|press|agency|getty|images).*\)$|"
    r"^(?:dow jones )?reprints?\b|^this (?:story|article) appears in\b",
    re.I,
)


def clean_title(title: str | None) -> str | None:
    """A source's title without a trailing site name, or None when it is a caption or credit."""
    if not title:
        return None
    title = " ".join(title.split())
    if _CAPTION.search(title):
        return None
    m = _SITE_SUFFIX.search(title)
    if m:
        site, head = m.group("site"), title[: m.start()]
        site_words = site.split()
        named = all(w[:1].isupper() or not w[:1].isalpha() for w in site_words)
        if named and len(site_words) <= 4 and len(head.split()) >= 3:
            title = head
    return title or None


def fallback_title(text: str) -> str:
    """The first sentence that is not a caption or credit, cut to about a dozen words."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    first = next((ln for ln in lines if not _CAPTION.search(ln)), lines[0] if lines else "")
    match = _SENTENCE_END.search(first)
    sentence = first[: match.start()] if match else first
    words = sentence.split()
    if len(words) > _FALLBACK_TITLE_WORDS:
        return " ".join(words[:_FALLBACK_TITLE_WORDS]) + " …"
    return " ".join(words)


@dataclass
class Parsed:
    """Body and whatever metadata one file's own text revealed."""

    text: str
    title: str | None = None
    published: date | None = None


def parse_plain(text: str) -> Parsed:
    """Plain text: pull title, date line and byline from the top, clean the rest."""
    lines = content_lines(normalise(text))
    parsed = Parsed(text="")
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


def meta_str(meta: dict[str, Any], *keys: str) -> str | None:
    """The first non-empty value among ``keys`` of front matter, on one normalised line."""
    for key in keys:
        value = meta.get(key)
        text = normalise(str(value)).replace("\n", " ").strip() if value is not None else ""
        if text:
            return text
    return None
