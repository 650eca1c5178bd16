"""Caches: things slow to rebuild on every run and safe to lose.

* The per-user cache folder ``$XDG_CACHE_HOME/briefgen`` (else ``~/.cache/briefgen``), private
  to the user, for tables built from briefgen's own data (:func:`pickled`).  When it cannot be
  written (read-only home, full disk) a run just rebuilds what it needs.
* :class:`Store`, the per-article cache of ``briefgen build --cache DIR`` and of scheduled runs
  (in the state folder): results of per-article work keyed by a hash of their input and of
  everything that could change them (:func:`code_fingerprint`), bounded in size, shared safely
  by concurrent runs.  Nothing in it is needed either: any trouble with it means computing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sqlite3
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def cache_dir(*parts: str) -> Path:
    """``<cache>/briefgen/<parts>`` (not created)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base.joinpath("briefgen", *parts)


def private_dir(*parts: str) -> Path | None:
    """:func:`cache_dir`, created readable by this user only; ``None`` when it cannot be."""
    path = cache_dir(*parts)
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path


def pickled(name: str, build: Callable[[], T]) -> T:
    """``build()``, pickled as ``<cache>/briefgen/<name>`` the first time, loaded afterwards."""
    path = cache_dir(name)
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError):
        pass
    value = build()
    folder = private_dir()
    if folder is None:  # best effort: a read-only home only costs the build next time
        return value
    try:
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as tmp:
            tmp.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp.name, path)
    except OSError as exc:
        log.debug("cache %s not written: %s", path, exc)
    return value


# --------------------------------------------------------------------------- the article cache

CACHE_FILE = "articles.sqlite"
"""The file of a :class:`Store` inside its folder."""
DEFAULT_MAX_BYTES = 1_000_000_000
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    size  INTEGER NOT NULL,
    used  INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_by_use ON entries (used);
"""
_BATCH = 500  # keys per SQL statement (SQLite allows 32,766 variables; small keeps it cheap)
_OVERHEAD = 64  # bytes an entry costs beyond its key and value: row header, index entry
_EVICT_TO = 0.9  # eviction frees down to this share of the bound, so it runs rarely


def code_fingerprint(*parts: object) -> str:
    """A digest of briefgen's version, its source code, the given dependencies' versions and
    ``parts`` (the settings that change per-article results): cache keys include it, so an
    upgrade, an edited module or another setting never reads an entry made before."""
    import briefgen

    digest = hashlib.sha256(f"{briefgen.__version__}\0".encode())
    package = Path(briefgen.__file__).parent
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    for part in parts:
        digest.update(f"\0{part}".encode())
    return digest.hexdigest()


def dependency_versions(*names: str) -> str:
    """``name=version`` of each installed distribution (``-`` when it is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in names:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return ",".join(found)


def key_of(fingerprint: str, kind: str, content: bytes) -> str:
    """The key of ``content``'s ``kind`` of result under ``fingerprint``."""
    digest = hashlib.sha256(f"{fingerprint}\0{kind}\0".encode())
    digest.update(content)
    return digest.hexdigest()


class Store:
    """Bytes by key in one SQLite file, bounded by ``max_bytes`` (least recently used first out).

    Safe for several processes at once: WAL mode lets readers run beside a writer, the busy
    timeout makes writers queue, and every write is one transaction.  It never fails a build:
    the first error (a file that is not a database, a full disk, a damaged entry) is logged as
    one warning and the store then answers nothing and keeps nothing, so callers compute.
    Values are zlib-compressed, so a damaged value fails its checksum and reads as a miss.
    """

    def __init__(self, folder: Path, max_bytes: int = DEFAULT_MAX_BYTES, wait: float = 30.0):
        self.path = Path(folder) / CACHE_FILE
        self.max_bytes = max_bytes
        self._warned = False
        self._db: sqlite3.Connection | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=wait, isolation_level=None)
            retry_while_locked(lambda: self._setup(self._db), wait, max_delay=0.25)
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)

    @staticmethod
    def _setup(db: sqlite3.Connection | None) -> None:
        assert db is not None
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # before the first table: frees pages
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.executescript(_SCHEMA)

    @property
    def usable(self) -> bool:
        return self._db is not None

    def warn(self, problem: str) -> None:
        """Log ``problem`` as the store's one warning (later ones only at debug level)."""
        if self._warned:
            log.debug("cache %s: %s", self.path, problem)
            return
        self._warned = True
        log.warning("cache %s: %s; computing instead", self.path, problem)

    def _fail(self, exc: BaseException) -> None:
        self.warn(f"unusable ({exc})")
        self.close()

    def get_many(self, keys: Sequence[str]) -> dict[str, bytes]:
        """The values of those ``keys`` that are stored, marked as used now."""
        if self._db is None or not keys:
            return {}
        found: dict[str, bytes] = {}
        damaged = 0
        try:
            for i in range(0, len(keys), _BATCH):
                batch = list(keys[i : i + _BATCH])
                marks = ",".join("?" * len(batch))
                sql = f"SELECT key, value FROM entries WHERE key IN ({marks})"
                for key, blob in self._db.execute(sql, batch):
                    try:
                        found[key] = zlib.decompress(blob)
                    except (zlib.error, TypeError):
                        damaged += 1
            self._touch(list(found))
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        if damaged:
            self.warn(f"{damaged} damaged entries")
        return found

    def put_many(self, items: Mapping[str, bytes]) -> None:
        """Store ``items`` (replacing entries with the same key), then evict to the bound."""
        if self._db is None or not items:
            return
        rows = [(k, zlib.compress(v, 1)) for k, v in items.items()]
        now = time.time_ns()
        try:
            with self._write() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO entries (key, value, size, used) VALUES (?, ?, ?, ?)",
                    [(k, blob, len(k) + len(blob) + _OVERHEAD, now) for k, blob in rows],
                )
                evicted = self._evict(db)
            if evicted:
                self._db.execute("PRAGMA incremental_vacuum")
        except sqlite3.Error as exc:
            self._fail(exc)

    def discard(self, keys: Sequence[str]) -> None:
        """Remove ``keys`` (entries found damaged), so they are stored afresh."""
        if self._db is None or not keys:
            return
        try:
            with self._write() as db:
                db.executemany("DELETE FROM entries WHERE key = ?", [(k,) for k in keys])
        except sqlite3.Error as exc:
            self._fail(exc)

    def size(self) -> int:
        """Bytes the entries count for against ``max_bytes``."""
        if self._db is None:
            return 0
        return int(self._db.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()[0])

    def _touch(self, keys: list[str]) -> None:
        if not keys or self._db is None:
            return
        now = time.time_ns()
        with self._write() as db:
            for i in range(0, len(keys), _BATCH):
                batch = keys[i : i + _BATCH]
                marks = ",".join("?" * len(batch))
                sql = f"UPDATE entries SET used = ? WHERE key IN ({marks})"
                db.execute(sql, [now, *batch])

    def _evict(self, db: sqlite3.Connection) -> int:
        """Delete the least recently used entries while over the bound; how many went."""
        total = int(db.execute("SELECT COALESCE(SUM(size), 0) FROM entries").fetchone()[0])
        if total <= self.max_bytes:
            return 0
        target = int(self.max_bytes * _EVICT_TO)
        gone: list[tuple[str]] = []
        for key, size in db.execute("SELECT key, size FROM entries ORDER BY used, rowid"):
            if total <= target:
                break
            gone.append((key,))
            total -= size
        db.executemany("DELETE FROM entries WHERE key = ?", gone)
        return len(gone)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (``IMMEDIATE``) so writers queue on the busy
        timeout instead of failing when a read lock cannot be upgraded."""
        assert self._db is not None
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        if self._db is not None:
            with suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def opened(folder: Path | None, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Store | None]:
    """The store in ``folder`` for a ``with`` block; ``None`` without a folder (caching off)."""
    store = Store(folder, max_bytes) if folder is not None else None
    try:
        yield store
    finally:
        if store is not None:
            store.close()


def retry_while_locked(
    step: Callable[[], None], patience: float = 30.0, max_delay: float = 0.5
) -> None:
    """Run ``step``, again while another process holds the SQLite file, for up to ``patience``
    seconds, waiting twice as long each time (at most ``max_delay``).

    Two processes creating a database file at once (builds sharing a cache, briefings of one
    config on two workers) can get "database is locked" at once, without SQLite's busy timeout:
    switching a new file to WAL and upgrading a read lock to a write lock are refused rather than
    waited for.  Waiting a little and trying again lets both proceed.
    """
    deadline = time.monotonic() + patience
    delay = 0.01
    while True:
        try:
            step()
            return
        except sqlite3.OperationalError as exc:
            locked = "locked" in str(exc) or "busy" in str(exc)
            if not locked or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, max_delay)


def cached_map(
    store: Store | None,
    keys: Sequence[str | None],
    compute: Callable[[list[int]], list[R]],
    encode: Callable[[R], bytes | None],
    decode: Callable[[int, bytes], R],
) -> list[R]:
    """Results for positions ``0 .. len(keys)-1``: from ``store`` where it holds a key, the rest
    from ``compute(missing positions)`` (one call, so the caller can spread it over processes),
    then stored.  A ``None`` key is never cached; ``encode`` returning ``None`` keeps a result
    out of the store; ``decode`` raising ValueError marks an entry damaged: it is computed."""
    known = [k for k in keys if k is not None]
    stored = store.get_many(known) if store is not None else {}
    results: list[R | None] = [None] * len(keys)
    missing: list[int] = []
    damaged: list[str] = []
    for i, key in enumerate(keys):
        blob = stored.get(key) if key is not None else None
        if blob is not None:
            try:
                results[i] = decode(i, blob)
                continue
            except ValueError as exc:
                damaged.append(str(key))
                log.debug("cache entry %s: %s", key, exc)
        missing.append(i)
    if store is not None and damaged:
        store.warn(f"{len(damaged)} damaged entries")
        store.discard(damaged)
    fresh: dict[str, bytes] = {}
    for i, value in zip(missing, compute(missing), strict=True):
        results[i] = value
        key = keys[i]
        blob = encode(value) if key is not None and store is not None else None
        if key is not None and blob is not None:
            fresh[key] = blob
    if store is not None:
        store.put_many(fresh)
    return results  # type: ignore[return-value]  # every position is filled above
