"""What each briefing has already published, in one SQLite file beside the reports.

SQLite (WAL mode) because several briefings, run by the scheduler, cron or a user at once, share
one file: WAL lets readers (``briefgen history``) run while a briefing writes, and the busy
timeout serialises writers instead of failing.  Articles are recorded as *seen* only after a
report containing them is published, so a failed run never hides news from the next one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefgen.base.cache import retry_while_locked
from briefgen.errors import PublishError
from briefgen.model import Article

__all__ = ["CACHE_DIR", "STATE_FILE", "Delivery", "RunRecord", "State"]

STATE_FILE = ".briefgen-state.sqlite"
CACHE_DIR = ".briefgen-cache"
"""The article cache of scheduled runs (:class:`briefgen.base.cache.Store`), beside the state
file: per-article work shared by every briefing of the reports folder, safe to delete."""
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    briefing   TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    location   TEXT,
    title      TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (briefing, sha256)
);
CREATE TABLE IF NOT EXISTS runs (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    briefing TEXT NOT NULL,
    started  TEXT NOT NULL,
    finished TEXT,
    status   TEXT NOT NULL,
    edition  TEXT,
    outputs  TEXT NOT NULL DEFAULT '[]',
    articles INTEGER,
    new      INTEGER,
    error    TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_briefing ON runs (briefing, started);
CREATE TABLE IF NOT EXISTS deliveries (  -- one row per attempt; the newest row is the status
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id     INTEGER,
    briefing   TEXT NOT NULL,
    edition    TEXT NOT NULL,
    channel    TEXT NOT NULL,  -- email | webhook
    recipient  TEXT NOT NULL,
    message_id TEXT NOT NULL,
    status     TEXT NOT NULL,  -- sent | failed | gone (edition removed before it could be sent)
    error      TEXT,
    at         TEXT NOT NULL,
    digest     TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_by_briefing ON deliveries (briefing, edition);
"""


def _iso(when: datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("timestamps must be time-zone aware")
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class RunRecord:
    id: int
    briefing: str
    started: datetime
    finished: datetime | None
    status: str  # running | published | skipped | failed | interrupted
    edition: str | None
    outputs: list[str]
    articles: int | None
    new: int | None
    error: str | None


@dataclass(frozen=True)
class Delivery:
    """The newest attempt to deliver one edition to one recipient (email address or webhook)."""

    run_id: int | None
    briefing: str
    edition: str
    channel: str
    recipient: str
    message_id: str
    status: str
    error: str | None
    digest: str | None


class State:
    """One connection to the state file; open one per run or thread (sqlite3 rule)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            retry_while_locked(self._setup)
        except sqlite3.DatabaseError as exc:
            raise PublishError(f"{self.path}: cannot use state file ({exc})") from exc

    def _setup(self) -> None:
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > _SCHEMA_VERSION:
            raise PublishError(f"{self.path}: state file is from a newer briefgen")
        # executescript manages its own transaction; the DDL is idempotent.
        self._db.executescript(_SCHEMA + f"PRAGMA user_version={_SCHEMA_VERSION};")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ------------------------------------------------------------------ runs

    def start_run(self, briefing: str, started: datetime) -> int:
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO runs (briefing, started, status) VALUES (?, ?, 'running')",
                (briefing, _iso(started)),
            )
            return int(cur.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        finished: datetime,
        status: str,
        *,
        edition: str | None = None,
        outputs: Iterable[str] = (),
        articles: int | None = None,
        new: int | None = None,
        error: str | None = None,
        seen: Iterable[Article] = (),
    ) -> None:
        """Close a run; ``seen`` articles are recorded in the same transaction."""
        with self._tx() as db:
            briefing = db.execute("SELECT briefing FROM runs WHERE id=?", (run_id,)).fetchone()
            if briefing is not None:
                self._insert_seen(db, briefing[0], seen, finished)
            db.execute(
                "UPDATE runs SET finished=?, status=?, edition=?, outputs=?, articles=?, new=?,"
                " error=? WHERE id=?",
                (
                    _iso(finished),
                    status,
                    edition,
                    json.dumps(list(outputs)),
                    articles,
                    new,
                    error,
                    run_id,
                ),
            )

    def mark_interrupted(self, briefing: str, now: datetime) -> int:
        """Close runs left 'running' by a killed process; call only while holding the lock."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE runs SET status='interrupted', finished=?, error='process ended mid-run'"
                " WHERE briefing=? AND status='running'",
                (_iso(now), briefing),
            )
            return cur.rowcount

    def last_published(self, briefing: str) -> datetime | None:
        row = self._db.execute(
            "SELECT MAX(finished) FROM runs WHERE briefing=? AND status='published'",
            (briefing,),
        ).fetchone()
        return _dt(row[0])

    def runs(self, briefing: str | None = None, limit: int = 50) -> list[RunRecord]:
        """Newest first."""
        sql = "SELECT * FROM runs"
        args: tuple[object, ...] = ()
        if briefing is not None:
            sql += " WHERE briefing=?"
            args = (briefing,)
        sql += " ORDER BY started DESC, id DESC LIMIT ?"
        rows = self._db.execute(sql, (*args, limit)).fetchall()
        return [
            RunRecord(
                id=r[0],
                briefing=r[1],
                started=_dt(r[2]) or datetime.min,
                finished=_dt(r[3]),
                status=r[4],
                edition=r[5],
                outputs=json.loads(r[6] or "[]"),
                articles=r[7],
                new=r[8],
                error=r[9],
            )
            for r in rows
        ]

    # ------------------------------------------------------------------ articles

    def unseen(self, briefing: str, hashes: Iterable[str]) -> set[str]:
        wanted = set(hashes)
        if not wanted:
            return set()
        seen = {
            row[0]
            for row in self._db.execute("SELECT sha256 FROM articles WHERE briefing=?", (briefing,))
        }
        return wanted - seen

    def mark_seen(self, briefing: str, articles: Iterable[Article], when: datetime) -> None:
        with self._tx() as db:
            self._insert_seen(db, briefing, articles, when)

    @staticmethod
    def _insert_seen(
        db: sqlite3.Connection, briefing: str, articles: Iterable[Article], when: datetime
    ) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO articles (briefing, sha256, location, title, first_seen)"
            " VALUES (?, ?, ?, ?, ?)",
            [(briefing, a.sha256, a.url or a.path, a.title, _iso(when)) for a in articles],
        )

    def seen_count(self, briefing: str) -> int:
        row = self._db.execute(
            "SELECT COUNT(*) FROM articles WHERE briefing=?", (briefing,)
        ).fetchone()
        return int(row[0])

    # ------------------------------------------------------------------ deliveries

    def record_delivery(self, d: Delivery, when: datetime) -> None:
        """Append one attempt (the digest is kept so a retry composes the same message)."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO deliveries (run_id, briefing, edition, channel, recipient,"
                " message_id, status, error, at, digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (d.run_id, d.briefing, d.edition, d.channel, d.recipient, d.message_id,
                 d.status, d.error, _iso(when), d.digest),
            )  # fmt: skip

    def deliveries(self, briefing: str, *, run_id: int | None = None) -> list[Delivery]:
        """The newest attempt per (edition, channel, recipient), oldest edition first; with
        ``run_id``, the attempts that run made."""
        if run_id is not None:
            sql = "SELECT * FROM deliveries WHERE briefing=? AND run_id=? ORDER BY id"
            args: tuple[object, ...] = (briefing, run_id)
        else:
            sql = (
                "SELECT * FROM deliveries WHERE id IN (SELECT MAX(id) FROM deliveries"
                " WHERE briefing=? GROUP BY edition, channel, recipient) ORDER BY edition, id"
            )
            args = (briefing,)
        return [
            Delivery(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[10])
            for r in self._db.execute(sql, args)
        ]

    def latest_edition(self, briefing: str) -> tuple[int, str] | None:
        """(run id, edition) of the newest published run."""
        row = self._db.execute(
            "SELECT id, edition FROM runs WHERE briefing=? AND status='published'"
            " AND edition IS NOT NULL ORDER BY id DESC LIMIT 1",
            (briefing,),
        ).fetchone()
        return (int(row[0]), str(row[1])) if row else None
