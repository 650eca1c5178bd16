"""HTML renderer: a self-contained page (CSS inlined) from ``templates/briefing.html.j2``.

The same template, with its print CSS, feeds the PDF renderer, so both show the same briefing.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.model import Briefing
from briefgen.render.base import atomic_write, render_errors
from briefgen.render.context import for_target, get_context
from briefgen.render.env import get_env
from briefgen.render.views import BriefingContext

TEMPLATE = "briefing.html.j2"


def render_html_string(
    briefing: Briefing,
    template_dir: Path | None = None,
    target: str = "html",
    context: BriefingContext | None = None,
) -> str:
    """The filled-in page as a string; ``target`` tells the template "html" or "pdf".

    ``context`` is the briefing's template context when the caller has built it already.
    """
    with render_errors(target):
        env = get_env(template_dir)
        view = get_context(briefing, target) if context is None else for_target(context, target)
        return env.get_template(TEMPLATE).render(view)


class HtmlRenderer:
    """Writes ``briefing.html``."""

    extension = "html"
    needs_context = True

    def render(
        self,
        briefing: Briefing,
        path: Path,
        template_dir: Path | None = None,
        context: BriefingContext | None = None,
    ) -> None:
        page = render_html_string(briefing, template_dir, target="html", context=context)
        with render_errors("html"):
            atomic_write(path, page)
