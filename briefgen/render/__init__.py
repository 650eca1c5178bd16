"""Render a :class:`~briefgen.model.Briefing` to PDF, DOCX, HTML, Markdown and JSON.

The names below load :mod:`briefgen.render.registry` on first use, so that importing a light
module of this package (``briefgen.render.worker``, in the CLI before the pipeline loads) does not
pull in pydantic, Jinja2 and the renderers.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BUILTIN_TEMPLATES",
    "RENDERERS",
    "Renderer",
    "atomic_write",
    "get_context",
    "get_env",
    "render",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from briefgen.render import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
