"""Article text and metadata from an HTML page (a file or a fetched page); nothing is fetched.

trafilatura finds the main text; a page nested deeper than libxml2 can parse is scanned flat
instead (:func:`html_text`), and a page where trafilatura finds nothing falls back to its ``<p>``.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
from html.parser import HTMLParser
from typing import Any

from briefgen.errors import IngestError
from briefgen.ingest.blocks import structured_text
from briefgen.ingest.clean import clean_text, for_people, normalise
from briefgen.ingest.language import require_english
from briefgen.ingest.meta import as_date, clean_title, fallback_title, sha256
from briefgen.model import Article
from briefgen.spec import Limits

__all__ = ["article_from_html", "from_html", "html_depth", "html_text", "plain_title"]

LOGGER = logging.getLogger(__name__)


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
_LIBXML2_DEPTH = 256
# Characters XML forbids: lxml refuses to build text nodes holding them (ValueError), and
# normalise() would drop them from the text anyway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def plain_title(title: str) -> str:
    """A title as text: entities unescaped (twice-escaped ``AT&amp;amp;T`` too), tags removed,
    whitespace collapsed."""
    for _ in range(2):  # feeds often escape once more than the markup needs
        unescaped = html_lib.unescape(title)
        if unescaped == title:
            break
        title = unescaped
    return for_people(_TAG.sub("", title))


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
    return _tree_depth(tree)


def _tree_depth(tree: Any) -> int:
    """How deeply the elements of a parsed tree nest (a start/end walk, never recursion)."""
    import lxml.etree

    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _parse(html: str, max_depth: int) -> tuple[Any, int]:
    """trafilatura's own parse of a page (``None`` if it rejects it) and its depth if over
    ``max_depth`` (else 0); parsed once here so that the check and the extraction share one
    tree."""
    from trafilatura.utils import load_html

    try:
        tree = load_html(html)
    except Exception:  # lxml's errors on hostile markup: no tree, the fallbacks read it
        return None, 0
    if tree is None:
        return None, 0
    # One XPath step per level finds an element deeper than allowed in C; most pages have none.
    if not tree.xpath("/*" * (max_depth + 1)):
        return tree, 0
    depth = _tree_depth(tree)
    # libxml2 cuts a deeper page off at 256 levels: the true depth is unknown.
    return tree, _DEPTH_UNKNOWN if depth >= _LIBXML2_DEPTH - 1 else depth


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
    return from_html(html, path=path, url=url, article_id=article_id, max_depth=max_depth)[0]


def _metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """The title, URL, date and site name of a parsed page, as trafilatura's
    ``extract_metadata`` finds them, without the fields briefgen never reads (author,
    categories, tags, licence): those cost a third of its time, and none of them writes to the
    tree.  The steps and their order are trafilatura 2.x's; ``tests/test_extract_structure.py``
    checks the result against ``extract_metadata``."""
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import Document, set_date_params

    meta: Document = examine_meta(tree)
    if meta.author and " " not in meta.author:  # as trafilatura: it can decide the JSON-LD
        meta.author = None
    try:
        meta = extract_meta_json(tree, meta)
    except Exception as exc:  # trafilatura's own guard: bugs in its JSON-LD reading
        LOGGER.debug("JSON-LD metadata: %r", exc)
    meta.title = meta.title or extract_title(tree)
    meta.url = meta.url or extract_url(tree, url)
    meta.date = find_date(tree, **{**set_date_params(True), "url": meta.url})
    meta.sitename = meta.sitename or extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (match := META_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return {"title": meta.title, "url": meta.url, "date": meta.date, "sitename": meta.sitename}


def _trafilatura(tree: Any, url: str | None, name: str) -> dict[str, Any]:
    """trafilatura's metadata (see :func:`_metadata`) and XML ``body`` of a parsed page, ``{}``
    when it finds nothing.

    The text is extracted without trafilatura's metadata step and with links resolved only
    against ``url`` (a fetched page's address): briefgen reads which text is inside a link,
    never where it points.
    """
    from trafilatura import bare_extraction

    try:
        meta = _metadata(tree, url)
        result = bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=True,  # links are kept as <ref>: a block that is one link is dropped
        )
    except Exception as exc:  # a parser bug on hostile markup: fall back, don't crash
        LOGGER.debug("%s: trafilatura failed: %r", name, exc)
        result = None
    if result is None:
        return {}
    body = result.get("body") if isinstance(result, dict) else getattr(result, "body", None)
    return {**meta, "body": body}


def _main_text(html: str, doc: dict[str, Any]) -> str:
    """The text trafilatura found, paragraphs taken from its XML structure (see
    :mod:`~briefgen.ingest.blocks`); else that of every ``<p>``; else a flat scan."""
    body = doc.get("body")
    text = structured_text(body) if body is not None and len(body) else ""
    if not text and html.strip():
        text = clean_text(_lxml_paragraphs(html)) or clean_text(html_text(html)[1])
    return text


def from_html(
    html: str, *, path: str | None, url: str | None, article_id: str, max_depth: int
) -> tuple[Article, str | None]:
    """The article and, when the page was too deep for trafilatura, a note saying so."""
    name = path or url or "<html>"
    note = None
    html = _NOT_XML.sub("", html)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # our own message names the file
    tree, depth = _parse(html, max_depth) if html.strip() else (None, 0)
    if depth > max_depth:
        # libxml2 stops at 256 levels and trafilatura then finds no text at all: scan instead.
        title, raw = html_text(html)
        doc: dict[str, Any] = {"title": title}
        shown = "over 256" if depth == _DEPTH_UNKNOWN else str(depth)
        note = f"HTML nested {shown} levels deep (limit {max_depth}); read as plain text"
        text = clean_text(raw)
    else:
        doc = _trafilatura(tree, url, name) if tree is not None else {}
        text = _main_text(html, doc)
    if not text:
        raise IngestError(f"{name}: no article text found in HTML")
    headline = clean_title(plain_title(doc.get("title") or ""))
    article = Article(
        id=article_id,
        path=path,
        url=doc.get("url") or url,
        title=headline or fallback_title(text),
        outlet=normalise(doc.get("sitename") or "").strip() or None,
        published=as_date(doc.get("date")),
        text=text,
        sha256=sha256(text),
        encoding=None,
        language=require_english(name, text),
    )
    return article, note
