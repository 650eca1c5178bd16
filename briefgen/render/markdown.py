"""Markdown renderer from ``templates/briefing.md.j2``.

Markdown viewers pass raw HTML through, so article text goes through the ``md`` filter
(entities for ``<``, ``>``, ``&``; backslashes for Markdown punctuation).
"""

from __future__ import annotations

from pathlib import Path

from briefgen.model import Briefing
from briefgen.render.base import atomic_write, render_errors
from briefgen.render.context import get_context, get_env

TEMPLATE = "briefing.md.j2"


class MarkdownRenderer:
    """Writes ``briefing.md``."""

    extension = "md"

    def render(self, briefing: Briefing, path: Path, template_dir: Path | None = None) -> None:
        with render_errors("md"):
            env = get_env(template_dir)
            text = env.get_template(TEMPLATE).render(get_context(briefing, target="md"))
            atomic_write(path, text)
