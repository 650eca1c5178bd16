"""Gather a briefing's articles from files, RSS/Atom feeds and web pages.

Every remote source is bounded (total time, bytes, redirects, http/https only) because a
scheduled run has nobody watching it: one slow or hostile site must cost a warning, not the
whole briefing.  feedparser only ever parses bytes fetched here, so these limits hold for feeds
too.  A source that fails gives a one-line warning naming it; the run fails only if no article
remains at all.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from briefgen import __version__
from briefgen.base.budget import OverBudget, time_budget
from briefgen.base.cache import Store
from briefgen.errors import IngestError, one_line
from briefgen.ingest.bounded import ACCEPT_ENCODING, BodyTooLarge, UnknownEncoding, decode_body
from briefgen.ingest.clean import TextProblem, decode_bytes
from briefgen.ingest.dedupe import dedupe_articles
from briefgen.ingest.egress import EgressPolicy, EgressRefused, deadline, guarded_transport
from briefgen.ingest.feed import FeedEntry, FetchError, parse_feed
from briefgen.ingest.html import article_from_html
from briefgen.ingest.read import (
    IngestResult,
    collect_paths,
    is_url,
    no_readable_articles,
    read_all,
)
from briefgen.ingest.topic import focus_result
from briefgen.model import Article, Dropped
from briefgen.spec import BriefingSpec, FetchLimits

__all__ = [
    "USER_AGENT",
    "FeedEntry",
    "FetchError",
    "Fetcher",
    "gather",
    "parse_feed",
    "policy_of",
]

log = logging.getLogger(__name__)

USER_AGENT = f"briefgen/{__version__}"
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.5"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, EgressRefused | UnknownEncoding):
        return str(exc)
    return f"{type(exc).__name__}: {one_line(exc)}"


def policy_of(limits: FetchLimits) -> EgressPolicy:
    """The egress policy a briefing's fetch settings ask for."""
    return EgressPolicy.of(limits.allow_networks, limits.allow_private_networks)


class Fetcher:
    """An httpx client with briefgen's limits; thread-safe, so pages can be fetched at once.

    Every connection, redirects included, passes the egress guard (:mod:`.egress`): only
    public addresses, unless ``allow_networks`` / ``allow_private_networks`` admit more.
    """

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits()
        self._client = httpx.Client(
            transport=guarded_transport(policy_of(self.limits), trust_env=False),
            timeout=httpx.Timeout(self.limits.timeout),
            follow_redirects=False,  # followed in get(): each hop checked, no body read
            headers={
                "User-Agent": USER_AGENT,
                "Accept": _ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            trust_env=False,  # no surprise proxies from the scheduler's environment
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get(self, url: str) -> tuple[bytes, str | None, str]:
        """``(body, charset, final_url)``; raises FetchError("<url>: <reason>").

        One deadline (``timeout``) bounds every hop's connect, headers and body together; the
        raw body is abandoned past ``max_bytes`` and decoded without exceeding it either.
        """
        try:
            with deadline(self.limits.timeout):
                return self._get(url)
        except FetchError:
            raise
        except Exception as exc:  # hostile servers: a warning, never a traceback
            raise FetchError(f"{url}: {_reason(exc)}") from None

    def _get(self, url: str) -> tuple[bytes, str | None, str]:
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FetchError(f"{url}: only http and https URLs are fetched")
        request = self._client.build_request("GET", url)
        for hop in range(self.limits.max_redirects + 1):
            try:
                response = self._client.send(request, stream=True)
            except EgressRefused as exc:
                via = f"redirect to {request.url}: " if hop else ""
                raise FetchError(f"{url}: {via}{exc}") from None
            try:
                if response.next_request is None:
                    response.raise_for_status()
                    return self._body(url, response), response.charset_encoding, str(response.url)
                request = response.next_request
                target = str(request.url)
                if request.url.scheme not in ("http", "https"):
                    raise FetchError(f"{url}: redirect to {target}: only http and https")
            finally:
                response.close()
        raise FetchError(f"{url}: too many redirects")

    def _body(self, url: str, response: httpx.Response) -> bytes:
        limit = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{url}: larger than {limit:,} bytes")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > limit:
                raise FetchError(f"{url}: larger than {limit:,} bytes")
            chunks.append(chunk)
        encoding = response.headers.get("content-encoding", "")
        try:
            return decode_body(b"".join(chunks), encoding, limit)
        except BodyTooLarge:
            raise FetchError(f"{url}: larger than {limit:,} bytes once decoded") from None

    def page(self, url: str, article_id: str = "a1") -> Article:
        body, charset, final = self.get(url)
        return article_from_html(_decode(body, charset, url), url=final, article_id=article_id)


def _decode(body: bytes, charset: str | None, name: str) -> str:
    """A page's text: BOM, then the HTTP header's charset, then its ``<meta>`` (decode_bytes)."""
    try:
        return decode_bytes(body, declared=charset)[0]
    except TextProblem as exc:
        raise FetchError(f"{name}: {exc}") from None


# --------------------------------------------------------------------------- feeds


def _from_content(entry: FeedEntry) -> Article:
    """An article from the feed's own text; raises IngestError if it holds none."""
    text = entry.content.strip()
    if not text:
        raise FetchError(f"{entry.link or entry.title}: feed entry has no text")
    html = text if "<" in text else f"<html><body><p>{text}</p></body></html>"
    return article_from_html(html, url=entry.link)


Fetched = tuple[bytes, str | None, str]
"""A page as fetched: ``(body, charset, final_url)``."""


def _page_article(got: Fetched, url: str) -> Article:
    body, charset, final = got
    return article_from_html(_decode(body, charset, url), url=final)


def _entry_article(
    entry: FeedEntry, got: Fetched | None, error: str | None
) -> tuple[Article, str | None]:
    """The linked page, else the entry's own text; plus a warning when falling back."""
    article = None
    if got is not None and entry.link:
        try:
            article = _page_article(got, entry.link)
        except IngestError as exc:
            error = str(exc)
    warning = f"{error}; used the feed's own text" if error else None
    article = article or _from_content(entry)
    update: dict[str, Any] = {}
    if entry.title:
        update["title"] = entry.title  # the feed's headline, without " | Site" suffixes
    if entry.published and not article.published:
        update["published"] = entry.published
    return article.model_copy(update=update), warning


def _download(
    fetcher: Fetcher, job: tuple[str, FeedEntry | None]
) -> tuple[Fetched | None, str | None]:
    """Fetch a job's page (in a thread): ``(fetched, None)`` or ``(None, warning)``."""
    source, entry = job
    url = source if entry is None else entry.link
    if not url or not is_url(url):
        return None, None  # a feed entry without a web link: its own text is the article
    try:
        return fetcher.get(url), None
    except IngestError as exc:
        return None, str(exc)


def _article_of(
    job: tuple[str, FeedEntry | None], got: Fetched | None, error: str | None, seconds: int
) -> tuple[Article | None, str | None]:
    """A fetched job turned into an article in this thread, within the article time budget."""
    source, entry = job
    name = source if entry is None else entry.link or entry.title
    try:
        with time_budget(seconds, name) as mine:
            try:
                if entry is not None:
                    return _entry_article(entry, got, error)
                if got is None:
                    return None, error
                return _page_article(got, source), None
            except OverBudget as exc:
                if exc is not mine:
                    raise
                return None, (
                    f"{name}: still being read after {seconds} s, its time budget "
                    "(raise it with --max-article-seconds); skipped"
                )
    except IngestError as exc:
        return None, str(exc)


# --------------------------------------------------------------------------- gathering


def _read_feed(fetcher: Fetcher, source: str) -> bytes:
    if is_url(source):
        return fetcher.get(source)[0]
    path = Path(source)
    try:
        size = path.stat().st_size
        if size > fetcher.limits.max_bytes:
            raise FetchError(f"{source}: larger than {fetcher.limits.max_bytes:,} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise FetchError(f"{source}: cannot read ({exc.strerror or exc})") from None


@dataclass
class _Gathered:
    """What the sources gave so far, in source order, before de-duplication."""

    articles: list[Article] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files: int = 0  # how many of the articles, first, were read from local files


def _read_local(
    sources: Sequence[str], spec: BriefingSpec, jobs: int, into: _Gathered, cache: Store | None
) -> None:
    """The local files among ``sources``, read as ``briefgen build`` reads them (not deduped)."""
    local = []
    for src in (s for s in sources if not is_url(s)):
        try:
            collect_paths([src])
            local.append(src)
        except IngestError as exc:
            into.warnings.append(f"source {exc}")
    if not local:
        return
    try:
        read = read_all(local, spec.limits, jobs, cache, spec.executor)
    except IngestError as exc:
        into.warnings.append(str(exc))
        return
    if not read.articles:  # one line for the lot, as ``briefgen build`` would fail
        into.warnings.append(str(no_readable_articles(local, read)))
        return
    into.articles += read.articles
    into.files = len(read.articles)
    into.dropped += [d for _, d in read.dropped]
    into.warnings += read.warnings


def _fetch_remote(
    sources: Sequence[str],
    feeds: Sequence[str],
    spec: BriefingSpec,
    fetcher: Fetcher,
    into: _Gathered,
) -> None:
    """The entries of ``feeds``, then the article URLs among ``sources``, fetched at once."""
    todo: list[tuple[str, FeedEntry | None]] = []  # (source, entry) to turn into articles
    for feed in feeds:
        try:
            entries = parse_feed(_read_feed(fetcher, feed), feed, spec.fetch.max_entries)
        except IngestError as exc:
            into.warnings.append(f"feed {exc}")
            continue
        todo += [(feed, e) for e in entries]
    todo += [(url, None) for url in sources if is_url(url)]

    with ThreadPoolExecutor(max_workers=spec.fetch.workers) as pool:
        downloads = list(pool.map(partial(_download, fetcher), todo))
    seconds = spec.limits.max_article_seconds
    for job, (got, error) in zip(todo, downloads, strict=True):
        source, entry = job
        article, warning = _article_of(job, got, error, seconds)
        if warning:
            into.warnings.append(warning)
        if article is not None:
            into.articles.append(article)
        elif entry is not None:
            into.dropped.append(Dropped(path=entry.link or source, reason=warning or ""))
        else:
            into.dropped.append(Dropped(path=source, reason=warning or ""))


def gather(
    name: str,
    sources: Sequence[str],
    feeds: Sequence[str],
    spec: BriefingSpec,
    fetcher: Fetcher | None = None,
    jobs: int = 1,
    cache: Store | None = None,
) -> IngestResult:
    """All articles of briefing ``name``, deduplicated, ids ``a1``, ``a2`` ... in source order.

    Order: local files, then feeds, then article URLs, as listed in the config.  Files are read
    under ``spec.limits`` by ``jobs`` processes, exactly as ``briefgen build`` reads them; all
    articles are then de-duplicated once, across sources (a feed entry and the same file), and
    those off ``spec.topic`` set aside (:mod:`briefgen.ingest.topic`).
    """
    own = fetcher is None
    fetcher = fetcher or Fetcher(spec.fetch)
    got = _Gathered()
    try:
        _read_local(sources, spec, jobs, got, cache)
        _fetch_remote(sources, feeds, spec, fetcher, got)
    finally:
        if own:
            fetcher.close()
    unique = dedupe_articles(got.articles, files=got.files)
    warnings = got.warnings + unique.warnings
    if not unique.articles:
        raise IngestError(
            f"briefing {name!r}: no articles from any source"
            + (f" ({'; '.join(warnings)})" if warnings else "")
        )
    result = IngestResult(
        articles=unique.articles,
        dropped=got.dropped + [d for _, d in unique.dropped],
        warnings=warnings,
    )
    return focus_result(result, spec.topic, spec.topic_min_matches)
