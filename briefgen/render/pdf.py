"""PDF renderer: WeasyPrint lays out the HTML template with its print CSS (an A4 or Letter memo,
or a one-page brief), as a tagged PDF/UA-1 file.

WeasyPrint is imported lazily (about 0.4 s) so the CLI and the other formats stay fast, and it
never touches the network: :class:`~briefgen.render.fetcher.SafeURLFetcher` serves only files
inside the template folders.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import RenderError
from briefgen.model import Briefing
from briefgen.render.base import atomic_write, one_line, render_errors
from briefgen.render.env import get_env, template_roots
from briefgen.render.html import render_html_string
from briefgen.render.views import BriefingContext

if TYPE_CHECKING:
    import weasyprint

PDF_VARIANT = "pdf/ua-1"
"""A tagged PDF (PDF/UA-1): structure tree, /Lang from ``<html lang>``, the title shown from
metadata, alternative text for the chart.  Not also PDF/A-3b: WeasyPrint writes one variant per
file, PDF/A-3b carries no tags, and the JSON is published beside the PDF (README, "Accessible
output")."""


def _document(page: str, template_dir: Path | None) -> weasyprint.HTML:
    try:
        import weasyprint

        from briefgen.render.fetcher import SafeURLFetcher
    except ImportError as e:  # pragma: no cover - weasyprint is a dependency
        raise RenderError("pdf: WeasyPrint is not installed (pip install weasyprint)") from e
    roots = template_roots(template_dir)
    return weasyprint.HTML(
        string=page,
        base_url=roots[0].as_uri() + "/",
        url_fetcher=SafeURLFetcher(roots),
        media_type="print",
    )


def lay_out(
    briefing: Briefing, template_dir: Path | None, context: BriefingContext
) -> weasyprint.Document:
    """The briefing laid out in pages (no PDF written yet): a WeasyPrint document whose pages
    and boxes page fitting reads, and :func:`write_document` then writes."""
    page = render_html_string(briefing, template_dir, target="pdf", context=context)
    try:
        return _document(page, template_dir).render(pdf_variant=PDF_VARIANT)
    except RenderError:
        raise
    except Exception as e:
        raise RenderError(f"pdf: WeasyPrint failed: {one_line(e)}") from e


def write_document(document: weasyprint.Document, path: Path) -> None:
    """Write a laid-out document as the PDF :func:`render_pdf_bytes` makes (same variant)."""
    try:
        data = document.write_pdf(pdf_variant=PDF_VARIANT)
    except Exception as e:
        raise RenderError(f"pdf: WeasyPrint failed: {one_line(e)}") from e
    with render_errors("pdf"):
        atomic_write(path, data)


def render_pdf_bytes(
    briefing: Briefing,
    template_dir: Path | None = None,
    context: BriefingContext | None = None,
) -> bytes:
    """The PDF as bytes; relative URLs in a template resolve against its folder.

    ``context`` is the briefing's template context when the caller has built it already.
    """
    page = render_html_string(briefing, template_dir, target="pdf", context=context)
    try:
        return _document(page, template_dir).write_pdf(pdf_variant=PDF_VARIANT)
    except RenderError:
        raise
    except Exception as e:
        raise RenderError(f"pdf: WeasyPrint failed: {one_line(e)}") from e


def warm(template_dir: Path | None = None) -> None:
    """Lay out a few words in the template's stylesheet, so fonts are found and loaded before
    the real render (~0.1 s of fontconfig and Pango set-up taken off the critical path)."""
    css = get_env(template_dir).get_template("briefing.css").render()
    page = f"<style>{css}</style><h1>Warm</h1><p>up <b>bold</b> <i>italic</i> [1]</p>"
    with contextlib.suppress(Exception):  # a broken template is reported by the real render
        _document(page, template_dir).write_pdf()


class PdfRenderer:
    """Writes ``briefing.pdf``."""

    extension = "pdf"
    needs_context = True

    def render(
        self,
        briefing: Briefing,
        path: Path,
        template_dir: Path | None = None,
        context: BriefingContext | None = None,
    ) -> None:
        data = render_pdf_bytes(briefing, template_dir, context)
        with render_errors("pdf"):
            atomic_write(path, data)
