"""One briefing's per-article work on a Dask cluster: the same briefing, clear errors."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefgen.base import cluster
from briefgen.base.parallel import map_ordered
from briefgen.spec import BriefingSpec
from tests.conftest import dask_url

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-01-05T07:00:00Z"


def _briefgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``briefgen ARGS`` as the console script runs it, in the folder ``cwd``."""
    code = "import sys; from briefgen.cli import entry; sys.argv[0] = 'briefgen'; entry()"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip


def _inputs(folder: Path) -> None:
    """Text, Markdown and HTML articles, and one file that cannot be read."""
    folder.mkdir()
    for source in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests/resources/ingest").iterdir()]:
        shutil.copy(source, folder / source.name)
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")


def test_a_build_on_a_dask_cluster_is_identical_to_a_local_build(
    tmp_path: Path, local_cluster: Any
) -> None:
    # The build runs in tmp_path, the workers elsewhere (this process's folder): file names are
    # still shown relative to the building process's folder.
    _inputs(tmp_path / "in")
    common = ["build", "in", "--now", NOW, "--formats", "json,md"]
    local = _briefgen(*common, "-o", "local", cwd=tmp_path)
    on_dask = _briefgen(
        *common, "-o", "dask", "--executor", dask_url(local_cluster.scheduler_address), cwd=tmp_path
    )
    assert local.returncode == 0, local.stderr
    assert on_dask.returncode == 0, on_dask.stderr
    briefing = (tmp_path / "local/briefing.json").read_text(encoding="utf-8")
    assert (tmp_path / "dask/briefing.json").read_text(encoding="utf-8") == briefing
    assert (tmp_path / "dask/briefing.md").read_bytes() == (
        tmp_path / "local/briefing.md"
    ).read_bytes()
    parsed = json.loads(briefing)
    assert len(parsed["sources"]) == 4
    assert {s["path"] for s in parsed["sources"]} >= {
        "in/astana_summit.html",
        "in/peace_board_brief.md",
    }
    assert [d["path"] for d in parsed["dropped"]] == ["in/empty.txt"]
    assert "executor" not in json.dumps(parsed["reproducibility"])


def _numbered(i: int) -> str:
    return f"item {i:04d}"


def test_map_on_dask_keeps_input_order_across_many_chunks(local_cluster: Any) -> None:
    items = list(range(1000))
    assert cluster.chunk_size(len(items), 2) < 200  # several tasks per worker thread
    address = dask_url(local_cluster.scheduler_address)
    assert map_ordered(_numbered, items, executor=address) == [_numbered(i) for i in items]
    assert map_ordered(_numbered, [], executor=address) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_scheduler_is_one_error_line_naming_it(tmp_path: Path) -> None:
    port = _free_port()
    done = _briefgen(
        "build", str(ROOT / "seeds"), "-o", "out", "--formats", "json",
        "--executor", f"dask://127.0.0.1:{port}",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert (
        lines[-1]
        == f"Error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: Connection refused"
    )
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out/briefing.pdf").exists()


def test_a_scheduler_without_workers_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 0.5)
    with (
        distributed.LocalCluster(
            n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
        ) as empty,
        pytest.raises(cluster.ClusterError, match="has no workers") as caught,
    ):
        map_ordered(_numbered, [1, 2], executor=dask_url(empty.scheduler_address))
    assert empty.scheduler_address in str(caught.value)


def test_a_worker_dying_on_the_work_is_one_error_naming_the_scheduler() -> None:
    import dask

    # One worker process; the scheduler gives up on a task after its first worker dies.
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        ) as dying,
        pytest.raises(cluster.ClusterError) as caught,
    ):  # fmt: skip
        map_ordered(os._exit, [3], executor=dask_url(dying.scheduler_address))
    assert str(caught.value).startswith(f"Dask workers of {dying.scheduler_address} died")


def test_where_the_work_ran_is_not_part_of_the_recorded_settings() -> None:
    spec = BriefingSpec(executor="dask://10.0.0.5:8786")
    assert "executor" not in spec.recorded()
    assert spec.recorded() == BriefingSpec().recorded()
    with pytest.raises(ValueError, match="unknown executor 'yarn'"):
        BriefingSpec(executor="yarn")
