"""How readable the bottom line and key points are, next to the sentences they are chosen from.

``python benchmarks/readability.py [DIR] [--seeds SEEDS_DIR] [--json FILE]``

For the seeds and for every development cluster (``DIR``, default ``../shared/eval/news-mds-dev``)
it ranks and selects exactly as a briefing does (:func:`briefgen.summarize.select.summarize`,
default settings) and reports the Flesch-Kincaid grade of the bottom line and key points as
shown, read as one text as ``briefgen check`` reads them (and the mean of their per-sentence
grades), and the median grade of the source sentences: all sentences of the cluster's articles
that may be shown at all (candidates), and the ones the points were cut from.  The issue's goals:
seeds mean <= 12; on the clusters, key points >= 2 grades below their sources' median.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.evaldata import eval_set  # noqa: E402
from benchmarks.quality import cluster_dirs, read_one  # noqa: E402
from briefgen.base.readability import readability  # noqa: E402
from briefgen.base.syllables import textstat  # noqa: E402
from briefgen.model import Article  # noqa: E402
from briefgen.spec import BriefingSpec  # noqa: E402
from briefgen.summarize.rank import rank  # noqa: E402
from briefgen.summarize.segment import segment_all  # noqa: E402
from briefgen.summarize.select import summarize  # noqa: E402


def grades(articles: Sequence[Article]) -> dict[str, float]:
    """Mean grade of the bottom line + key points; median grade of candidates and of sources."""
    spec = BriefingSpec()
    ranking = rank(articles, segment_all(articles), spec)
    summary = summarize(ranking, spec)
    fk = textstat().flesch_kincaid_grade
    shown = summary.bottom_line + summary.key_points
    return {
        "points": readability([s.text for s in shown]).flesch_kincaid_grade,
        "points_mean": statistics.fmean(fk(s.text) for s in shown),
        "points_sources": readability([s.source_text for s in shown]).flesch_kincaid_grade,
        "candidates_median": statistics.median(fk(s.text) for s in ranking.sentences),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path, nargs="?", default=eval_set())
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)

    seeds = [read_one(p, f"a{i}") for i, p in enumerate(sorted(args.seeds.glob("*.txt")), 1)]
    seed = grades([a for a in seeds if a is not None])
    print(
        f"seeds: bottom line + key points FK {seed['points']:.2f} as one text, per-sentence "
        f"mean {seed['points_mean']:.2f} (goal <= 12)"
    )
    per: list[dict[str, float]] = []
    for folder in cluster_dirs(args.dir):
        paths = sorted((folder / "articles").glob("*.txt"))
        articles = [a for i, p in enumerate(paths, 1) if (a := read_one(p, f"a{i}")) is not None]
        per.append(grades(articles))
    result: dict[str, object] = {"seeds": seed}
    if per:
        points = statistics.fmean(g["points"] for g in per)
        median = statistics.fmean(g["candidates_median"] for g in per)
        drop = statistics.fmean(g["candidates_median"] - g["points"] for g in per)
        cut_from = statistics.fmean(g["points_sources"] for g in per)
        met = sum(g["candidates_median"] - g["points"] >= 2 for g in per)
        print(
            f"{len(per)} clusters: key points mean FK {points:.2f}; median FK of the source "
            f"sentences {median:.2f} (per-cluster mean); {drop:.2f} grades easier on average "
            f"(goal >= 2), >= 2 easier in {met} of {len(per)}; the sentences the points were "
            f"cut from average {cut_from:.2f}"
        )
        result["clusters"] = {
            "n": len(per),
            "points": round(points, 2),
            "sources_median": round(median, 2),
            "drop": round(drop, 2),
            "clusters_2_easier": met,
            "points_sources": round(cut_from, 2),
        }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
