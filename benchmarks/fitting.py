"""How well page fitting predicts: the trimming it lays out against the fewest that fit.

``python benchmarks/fitting.py [--clusters 30] [--budgets 2] [--sizes 100,1000] [--json FILE]``

For briefings over their page budget (the evaluation clusters at a budget of 2 pages, the
seeds at 2, and the benchmark corpora at the default 3), every trimming level is laid out, to
find the fewest levels that truly fit, and compared with the level
:func:`briefgen.render.fit.predict` chooses from one layout of the whole briefing.  Reported:
how often the prediction is that level, one level too much (a valid briefing showing a little
less than it could), or too little (the build then lays out one more level: a third layout), and
how many of all predicted page counts are exact.  Results go to
``benchmarks/results/fitting.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import build_corpus, corpus_dir  # noqa: E402
from benchmarks.evaldata import eval_set  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def briefing_of(folder: Path) -> Any:
    """The briefing of one folder of articles, as a build makes it (no file written)."""
    from briefgen.ingest.read import ingest
    from briefgen.pipeline import make_briefing
    from briefgen.spec import BriefingSpec, Targets

    found = ingest([str(folder)], jobs=0)
    spec = BriefingSpec(targets=Targets(max_grade=99.0, max_key_point_words=1000))
    return make_briefing(found.articles, found.dropped, spec)


def case(name: str, briefing: Any, budget: int) -> dict[str, Any] | None:
    """Predicted and true levels of one briefing at one budget (None: it fits untrimmed)."""
    from briefgen.render.context import Views
    from briefgen.render.fit import TRIMS, left_out, predict, trim
    from briefgen.render.paging import flow_of
    from briefgen.render.pdf import lay_out

    views = Views(briefing)
    variants = {lv: views.context(trim(briefing, lv)[0], "pdf") for lv in range(len(TRIMS) + 1)}
    document = lay_out(briefing, None, variants[0])
    if len(document.pages) <= budget:
        return None
    started = time.perf_counter()
    flow = flow_of(document)
    predicted = predict(flow, variants, budget)
    seconds = time.perf_counter() - started
    pages = {lv: len(lay_out(briefing, None, variants[lv]).pages) for lv in variants}
    guessed = {lv: flow.pages(left_out(variants[0], variants[lv])) for lv in variants}
    fitting = [lv for lv in range(1, len(TRIMS) + 1) if pages[lv] <= budget]
    return {
        "case": name,
        "budget": budget,
        "pages_untrimmed": pages[0],
        "predicted_level": predicted,
        "fewest_fitting_level": fitting[0] if fitting else None,
        "pages": pages,
        "predicted_pages": guessed,
        "predict_seconds": seconds,
    }


def summary(cases: list[dict[str, Any]]) -> dict[str, Any]:
    def best(c: dict[str, Any]) -> int:
        return c["fewest_fitting_level"] or len(c["pages"]) - 1

    exact = sum(c["predicted_level"] == best(c) for c in cases)
    over = sum(c["predicted_level"] > best(c) for c in cases)
    under = sum(c["predicted_level"] < best(c) for c in cases)
    levels = [(c["pages"][lv], c["predicted_pages"][lv]) for c in cases for lv in c["pages"]]
    return {
        "cases": len(cases),
        "level_exact": exact,
        "level_too_much": over,
        "level_too_little_third_layout": under,
        "page_counts_exact": sum(a == p for a, p in levels),
        "page_counts": len(levels),
        "median_predict_seconds": statistics.median(c["predict_seconds"] for c in cases)
        if cases
        else 0.0,
        "max_predict_seconds": max((c["predict_seconds"] for c in cases), default=0.0),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=30, help="evaluation clusters to use")
    parser.add_argument("--budgets", default="2", help="page budgets for the clusters")
    parser.add_argument("--sizes", default="100,1000", help="benchmark corpora, at 3 pages")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    budgets = [int(b) for b in args.budgets.split(",") if b.strip()]
    cases: list[dict[str, Any]] = []
    inputs: list[tuple[str, Path, list[int]]] = [("seeds", ROOT / "seeds", [2])]
    clusters = sorted(eval_set().glob("cluster-*/articles"))[: args.clusters]
    inputs += [(p.parent.name, p, budgets) for p in clusters]
    for size in [int(s) for s in args.sizes.split(",") if s.strip()]:
        inputs.append((f"corpus-{size}", build_corpus(size, corpus_dir(size)), [3]))
    for name, folder, wanted in inputs:
        briefing = briefing_of(folder)
        for budget in wanted:
            found = case(name, briefing, budget)
            if found is not None:
                cases.append(found)
                print(
                    f"{name} at {budget}: predicted level {found['predicted_level']}, fewest "
                    f"fitting {found['fewest_fitting_level']}",
                    file=sys.stderr,
                )
    report = {"summary": summary(cases), "cases": cases}
    print(json.dumps(report["summary"], indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2) + "\n"
    (RESULTS / "fitting.json").write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
