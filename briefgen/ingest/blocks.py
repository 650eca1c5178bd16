"""Paragraphs from the structure of a page, not from its line breaks.

trafilatura hands back its main text as an XML tree (``<p>``, ``<head>``, ``<list>/<item>``,
``<quote>``, ``<lb/>`` for ``<br>``).  Paragraph boundaries are taken from those elements; inside
one, a source line break or ``<br>`` that falls inside a sentence is joined back (the next line
starts in lower case, or the line before is cut mid-sentence), so a sentence is never cut into
fragments.  Headings are dropped by their markup, not by their length; list items and short
lines of prose are kept.  A paragraph that the page repeats (the same article shown twice) is
kept once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from briefgen.ingest.clean import (
    TERMINAL,
    content_lines,
    continues,
    glue,
    is_heading,
    join_lines,
    normalise,
)

__all__ = ["Block", "blocks_of", "structured_text"]

#: Elements whose text is one block each; others are walked for the blocks inside them.
_BLOCKS = frozenset({"p", "head", "item", "quote", "code", "cell", "td", "th"})
_CONTAINERS = frozenset({"list", "div", "body", "doc", "main", "table", "row", "tr"})
_SKIPPED = frozenset({"graphic", "fw", "note", "del", "ref-list"})

# Repeated paragraphs are dropped from this many characters: short ones ("Yes.") may recur.
_REPEAT_CHARS = 40
# A block with this share of its characters inside links is a link, not article text.
_LINKED = 0.8


@dataclass(frozen=True)
class Block:
    """One structural unit of the main text: its kind (``p``, ``head``, ``item``...), its lines
    and the share of its characters inside links."""

    kind: str
    lines: tuple[str, ...]
    linked: float = 0.0


@dataclass
class _Inline:
    """Running text between block elements: pieces and how many characters were links."""

    parts: list[str] = field(default_factory=list)
    linked: int = 0

    def add(self, text: str | None, linked: bool = False) -> None:
        if text:
            self.parts.append(text)
            self.linked += len(text.strip()) if linked else 0

    def collect(self, element: Any, linked: bool) -> None:
        """All text of an inline element (``hi``, ``ref``...), ``<lb/>`` as a line break."""
        linked = linked or element.tag == "ref"
        self.add(element.text, linked)
        for child in element:
            if child.tag == "lb":
                self.add("\n")
            elif isinstance(child.tag, str) and child.tag not in _SKIPPED:
                self.collect(child, linked)
            self.add(child.tail, linked)

    def flush(self, kind: str) -> Iterator[Block]:
        text = "".join(self.parts)
        self.parts, linked, self.linked = [], self.linked, 0
        lines = tuple(line for line in normalise(text).split("\n") if line)
        if lines:
            size = sum(len(line) for line in lines)
            yield Block(kind, lines, min(1.0, linked / size))


def _is_block(element: Any) -> bool:
    return isinstance(element.tag, str) and (element.tag in _BLOCKS or element.tag in _CONTAINERS)


def blocks_of(element: Any, kind: str = "p") -> Iterator[Block]:
    """The blocks of a trafilatura XML body, in document order.

    Text between block elements (a quote holding headings, then text) is a block of its own
    kind; inline elements (emphasis, links) stay inside their block.
    """
    inline = _Inline()
    inline.add(element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "lb":
            inline.add("\n")
        elif _is_block(child):
            yield from inline.flush(kind)
            yield from blocks_of(child, tag if tag in _BLOCKS else kind)
        elif tag and tag not in _SKIPPED:
            inline.collect(child, False)
        inline.add(child.tail)
    yield from inline.flush(kind)


def _is_prose(paragraph: str) -> bool:
    """A paragraph that reads as prose: longer than a heading, or ending a sentence."""
    return not is_heading(paragraph) or bool(TERMINAL.search(paragraph))


def _paragraphs(body: Any) -> list[tuple[str, str]]:
    """``(kind, paragraph)`` pairs of a body, headings as ``("head", "")`` markers.

    Dropped here, by markup: headings (unless one holds prose), and blocks that are mostly a
    link (related stories, "more" links).
    """
    out: list[tuple[str, str]] = []
    for block in blocks_of(body):
        text = " ".join(block.lines)
        if block.kind == "head" and not (_is_prose(text) and TERMINAL.search(text)):
            out.append(("head", ""))  # a heading ends the sentence before it
            continue
        if block.linked >= _LINKED:
            continue
        lines = [line for line in content_lines("\n".join(block.lines)) if line]
        for para in join_lines(lines):
            kind, prev = out[-1] if out else ("", "")
            if (
                prev
                and kind == block.kind == "p"
                and para[:1].islower()
                and continues(prev, para, None)
            ):
                out[-1] = (kind, glue(prev, para))  # a sentence split across two elements
            else:
                out.append((block.kind, para))
    return out


def _trim_edges(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Without the short unpunctuated lines before the first prose paragraph and after the last
    (datelines, bylines, kickers, tag lines: furniture by position).  List items stay, but a
    page of short lines without one paragraph of prose has no article (a menu, a footer)."""
    prose = [i for i, (_, para) in enumerate(paragraphs) if para and _is_prose(para)]
    if not prose:
        return []
    first, last = prose[0], prose[-1]
    return [
        (kind, para)
        for i, (kind, para) in enumerate(paragraphs)
        if first <= i <= last or kind == "item" or _is_prose(para)
    ]


def structured_text(body: Any) -> str:
    """The article text of a trafilatura XML body: paragraphs separated by a blank line.

    Headings and link blocks are dropped by markup, furniture lines (share buttons, cookie
    notices...) as :func:`~briefgen.ingest.clean.content_lines` finds them, short lines at the
    edges by position; a paragraph that opens in lower case after one cut mid-sentence (a
    sentence split across two elements) is joined to it; a long paragraph met again is not
    repeated (a page holding its article twice).
    """
    seen: set[str] = set()
    out: list[str] = []
    for _, para in _trim_edges(_paragraphs(body)):
        if not para:
            continue
        key = " ".join(para.casefold().split())
        if len(key) >= _REPEAT_CHARS:
            if key in seen:
                continue
            seen.add(key)
        out.append(para)
    return "\n\n".join(out)
