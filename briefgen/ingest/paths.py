"""Which files an input names: files, folders (walked safely) and globs.

A folder that others fill may hold links to files elsewhere (``/etc/passwd``), linked folders,
FIFOs that block a reader, sockets and devices, loops, and names no terminal should print.
:func:`collect_paths` follows links only inside the folder given (unless ``follow_symlinks``),
skips anything that is not a regular file, walks each real folder once, and names what it
skipped in ``warnings``.
"""

from __future__ import annotations

import glob
import os
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from briefgen.errors import IngestError

__all__ = ["SUFFIXES", "collect_paths", "is_url", "safe_name"]

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def safe_name(name: str) -> str:
    """A file name fit for one-line messages, JSON and Markdown.

    Linux names may hold newlines, escape sequences and bytes that are not UTF-8 (Python keeps
    those as lone surrogates, which JSON cannot encode): controls are shown as ``\\n``-style
    escapes and undecodable bytes as U+FFFD, so a name can neither break a message onto a second
    line nor crash a writer.
    """
    if name.isprintable() and not any(0xD800 <= ord(c) <= 0xDFFF for c in name):
        return name
    out = []
    for c in name:
        if 0xD800 <= ord(c) <= 0xDFFF:
            out.append("\ufffd")
        elif unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp"):
            out.append(c.encode("unicode_escape").decode("ascii"))
        else:
            out.append(c)
    return "".join(out)


def _display(path: Path, root: Path | None = None) -> str:
    """Path as shown to users: relative to ``root`` (default: the working folder) when inside
    it, always printable.  A Dask worker is given the building process's folder as ``root``."""
    try:
        shown = path.relative_to(root or Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = path.as_posix()
    return safe_name(shown)


def _special(path: Path) -> str | None:
    """What ``path`` is when it is neither a regular file nor a folder (FIFO, socket, device)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # dangling link or gone: reading reports it, or it is skipped
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    for test, kind in _SPECIAL:
        if test(mode):
            return kind
    return "special file"


_SPECIAL = (
    (stat.S_ISFIFO, "named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def _escapes(path: Path, top: Path) -> bool:
    """Whether ``path`` is a link (or inside a linked folder) leading outside ``top``."""
    try:
        return not path.resolve().is_relative_to(top)
    except (OSError, RuntimeError):  # a loop: resolve() gives up
        return True


def _walk(folder: Path, warnings: list[str] | None = None, follow: bool = False) -> list[Path]:
    """Article files under ``folder``, never a folder twice (symlink loops).

    Symlinks (to files or folders) leading outside ``folder`` are followed only with
    ``follow``; otherwise each is named in ``warnings``.  FIFOs, sockets and devices are
    skipped with a warning: reading one could block or never end.  Folders that cannot be
    listed are reported in ``warnings`` rather than silently skipped.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    top = folder.resolve()
    notes: list[str] = warnings if warnings is not None else []

    def unreadable(exc: OSError) -> None:
        where = _display(Path(exc.filename)) if exc.filename else _display(folder)
        notes.append(f"{where}: cannot read folder ({exc.strerror or exc}); skipped")

    def outside(path: Path) -> bool:
        if follow or not _escapes(path, top):
            return False
        notes.append(
            f"{_display(path)}: link leading outside {_display(folder)}; not followed "
            "(--follow-symlinks allows it)"
        )
        return True

    for root, dirs, files in os.walk(folder, followlinks=True, onerror=unreadable):
        real = Path(root).resolve()
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not outside(Path(root, d)))
        for name in files:
            path = Path(root, name)
            if path.suffix.lower() not in SUFFIXES or outside(path):
                continue
            kind = _special(path)
            if kind:
                notes.append(f"{_display(path)}: {kind}, not a regular file; skipped")
                continue
            found.append(path)
    return found


def collect_paths(
    inputs: Sequence[str], warnings: list[str] | None = None, follow_symlinks: bool = False
) -> list[Path]:
    """Expand files, folders (recursively) and globs into sorted, unique, resolved paths.

    Only .txt, .md, .markdown, .html and .htm files are taken from folders and globs; naming
    another kind of file directly is an error rather than a silent skip.  Folders that cannot be
    listed, links leading out of a folder (unless ``follow_symlinks``) and FIFOs, sockets and
    devices are added to ``warnings`` when given.
    """
    found: set[Path] = set()
    for raw in inputs:
        path = Path(raw).expanduser()
        kind = _special(path)
        if kind:
            raise IngestError(f"{safe_name(raw)}: {kind}, not a regular file")
        if path.is_dir():
            candidates = _walk(path, warnings, follow_symlinks)
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise IngestError(f"{safe_name(raw)}: not an article file (use .txt, .md or .html)")
            candidates = [path]
        elif glob.has_magic(raw):
            matches = sorted(glob.glob(os.path.expanduser(raw), recursive=True))
            if not matches:
                raise IngestError(f"{safe_name(raw)}: no files match this pattern")
            candidates = []
            for match in map(Path, matches):
                if match.is_dir():
                    candidates += _walk(match, warnings, follow_symlinks)
                elif match.suffix.lower() in SUFFIXES and not _special(match):
                    candidates.append(match)
        else:
            raise IngestError(f"{safe_name(raw)}: no such file or folder")
        for candidate in candidates:
            real = candidate.resolve()
            if real.is_file():  # skips dangling links
                found.add(real)
    return sorted(found)
