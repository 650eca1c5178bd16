"""Markdown renderer from ``templates/briefing.md.j2``.

Markdown viewers pass raw HTML through, so article text goes through the ``md`` filter
(entities for ``<``, ``>``, ``&``; backslashes for Markdown punctuation).
"""

from __future__ import annotations

from pathlib import Path

from briefgen.model import Briefing
from briefgen.render.base import atomic_write, render_errors
from briefgen.render.context import for_target, get_context
from briefgen.render.env import get_env
from briefgen.render.views import BriefingContext

TEMPLATE = "briefing.md.j2"


class MarkdownRenderer:
    """Writes ``briefing.md``."""

    extension = "md"
    needs_context = True

    def render(
        self,
        briefing: Briefing,
        path: Path,
        template_dir: Path | None = None,
        context: BriefingContext | None = None,
    ) -> None:
        with render_errors("md"):
            env = get_env(template_dir)
            view = get_context(briefing, "md") if context is None else for_target(context, "md")
            text = env.get_template(TEMPLATE).render(view)
            atomic_write(path, text)
