"""``RENDERERS``, the one registry of formats, and :func:`render`, which writes them.

Heavy libraries (WeasyPrint, python-docx) are imported only when their format is rendered.  The
template context is built once per call, for every format that is drawn from it.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import RenderError
from briefgen.model import Briefing
from briefgen.render.base import Renderer, atomic_write, one_line
from briefgen.render.context import get_context
from briefgen.render.docx import DocxRenderer
from briefgen.render.env import BUILTIN_TEMPLATES, get_env
from briefgen.render.html import HtmlRenderer
from briefgen.render.jsonout import JsonRenderer
from briefgen.render.markdown import MarkdownRenderer
from briefgen.render.pdf import PdfRenderer
from briefgen.render.views import BriefingContext

__all__ = [
    "BUILTIN_TEMPLATES",
    "RENDERERS",
    "Renderer",
    "atomic_write",
    "get_context",
    "get_env",
    "render",
]

RENDERERS: dict[str, Renderer] = {
    "pdf": PdfRenderer(),
    "docx": DocxRenderer(),
    "html": HtmlRenderer(),
    "md": MarkdownRenderer(),
    "json": JsonRenderer(),
}


def prepare(
    out_dir: Path | str, basename: str, template_dir: Path | str | None
) -> tuple[Path, Path | None]:
    """The output folder (created) and template folder of a render, or :class:`RenderError`
    for an output name that is not a plain file name or a template folder that is missing."""
    if not basename or Path(basename).name != basename:
        raise RenderError(f"invalid output name {basename!r}")
    folder = Path(out_dir)
    tdir = Path(template_dir) if template_dir is not None else None
    if tdir is not None and not tdir.is_dir():
        raise RenderError(f"template dir not found: {tdir}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise RenderError(f"cannot create output folder {folder}: {one_line(e)}") from e
    return folder, tdir


def render(
    briefing: Briefing,
    out_dir: Path | str,
    formats: list[str] | tuple[str, ...] | str,
    template_dir: Path | str | None = None,
    basename: str = "briefing",
    context: BriefingContext | None = None,
    *,
    paper: str = "a4",
    layout: str = "memo",
) -> list[Path]:
    """Write ``<out_dir>/<basename>.<ext>`` for each format; return the paths written.

    Unknown formats are rejected before anything is written.  Each file is written atomically,
    so a failure leaves earlier outputs complete and no partial file behind.  The template
    context is built when the first format that needs it comes up, and shared by the rest; a
    caller rendering the same briefing in several calls may pass ``context``
    (:func:`get_context` of ``briefing``) to build it only once.  ``paper`` ("a4" or
    "letter") sets the page of the PDF and DOCX; ``layout`` is "memo" or "brief" (one page).
    """
    wanted = [formats] if isinstance(formats, str) else list(formats)
    unknown = [f for f in wanted if f not in RENDERERS]
    if unknown:
        known = ", ".join(RENDERERS)
        raise RenderError(f"unknown format {unknown[0]!r} (choose from {known})")
    folder, tdir = prepare(out_dir, basename, template_dir)
    written: list[Path] = []
    for fmt in dict.fromkeys(wanted):
        renderer = RENDERERS[fmt]
        if context is None and renderer.needs_context:
            context = get_context(briefing, paper=paper, layout=layout)
        path = folder / f"{basename}.{renderer.extension}"
        renderer.render(briefing, path, tdir, context)
        written.append(path)
    return written
