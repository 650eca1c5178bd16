"""YAML front matter of Markdown articles, parsed at a bounded cost.

A 610-byte front matter using YAML aliases ran past 400 s and 2.8 GB with ``yaml.safe_load``.
Here the block is parsed only when it is at most :data:`FRONT_MATTER_MAX` characters and
:data:`FRONT_MATTER_DEPTH` levels deep, by a safe loader that refuses aliases; anything else is
a warning and the block is read as text.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["FRONT_MATTER_DEPTH", "FRONT_MATTER_MAX", "split_front_matter"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)

FRONT_MATTER_MAX = 16_000
"""Characters of YAML front matter parsed at most; a longer block is read as text."""


FRONT_MATTER_DEPTH = 50
"""Deepest ``[``/``{`` nesting parsed (PyYAML recurses once per level)."""


def _too_deep(text: str) -> bool:
    depth = 0
    for c in text:
        if c in "[{":
            depth += 1
            if depth > FRONT_MATTER_DEPTH:
                return True
        elif c in "]}":
            depth = max(0, depth - 1)
    return False


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: ``*name`` can make a 600-byte document expand to
    gigabytes ("billion laughs"), and front matter has no use for them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not allowed")
        return super().compose_node(parent, index)


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """Split YAML front matter off Markdown: ``(metadata, body, warning or None)``.

    Bad YAML is not fatal: the block is kept as text and a warning returned.  The block is
    parsed by a safe loader that refuses aliases, and only up to :data:`FRONT_MATTER_MAX`
    characters, so its cost is bounded whatever it holds.
    """
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text, None
    if len(match.group(1)) > FRONT_MATTER_MAX:
        return {}, text, f"front matter over {FRONT_MATTER_MAX:,} characters; read as text"
    if _too_deep(match.group(1)):
        return {}, text, f"front matter nested over {FRONT_MATTER_DEPTH} levels; read as text"
    try:
        meta = yaml.load(match.group(1), Loader=_NoAliasLoader)
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {}, text, f"front matter is not valid YAML ({problem}); read as text"
    if not isinstance(meta, dict):
        return {}, text, "front matter is not a YAML mapping; read as text"
    return meta, text[match.end() :], None
