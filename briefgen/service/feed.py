"""Atom feeds of published editions: ``reports/<briefing>/feed.xml`` and ``reports/feed.xml``.

One entry per edition on disk: the briefing's title and date, the bottom line as summary, and a
link to each of its files.  Feeds are built from the edition folders (as ``index.html`` is), so
they are always true to what a reader can open, and rebuilt with the index after each publish.
Without ``reports_url`` the links are relative to the feed (valid Atom; a feed reader resolves
them against where it fetched the feed); with it they are absolute and the entry ids are URLs.
"""

from __future__ import annotations

import fcntl
import logging
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from briefgen import __version__
from briefgen.errors import PublishError
from briefgen.service.digest import Digest
from briefgen.service.publish import atomic_write_text, editions

__all__ = ["FEED", "write_feeds"]

log = logging.getLogger(__name__)

FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"
ALL_ENTRIES = 100
"""Entries in ``reports/feed.xml`` (newest first); a briefing's own feed lists every edition."""
_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html",
    ".md": "text/markdown",
    ".json": "application/json",
}


@dataclass(frozen=True)
class _Entry:
    briefing: str
    edition: str
    title: str
    updated: datetime
    summary: str
    files: list[str]


def _entry(folder: Path) -> _Entry:
    """An edition folder as a feed entry; without a readable JSON, its name and files only."""
    briefing = folder.parent.name
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    try:
        d = Digest.from_edition(folder, briefing)
        title = f"{d.title} — {d.date_text}"
        updated = datetime.fromisoformat(d.generated_at)
        summary = " ".join(p.text for p in d.bottom_line)
    except (OSError, ValueError):
        stamp = folder.name[:15]
        updated = datetime.strptime(stamp, "%Y-%m-%d_%H%M").replace(tzinfo=UTC)
        title, summary = f"{briefing} — {folder.name}", ""
    return _Entry(briefing, folder.name, title, updated, summary, files)


def _atom_time(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _feed(title: str, entries: list[_Entry], root: str | None, briefing: str | None) -> str:
    """The Atom document of ``entries``: one briefing's (``briefing``) or all (None).

    ``root`` is the public URL of the reports folder, if any; links are relative to the feed.
    """
    ET.register_namespace("", ATOM)
    base = (f"{root}{quote(briefing)}/" if briefing else root) if root else None
    feed = ET.Element(f"{{{ATOM}}}feed")
    if base:
        feed.set("{http://www.w3.org/XML/1998/namespace}base", base)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    sub(feed, "title", title)
    sub(feed, "id", base or f"urn:briefgen:{briefing or 'all'}")
    newest = max((e.updated for e in entries), default=datetime(1970, 1, 1, tzinfo=UTC))
    sub(feed, "updated", _atom_time(newest))
    sub(feed, "link", rel="self", href=FEED, type="application/atom+xml")
    sub(feed, "link", rel="alternate", href="../index.html" if briefing else "index.html",
        type="text/html")  # fmt: skip
    sub(feed, "generator", "briefgen", version=__version__)
    sub(sub(feed, "author"), "name", "briefgen")
    for e in entries:
        entry = sub(feed, "entry")
        where = ("" if briefing else f"{quote(e.briefing)}/") + f"{quote(e.edition)}/"
        sub(entry, "title", e.title)
        edition_url = f"{root}{quote(e.briefing)}/{quote(e.edition)}/" if root else None
        sub(entry, "id", edition_url or f"urn:briefgen:{e.briefing}:{e.edition}")
        sub(entry, "updated", _atom_time(e.updated))
        sub(entry, "published", _atom_time(e.updated))
        if e.summary:
            sub(entry, "summary", e.summary)
        main = next((f for f in e.files if f.endswith(".html")), None)
        alternate = where + quote(main) if main else where
        sub(entry, "link", rel="alternate", href=alternate, type="text/html")
        for name in e.files:
            kind = _TYPES.get(Path(name).suffix, "application/octet-stream")
            sub(entry, "link", rel="enclosure", href=where + quote(name), type=kind, title=name)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def write_feeds(reports_dir: Path, reports_url: str | None = None) -> list[Path]:
    """Rebuild every briefing's ``feed.xml`` and ``reports/feed.xml``, atomically, under the
    index lock (two briefings publishing at once each see the other's edition)."""
    base = reports_url.rstrip("/") + "/" if reports_url else None
    written: list[Path] = []
    fd = os.open(reports_dir / ".index.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        everything: list[_Entry] = []
        for folder in sorted(reports_dir.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir() or folder.is_symlink():
                continue
            found = [_entry(p) for p in editions(folder)]
            if not found:
                continue
            found.sort(key=lambda e: e.updated, reverse=True)
            everything += found
            text = _feed(f"{folder.name}: briefings", found, base, folder.name)
            atomic_write_text(folder / FEED, text)
            written.append(folder / FEED)
        everything.sort(key=lambda e: e.updated, reverse=True)
        text = _feed("All briefings", everything[:ALL_ENTRIES], base, None)
        atomic_write_text(reports_dir / FEED, text)
        written.append(reports_dir / FEED)
    except OSError as exc:
        raise PublishError(f"{reports_dir}: cannot write feeds ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    return written
