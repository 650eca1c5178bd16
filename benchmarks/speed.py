"""Speed and memory of ``briefgen build`` from 2 to 10,000 articles, next to sumy's LexRank.

``python benchmarks/speed.py [--sizes 10,100,1000,10000] [--json FILE] [--lexrank-cap 120]``

* **seeds, cold**: ``briefgen build seeds/`` as a user runs it (a fresh process, all formats),
  best of ``--repeat`` runs;
* **corpora** of 10-10,000 real articles (``benchmarks/corpus.py``): each build runs in a fresh
  child process; wall time, per-stage times (``BuildResult.timings``), sentences per second and
  the peak RSS of the child and its workers together (psutil, sampled every 20 ms);
* **LexRank** (sumy, with briefgen's sentences and a regex tokenizer, since sumy's default one
  needs NLTK data): the same sentences of the same corpus, in a child killed after
  ``--lexrank-cap`` seconds; larger sizes are skipped once a size hits the cap.  The table gives
  LexRank's time over briefgen's summarize stage (ranking + selection, the same job) and over
  briefgen's whole cold build (reading to five rendered formats).

Corpus builds keep the default page budget (3 pages: the PDF is re-rendered until it fits, and
that time is counted) but relax the grade target, so a build of machine-mixed topics is never
set aside by the readability check: this measures speed, ``briefgen check`` measures the rest.
Results go to ``benchmarks/results/speed.json`` (and ``--json FILE``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
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

RESULTS = ROOT / "benchmarks" / "results"
STAGES = ("ingest", "segment", "summarize", "extract", "provenance", "render", "check", "write")
FORMATS = ("html", "pdf", "docx", "md", "json")
NOW = "2026-01-01T07:00:00Z"


# --------------------------------------------------------------------------- children


def _build_child(corpus: str, out: str, jobs: int) -> None:
    """Child: one build, its timings and counts as JSON on stdout."""
    import briefgen.pipeline as pipeline
    from briefgen.service.build import build
    from briefgen.spec import BriefingSpec, Targets

    split = pipeline._segment_all
    counted: dict[str, int] = {}

    def counting(articles: Any, *args: Any) -> Any:  # count the sentences, change nothing
        found = split(articles, *args)
        counted["sentences"] = len(found)
        return found

    pipeline._segment_all = counting
    started = time.perf_counter()
    targets = Targets(max_grade=99.0, max_key_point_words=1000)
    result = build([corpus], Path(out), BriefingSpec(targets=targets, jobs=jobs))
    wall = time.perf_counter() - started
    pdf = next((p for p in result.paths if p.suffix == ".pdf"), None)
    pages = None
    if pdf is not None:
        from pypdf import PdfReader

        pages = len(PdfReader(pdf).pages)
    quality = result.briefing.quality
    print(
        json.dumps(
            {
                "in_process_seconds": wall,
                "timings": result.timings,
                "articles": quality.articles if quality else None,
                "sentences": counted.get("sentences"),
                "ranked_sentences": quality.sentences_considered if quality else None,
                "key_points": len(result.briefing.key_points),
                "pdf_pages": pages,
            }
        )
    )


def _lexrank_child(corpus: str) -> None:
    """Child: briefgen's sentences of the corpus, then sumy's LexRank over them (timed alone)."""
    import re

    from briefgen.ingest.read import ingest
    from briefgen.pipeline import _segment_all
    from briefgen.summarize.similarity import stem_word

    articles = ingest([corpus], jobs=0).articles
    sentences = _segment_all(articles, 0)
    print(json.dumps({"sentences": len(sentences)}), flush=True)
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class Tokenizer:  # sumy's default tokenizer needs NLTK's punkt data (not downloadable)
        language = "english"
        _word = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

        def to_sentences(self, paragraph: str) -> tuple[str, ...]:
            return (paragraph,)

        def to_words(self, sentence: str) -> tuple[str, ...]:
            return tuple(self._word.findall(sentence))

    tokenizer = Tokenizer()
    document = ObjectDocumentModel(
        [Paragraph([SumySentence(s.text, tokenizer) for s in sentences])]
    )
    summarizer = LexRankSummarizer(stem_word)
    started = time.perf_counter()
    summarizer(document, 10)
    print(json.dumps({"lexrank_seconds": time.perf_counter() - started}), flush=True)


# --------------------------------------------------------------------------- measuring


def _run(cmd: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run ``cmd``; wall time, peak RSS of its process tree, exit code, stdout, stderr."""
    started = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    timed_out = False
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        if timeout is not None and time.perf_counter() - started > timeout:
            for p in [*proc.children(recursive=True), proc]:
                p.kill()
            timed_out = True
            break
        time.sleep(0.02)
    out, err = proc.communicate()
    return {
        "wall": time.perf_counter() - started,
        "peak_rss_mb": peak / 1e6,
        "code": proc.returncode,
        "timed_out": timed_out,
        "stdout": out.decode("utf-8", "replace"),
        "stderr": err.decode("utf-8", "replace"),
    }


def _json_lines(text: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for line in text.splitlines():
        if line.startswith("{"):
            merged.update(json.loads(line))
    return merged


def seeds_cold(repeat: int, jobs: int) -> dict[str, Any]:
    """``briefgen build seeds/`` in a fresh process, every format; best and all runs."""
    exe = Path(sys.executable).with_name("briefgen")
    runs = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            cmd = [str(exe), "build", "seeds/", "-o", out, "-q", "--jobs", str(jobs), "--now", NOW]
            runs.append(_run(cmd))
    best = min(runs, key=lambda r: r["wall"])
    return {
        "command": "briefgen build seeds/ -o OUT -q",
        "wall": best["wall"],
        "median": statistics.median(r["wall"] for r in runs),
        "walls": [round(r["wall"], 3) for r in runs],
        "peak_rss_mb": best["peak_rss_mb"],
        "exit_code": best["code"],
        "message": (best["stdout"] or best["stderr"]).strip().splitlines()[-1:],
    }


def corpus_run(size: int | str, jobs: int, source: Path) -> dict[str, Any]:
    """One cold build of the ``size``-article corpus (or of ``seeds/``) in a child process."""
    corpus = (
        ROOT / "seeds"
        if size == "seeds"
        else build_corpus(int(size), corpus_dir(int(size)), source)
    )
    out = Path(tempfile.mkdtemp(prefix=f"briefgen-speed-{size}-"))
    try:
        cmd = [sys.executable, __file__, "--child-build", str(corpus), str(out), str(jobs)]
        run = _run(cmd)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if run["code"] != 0:
        raise SystemExit(f"build of {size} articles failed:\n{run['stderr'][-2000:]}")
    return {"size": size, "wall": run["wall"], "peak_rss_mb": run["peak_rss_mb"]} | _json_lines(
        run["stdout"]
    )


def lexrank_run(size: int, cap: float) -> dict[str, Any]:
    """sumy LexRank's time over the corpus's sentences; ``None`` when it passes ``cap``."""
    cmd = [sys.executable, __file__, "--child-lexrank", str(corpus_dir(size))]
    run = _run(cmd, timeout=cap + 60)  # + reading and splitting, which are not timed
    found = _json_lines(run["stdout"])
    if found.get("lexrank_seconds") is None and not run["timed_out"] and run["code"] != 0:
        # A crash is not a time-out: say so instead of hiding it behind the cap.
        tail = (run.get("stderr") or "").strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"LexRank child failed on {size} articles: {tail[0]}")
    if found.get("lexrank_seconds") is None or found["lexrank_seconds"] > cap:
        found["lexrank_seconds"] = None
        found["lexrank_note"] = f"did not finish within {cap:.0f} s"
    found["lexrank_peak_rss_mb"] = run["peak_rss_mb"]
    return found


# --------------------------------------------------------------------------- report


def _fmt(x: float | None, unit: str = "s") -> str:
    if x is None:
        return "-"
    return f"{x:.2f} {unit}" if x < 100 else f"{x:.0f} {unit}"


def table(report: dict[str, Any]) -> str:
    seeds = report["seeds_cold"]
    lines = [
        f"seeds cold (`{seeds['command']}`, all formats): best {_fmt(seeds['wall'])}, median "
        f"{_fmt(seeds['median'])} of {seeds['walls']}, peak RSS {seeds['peak_rss_mb']:.0f} MB, "
        f"exit {seeds['exit_code']}",
        "",
    ]
    head = [
        "articles", "sentences", "wall", "sent/s", "peak RSS", "pages",
        *STAGES[:5], *(f"r.{f}" for f in FORMATS), "check", "write",
        "LexRank", "LR/summarize", "LR/build",
    ]  # fmt: skip
    rows = [head]
    for r in [report["seeds_stages"], *report["sizes"]]:
        t = r.get("timings", {})
        lex = r.get("lexrank_seconds")
        rows.append(
            [
                f"{r['size']} ({r.get('articles')})",
                str(r.get("sentences", "-")),
                _fmt(r["wall"]),
                f"{r['sentences'] / r['wall']:.0f}" if r.get("sentences") else "-",
                f"{r['peak_rss_mb']:.0f} MB",
                str(r.get("pdf_pages", "-")),
                *(_fmt(t.get(s)) for s in STAGES[:5]),
                *(_fmt(t.get(f"render_{f}")) for f in FORMATS),
                _fmt(t.get("check")),
                _fmt(t.get("write")),
                "-"
                if "lexrank_seconds" not in r and "lexrank_note" not in r  # seeds: not run
                else _fmt(lex)
                if lex is not None
                else f"> {report['lexrank_cap']:.0f} s",
                f"{lex / t['summarize']:.1f}x" if lex and t.get("summarize") else "-",
                f"{lex / r['wall']:.2f}x" if lex else "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--jobs", type=int, default=0, help="briefgen --jobs (0: all cores)")
    parser.add_argument("--repeat", type=int, default=10, help="cold seeds runs (best is kept)")
    parser.add_argument("--lexrank-cap", type=float, default=120.0)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--child-build", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--child-lexrank", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build:
        _build_child(args.child_build[0], args.child_build[1], int(args.child_build[2]))
        return 0
    if args.child_lexrank:
        _lexrank_child(args.child_lexrank)
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    report: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": os.getloadavg(),
        },
        "jobs": args.jobs,
        "lexrank_cap": args.lexrank_cap,
        "seeds_cold": seeds_cold(args.repeat, args.jobs),
        "sizes": [],
    }
    print(f"seeds cold: {report['seeds_cold']['walls']}", file=sys.stderr)
    # The same build in the benchmark's child, for its per-stage times (no LexRank on 2 articles)
    report["seeds_stages"] = corpus_run("seeds", args.jobs, args.source)
    capped = False
    for size in sizes:
        row = corpus_run(size, args.jobs, args.source)
        if not capped:
            lex = lexrank_run(size, args.lexrank_cap)
            row |= {k: v for k, v in lex.items() if k != "sentences"}
            capped = lex.get("lexrank_seconds") is None
        else:
            row["lexrank_note"] = "skipped: a smaller size already hit the cap"
        report["sizes"].append(row)
        print(f"{size}: {row['wall']:.1f} s, {row['peak_rss_mb']:.0f} MB", file=sys.stderr)
    report["load_average_at_end"] = os.getloadavg()
    print(table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2) + "\n"
    (RESULTS / "speed.json").write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
