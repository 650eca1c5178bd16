"""HTML renderer: a self-contained page (CSS inlined) from ``templates/briefing.html.j2``.

The same template, with its print CSS, feeds the PDF renderer, so both show the same briefing.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.model import Briefing
from briefgen.render.base import atomic_write, render_errors
from briefgen.render.context import get_context, get_env

TEMPLATE = "briefing.html.j2"


def render_html_string(
    briefing: Briefing, template_dir: Path | None = None, target: str = "html"
) -> str:
    """The filled-in page as a string; ``target`` tells the template "html" or "pdf"."""
    with render_errors(target):
        env = get_env(template_dir)
        return env.get_template(TEMPLATE).render(get_context(briefing, target=target))


class HtmlRenderer:
    """Writes ``briefing.html``."""

    extension = "html"

    def render(self, briefing: Briefing, path: Path, template_dir: Path | None = None) -> None:
        page = render_html_string(briefing, template_dir, target="html")
        with render_errors("html"):
            atomic_write(path, page)
