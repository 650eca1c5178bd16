"""Speed and memory of ``briefgen build`` from 2 to 10,000 articles, next to sumy's LexRank.

``python benchmarks/speed.py [--sizes 10,100,1000,10000] [--json FILE] [--lexrank-cap 120]``

* **seeds, cold**: ``briefgen build seeds/`` as a user runs it (a fresh process, all formats),
  best of ``--repeat`` runs;
* **corpora** of 10-10,000 real articles (``benchmarks/corpus.py``): each build runs in a fresh
  child process; wall time, per-stage times (``BuildResult.timings``), sentences per second and
  the peak RSS of the child and its workers together (psutil, sampled every 20 ms);
* **rerun** (``rerun_wall``): the corpus built cold with an empty article cache
  (``build --cache DIR``), then 1% new articles added (variants of the source articles with copy
  numbers the corpus does not use) and the whole folder built again with that cache, timed in a
  fresh child like the cold build; ``rerun/cold`` divides it by the cold build without a cache;
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
import random
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

from benchmarks.corpus import (  # noqa: E402
    SEED,
    SOURCE,
    build_corpus,
    corpus_dir,
    source_articles,
    variant,
)

RESULTS = ROOT / "benchmarks" / "results"
STAGES = ("ingest", "segment", "summarize", "extract", "provenance", "render", "check", "write")
FORMATS = ("html", "pdf", "docx", "md", "json")
NOW = "2026-01-01T07:00:00Z"


# --------------------------------------------------------------------------- children


def count_sentences() -> dict[str, int]:
    """In a build child: from now on, ``["sentences"]`` of the returned dict is the number of
    sentences the build's input held (``Plan.sentences_in``); the build is not changed."""
    import briefgen.summarize.work as summarize_work

    plan = summarize_work.work
    counted: dict[str, int] = {}

    def counting(*args: Any, **kwargs: Any) -> Any:
        found = plan(*args, **kwargs)
        counted["sentences"] = found.sentences_in
        return found

    summarize_work.work = counting
    return counted


def _build_child(corpus: str, out: str, jobs: int) -> None:
    """Child: one build, its timings and counts as JSON on stdout."""
    from briefgen.service.build import build
    from briefgen.spec import BriefingSpec, Targets

    counted = count_sentences()
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


def _cached_build_child(out: str, jobs: int, cache: str, inputs: list[str]) -> None:
    """Child: one build of ``inputs`` with the article cache in ``cache``; timings as JSON."""
    from briefgen.service.build import build
    from briefgen.spec import BriefingSpec, Targets

    started = time.perf_counter()
    targets = Targets(max_grade=99.0, max_key_point_words=1000)
    spec = BriefingSpec(targets=targets, jobs=jobs, cache=Path(cache))
    result = build(inputs, Path(out), spec)
    quality = result.briefing.quality
    print(
        json.dumps(
            {
                "in_process_seconds": time.perf_counter() - started,
                "timings": result.timings,
                "articles": quality.articles if quality else None,
            }
        )
    )


def _lexrank_child(corpus: str) -> None:
    """Child: briefgen's sentences of the corpus, then sumy's LexRank over them (timed alone)."""
    import re

    from briefgen.ingest.read import ingest
    from briefgen.spec import BriefingSpec
    from briefgen.summarize.similarity import stem_word
    from briefgen.summarize.work import prepare_all

    articles = ingest([corpus], jobs=0).articles
    sentences = prepare_all(articles, BriefingSpec(), 0).sentences
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


def _tree(proc: psutil.Process) -> list[psutil.Process]:
    return [proc, *proc.children(recursive=True)]


def _run(cmd: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run ``cmd``; wall time, peak memory of its process tree, exit code, stdout, stderr.

    Two memory figures: the summed RSS of the tree (every 20 ms), which counts the pages that
    forked workers share with their parent once per process, and the summed PSS (every 200 ms;
    reading smaps costs ~1.5 ms a process), which splits shared pages among the processes
    sharing them: the RAM the build really holds.
    """
    started = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak = peak_pss = 0
    timed_out = False
    tick = 0
    while proc.poll() is None:
        try:
            tree = _tree(proc)
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            if tick % 10 == 0:
                pss = sum(p.memory_full_info().pss for p in tree if p.is_running())
                peak_pss = max(peak_pss, pss)
        except psutil.Error:
            pass
        if timeout is not None and time.perf_counter() - started > timeout:
            for p in [*proc.children(recursive=True), proc]:
                p.kill()
            timed_out = True
            break
        tick += 1
        time.sleep(0.02)
    out, err = proc.communicate()
    return {
        "wall": time.perf_counter() - started,
        "peak_rss_mb": peak / 1e6,
        "peak_pss_mb": peak_pss / 1e6,
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


def _seed_html_child(out: str) -> None:
    """Child: the HTML briefgen feeds WeasyPrint in ``briefgen build seeds/`` (caught as the
    PDF renderer makes it, in a build run in this one process)."""
    from datetime import datetime

    from briefgen.render import pdf
    from briefgen.service.build import build
    from briefgen.spec import spec_from_flags

    made = pdf.render_html_string
    pages: list[str] = []

    def caught(*args: Any, **kwargs: Any) -> str:
        pages.append(made(*args, **kwargs))
        return pages[-1]

    pdf.render_html_string = caught  # type: ignore[assignment]
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00"))
    with tempfile.TemporaryDirectory() as tmp:
        build([str(ROOT / "seeds")], Path(tmp), spec_from_flags(now=now, jobs=1))
    Path(out).write_text(pages[-1], encoding="utf-8")


_BARE = (
    "import sys, weasyprint\n"
    "page = open(sys.argv[1], encoding='utf-8').read()\n"
    "weasyprint.HTML(string=page, base_url=sys.argv[2]).write_pdf()\n"
)


def seeds_vs_bare_weasyprint(repeat: int, jobs: int) -> dict[str, Any]:
    """The cold ``briefgen build seeds/`` against a bare WeasyPrint render of the seed
    briefing's own HTML (the page briefgen lays out for the PDF), each in a fresh process,
    run in turns ``repeat`` times; the ratio of the best of each."""
    exe = Path(sys.executable).with_name("briefgen")
    builds, bares = [], []
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "seed-briefing.html"
        made = _run([sys.executable, __file__, "--child-seed-html", str(page)])
        if made["code"] != 0:
            raise SystemExit(f"seed HTML failed:\n{made['stderr'][-2000:]}")
        base = (ROOT / "templates").as_uri() + "/"
        for i in range(repeat):
            out = Path(tmp) / f"out-{i}"
            bares.append(_run([sys.executable, "-c", _BARE, str(page), base])["wall"])
            cmd = [str(exe), "build", "seeds/", "-o", str(out), "-q", "--jobs", str(jobs)]
            run = _run([*cmd, "--now", NOW])
            if run["code"] != 0:
                raise SystemExit(f"seed build failed:\n{run['stderr'][-2000:]}")
            builds.append(run["wall"])
    return {
        "command": "briefgen build seeds/ -o OUT -q",
        "bare": "python -c 'weasyprint.HTML(string=html, base_url=...).write_pdf()'",
        "build_best": min(builds),
        "bare_best": min(bares),
        "ratio": min(builds) / min(bares),
        "builds": [round(w, 3) for w in builds],
        "bares": [round(w, 3) for w in bares],
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
    row = {"size": size, "wall": run["wall"], "peak_rss_mb": run["peak_rss_mb"]}
    row |= {"peak_pss_mb": run["peak_pss_mb"]} | _json_lines(run["stdout"])
    if row.get("sentences"):  # item 7: memory should grow linearly with the input
        row["bytes_per_sentence"] = round(run["peak_pss_mb"] * 1e6 / row["sentences"])
    return row


RERUN_SHARE = 0.01
"""New articles of a rerun, as a share of the corpus."""
RERUN_TARGET = (10_000, 0.15)
"""Issue #20: at 10,000 articles a rerun takes at most 15% of the cold build."""


def new_articles(size: int, out: Path, source: Path = SOURCE) -> int:
    """Write 1% of ``size`` new articles into ``out``: variants of the source articles with copy
    numbers the ``size`` corpus does not use, so none is a copy of an article already there."""
    texts = source_articles(source)
    count = max(1, round(size * RERUN_SHARE))
    first = size // len(texts) + 1
    rng = random.Random(SEED + size)
    out.mkdir(parents=True, exist_ok=True)
    for k in range(count):
        copy, j = divmod(k, len(texts))
        text = variant(texts[j], first + copy, rng)
        (out / f"new-{k:05d}.txt").write_text(text, encoding="utf-8")
    return count


def rerun_run(size: int, jobs: int, cold_wall: float, source: Path = SOURCE) -> dict[str, Any]:
    """``rerun_wall``: the ``size`` corpus built with an empty article cache, then again with
    1% new articles beside it, with that cache (each build a fresh child, as the cold build)."""
    corpus = corpus_dir(size)
    work = Path(tempfile.mkdtemp(prefix=f"briefgen-rerun-{size}-"))
    cache, out = work / "cache", work / "out"

    def cached_build(*inputs: Path) -> dict[str, Any]:
        child = [sys.executable, __file__, "--child-cached-build", str(out), str(jobs)]
        run = _run([*child, str(cache), *map(str, inputs)])
        if run["code"] != 0:
            raise SystemExit(f"cached build of {size} articles failed:\n{run['stderr'][-2000:]}")
        return run | _json_lines(run["stdout"])

    try:
        fill = cached_build(corpus)
        added = new_articles(size, work / "new", source)
        again = cached_build(corpus, work / "new")
        cache_bytes = sum(p.stat().st_size for p in cache.iterdir())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "cache_fill_wall": fill["wall"],
        "rerun_new_articles": added,
        "rerun_articles": again.get("articles"),
        "rerun_wall": again["wall"],
        "rerun_fraction": again["wall"] / cold_wall,
        "rerun_peak_rss_mb": again["peak_rss_mb"],
        "rerun_timings": again.get("timings", {}),
        "cache_mb": cache_bytes / 1e6,
    }


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


def _bare_line(report: dict[str, Any]) -> str:
    """The seed build over a bare WeasyPrint render of its HTML, and PDF layouts per build."""
    bare = report.get("seeds_vs_bare")
    layouts = ", ".join(
        f"{r['size']}: {r.get('timings', {}).get('pdf_layouts', 0):.0f}"
        for r in [report.get("seeds_stages", {}), *report["sizes"]]
        if r
    )
    if not bare:
        return f"PDF layouts per build: {layouts}"
    return (
        f"seeds cold vs bare WeasyPrint of its own HTML (fresh processes, in turns): "
        f"{_fmt(bare['build_best'])} / {_fmt(bare['bare_best'])} = {bare['ratio']:.2f}x; "
        f"PDF layouts per build: {layouts}"
    )


def table(report: dict[str, Any]) -> str:
    seeds = report["seeds_cold"]
    lines = [
        f"seeds cold (`{seeds['command']}`, all formats): best {_fmt(seeds['wall'])}, median "
        f"{_fmt(seeds['median'])} of {seeds['walls']}, peak RSS {seeds['peak_rss_mb']:.0f} MB, "
        f"exit {seeds['exit_code']}",
        _bare_line(report),
        "",
    ]
    head = [
        "articles", "sentences", "wall", "sent/s", "peak RSS", "peak PSS", "B/sent", "pages",
        *STAGES[:5], *(f"r.{f}" for f in FORMATS), "check", "write",
        "LexRank", "LR/summarize", "LR/build", "rerun", "rerun/cold",
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
                f"{r['peak_pss_mb']:.0f} MB" if r.get("peak_pss_mb") else "-",
                str(r.get("bytes_per_sentence", "-")),
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
                _fmt(r.get("rerun_wall")),
                f"{r['rerun_fraction']:.0%}" if r.get("rerun_fraction") else "-",
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines += ["", "targets (issue #20, 2 cores, all five formats, 3-page budget):"]
    lines += [f"  {'met ' if ok else 'MISS'}  {what}" for what, ok in targets(report)]
    return "\n".join(lines)


SIZE_TARGETS = {10_000: (30.0, 2000.0), 1_000: (8.0, 1000.0), 100: (5.0, None)}
SEED_RATIO_TARGET = 1.3
"""The cold seed build over a bare WeasyPrint render of its own HTML, at most."""
"""Articles -> (wall seconds, peak memory MB) a cold build must stay under."""


def targets(report: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each target the run measured, and whether it was met.  Memory is judged on the summed
    PSS (real RAM); the summed RSS, which counts forked workers' shared pages again, is shown."""
    out = []
    for r in report["sizes"]:
        wall_max, mem_max = SIZE_TARGETS.get(r["size"], (None, None))
        if wall_max is not None:
            out.append((f"{r['size']} articles in {r['wall']:.1f} s < {wall_max:.0f} s",
                        r["wall"] < wall_max))  # fmt: skip
        if mem_max is not None and r.get("peak_pss_mb"):
            out.append((f"{r['size']} articles peak PSS {r['peak_pss_mb']:.0f} MB "
                        f"(RSS sum {r['peak_rss_mb']:.0f} MB) < {mem_max:.0f} MB",
                        r["peak_pss_mb"] < mem_max))  # fmt: skip
        size, share = RERUN_TARGET
        if r["size"] == size and "rerun_fraction" in r:
            out.append((f"{size} articles rerun +1% at {r['rerun_fraction']:.0%} of cold "
                        f"<= {share:.0%}", r["rerun_fraction"] <= share))  # fmt: skip
    bare = report.get("seeds_vs_bare")
    if bare:
        out.append((f"seeds cold at {bare['ratio']:.2f}x a bare WeasyPrint render "
                    f"<= {SEED_RATIO_TARGET}x", bare["ratio"] <= SEED_RATIO_TARGET))  # fmt: skip
    return out


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
    parser.add_argument("--child-seed-html", help=argparse.SUPPRESS)
    parser.add_argument("--child-cached-build", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--no-rerun", action="store_true", help="skip the cached rebuilds")
    args = parser.parse_args(argv)
    if args.child_cached_build:
        out, jobs, cache, *inputs = args.child_cached_build
        _cached_build_child(out, int(jobs), cache, inputs)
        return 0
    if args.child_build:
        _build_child(args.child_build[0], args.child_build[1], int(args.child_build[2]))
        return 0
    if args.child_lexrank:
        _lexrank_child(args.child_lexrank)
        return 0
    if args.child_seed_html:
        _seed_html_child(args.child_seed_html)
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
    report["seeds_vs_bare"] = seeds_vs_bare_weasyprint(args.repeat, args.jobs)
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
        if not args.no_rerun:
            row |= rerun_run(size, args.jobs, row["wall"], args.source)
            print(f"{size}: rerun {row['rerun_fraction']:.0%} of cold", file=sys.stderr)
        report["sizes"].append(row)
        print(f"{size}: {row['wall']:.1f} s, {row['peak_rss_mb']:.0f} MB", file=sys.stderr)
    report["load_average_at_end"] = os.getloadavg()
    report["targets"] = [{"target": what, "met": ok} for what, ok in targets(report)]
    print(table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2) + "\n"
    (RESULTS / "speed.json").write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
