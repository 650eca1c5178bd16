"""Publishing editions so that readers never see a partial or missing report.

Layout::

    reports/
      index.html                      every briefing and edition (rebuilt on each publish)
      <briefing>/
        .lock                         flock: one run of a briefing at a time
        .tmp-XXXX/                    being rendered (hidden; swept by the next run)
        2026-01-24_0700/              a complete edition
        latest -> 2026-01-24_0700     symlink, swapped atomically

Every step that changes what a reader sees is one ``rename``: the finished folder into its
dated name, a new symlink over ``latest``, a temp file over ``index.html``.  So a crash or
``kill -9`` at any moment leaves the previous edition and ``latest`` intact, and the only debris
is a dot-folder the next run removes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from briefgen.errors import PublishError
from briefgen.ingest.clean import for_people

__all__ = [
    "LATEST",
    "LockBusy",
    "briefing_lock",
    "editions",
    "flock_wait",
    "new_staging",
    "prune",
    "publish_edition",
    "sweep",
    "usual_mode",
    "write_index",
]

log = logging.getLogger(__name__)

LATEST = "latest"
LOCK = ".lock"
_TMP_PREFIX = ".tmp-"
_TRASH_PREFIX = ".trash-"
_EDITION = re.compile(r"^(\d{4}-\d{2}-\d{2}_\d{4})(?:-(\d+))?$")


class LockBusy(PublishError):
    """Another run of the same briefing holds the lock."""


def _fsync_dir(folder: Path) -> None:
    """Make renames inside ``folder`` durable (a power cut must not undo a publish)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def usual_mode(folder: bool = False) -> int:
    """The mode ``cp`` or ``mkdir`` would give a new file or folder: 0666 / 0777 less the
    umask.  Temporary files start private (0600, 0700); published ones get this instead, in
    ``build`` and ``run`` alike, so a web server can read them when the umask allows it."""
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o777 if folder else 0o666) & ~mask


def atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, usual_mode())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


# --------------------------------------------------------------------------- lock


def flock_wait(fd: int, wait: float, where: Path, busy: str, poll: float = 0.1) -> None:
    """Lock ``fd`` exclusively, waiting up to ``wait`` seconds; then LockBusy(``busy``)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise PublishError(f"{where}: cannot lock ({exc.strerror})") from exc
            if time.monotonic() >= deadline:
                waited = f" (waited {wait:g} s)" if wait else ""
                raise LockBusy(f"{busy}{waited}") from None
            time.sleep(poll)


@contextlib.contextmanager
def briefing_lock(folder: Path, wait: float = 0.0, poll: float = 0.1) -> Iterator[None]:
    """Hold ``<folder>/.lock`` exclusively; wait up to ``wait`` seconds, then raise LockBusy.

    ``flock`` is released by the kernel when the holder dies, so a killed run never leaves a
    stale lock behind (unlike a lock *file* whose existence is the lock).
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        flock_wait(fd, wait, folder / LOCK, f"another run of {folder.name} is in progress", poll)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a hint for humans
        yield
    finally:
        os.close(fd)  # closing releases the flock


# --------------------------------------------------------------------------- editions


def _edition_key(name: str) -> tuple[str, int]:
    m = _EDITION.match(name)
    if not m:
        raise ValueError(name)
    return m.group(1), int(m.group(2) or 1)


def editions(folder: Path) -> list[Path]:
    """Published edition folders of one briefing, newest first."""
    if not folder.is_dir():
        return []
    found = [
        p for p in folder.iterdir() if _EDITION.match(p.name) and p.is_dir() and not p.is_symlink()
    ]
    return sorted(found, key=lambda p: _edition_key(p.name), reverse=True)


def sweep(folder: Path) -> list[Path]:
    """Remove temp and trash folders left by crashed runs; call only while holding the lock."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for p in folder.iterdir():
        if p.name.startswith((_TMP_PREFIX, _TRASH_PREFIX)) or (
            p.name.startswith(f".{LATEST}.") and p.is_symlink()
        ):
            if p.is_symlink() or p.is_file():
                p.unlink(missing_ok=True)
            else:
                shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    if removed:
        log.info("%s: removed %d leftover temp folder(s)", folder.name, len(removed))
    return removed


def new_staging(folder: Path) -> Path:
    """A hidden folder beside the editions, so the final rename stays on one file system."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=folder))
    except OSError as exc:
        raise PublishError(f"{folder}: cannot create a folder here ({exc.strerror})") from exc


def edition_name(folder: Path, now: datetime) -> str:
    """``YYYY-MM-DD_HHMM`` in the briefing's time, ``-2``, ``-3`` ... when taken.

    Never sorts before the newest edition (clock set back, DST fall-back): ``latest`` and
    pruning both go by name order, so the name must grow.
    """
    stamp = now.strftime("%Y-%m-%d_%H%M")
    newest = editions(folder)
    if newest:
        top_stamp, top_n = _edition_key(newest[0].name)
        if stamp < top_stamp:
            stamp = top_stamp
        if stamp == top_stamp:
            return f"{stamp}-{top_n + 1}"
    n = 1
    name = stamp
    while (folder / name).exists() or (folder / name).is_symlink():
        n += 1
        name = f"{stamp}-{n}"
    return name


def set_latest(folder: Path, name: str) -> None:
    """Point ``latest`` at ``name``: a new symlink renamed over the old one (atomic)."""
    tmp = folder / f".{LATEST}.{os.getpid()}.{time.monotonic_ns()}"
    os.symlink(name, tmp)  # relative, so the reports folder can be moved or synced
    try:
        os.replace(tmp, folder / LATEST)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def publish_edition(staging: Path, folder: Path, now: datetime) -> Path:
    """Rename a complete staging folder into its dated name and point ``latest`` at it."""
    latest = folder / LATEST
    if latest.exists() and not latest.is_symlink():
        kind = "a folder" if latest.is_dir() else "a file"
        raise PublishError(
            f"{latest}: is {kind}, not the link to the newest edition briefgen keeps there; "
            "move it away and run again"
        )
    name = edition_name(folder, now)
    target = folder / name
    try:
        os.chmod(staging, usual_mode(folder=True))  # mkdtemp and atomic writes are private;
        for item in staging.iterdir():  # reports are meant to be read, e.g. by a web server
            if item.is_file():
                os.chmod(item, usual_mode())
        os.rename(staging, target)  # fails rather than merge if target appeared meanwhile
        _fsync_dir(folder)
        set_latest(folder, name)
        _fsync_dir(folder)
    except OSError as exc:
        raise PublishError(f"{target}: cannot publish ({exc.strerror})") from exc
    return target


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove editions beyond the newest ``keep``; never the one ``latest`` points to.

    Each is first renamed to a hidden trash name (atomic), then deleted, so a crash mid-delete
    leaves no half-deleted edition in view.
    """
    current = (folder / LATEST).resolve() if (folder / LATEST).is_symlink() else None
    removed = []
    for old in editions(folder)[keep:]:
        if current is not None and old.resolve() == current:
            continue
        trash = folder / f"{_TRASH_PREFIX}{old.name}-{time.monotonic_ns()}"
        try:
            os.rename(old, trash)
        except OSError as exc:
            log.warning("%s: cannot remove old edition (%s)", old, exc.strerror)
            continue
        shutil.rmtree(trash, ignore_errors=True)
        removed.append(old)
    return removed


# --------------------------------------------------------------------------- index


@dataclass
class EditionEntry:
    name: str
    date: str
    files: list[tuple[str, str]]  # (format, relative href)
    title: str | None = None
    bottom_line: list[str] = field(default_factory=list)
    sources: int | None = None
    new: int | None = None


@dataclass
class BriefingEntry:
    name: str
    latest: str | None
    editions: list[EditionEntry]


def _edition_entry(reports_dir: Path, path: Path) -> EditionEntry:
    stamp, n = _edition_key(path.name)
    when = datetime.strptime(stamp, "%Y-%m-%d_%H%M").strftime("%Y-%m-%d %H:%M")
    files = sorted(
        (p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")),
        key=lambda p: p.suffix,
    )
    entry = EditionEntry(
        name=path.name,
        date=when + (f" (#{n})" if n > 1 else ""),
        files=[
            (p.suffix.lstrip(".").upper(), p.relative_to(reports_dir).as_posix()) for p in files
        ],
    )
    data_file = next((p for p in files if p.suffix == ".json"), None)
    if data_file is not None:
        try:
            data = json.loads(data_file.read_text(encoding="utf-8"))
            title = data.get("title")
            entry.title = for_people(title) if title is not None else None
            entry.bottom_line = [for_people(s.get("text", "")) for s in data.get("bottom_line", [])]
            entry.sources = len(data.get("sources", []))
            entry.new = sum(bool(s.get("new")) for s in data.get("sources", []))
        except (OSError, ValueError, AttributeError, TypeError):
            log.warning("%s: unreadable briefing JSON; listed without its bottom line", data_file)
    return entry


def index_entries(reports_dir: Path) -> list[BriefingEntry]:
    out: list[BriefingEntry] = []
    if not reports_dir.is_dir():
        return out
    for folder in sorted(reports_dir.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():  # a linked folder is listed too
            continue
        found = editions(folder)
        if not found:
            continue
        link = folder / LATEST
        latest = os.readlink(link) if link.is_symlink() else None
        out.append(
            BriefingEntry(folder.name, latest, [_edition_entry(reports_dir, p) for p in found])
        )
    return out


def write_index(reports_dir: Path, now: datetime | None = None) -> Path:
    """Rebuild ``reports/index.html`` from what is on disk, atomically.

    Built from the folders rather than the state file, so it is always true to what a reader
    can open.  A lock on ``reports/.index.lock`` keeps two briefings publishing at once from
    writing an index that misses the other's new edition.
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from briefgen import __version__
    from briefgen.render.context import BUILTIN_TEMPLATES

    env = Environment(
        loader=FileSystemLoader(BUILTIN_TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("index.html.j2")
    target = reports_dir / "index.html"
    reports_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(reports_dir / ".index.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        html = template.render(
            briefings=index_entries(reports_dir),
            generated=(now or datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M %Z").strip(),
            version=__version__,
        )
        atomic_write_text(target, html)
    except OSError as exc:
        raise PublishError(f"{target}: cannot write index ({exc.strerror})") from exc
    finally:
        os.close(fd)
    return target
