"""Gather a briefing's articles from files, RSS/Atom feeds and web pages.

Every remote source is bounded (total time, bytes, redirects, http/https only) because a
scheduled run has nobody watching it: one slow or hostile site must cost a warning, not the
whole briefing.  feedparser only ever parses bytes fetched here, so these limits hold for feeds
too.  A source that fails gives a one-line warning naming it; the run fails only if no article
remains at all.
"""

from __future__ import annotations

import calendar
import logging
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from briefgen import __version__
from briefgen.errors import IngestError, one_line
from briefgen.ingest.clean import TextProblem, decode_bytes
from briefgen.ingest.dedupe import dedupe_articles
from briefgen.ingest.html import article_from_html, plain_title
from briefgen.ingest.read import (
    IngestResult,
    collect_paths,
    is_url,
    no_readable_articles,
    read_all,
)
from briefgen.model import Article, Dropped
from briefgen.spec import BriefingSpec, FetchLimits

__all__ = ["USER_AGENT", "FeedEntry", "FetchError", "Fetcher", "gather", "parse_feed"]

log = logging.getLogger(__name__)

USER_AGENT = f"briefgen/{__version__}"
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml;q=0.9,*/*;q=0.5"


class FetchError(IngestError):
    """A page or feed could not be fetched or parsed."""


def _reason(exc: BaseException) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, httpx.ConnectError):
        return "cannot connect"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return one_line(exc)


class Fetcher:
    """An httpx client with briefgen's limits; thread-safe, so pages can be fetched at once."""

    def __init__(self, limits: FetchLimits | None = None) -> None:
        self.limits = limits or FetchLimits()
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.limits.timeout),
            follow_redirects=True,
            max_redirects=self.limits.max_redirects,
            headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT},
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

        The body is streamed and abandoned past ``max_bytes``; the timeout bounds the whole
        request, not just each read, so a server dripping bytes cannot hold a run.
        """
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FetchError(f"{url}: only http and https URLs are fetched")
        limit = self.limits.max_bytes
        deadline = time.monotonic() + self.limits.timeout
        try:
            with self._client.stream("GET", url) as response:
                response.raise_for_status()
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"{url}: larger than {limit:,} bytes")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"{url}: larger than {limit:,} bytes")
                    if time.monotonic() > deadline:
                        raise FetchError(f"{url}: timed out")
                    chunks.append(chunk)
                return b"".join(chunks), response.charset_encoding, str(response.url)
        except FetchError:
            raise
        except (httpx.HTTPError, httpx.InvalidURL, OSError) as exc:
            raise FetchError(f"{url}: {_reason(exc)}") from None

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


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str | None
    published: date | None
    content: str  # the entry's own HTML/text: used when fetching the link fails


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).date()
    return None


def parse_feed(data: bytes, name: str, max_entries: int) -> list[FeedEntry]:
    """Entries of an RSS/Atom document (bytes only: feedparser must never fetch by itself)."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        why = parsed.get("bozo_exception")
        detail = f" ({' '.join(str(why).split())})" if why else ""
        raise FetchError(f"{name}: not an RSS or Atom feed, or no entries{detail}")
    entries = []
    for e in parsed.entries:
        content = ""
        if e.get("content"):
            content = max((c.get("value", "") for c in e.content), key=len)
        content = content or e.get("summary", "")
        entries.append(
            FeedEntry(
                title=plain_title(str(e.get("title", ""))),
                link=e.get("link") or None,
                published=_entry_date(e),
                content=content,
            )
        )
    entries.sort(key=lambda x: x.published or date.min, reverse=True)  # stable: feed order
    return entries[:max_entries]


def _from_content(entry: FeedEntry) -> Article:
    """An article from the feed's own text; raises IngestError if it holds none."""
    text = entry.content.strip()
    if not text:
        raise FetchError(f"{entry.link or entry.title}: feed entry has no text")
    html = text if "<" in text else f"<html><body><p>{text}</p></body></html>"
    return article_from_html(html, url=entry.link)


def _entry_article(fetcher: Fetcher | None, entry: FeedEntry) -> tuple[Article, str | None]:
    """The linked page, else the entry's own text; plus a warning when falling back."""
    warning = None
    if entry.link and is_url(entry.link) and fetcher is not None:
        try:
            article = fetcher.page(entry.link)
        except IngestError as exc:
            warning = f"{exc}; used the feed's own text"
            article = _from_content(entry)
    else:
        article = _from_content(entry)
    update: dict[str, Any] = {}
    if entry.title:
        update["title"] = entry.title  # the feed's headline, without " | Site" suffixes
    if entry.published and not article.published:
        update["published"] = entry.published
    return article.model_copy(update=update), warning


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


def _read_local(sources: Sequence[str], spec: BriefingSpec, jobs: int, into: _Gathered) -> None:
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
        read = read_all(local, spec.limits, jobs)
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

    def one(job: tuple[str, FeedEntry | None]) -> tuple[Article | None, str | None]:
        source, entry = job
        try:
            if entry is None:
                return fetcher.page(source), None
            return _entry_article(fetcher, entry)
        except IngestError as exc:
            return None, str(exc)

    with ThreadPoolExecutor(max_workers=spec.fetch.workers) as pool:
        for (source, entry), (article, warning) in zip(todo, pool.map(one, todo), strict=True):
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
) -> IngestResult:
    """All articles of briefing ``name``, deduplicated, ids ``a1``, ``a2`` ... in source order.

    Order: local files, then feeds, then article URLs, as listed in the config.  Files are read
    under ``spec.limits`` by ``jobs`` processes, exactly as ``briefgen build`` reads them; all
    articles are then de-duplicated once, across sources (a feed entry and the same file).
    """
    own = fetcher is None
    fetcher = fetcher or Fetcher(spec.fetch)
    got = _Gathered()
    try:
        _read_local(sources, spec, jobs, got)
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
    return IngestResult(
        articles=unique.articles,
        dropped=got.dropped + [d for _, d in unique.dropped],
        warnings=warnings,
    )
