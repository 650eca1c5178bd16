"""The state file: runs and seen articles, shared safely by concurrent runs."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from briefgen.errors import PublishError
from briefgen.model import Article
from briefgen.service.state import State

T0 = datetime(2026, 1, 20, 7, 0, tzinfo=UTC)


def article(n: int) -> Article:
    return Article(
        id=f"a{n}", title=f"Story {n}", text=f"Text {n}.", sha256=f"h{n}", path=f"articles/{n}.txt"
    )


def test_runs_and_seen_articles(tmp_path: Path) -> None:
    with State(tmp_path / "s.sqlite") as st:
        assert st.last_published("kz") is None
        run = st.start_run("kz", T0)
        assert st.unseen("kz", ["h1", "h2"]) == {"h1", "h2"}
        st.finish_run(
            run,
            T0 + timedelta(seconds=5),
            "published",
            edition="2026-01-20_0700",
            outputs=["kz.json"],
            articles=2,
            new=2,
            seen=[article(1), article(2)],
        )
        assert st.unseen("kz", ["h1", "h2", "h3"]) == {"h3"}
        assert st.unseen("other", ["h1"]) == {"h1"}  # per briefing
        assert st.last_published("kz") == T0 + timedelta(seconds=5)
        failed = st.start_run("kz", T0 + timedelta(days=1))
        st.finish_run(failed, T0 + timedelta(days=1), "failed", error="boom")
        assert st.last_published("kz") == T0 + timedelta(seconds=5)
        runs = st.runs("kz")
        assert [(r.status, r.edition, r.outputs, r.error) for r in runs] == [
            ("failed", None, [], "boom"),
            ("published", "2026-01-20_0700", ["kz.json"], None),
        ]
        assert st.seen_count("kz") == 2


def test_runs_left_running_by_a_dead_process_are_marked_interrupted(tmp_path: Path) -> None:
    with State(tmp_path / "s.sqlite") as st:
        st.start_run("kz", T0)
        st.start_run("other", T0)
        assert st.mark_interrupted("kz", T0 + timedelta(hours=1)) == 1
        assert [r.status for r in st.runs("kz")] == ["interrupted"]
        assert st.runs("kz")[0].error == "process ended mid-run"
        assert st.runs("other")[0].status == "running"


def test_wal_mode_and_concurrent_writers(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    State(path).close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"

    def writer(name: str) -> None:
        with State(path) as st:
            for i in range(25):
                run = st.start_run(name, T0 + timedelta(minutes=i))
                st.finish_run(run, T0 + timedelta(minutes=i), "published", seen=[article(i)])

    threads = [threading.Thread(target=writer, args=(f"b{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with State(path) as st:
        assert len(st.runs(limit=1000)) == 100
        assert all(st.seen_count(f"b{n}") == 25 for n in range(4))


def test_naive_timestamps_and_garbage_files_are_refused(tmp_path: Path) -> None:
    with State(tmp_path / "s.sqlite") as st, pytest.raises(ValueError, match="time-zone aware"):
        st.start_run("kz", datetime(2026, 1, 1))
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(PublishError, match="cannot use state file"):
        State(bad)


def _open_at_once(path: str, start: Any, errors: Any) -> None:
    start.wait()
    try:
        with State(path) as state:
            state.start_run("kz", datetime(2026, 1, 1, tzinfo=UTC))
    except PublishError as exc:
        errors.put(str(exc))


def test_many_processes_creating_the_state_file_at_once_all_get_in(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    start, errors = ctx.Event(), ctx.Queue()
    for n in range(3):  # a fresh file each round: creating it is the racy moment
        path = tmp_path / f"round-{n}" / "state.sqlite"
        workers = [
            ctx.Process(target=_open_at_once, args=(str(path), start, errors)) for _ in range(8)
        ]
        for w in workers:
            w.start()
        start.set()
        for w in workers:
            w.join(60)
        start.clear()
        assert errors.empty(), errors.get()
        with State(path) as state:
            assert len(state.runs("kz")) == 8
