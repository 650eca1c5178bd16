"""Real Word footnotes for python-docx, which has no footnote API.

A footnote in WordprocessingML is three things, all needed for Word and LibreOffice to show it:

* the part ``word/footnotes.xml`` (content type ``...wordprocessingml.footnotes+xml``), related
  from the document part by the ``.../relationships/footnotes`` relationship.  It starts with the
  separator (id -1) and continuation separator (id 0) footnotes Word draws the rule with;
* a ``<w:footnote w:id="n">`` in that part: a "FootnoteText" paragraph opening with a
  ``<w:footnoteRef/>`` run (the number in the note) and the note text;
* a ``<w:footnoteReference w:id="n"/>`` run in the body, styled "FootnoteReference"
  (superscript), where the number appears in the text.

This is what pandoc writes.  A ``reference.docx`` that already has a footnotes part keeps its
separators and styles; its sample notes are removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.opc.part import Part
    from docx.text.paragraph import Paragraph

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PARTNAME = "/word/footnotes.xml"
TEXT_STYLE = "FootnoteText"
REF_STYLE = "FootnoteReference"

_EMPTY = (
    f'<w:footnotes xmlns:w="{W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
    'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)
_STYLES = {
    "footnote text": (
        f'<w:style xmlns:w="{W_NS}" w:type="paragraph" w:styleId="{TEXT_STYLE}">'
        '<w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>'
        '<w:unhideWhenUsed/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        '</w:pPr><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>'
    ),
    "footnote reference": (
        f'<w:style xmlns:w="{W_NS}" w:type="character" w:styleId="{REF_STYLE}">'
        '<w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/>'
        "</w:rPr></w:style>"
    ),
}


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


class Footnotes:
    """Adds footnotes to one document; call :meth:`finish` before saving it."""

    def __init__(self, doc: DocxDocument) -> None:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from lxml import etree

        self._doc = doc
        existing = [r.target_part for r in doc.part.rels.values() if r.reltype == RT.FOOTNOTES]
        if existing:
            self._part: Part = existing[0]
            self._root = etree.fromstring(self._part.blob)
            for note in self._root.findall(_w("footnote")):
                if int(note.get(_w("id"), "0")) > 0:
                    self._root.remove(note)
        else:
            self._part = Part(PackURI(PARTNAME), CT.WML_FOOTNOTES, b"", doc.part.package)
            self._root = etree.fromstring(_EMPTY)
            doc.part.relate_to(self._part, RT.FOOTNOTES)
        self._next = 1
        self.text_style, self.ref_style = self._ensure_styles()

    def _ensure_styles(self) -> tuple[str, str]:
        """Style ids of footnote text and reference, added when the document lacks them."""
        from docx.oxml import parse_xml

        styles = self._doc.styles.element
        ids: dict[str, str] = {}
        for st in styles.findall(_w("style")):
            name = st.find(_w("name"))
            if name is not None and name.get(_w("val"), "").lower() in _STYLES:
                ids[name.get(_w("val"), "").lower()] = st.get(_w("styleId"), "")
        for name, xml in _STYLES.items():
            if name not in ids:
                styles.append(parse_xml(xml))
                ids[name] = TEXT_STYLE if name == "footnote text" else REF_STYLE
        return ids["footnote text"], ids["footnote reference"]

    def add(self, paragraph: Paragraph, text: str) -> int:
        """Append a footnote reference to ``paragraph`` and the note ``text``; return its id."""
        from docx.oxml import parse_xml

        n = self._next
        self._next += 1
        self._root.append(
            parse_xml(
                f'<w:footnote xmlns:w="{W_NS}" w:id="{n}"><w:p><w:pPr>'
                f'<w:pStyle w:val="{self.text_style}"/></w:pPr>'
                f'<w:r><w:rPr><w:rStyle w:val="{self.ref_style}"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
            )
        )
        paragraph._p.append(
            parse_xml(
                f'<w:r xmlns:w="{W_NS}"><w:rPr><w:rStyle w:val="{self.ref_style}"/></w:rPr>'
                f'<w:footnoteReference w:id="{n}"/></w:r>'
            )
        )
        return n

    @property
    def count(self) -> int:
        return self._next - 1

    def finish(self) -> None:
        """Write the footnotes XML into its part (python-docx keeps unknown parts as bytes)."""
        from lxml import etree

        self._part._blob = etree.tostring(
            self._root, xml_declaration=True, encoding="UTF-8", standalone=True
        )


def note_text(notes: list[str], sources: dict[int, tuple[str, str]]) -> str:
    """``[1] Outlet, sentence 10; [2] ...`` for notes like ``["1:10", "2:7"]``: compact, the
    source list has the full titles.  A source without an outlet is named by its title, cut to
    a few words."""
    parts = []
    for note in notes:
        n, _, k = note.partition(":")
        title, outlet = sources.get(int(n), ("", ""))
        parts.append(f"[{n}] {outlet or short_title(title)}, sentence {k}")
    return "; ".join(parts) + "."


def short_title(title: str, words: int = 6) -> str:
    """The first ``words`` words of a title, with an ellipsis when cut."""
    found = title.split()
    return " ".join(found[:words]) + ("…" if len(found) > words else "")
