"""Text helpers of the render stage: cleaning untrusted text, Markdown escaping, dates, markers.

Article text is untrusted: :func:`clean_text` strips what XML cannot hold once, when the
template context is built, and the template filters (``md``, ``cite_label``) keep it data.
"""

from __future__ import annotations

import re
from datetime import date

# Characters XML 1.0 forbids or that only arise from broken decoding: C0 controls except tab and
# newline, DEL, C1 controls, lone surrogates and the two non-characters U+FFFE/U+FFFF.  Also bidi
# embeddings/overrides/isolates: an unclosed U+202E reverses the rest of a paragraph in DOCX and
# PDF ("Trojan Source"); ingest strips them too, this covers briefings loaded from JSON.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
# Markdown punctuation, ``<`` and ``>`` (raw HTML), and an ``&`` that would start an entity.
_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>]|&(?=#?[A-Za-z0-9]+;))")


def clean_text(text: str | None) -> str:
    """Strip characters XML (DOCX, PDF via HTML) cannot hold; keep ``\\n`` and ``\\t``."""
    if not text:
        return ""
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def single_line(text: str | None) -> str:
    """A path or URL on one line: the Markdown template shows them in a code span, which a
    newline in a (hostile) file name would end, letting the rest through as raw HTML."""
    return " ".join(clean_text(text).split())


def md_escape(text: object) -> str:
    """Make untrusted text literal in Markdown: no raw HTML, no emphasis, no links.

    Markdown punctuation, ``<`` and ``>`` (Markdown viewers pass raw HTML through) and an ``&``
    that would begin an entity are backslash-escaped, which CommonMark shows as the character
    itself: ``US & EU`` stays ``US & EU``, never ``&amp;``.  Whitespace collapses so text cannot
    start a new block.
    """
    s = " ".join(str(text).split())
    return _MD_SPECIAL_RE.sub(r"\\\1", s)


def cite_label(numbers: list[int]) -> str:
    """``[1]`` or ``[1, 2]``: the marker a reader matches against the source list."""
    return "[" + ", ".join(str(n) for n in numbers) + "]"


def fmt_date(d: date | None) -> str:
    """``25 November 2026``: unambiguous for readers on both sides of the Atlantic."""
    return f"{d.day} {d:%B %Y}" if d else ""


def fmt_range(start: date | None, end: date | None) -> str:
    """A compact date range, e.g. ``12–20 January 2026``; empty when nothing is known."""
    if start and end and start > end:
        start, end = end, start
    if not (start and end):
        return fmt_date(start or end)
    if start == end:
        return fmt_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%B} – {fmt_date(end)}"
    return f"{fmt_date(start)} – {fmt_date(end)}"
