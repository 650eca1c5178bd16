"""Where the evaluation data is: ``../shared/eval/`` beside the repository, or ``$BRIEFGEN_EVAL``.

The data are licensed for evaluation only, so they are read where they are and never copied into
the repository.  ``BRIEFGEN_EVAL`` names the folder holding the sets (``news-mds-dev/``, ...);
without it, that folder is ``shared/eval/`` next to the repository's own folder.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_VAR = "BRIEFGEN_EVAL"
DEV_SET = "news-mds-dev"  # cluster-*/articles/*.txt and cluster-*/reference.txt


def eval_root() -> Path:
    """The folder holding the evaluation sets (it may not exist on this machine)."""
    override = os.environ.get(ENV_VAR, "").strip()
    return Path(override).expanduser() if override else ROOT.parent / "shared" / "eval"


def eval_set(name: str = DEV_SET) -> Path:
    """One evaluation set, e.g. ``eval_set()`` for the development clusters."""
    return eval_root() / name
