"""Predict the pages of a PDF with some of its items left out, from one layout of the whole.

A laid-out WeasyPrint document is read as a flow of unbreakable pieces (:class:`Piece`: a line
of text, a table row, a block that must not break), each with its height, the space before it
and whether a page may break after it (not after a heading, not between a paragraph's first or
last two lines).  :meth:`Flow.pages` drops the pieces of the items to leave out and pages the
rest again as WeasyPrint does, greedily.  Page fitting uses it to choose how much to trim
without laying out the PDF again for every guess; the guess is then checked by one real layout.

Pieces are named by the elements they are in: ``#ID`` for every enclosing element with an id,
and ``#SECTION/N`` for the N-th item (``li`` or body ``tr``, 0-based) of the ``<section>`` with
that id.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import weasyprint

_AVOID = ("avoid", "avoid-page")
_EPSILON = 0.01  # CSS px: rounding in WeasyPrint's positions


@dataclass
class Piece:
    """One unbreakable piece of the flow, as laid out on ``page`` (0-based)."""

    page: int
    top: float  # from the top of the page's content area
    height: float
    names: frozenset[str]
    glued: bool = False  # no page break between this piece and the next
    paragraph: int | None = None  # id() of the block holding this line of text
    orphans: int = 2
    widows: int = 2
    header: float = 0.0  # a table row: the height of the table's header, repeated on a new page
    repeated: bool = False  # a table header repeated at the top of a page
    section: str | None = None  # id of the <section> it is in
    item: str | None = None  # ``#SECTION/N`` of the item it is in
    gap_at_top: float = 0.0  # opening a page: the space it would have after another piece
    margin: float | None = None  # a block: its top margin (with its first child's) in CSS px


@dataclass
class Flow:
    """The pieces of a laid-out document and the height a page holds."""

    pieces: list[Piece]
    page_height: float
    laid_out_pages: int
    names: set[str] = field(default_factory=set)

    def pages(self, removed: Collection[str] = ()) -> int:
        """Pages the document would take without the pieces named in ``removed``."""
        kept: list[_Kept] = []
        gap_of_removed: float | None = None
        previous: Piece | None = None
        for piece in self.pieces:
            gap = _gap(previous, piece)
            previous = piece
            if piece.repeated or (removed and not piece.names.isdisjoint(removed)):
                # The space before a left-out run stays before whatever follows it.
                gap_of_removed = gap if gap_of_removed is None else gap_of_removed
                continue
            if gap_of_removed is not None:  # margins collapse: the larger space stays
                gap, gap_of_removed = max(gap, gap_of_removed), None
            kept.append(_Kept(gap, piece.height, piece.glued, piece.header))
        return _paginate(kept, self.page_height)


@dataclass
class _Kept:
    gap: float  # space before
    height: float
    glued: bool  # to the next
    header: float  # repeated above it when it starts a page


def _gap(previous: Piece | None, piece: Piece) -> float:
    """Space between two consecutive pieces (margins, padding, borders), as laid out; at the top
    of a page, where WeasyPrint drops margins, the space such a piece has elsewhere."""
    if previous is None:
        return 0.0
    if previous.page != piece.page:
        return piece.gap_at_top
    return piece.top - (previous.top + previous.height)


def _paginate(kept: list[_Kept], height: float) -> int:
    """Pages a greedy paginator fills with ``kept`` pieces: a run of glued pieces moves to the
    next page whole, unless it is taller than a page, which is then broken anywhere.  A table
    row opening a page has its table's header repeated above it."""
    pages, used, i = 1, 0.0, 0
    while i < len(kept):
        j, run = i, kept[i].height
        while kept[j].glued and j + 1 < len(kept):
            j += 1
            run += kept[j].gap + kept[j].height
        before = kept[i].gap if used else kept[i].header if pages > 1 else 0.0
        if used + before + run <= height + _EPSILON:
            used += before + run
            i = j + 1
        elif used:
            pages, used = pages + 1, 0.0
        else:  # taller than a page: break it where it overflows
            for piece in kept[i : j + 1]:
                step = (piece.gap if used else 0.0) + piece.height
                if used and used + step > height + _EPSILON:
                    pages, used, step = pages + 1, 0.0, piece.height + piece.header
                used += step
            i = j + 1
    return pages


# --------------------------------------------------------------------------- reading a layout


def flow_of(document: weasyprint.Document) -> Flow:
    """The flow of a laid-out document (:meth:`weasyprint.HTML.render`)."""
    from weasyprint.formatting_structure import boxes

    pieces: list[Piece] = []
    items: dict[str, list[int]] = {}  # section id -> id() of its items, in order
    seen: set[int] = set()
    height = 0.0
    for number, page in enumerate(document.pages):
        page_box = page._page_box  # WeasyPrint keeps the box tree only here
        top = page_box.content_box_y()
        height = max(height, page_box.height)
        walker = _Walker(boxes, number, top, items, pieces, seen, [])
        for child in page_box.children:
            if not isinstance(child, boxes.MarginBox):
                walker.walk(child, frozenset(), None)
    _glue_paragraphs(pieces)
    _gaps_at_top(pieces)
    names = {name for piece in pieces for name in piece.names}
    return Flow(pieces, height, len(document.pages), names)


@dataclass
class _Walker:
    boxes: Any  # weasyprint.formatting_structure.boxes
    page: int
    top: float
    items: dict[str, list[int]]
    pieces: list[Piece]
    seen: set[int]  # id() of the table headers laid out so far
    sections: list[str]  # ids of the <section> elements the walk is in

    def walk(self, box: Any, names: frozenset[str], section: str | None) -> None:
        if box.element_tag.endswith("::marker") or box.style["position"] in ("absolute", "fixed"):
            return  # outside the flow
        element = box.element
        if element is not None and not box.element_tag.endswith(("::before", "::after")):
            names, section = self._named(box, element, names, section)
        inside = element is not None and element.tag == "section" and box.element_tag == "section"
        if inside:
            self.sections.append(element.get("id") or "")
        self._walk(box, names, section)
        if inside:
            self.sections.pop()

    def _walk(self, box: Any, names: frozenset[str], section: str | None) -> None:
        b = self.boxes
        if isinstance(box, b.LineBox | b.TableRowBox | b.ReplacedBox) or (
            isinstance(box, b.BlockLevelBox) and box.style["break_inside"] in _AVOID
        ):
            self._piece(box, names)
        elif isinstance(box, b.TableBox):
            self._table(box, names, section)
        elif isinstance(box, b.ParentBox):
            for child in box.children:
                self.walk(child, names, section)
        if box.style["break_after"] in _AVOID and self.pieces:
            self.pieces[-1].glued = True
        if box.style["break_before"] in _AVOID and len(self.pieces) > 1:
            self.pieces[-2].glued = True  # approximately: before this box's first piece

    def _table(self, box: Any, names: frozenset[str], section: str | None) -> None:
        """A table's rows; its header, glued to the first row, counted once: where the table
        goes on over a page, the header is repeated, which each row then carries."""
        header = 0.0
        for group in box.children:
            first = len(self.pieces)
            is_header = isinstance(group, self.boxes.TableRowGroupBox) and group.is_header
            self.walk(group, names, None if is_header else section)
            if is_header and len(self.pieces) > first:
                header = sum(p.height for p in self.pieces[first:])
                self.pieces[-1].glued = True
                repeated = id(group.element) in self.seen
                self.seen.add(id(group.element))
                for piece in self.pieces[first:]:
                    piece.repeated = repeated
            elif not is_header:
                for piece in self.pieces[first:]:
                    piece.header = header

    def _named(
        self, box: Any, element: Any, names: frozenset[str], section: str | None
    ) -> tuple[frozenset[str], str | None]:
        ident = element.get("id")
        if ident and f"#{ident}" not in names:
            names |= {f"#{ident}"}
            if element.tag == "section":
                return names, ident
        item = element.tag == "li" or isinstance(box, self.boxes.TableRowBox)
        if section is not None and item:
            order = self.items.setdefault(section, [])
            if id(element) not in order:
                order.append(id(element))
            return names | {f"#{section}/{order.index(id(element))}"}, None
        return names, section

    def _piece(self, box: Any, names: frozenset[str]) -> None:
        parent = box.element if isinstance(box, self.boxes.LineBox) else None
        # A block from its top to its bottom border: its margins are the space around it,
        # and at the top of a page its top margin is dropped.
        margin = (getattr(box, "margin_top", 0) or 0) if parent is None else 0.0
        self.pieces.append(
            Piece(
                self.page,
                box.position_y + margin - self.top,
                box.margin_height() - margin - (getattr(box, "margin_bottom", 0) or 0),
                names,
                paragraph=id(parent) if parent is not None else None,
                orphans=int(box.style["orphans"]),
                widows=int(box.style["widows"]),
                section=self.sections[-1] if self.sections else None,
                item=next((n for n in names if "/" in n), None),
                margin=None if parent is not None else _top_margin(box),
            )
        )


def _gaps_at_top(pieces: list[Piece]) -> None:
    """Give each piece opening a page the space such a piece has after another: the median
    space before a section's first piece, or before an item of its section, elsewhere."""
    spaces: dict[str, list[float]] = {}  # "/" for sections, else per section's items
    for previous, piece in itertools.pairwise(pieces):
        kind = _opens(previous, piece)
        if kind is not None and previous.page == piece.page:
            spaces.setdefault(kind, []).append(piece.top - previous.top - previous.height)
    for previous, piece in itertools.pairwise(pieces):
        kind = _opens(previous, piece)
        if previous.page == piece.page:
            continue
        if piece.margin is not None:
            piece.gap_at_top = piece.margin
        elif kind is not None and spaces.get(kind):
            piece.gap_at_top = statistics.median(spaces[kind])


def _opens(previous: Piece, piece: Piece) -> str | None:
    """ "/" when ``piece`` opens a section, its section's id when it opens an item, else None."""
    if piece.section != previous.section:
        return "/"
    if piece.item is not None and piece.item != previous.item:
        return piece.section or "/"
    return None


def _top_margin(box: Any) -> float:
    """The top margin of a block, collapsed with its first children's (CSS px)."""
    found = 0.0
    while box is not None:
        style = box.style
        margin = style["margin_top"]
        if getattr(margin, "unit", None) == "px":
            found = max(found, float(margin.value))
        if style["border_top_width"] or style["padding_top"].value:
            break
        children = getattr(box, "children", None)
        box = children[0] if children else None
    return found


def _glue_paragraphs(pieces: list[Piece]) -> None:
    """No break after a paragraph's first ``orphans - 1`` lines or before its last ``widows``."""
    for run in _paragraphs(pieces):
        for k in range(len(run) - 1):
            if k < run[0].orphans - 1 or k >= len(run) - run[0].widows:
                run[k].glued = True


def _paragraphs(pieces: list[Piece]) -> Iterator[list[Piece]]:
    run: list[Piece] = []
    for piece in pieces:
        if run and (piece.paragraph is None or piece.paragraph != run[0].paragraph):
            yield run
            run = []
        if piece.paragraph is not None:
            run.append(piece)
    if run:
        yield run
