"""The per-user cache folder: things slow to rebuild on every run and safe to lose.

``$XDG_CACHE_HOME/briefgen`` (else ``~/.cache/briefgen``), private to the user.  Nothing in it is
needed: when it cannot be written (read-only home, full disk) a run just rebuilds what it needs.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


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


def pickled(name: str, build: Callable[[], T]) -> T:
    """``build()``, pickled as ``<cache>/briefgen/<name>`` the first time, loaded afterwards."""
    path = cache_dir(name)
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError):
        pass
    value = build()
    folder = private_dir()
    if folder is None:  # best effort: a read-only home only costs the build next time
        return value
    try:
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
            tmp.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp.name, path)
    except OSError as exc:
        log.debug("cache %s not written: %s", path, exc)
    return value
