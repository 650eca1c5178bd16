"""The per-user cache folder: things slow to rebuild on every run and safe to lose.

``$XDG_CACHE_HOME/briefgen`` (else ``~/.cache/briefgen``), private to the user.  Nothing in it is
needed: when it cannot be written (read-only home, full disk) a run just rebuilds what it needs.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(*parts: str) -> Path:
    """``<cache>/briefgen/<parts>`` (not created)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base.joinpath("briefgen", *parts)


def private_dir(*parts: str) -> Path | None:
    """:func:`cache_dir`, created readable by this user only; ``None`` when it cannot be."""
    path = cache_dir(*parts)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path
