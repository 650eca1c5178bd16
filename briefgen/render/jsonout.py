"""JSON renderer: the :class:`Briefing` contract itself, loadable with ``Briefing.from_json``.

Control characters are kept: JSON escapes them, and the file must round-trip exactly.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.model import Briefing
from briefgen.render.base import atomic_write, render_errors
from briefgen.render.views import BriefingContext


class JsonRenderer:
    """Writes ``briefing.json``; the template context plays no part."""

    extension = "json"
    needs_context = False

    def render(
        self,
        briefing: Briefing,
        path: Path,
        template_dir: Path | None = None,
        context: BriefingContext | None = None,
    ) -> None:
        with render_errors("json"):
            atomic_write(path, briefing.to_json() + "\n")
