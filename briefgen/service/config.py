"""The briefings config file: TOML, validated with pydantic, every problem reported at once.

A user fixing a config wants all its mistakes in one go, each with the line to look at, so
validation errors are collected and raised as one :class:`ConfigError` naming the file, key and
line.  Relative paths are resolved against the config file's folder, never the working folder,
so ``briefgen run`` behaves the same from cron, systemd or a shell.
"""

from __future__ import annotations

import glob
import os
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from briefgen.errors import ConfigError
from briefgen.ingest.read import is_url
from briefgen.ingest.topic import TopicError, parse_topic
from briefgen.service.cron import parse_cron
from briefgen.service.smtpconfig import SmtpConfig, check_address
from briefgen.spec import FORMATS, BriefingSpec, FetchLimits, Limits, Targets, parse_size

__all__ = [
    "BriefingConfig",
    "Config",
    "load_config",
]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BriefingConfig(_Strict):
    """One briefing: where its articles come from, how it is built, when and how it is kept."""

    name: str = Field(description="Folder name under the reports folder; letters, digits, _ -.")
    title: str | None = Field(None, description="Briefing title (default: from the articles).")
    sources: list[str] = Field(
        default_factory=list, description="Files, folders, globs and article URLs."
    )
    feeds: list[str] = Field(default_factory=list, description="RSS/Atom feed files or URLs.")
    formats: list[Literal["pdf", "docx", "html", "md", "json"]] = Field(
        default_factory=lambda: list(FORMATS),  # type: ignore[arg-type]
        min_length=1,
    )
    jobs: int = Field(0, ge=0, description="Processes for a run (0: all cores), as build --jobs.")
    template_dir: Path | None = None
    paper: Literal["a4", "letter"] = Field("a4", description="Paper of the PDF and DOCX.")
    layout: Literal["memo", "brief"] = Field(
        "memo", description="memo: every section; brief: a one-page brief."
    )
    schedule: str | None = Field(
        None, description="Five-field cron expression, e.g. '0 7 * * 1-5'."
    )
    timezone: str = Field("UTC", description="IANA time zone the schedule is read in.")
    keep: int = Field(10, ge=1, description="Editions kept; older ones are removed after publish.")
    on_nothing_new: Literal["skip", "build"] = "skip"
    lock_wait: float = Field(
        0.0, ge=0, description="Seconds a run waits for another run of this briefing, then skips."
    )
    readability: Targets = Field(default_factory=Targets)
    limits: Limits = Field(default_factory=Limits)
    fetch: FetchLimits = Field(default_factory=FetchLimits)
    # Delivery (service/deliver.py, service/webhook.py) and topic focus (ingest/topic.py).
    email_to: list[str] = Field(
        default_factory=list, description="Addresses each new edition is emailed to ([smtp])."
    )
    email_formats: list[Literal["pdf", "docx", "html", "md", "json"]] = Field(
        default_factory=lambda: ["pdf"],  # type: ignore[arg-type]
        description="Formats attached to the email.",
    )
    webhook_url: str | None = Field(
        None, description="URL each new edition is POSTed to as JSON (Slack-compatible 'text')."
    )
    topic: str | None = Field(
        None, description="Topic query, e.g. 'Kazakhstan OR \"Board of Peace\"'."
    )
    topic_min_matches: int = Field(1, ge=1, description="Topic mentions an article needs.")
    cache: bool = Field(
        True,
        description="Keep per-article work in the article cache of the state folder "
        "(<reports>/.briefgen-cache), so a run redoes only what is new.",
    )
    cache_size: int = Field(
        BriefingSpec.cache_size,
        gt=0,
        description="Most bytes of the article cache (e.g. '500MB'); least recently used go.",
    )

    @field_validator("email_to")
    @classmethod
    def _email_to(cls, value: list[str]) -> list[str]:
        return [check_address(v) for v in value]

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is not None and not is_url(value):
            raise ValueError("webhook_url must be an http:// or https:// URL")
        return value

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_topic(value)
            except TopicError as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("use 1-64 letters, digits, '_' or '-' (it becomes a folder name)")
        return value

    @field_validator("limits", mode="before")
    @classmethod
    def _limit_sizes(cls, value: Any) -> Any:
        """Sizes may be written "5MB" (``max_file_size``, ``max_total_size``, ``max_memory``)."""
        return Limits.sized(value) if isinstance(value, dict) else value

    @field_validator("cache_size", mode="before")
    @classmethod
    def _cache_size(cls, value: Any) -> Any:
        return parse_size(value) if isinstance(value, str) else value

    @field_validator("schedule")
    @classmethod
    def _schedule(cls, value: str | None) -> str | None:
        if value is not None:
            parse_cron(value)  # raises ValueError with the reason
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as 'Europe/Berlin')"
            ) from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def spec(self, now: datetime | None = None) -> BriefingSpec:
        """The settings a run of this briefing builds with: the one place a config table
        becomes a :class:`BriefingSpec`."""
        return BriefingSpec(
            title=self.title,
            formats=self._formats(),
            template_dir=self.template_dir,
            basename=self.name,
            now=now,
            timezone=self.timezone,
            jobs=self.jobs,
            paper=self.paper,
            layout=self.layout,
            targets=self.readability,
            limits=self.limits,
            fetch=self.fetch,
            topic=self.topic,
            topic_min_matches=self.topic_min_matches,
            cache_size=self.cache_size,
        )

    def _formats(self) -> tuple[str, ...]:
        """The formats built; deliveries are composed from the JSON, so it is always written
        when this briefing is emailed or posted to a webhook."""
        delivered = bool(self.email_to or self.webhook_url)
        extra = ("json",) if delivered and "json" not in self.formats else ()
        return (*self.formats, *extra)


class Config(_Strict):
    """A config file: where reports go, scheduler settings, and the briefings."""

    path: Path = Field(description="The config file itself (set by load_config).")
    reports_dir: Path = Field(description="Default reports folder (default: reports/ beside).")
    misfire_grace_time: int = Field(
        3600, gt=0, description="A run late by up to this many seconds still runs (once)."
    )
    max_parallel: int = Field(2, ge=1, description="Briefings the scheduler runs at once.")
    briefings: list[BriefingConfig] = Field(min_length=1)
    smtp: SmtpConfig | None = Field(None, description="Mail server for email_to ([smtp]).")
    reports_url: str | None = Field(
        None, description="Public URL of the reports folder: links in emails, webhooks, feeds."
    )

    @model_validator(mode="after")
    def _smtp_needed(self) -> Config:
        emailed = [b.name for b in self.briefings if b.email_to]
        if emailed and self.smtp is None:
            raise ValueError(f"briefing {emailed[0]!r} has email_to but there is no [smtp] table")
        return self

    def briefing(self, name: str) -> BriefingConfig:
        for b in self.briefings:
            if b.name == name:
                return b
        known = ", ".join(b.name for b in self.briefings)
        raise ConfigError(f"{self.path}: no briefing named {name!r} (have: {known})")


# --------------------------------------------------------------------------- locating keys


def _header(line: str) -> tuple[list[str], bool] | None:
    """``[a.b]`` -> (['a', 'b'], False); ``[[a]]`` -> (['a'], True); else None."""
    m = re.match(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", line)
    if not m:
        return None
    parts = [p.strip().strip("\"'") for p in m.group(2).split(".")]
    return parts, m.group(1) == "[["


def key_lines(text: str) -> dict[tuple[str | int, ...], int]:
    """Map each key path (as pydantic reports it) to the 1-based line defining it.

    A line scanner, not a TOML parser: enough for ``key = value`` lines, ``[table]`` and
    ``[[array]]`` headers, which is what config files hold.
    """
    found: dict[tuple[str | int, ...], int] = {}
    counts: dict[tuple[str, ...], int] = {}
    current: tuple[str | int, ...] = ()
    for n, line in enumerate(text.splitlines(), 1):
        head = _header(line)
        if head is not None:
            parts, is_array = head
            path: list[str | int] = []
            for i, part in enumerate(parts):  # [a.b] after [[a]] means the last a
                path.append(part)
                plain = tuple(str(p) for p in path)
                if is_array and i == len(parts) - 1:
                    counts[plain] = counts.get(plain, 0) + 1
                    path.append(counts[plain] - 1)
                elif plain in counts:
                    path.append(counts[plain] - 1)
            current = tuple(path)
            found.setdefault(current, n)
            continue
        m = re.match(r"^\s*([A-Za-z0-9_\-.\"']+)\s*=", line)
        if m:
            dotted = tuple(p.strip().strip("\"'") for p in m.group(1).split("."))
            found.setdefault((*current, *dotted), n)
    return found


def _line_for(
    loc: tuple[str | int, ...],
    lines: dict[tuple[str | int, ...], int],
    text: str,
    value: Any = None,
) -> int | None:
    """Line of the longest known prefix of ``loc``; for a list item, the line holding it."""
    for end in range(len(loc), 0, -1):
        if loc[:end] in lines:
            line = lines[loc[:end]]
            if isinstance(value, str) and end < len(loc):
                needle = re.compile(r"[\"']" + re.escape(value) + r"[\"']")
                rows = text.splitlines()
                for i in range(line - 1, min(len(rows), line + 200)):
                    if needle.search(rows[i]):
                        return i + 1
            return line
    return None


def _key_name(loc: tuple[str | int, ...], raw: dict[str, Any]) -> str:
    """``briefings[0].schedule`` as the user sees it: ``schedule`` of briefing 'name'."""
    if len(loc) >= 2 and loc[0] == "briefings" and isinstance(loc[1], int):
        items = raw.get("briefings")
        name = None
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            name = items[loc[1]].get("name")
        who = f"briefing {name!r}" if isinstance(name, str) else f"briefing #{loc[1] + 1}"
        rest = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in loc[2:])
        return f"{rest.replace('.[', '[')} ({who})" if rest else who
    return ".".join(str(p) for p in loc)


# --------------------------------------------------------------------------- loading


def _resolve(base: Path, value: str) -> str:
    if is_url(value):
        return value
    path = Path(value).expanduser()
    return os.path.normpath(path if path.is_absolute() else base / path)


def _missing_sources(items: Any) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Local sources that do not exist: a typo here would silently shrink every briefing.

    Works on the raw (path-resolved) tables, so these problems are reported together with
    schema errors rather than after they are fixed.
    """
    problems: list[tuple[tuple[str | int, ...], str, str]] = []
    for i, b in enumerate(items if isinstance(items, list) else []):
        if not isinstance(b, dict):
            continue
        for key in ("sources", "feeds"):
            values = b.get(key)
            for j, src in enumerate(values if isinstance(values, list) else []):
                if not isinstance(src, str) or is_url(src) or glob.has_magic(src):
                    continue  # a glob may match nothing today and files tomorrow
                if not Path(src).exists():
                    problems.append((("briefings", i, key, j), src, "no such file or folder"))
        if not b.get("sources") and not b.get("feeds"):
            problems.append((("briefings", i, "sources"), "", "a briefing needs sources or feeds"))
        tdir = b.get("template_dir")
        if isinstance(tdir, str) and not Path(tdir).is_dir():
            problems.append((("briefings", i, "template_dir"), "", "no such folder"))
    return problems


def _line_number(problem: str) -> int:
    m = re.search(r", line (\d+): ", problem)
    return int(m.group(1)) if m else 0


def load_config(path: Path | str) -> Config:
    """Read and validate a config file; raise one ConfigError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config ({exc})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends with "(at line L, column C)".
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return config_from_dict(raw, path, text)


def config_from_dict(raw: dict[str, Any], path: Path, text: str = "") -> Config:
    """Validate parsed TOML; ``text`` is used only to point errors at lines."""
    base = path.resolve().parent
    data = dict(raw)
    data["path"] = path.resolve()
    data["reports_dir"] = _resolve(base, str(raw.get("reports_dir", "reports")))
    if isinstance(raw.get("briefings"), list):
        items = []
        for item in raw["briefings"]:
            if isinstance(item, dict):
                item = dict(item)
                for key in ("sources", "feeds"):
                    if isinstance(item.get(key), list):
                        item[key] = [
                            _resolve(base, s) if isinstance(s, str) else s for s in item[key]
                        ]
                if isinstance(item.get("template_dir"), str):
                    item["template_dir"] = _resolve(base, item["template_dir"])
            items.append(item)
        data["briefings"] = items

    smtp = raw.get("smtp")
    if isinstance(smtp, dict) and isinstance(smtp.get("ca_file"), str):
        data["smtp"] = {**smtp, "ca_file": _resolve(base, smtp["ca_file"])}

    lines = key_lines(text)
    problems: list[str] = []

    def report(loc: tuple[str | int, ...], message: str, value: Any = None) -> None:
        line = _line_for(loc, lines, text, value)
        where = f"{path}, line {line}" if line else str(path)
        problems.append(f"{where}: {_key_name(loc, raw)}: {message}")

    cfg: Config | None = None
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
                msg = "unknown key"
            elif err["type"] == "missing":
                msg = "required key is missing"
            value = err.get("input")
            report(loc, msg, value if isinstance(value, str) else None)
    if cfg is not None:
        names = [b.name for b in cfg.briefings]
        for i, name in enumerate(names):
            if name in names[:i]:
                report(("briefings", i, "name"), f"briefing name {name!r} is used twice")
    for loc, value, msg in _missing_sources(data.get("briefings")):
        if value:  # show the path as written in the file, and find that line
            value = raw["briefings"][loc[1]][loc[2]][loc[3]]
            msg = f"{value!r}: {msg}"
        report(loc, msg, value or None)
    problems.sort(key=_line_number)
    if problems:
        count = f"{len(problems)} problems: " if len(problems) > 1 else ""
        raise ConfigError(f"invalid config: {count}" + "; ".join(problems))
    assert cfg is not None
    return cfg
