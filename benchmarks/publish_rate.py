"""Does every real news cluster give a briefing?  Builds each development cluster with default
options (all five formats, the 3-page budget, the default targets) and counts what is published.

``python benchmarks/publish_rate.py [--clusters N] [--jobs J] [--json OUT]``

A briefing tool that publishes nothing on a normal news day has failed: the target is every
cluster published.  For each cluster it also reports the longest key point (words), the key
points' Flesch-Kincaid grade against the target, and any warnings the checks gave.  The clusters
are read from ``../shared/eval/news-mds-dev`` (or ``$BRIEFGEN_EVAL``) and never copied.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.evaldata import eval_set  # noqa: E402
from briefgen.base.text import word_count  # noqa: E402
from briefgen.errors import BriefgenError, one_line  # noqa: E402
from briefgen.service.build import build  # noqa: E402
from briefgen.spec import BriefingSpec  # noqa: E402


def build_cluster(cluster: Path, out: Path, spec: BriefingSpec) -> dict[str, object]:
    t = time.perf_counter()
    try:
        result = build([str(cluster / "articles")], out, spec)
    except BriefgenError as exc:
        return {"cluster": cluster.name, "published": False, "error": one_line(exc)}
    b = result.briefing
    shown = b.bottom_line + b.key_points
    grade = b.quality.readability.get("key_points")
    return {
        "cluster": cluster.name,
        "published": True,
        "seconds": round(time.perf_counter() - t, 2),
        "longest_key_point": max(word_count(s.text) for s in shown),
        "key_point_grade": grade.flesch_kincaid_grade if grade else None,
        "warnings": [w for w in result.warnings if w.startswith(("grade:", "length:", "pages:"))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clusters", type=int, default=0, help="first N clusters (0: all)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    clusters = sorted(eval_set().glob("cluster-*"))
    if not clusters:
        raise SystemExit(f"no clusters under {eval_set()} (set BRIEFGEN_EVAL)")
    if args.clusters:
        clusters = clusters[: args.clusters]
    spec = BriefingSpec(jobs=args.jobs)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for cluster in clusters:
            row = build_cluster(cluster, Path(tmp) / cluster.name, spec)
            rows.append(row)
            status = "published" if row["published"] else f"NOT published: {row['error']}"
            print(f"{cluster.name}: {status}", flush=True)
    done = [r for r in rows if r["published"]]
    longest = [int(r["longest_key_point"]) for r in done]  # type: ignore[call-overload]
    grades = [float(r["key_point_grade"]) for r in done if r["key_point_grade"] is not None]  # type: ignore[arg-type]
    summary = {
        "clusters": len(rows),
        "published": len(done),
        "longest_key_point_max": max(longest, default=0),
        "target_words": spec.targets.max_key_point_words,
        "key_point_grade_median": round(statistics.median(grades), 2) if grades else None,
        "over_grade_target": sum(g > spec.targets.max_grade for g in grades),
        "grade_target": spec.targets.max_grade,
        "seconds_median": statistics.median(float(r["seconds"]) for r in done) if done else None,  # type: ignore[arg-type]
    }
    print(json.dumps(summary, indent=2))
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "clusters": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
