"""One huge briefing with its per-article stages on a Dask cluster, next to the same build local.

``python benchmarks/cluster.py [--sizes 10000,100000] [--local-sizes 10000] [--workers 2]``

For each size, the corpus of ``benchmarks/corpus.py`` (100,000 articles cycle variants of the
evaluation articles) is written once into a folder of this benchmark's own
(``/tmp/briefgen-cluster-bench``: ``speed.py`` rewrites ``/tmp/briefgen-bench`` as it runs).
It is built by ``briefgen build --executor dask://...`` in a fresh child process against a
``distributed.LocalCluster`` started here (``--workers`` worker processes of one thread each, on
127.0.0.1).  The workers have imported briefgen before the clock starts, as those of a
long-running cluster would have.  For the sizes in ``--local-sizes`` the same build also runs
with ``--executor local`` (``--jobs 0``).

Printed and written (``benchmarks/results/cluster.json``, and ``--json FILE``): wall time, stage
times, sentences, the peak RSS of the building process tree (the driver: this process's child and
its PDF helper), of the workers and of the scheduler (this process), and the driver's bytes per
sentence.  Builds keep the 3-page
budget, relax the grade target (as ``speed.py``) and raise ``--max-total-size`` and
``--max-memory`` to fit 100,000 articles; ``--max-sentences`` stays at its default.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import SOURCE, build_corpus, corpus_dir  # noqa: E402
from benchmarks.speed import count_sentences  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
STAGES = ("ingest", "segment", "summarize", "extract", "render", "check", "write")
TOTAL_SIZE = 4_000_000_000
MEMORY = 16_000_000_000
CORPUS_ROOT = Path(tempfile.gettempdir()) / "briefgen-cluster-bench"


def _build_child(corpus: str, out: str, executor: str) -> None:
    """Child: one build, its timings and counts as JSON on stdout."""
    from briefgen.service.build import build
    from briefgen.spec import BriefingSpec, Limits, Targets

    counted = count_sentences()
    spec = BriefingSpec(
        targets=Targets(max_grade=99.0, max_key_point_words=1000),
        limits=Limits(max_total_size=TOTAL_SIZE, max_memory=MEMORY),
        executor=executor,
    )
    started = time.perf_counter()
    result = build([corpus], Path(out), spec)
    quality = result.briefing.quality
    print(
        json.dumps(
            {
                "in_process_seconds": time.perf_counter() - started,
                "timings": result.timings,
                "articles": quality.articles if quality else None,
                "sentences": counted.get("sentences"),
                "key_points": len(result.briefing.key_points),
                "warnings": result.warnings,
            }
        )
    )


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(psutil.Error):  # ended meanwhile
            total += psutil.Process(pid).memory_info().rss
    return total


def _tree(pid: int) -> list[int]:
    try:
        return [pid, *(c.pid for c in psutil.Process(pid).children(recursive=True))]
    except psutil.Error:
        return []


def _run(cmd: list[str], workers: list[int]) -> dict[str, Any]:
    """Run ``cmd``; wall time and the peak RSS of its process tree and of ``workers``."""
    started = time.perf_counter()
    # Files, not pipes: a build of 10,000 articles warns thousands of lines (dropped copies).
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        with subprocess.Popen(cmd, stdout=out_file, stderr=err_file, text=True) as proc:
            driver = worker = scheduler = 0
            while proc.poll() is None:
                driver = max(driver, _rss(_tree(proc.pid)))
                worker = max(worker, _rss(workers))
                scheduler = max(scheduler, _rss([os.getpid()]))
                time.sleep(0.05)
        wall = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {err.strip()[-2000:]}")
    row: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    row |= {"wall": wall, "driver_peak_rss_mb": driver / 1e6}
    if workers:  # this process holds the LocalCluster's scheduler
        row["workers_peak_rss_mb"] = worker / 1e6
        row["scheduler_peak_rss_mb"] = scheduler / 1e6
    if row.get("sentences"):
        row["driver_bytes_per_sentence"] = round(driver / row["sentences"])
    return row


def _corpus(size: int, source: Path, root: Path) -> Path:
    """The corpus in a folder of this benchmark's own (``speed.py`` rewrites the shared one)."""
    folder = corpus_dir(size, root)
    if folder.is_dir() and sum(1 for _ in folder.glob("*.txt")) == size:
        return folder  # deterministic: written by an earlier run
    return build_corpus(size, folder, source)


def _warm(address: str) -> None:
    """Import what the per-article work needs on every worker (a long-running cluster has)."""
    from distributed import Client

    def load() -> None:
        import briefgen.ingest.read
        import briefgen.summarize.segment  # noqa: F401

    with Client(address) as client:
        client.run(load)


def measure(sizes: list[int], local: set[int], workers: int, source: Path) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    report: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()},
        "workers": workers,
        "threads_per_worker": 1,
        "sizes": [],
    }
    out = Path(tempfile.mkdtemp(prefix="briefgen-cluster-"))
    try:
        for size in sizes:
            corpus = _corpus(size, source, CORPUS_ROOT)
            with LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None,
            ) as cluster:  # fmt: skip
                address = cluster.scheduler_address
                _warm(address)
                with Client(address) as client:
                    pids = list(client.run(os.getpid).values())
                executor = "dask://" + address.removeprefix("tcp://")
                cmd = [sys.executable, __file__, "--child-build", str(corpus), str(out), executor]
                row = {"size": size, "executor": "dask"} | _run(cmd, pids)
            report["sizes"].append(row)
            print(json.dumps(row), file=sys.stderr)  # each row as soon as it is measured
            if size in local:
                cmd = [sys.executable, __file__, "--child-build", str(corpus), str(out), "local"]
                row = {"size": size, "executor": "local"} | _run(cmd, [])
                report["sizes"].append(row)
                print(json.dumps(row), file=sys.stderr)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    report["load_average_at_end"] = os.getloadavg()
    return report


def table(report: dict[str, Any]) -> str:
    head = ["articles", "executor", "wall", *STAGES, "sentences", "driver RSS", "B/sentence"]
    head += ["workers RSS", "scheduler RSS"]
    rows = [head]
    for r in report["sizes"]:
        t = r["timings"]
        rows.append(
            [
                f"{r['size']:,}",
                r["executor"],
                f"{r['wall']:.1f} s",
                *(f"{t[s]:.1f}" if s in t else "-" for s in STAGES),
                f"{r['sentences']:,}",
                f"{r['driver_peak_rss_mb']:,.0f} MB",
                f"{r.get('driver_bytes_per_sentence', 0):,}",
                f"{r['workers_peak_rss_mb']:,.0f} MB" if "workers_peak_rss_mb" in r else "-",
                f"{r['scheduler_peak_rss_mb']:,.0f} MB" if "scheduler_peak_rss_mb" in r else "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--local-sizes", default="10000", help="also built with --executor local")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (1 thread each)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--child-build", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build:
        _build_child(*args.child_build)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    local = {int(s) for s in args.local_sizes.split(",") if s.strip()}
    report = measure(sizes, local, args.workers, args.source)
    print(table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2) + "\n"
    (RESULTS / "cluster.json").write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
