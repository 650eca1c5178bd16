"""What a delivery says about an edition: title, date, bottom line, key points with their sources,
and where the edition's files are.  Emails, webhooks and the feed of editions all read it.

A digest is small and JSON-serialisable, so it is stored with the delivery record and a retry on
a later run composes the same message without the edition's JSON (which may not be among its
formats) and without rebuilding.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from briefgen.model import Briefing

__all__ = ["Digest", "clean_line", "edition_link"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


def clean_line(text: str, limit: int = 300) -> str:
    """One line of news text safe for a header or a chat message: control, bidi and line-break
    characters become spaces, whitespace is collapsed, long text is cut at a word with '…'."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    if len(line) > limit:
        line = line[: limit - 1].rsplit(" ", 1)[0] + "…"
    return line


def _outlet(outlet: str | None) -> str | None:
    return clean_line(outlet, 100) if outlet else None


@dataclass(frozen=True)
class Point:
    text: str
    sources: list[int]  # 1-based numbers into Digest.sources


@dataclass(frozen=True)
class SourceLine:
    number: int
    title: str
    outlet: str | None
    where: str | None  # URL, else the file it was read from


@dataclass(frozen=True)
class Digest:
    briefing: str  # the config's briefing name (its folder)
    edition: str  # the edition folder's name
    title: str
    generated_at: str  # ISO 8601 with offset
    timezone: str
    bottom_line: list[Point]
    key_points: list[Point]
    sources: list[SourceLine]
    files: list[str] = field(default_factory=list)  # file names in the edition folder

    @classmethod
    def of(
        cls, briefing: Briefing, name: str, edition: str, files: list[str], timezone: str = "UTC"
    ) -> Digest:
        numbers = {s.id: i for i, s in enumerate(briefing.sources, 1)}

        def point(st: object) -> Point:
            cites = getattr(st, "citations", [])
            nums = list(
                dict.fromkeys(numbers[c.article_id] for c in cites if c.article_id in numbers)
            )
            return Point(clean_line(getattr(st, "text", ""), 2000), nums)

        cited = {n for p in (*briefing.bottom_line, *briefing.key_points) for n in point(p).sources}
        return cls(
            briefing=name,
            edition=edition,
            title=clean_line(briefing.title, 200),
            generated_at=briefing.generated_at.isoformat(),
            timezone=timezone,
            bottom_line=[point(s) for s in briefing.bottom_line],
            key_points=[point(s) for s in briefing.key_points],
            sources=[
                SourceLine(i, clean_line(s.title, 200), _outlet(s.outlet), s.url or s.path)
                for i, s in enumerate(briefing.sources, 1)
                if i in cited
            ],
            files=sorted(files),
        )

    @classmethod
    def from_edition(cls, folder: Path, name: str, timezone: str = "UTC") -> Digest:
        """The digest of a published edition folder, from its briefing JSON."""
        data = (folder / f"{name}.json").read_text(encoding="utf-8")
        files = [p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
        return cls.of(Briefing.from_json(data), name, folder.name, files, timezone)

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.generated_at).astimezone(ZoneInfo(self.timezone))

    @property
    def date_text(self) -> str:
        return f"{self.when.day} {self.when:%B %Y}"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Digest:
        data = json.loads(text)
        data["bottom_line"] = [Point(**p) for p in data["bottom_line"]]
        data["key_points"] = [Point(**p) for p in data["key_points"]]
        data["sources"] = [SourceLine(**s) for s in data["sources"]]
        return cls(**data)


def edition_link(reports_url: str | None, reports_dir: Path, briefing: str, edition: str) -> str:
    """Where a reader finds an edition: under ``reports_url`` when the config gives one, else the
    folder on this machine."""
    if reports_url:
        return f"{reports_url.rstrip('/')}/{quote(briefing)}/{quote(edition)}/"
    return str((reports_dir / briefing / edition).resolve()) + "/"
