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

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from briefgen.ingest.clean import (
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
# The end of a sentence (not of a label: "Source:"), closing quotes and brackets allowed.
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』）]*$")


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
        """The text so far as one block (not yet normalised: see :func:`_normalised`)."""
        text = "".join(self.parts).strip()
        self.parts, linked, self.linked = [], self.linked, 0
        if text:
            yield Block(kind, (text,), min(1.0, linked / len(text)))


_SEPARATOR = "\n\ue000\n"  # a private-use character alone on a line: no page text holds it


def _normalised(blocks: list[Block]) -> list[Block]:
    """``blocks`` with their text normalised and split into lines, in one call of
    :func:`~briefgen.ingest.clean.normalise` for the page (its cost is mostly per call)."""
    raw = [block.lines[0].replace("\ue000", "") for block in blocks]
    texts = normalise(_SEPARATOR.join(raw)).split(_SEPARATOR)
    if len(texts) != len(blocks):  # never seen; normalise block by block then
        texts = [normalise(text) for text in raw]
    out = []
    for block, text in zip(blocks, texts, strict=True):
        lines = tuple(line for line in text.split("\n") if line)
        if lines:
            out.append(Block(block.kind, lines, block.linked))
    return out


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
    """A paragraph that reads as prose: longer than a heading, or ending a sentence or a
    clause ("Ingredients:" opens what follows)."""
    return not is_heading(paragraph)


def _paragraphs(body: Any) -> list[tuple[str, str]]:
    """``(kind, paragraph)`` pairs of a body; a heading is one paragraph of kind ``head``.

    Dropped here, by markup: blocks that are mostly a link and end no sentence (related
    stories, "more" links).
    """
    out: list[tuple[str, str]] = []
    for block in _normalised(list(blocks_of(body))):
        if block.linked >= _LINKED and not SENTENCE_END.search(block.lines[-1]):
            continue
        lines = [line for line in content_lines("\n".join(block.lines)) if line]
        if block.kind == "head":  # one paragraph, which ends the sentence before it
            out += [("head", " ".join(lines))] if lines else []
            continue
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
    """The article between its first and last paragraph of prose.

    Headings and short unpunctuated lines before the first or after the last are furniture by
    position (the page title, datelines, bylines, kickers, "Related", tag lines); list items
    and headings that read as prose (a standfirst) stay.  Headings inside the article stay as
    paragraphs of their own (a sub-heading is part of it, and never a sentence that may be
    quoted), unless nothing is left under one.  A page of short lines without one paragraph of
    prose has no article (a menu, a footer).
    """
    prose = [i for i, (kind, para) in enumerate(paragraphs) if kind != "head" and _is_prose(para)]
    # The article cannot end on a label ("Ingredients:", "Comments:"): nothing it opens follows.
    ends = [i for i in prose if not paragraphs[i][1].endswith(":")]
    if not prose or not ends:
        return []
    first, last = prose[0], ends[-1]
    kept = [
        (kind, para)
        for i, (kind, para) in enumerate(paragraphs)
        if first <= i <= last or kind == "item" or (_is_prose(para) and not para.endswith(":"))
    ]
    # A heading with nothing under it before the next one (its links were dropped) goes too.
    return [
        (kind, para)
        for i, (kind, para) in enumerate(kept)
        if kind != "head" or (i + 1 < len(kept) and kept[i + 1][0] != "head")
    ]


def structured_text(body: Any) -> str:
    """The article text of a trafilatura XML body: paragraphs separated by a blank line.

    Link blocks are dropped by markup, furniture lines (share buttons, cookie notices...) as
    :func:`~briefgen.ingest.clean.content_lines` finds them, headings and short lines at the
    edges by position; a paragraph that opens in lower case after one cut mid-sentence (a
    sentence split across two elements) is joined to it; a long paragraph met again is not
    repeated (a page holding its article twice).
    """
    seen: set[str] = set()
    out: list[str] = []
    for _, para in _trim_edges(_paragraphs(body)):
        key = " ".join(para.casefold().split())
        if len(key) >= _REPEAT_CHARS:
            if key in seen:
                continue
            seen.add(key)
        out.append(para)
    return "\n\n".join(out)
