"""What ``briefgen build`` reads: files, folders and globs as always, and feeds and article URLs
exactly as ``briefgen run`` reads them (:func:`briefgen.ingest.fetch.gather`, same limits).

An input is read as an RSS/Atom feed when its name ends in ``.xml``, ``.rss``, ``.atom`` or
``.rdf``, or a URL's path ends in ``/feed``, ``/rss`` or ``/atom``; any other URL is an article
page.  Either way, articles off the spec's topic are set aside (:mod:`briefgen.ingest.topic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from briefgen.base.cache import Store
from briefgen.ingest.fetch import gather
from briefgen.ingest.read import IngestResult, ingest, is_url
from briefgen.ingest.topic import focus_result
from briefgen.spec import BriefingSpec

__all__ = ["is_feed", "read_inputs"]

FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})
_FEED_PATHS = frozenset({"feed", "rss", "atom"})


def is_feed(source: str) -> bool:
    """Whether ``source`` (a path or URL) names a feed rather than articles or a page."""
    path = PurePosixPath(urlsplit(source).path if is_url(source) else source)
    return path.suffix.lower() in FEED_SUFFIXES or (
        is_url(source) and path.name.lower() in _FEED_PATHS
    )


def read_inputs(
    inputs: Sequence[str], spec: BriefingSpec, jobs: int, cache: Store | None = None
) -> IngestResult:
    """Articles of ``inputs``: local ones read by :func:`ingest` (its errors unchanged); with a
    feed or URL among them, everything gathered as a scheduled run gathers it.  Files read
    before come from ``cache`` (the article cache), when there is one."""
    feeds = [s for s in inputs if is_feed(s)]
    if not feeds and not any(is_url(s) for s in inputs):
        found = ingest(inputs, spec.limits, jobs, cache, spec.executor)
        return focus_result(found, spec.topic, spec.topic_min_matches)
    sources = [s for s in inputs if s not in feeds]
    return gather(spec.basename, sources, feeds, spec, jobs=jobs, cache=cache)
