"""Safe publishing: atomic editions and ``latest``, the lock, pruning, the index, kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.service.publish import (
    LockBusy,
    briefing_lock,
    edition_name,
    editions,
    prune,
    publish_edition,
    sweep,
    write_index,
)
from briefgen.service.runner import run_briefing
from briefgen.service.state import State

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
EXTRA = ROOT / "tests" / "resources" / "ingest" / "peace_board_brief.md"
T0 = datetime(2026, 1, 20, 6, 0, tzinfo=UTC)


def make_setup(tmp_path: Path, keep: int = 10, lock_wait: float = 0) -> Path:
    articles = tmp_path / "articles"
    articles.mkdir()
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, articles)
    config = tmp_path / "briefings.toml"
    config.write_text(
        textwrap.dedent(f"""\
        [[briefings]]
        name = "kz"
        sources = ["articles/"]
        formats = ["json", "md", "html"]
        keep = {keep}
        lock_wait = {lock_wait}
        """)
    )
    return config


def visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


# --------------------------------------------------------------------------- editions


def test_edition_names_are_unique_and_never_go_back(tmp_path: Path) -> None:
    now = datetime(2026, 1, 24, 7, 5)
    for expected in ("2026-01-24_0705", "2026-01-24_0705-2", "2026-01-24_0705-3"):
        name = edition_name(tmp_path, now)
        assert name == expected
        (tmp_path / name).mkdir()
    # Clock set back (or DST fall-back): the name still sorts after the newest edition.
    assert edition_name(tmp_path, datetime(2026, 1, 24, 6, 0)) == "2026-01-24_0705-4"
    (tmp_path / "2026-01-24_0705-10").mkdir()
    assert [p.name for p in editions(tmp_path)][:2] == ["2026-01-24_0705-10", "2026-01-24_0705-3"]


def test_publish_swaps_latest_and_prune_keeps_newest(tmp_path: Path) -> None:
    folder = tmp_path / "kz"
    for minute in range(4):
        staging = folder / f".tmp-{minute}"
        staging.mkdir(parents=True)
        (staging / "kz.json").write_text("{}")
        publish_edition(staging, folder, datetime(2026, 1, 24, 7, minute))
        assert os.readlink(folder / "latest") == f"2026-01-24_070{minute}"
    assert [p.name for p in prune(folder, 2)] == ["2026-01-24_0701", "2026-01-24_0700"]
    assert visible(folder) == ["2026-01-24_0702", "2026-01-24_0703", "latest"]
    assert (folder / "latest" / "kz.json").read_text() == "{}"
    assert oct((folder / "latest" / "kz.json").stat().st_mode & 0o777) == "0o644"


def test_sweep_removes_only_leftovers(tmp_path: Path) -> None:
    (tmp_path / ".tmp-abc" / "x").mkdir(parents=True)
    (tmp_path / ".trash-old").mkdir()
    (tmp_path / "2026-01-24_0700").mkdir()
    (tmp_path / ".lock").write_text("")
    sweep(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lock", "2026-01-24_0700"]


# --------------------------------------------------------------------------- lock


def test_lock_keeps_two_holders_apart(tmp_path: Path) -> None:
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with briefing_lock(tmp_path / "kz"):
            held.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    busy = r"another run of kz is in progress \(waited 0.3 s\)"
    with pytest.raises(LockBusy, match=busy), briefing_lock(tmp_path / "kz", wait=0.3):
        pass
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    with briefing_lock(tmp_path / "kz", wait=5):  # waits for the holder, then gets it
        assert time.monotonic() - started >= 0.2
    t.join()


def test_second_run_skips_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    folder = tmp_path / "reports" / "kz"
    folder.mkdir(parents=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'w'); fcntl.flock(f, fcntl.LOCK_EX);"
            " print('locked', flush=True); time.sleep(30)",
            str(folder / ".lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        outcome = run_briefing(config, "kz")
        assert (outcome.status, outcome.message) == ("skipped", "another run of kz is in progress")
        assert visible(folder) == []
    finally:
        holder.kill()
        holder.wait()
    assert run_briefing(config, "kz").status == "published"  # a dead holder frees the lock


# --------------------------------------------------------------------------- crash safety

_CHILD = """
import os, sys, time
from datetime import datetime, UTC
from pathlib import Path
import briefgen.render as render

real = render.RENDERERS["html"]

class Stuck:
    extension = "html"
    needs_context = True
    def render(self, briefing, path, template_dir=None, context=None):
        real.render(briefing, path, template_dir, context)  # html written, then hang mid-render
        Path(sys.argv[2]).write_text("rendering")
        time.sleep(60)

render.RENDERERS["html"] = Stuck()
from briefgen.service.runner import run_briefing
print(run_briefing(sys.argv[1], "kz", force=True, now=datetime(2026, 1, 21, 6, 0, tzinfo=UTC)))
"""


def test_kill_9_mid_render_leaves_previous_report_intact(tmp_path: Path) -> None:
    config = make_setup(tmp_path)
    reports = tmp_path / "reports"
    first = run_briefing(config, "kz", now=T0)
    assert first.status == "published"
    folder = reports / "kz"
    before = {p.name: p.read_bytes() for p in (folder / "latest").iterdir()}
    index_before = (reports / "index.html").read_bytes()
    shutil.copy(EXTRA, tmp_path / "articles")

    marker = tmp_path / "marker"
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(config), str(marker)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), child.communicate()
    (staging,) = [p for p in folder.iterdir() if p.name.startswith(".tmp-")]
    assert sorted(p.name for p in staging.iterdir()) == ["kz.html", "kz.json", "kz.md"]
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    # What a reader sees is exactly what it was before the killed run.
    assert visible(folder) == ["2026-01-20_0600", "feed.xml", "latest"]
    assert os.readlink(folder / "latest") == "2026-01-20_0600"
    assert {p.name: p.read_bytes() for p in (folder / "latest").iterdir()} == before
    assert (reports / "index.html").read_bytes() == index_before
    with State(reports / ".briefgen-state.sqlite") as state:
        assert state.runs("kz")[0].status == "running"

    second = run_briefing(config, "kz", now=datetime(2026, 1, 22, 6, 0, tzinfo=UTC))
    assert second.status == "published", second.message
    assert (second.articles, second.new) == (3, 1)
    assert not any(p.name.startswith(".tmp-") for p in folder.iterdir())  # swept
    assert visible(folder) == ["2026-01-20_0600", "2026-01-22_0600", "feed.xml", "latest"]
    assert os.readlink(folder / "latest") == "2026-01-22_0600"
    with State(reports / ".briefgen-state.sqlite") as state:
        assert [r.status for r in state.runs("kz")] == ["published", "interrupted", "published"]


def test_failed_render_publishes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefgen.render as render
    from briefgen.errors import RenderError

    config = make_setup(tmp_path)
    assert run_briefing(config, "kz", now=T0).status == "published"

    class Broken:
        extension = "md"
        needs_context = True

        def render(self, *_args: object) -> None:
            raise RenderError("md: template error (UndefinedError): 'x' is undefined")

    monkeypatch.setitem(render.RENDERERS, "md", Broken())
    outcome = run_briefing(config, "kz", force=True)
    assert outcome.status == "failed"
    assert outcome.line == "kz: failed: md: template error (UndefinedError): 'x' is undefined"
    folder = tmp_path / "reports" / "kz"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".lock",
        "2026-01-20_0600",
        "feed.xml",
        "latest",
    ]


# --------------------------------------------------------------------------- index


def test_index_lists_editions_newest_first_with_formats_and_bottom_line(tmp_path: Path) -> None:
    config = make_setup(tmp_path, keep=2)
    for day in (20, 21, 22):
        when = datetime(2026, 1, day, 6, 0, tzinfo=UTC)
        assert run_briefing(config, "kz", force=True, now=when).status == "published"
    html = (tmp_path / "reports" / "index.html").read_text()
    assert html.index("2026-01-22 06:00") < html.index("2026-01-21 06:00")
    assert "2026-01-20" not in html  # pruned (keep = 2)
    assert '<a href="kz/2026-01-22_0600/kz.md">MD</a>' in html
    assert '<a class="meta" href="kz/latest/">latest</a>' in html
    bottom = json.loads((tmp_path / "reports/kz/latest/kz.json").read_text())["bottom_line"]
    assert bottom[0]["text"].replace("'", "&#39;") in html


def test_index_escapes_news_text(tmp_path: Path) -> None:
    edition = tmp_path / "x" / "2026-01-24_0700"
    edition.mkdir(parents=True)
    (edition / "x.json").write_text(
        json.dumps(
            {
                "title": "Tom & Jerry <script>alert(1)</script>",
                "bottom_line": [{"text": "A < B & C"}],
                "sources": [],
            }
        )
    )
    html = write_index(tmp_path).read_text()
    assert "Tom &amp; Jerry &lt;script&gt;" in html and "<script>alert" not in html
    assert "A &lt; B &amp; C" in html
