"""RSS and Atom feeds: their entries, from bytes only (feedparser never fetches by itself)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from briefgen.errors import IngestError
from briefgen.ingest.html import plain_title

__all__ = ["FeedEntry", "FetchError", "parse_feed"]


class FetchError(IngestError):
    """A page or feed could not be fetched or parsed."""


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
