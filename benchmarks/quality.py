"""Summary quality against human editors, next to the classic extractive methods.

``python benchmarks/quality.py [DIR] [--budget 300] [--json FILE] [--clusters N] [--split [K]]
[--write]``

``DIR`` holds ``cluster-*/articles/*.txt`` and ``cluster-*/reference.txt`` (the layout of the
development set, ``../shared/eval/news-mds-dev`` beside the repository, which is the default; see
``benchmarks/evaldata.py`` for ``$BRIEFGEN_EVAL``).  Every system sees the same articles and
sentences and is cut at the same word budget (whitespace words; the last sentence is truncated
identically for all).  The reference is read only by the scorer and by the extractive oracle
row (:mod:`benchmarks.oracle`), the ceiling of the extractive format at the same budget and cut.

Every table gives briefgen's margin over the best classic method (lead, LexRank, TextRank) per
metric with a paired bootstrap interval (clusters resampled, per-cluster differences), and the
share of the lead-to-oracle gap it closes.  ``--split`` (alone: ``odd-even``) also reports the
half parameters are tuned on (odd cluster numbers) and the half they never saw (even ones), a
split fixed before any tuning; ``--split K`` reports ``1..K`` and ``K+1..N`` instead.  Nothing is
written into the repository unless ``--write`` is given.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.evaldata import eval_set  # noqa: E402
from benchmarks.oracle import oracle  # noqa: E402
from briefgen.base.text import is_deletion_of  # noqa: E402
from briefgen.model import Article, Sentence  # noqa: E402
from briefgen.spec import BriefingSpec  # noqa: E402
from briefgen.summarize.candidates import words  # noqa: E402
from briefgen.summarize.segment import segment_all, split_sentences  # noqa: E402
from briefgen.summarize.select import summary_text  # noqa: E402

METRICS = ("rouge1", "rouge2", "rougeL")
CLASSIC = ("lead", "lexrank", "textrank")  # "the best classic method" is the best of these
ORACLE = "oracle"
BOOTSTRAP_SEED = 20261125
RESAMPLES = 1000
RESULTS = ROOT / "benchmarks" / "results"


@dataclass
class Cluster:
    name: str
    articles: list[Article]
    sentences: list[Sentence]
    reference_path: Path


# --------------------------------------------------------------------------- reading


def _minimal_article(path: Path, article_id: str) -> Article:
    """Fallback reader for plain .txt files when ``ingest.read_article`` is unavailable or fails."""
    import hashlib

    text = path.read_text(encoding="utf-8", errors="replace").strip()
    title = next((ln.strip() for ln in text.splitlines() if ln.strip()), path.stem)
    return Article(
        id=article_id,
        path=str(path),
        title=title[:200],
        text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
    )


def read_one(path: Path, article_id: str) -> Article | None:
    """The pipeline's reader (furniture removed); the minimal reader if it is missing or fails."""
    try:
        from briefgen.ingest.read import read_article

        return read_article(path, article_id)
    except Exception:
        try:
            article = _minimal_article(path, article_id)
        except OSError:
            return None
        return article if article.text else None


def load_cluster(folder: Path) -> Cluster:
    paths = sorted((folder / "articles").glob("*.txt"))
    articles = [a for i, p in enumerate(paths, 1) if (a := read_one(p, f"a{i}")) is not None]
    return Cluster(folder.name, articles, segment_all(articles), folder / "reference.txt")


def cluster_dirs(root: Path, limit: int | None = None) -> list[Path]:
    dirs = sorted(d for d in root.glob("cluster-*") if (d / "articles").is_dir())
    return dirs[:limit] if limit else dirs


# --------------------------------------------------------------------------- systems
# Each system returns sentences in the order it wants them; the budget cut is applied afterwards.


def run_briefgen(c: Cluster, budget: int) -> list[str]:
    """The same code path that makes a briefing's key points."""
    return summary_text(c.articles, c.sentences, budget, BriefingSpec())


def run_lead(c: Cluster, budget: int) -> list[str]:
    """First sentence of each article, then the second of each, ... (round-robin)."""
    by_article: dict[str, list[str]] = {}
    for s in c.sentences:
        by_article.setdefault(s.article_id, []).append(s.text)
    out: list[str] = []
    depth = max((len(v) for v in by_article.values()), default=0)
    for k in range(depth):
        out += [v[k] for v in by_article.values() if k < len(v)]
        if _count(out) >= budget:
            break
    return out


def run_random(c: Cluster, budget: int) -> list[str]:
    """Floor: sentences in a seeded random order (seed = cluster name, so runs repeat)."""
    texts = [s.text for s in c.sentences]
    random.Random(c.name).shuffle(texts)
    return texts


class _Tokenizer:
    """sumy tokenizer on briefgen's own splitter: sumy's default one needs NLTK punkt data."""

    language = "english"

    def to_sentences(self, text: str) -> tuple[str, ...]:
        return tuple(text[a:b] for a, b in split_sentences(text))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))


def _sumy(kind: str) -> Callable[[Cluster, int], list[str]]:
    def run(c: Cluster, budget: int) -> list[str]:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words

        cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "lsa": LsaSummarizer}
        summarizer = cls[kind](Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        text = "\n\n".join(a.text for a in c.articles)
        document = PlaintextParser.from_string(text, _Tokenizer()).document
        ranked: list[str] = []

        def take_all(infos: list) -> list:  # type: ignore[type-arg]
            # sumy hands the count the sentences best-first; keep that order for the budget.
            ranked.extend(str(i.sentence) for i in infos)
            return infos

        summarizer(document, take_all)
        return ranked

    return run


SYSTEMS: dict[str, Callable[[Cluster, int], list[str]]] = {
    "briefgen": run_briefgen,
    "lead": run_lead,
    "lexrank": _sumy("lexrank"),
    "textrank": _sumy("textrank"),
    "lsa": _sumy("lsa"),
    "random": run_random,
}


# --------------------------------------------------------------------------- scoring


def _count(sentences: Sequence[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def cut(sentences: Sequence[str], budget: int) -> tuple[str, list[str]]:
    """The summary text cut at ``budget`` words, and the sentences (at least partly) in it."""
    out: list[str] = []
    kept: list[str] = []
    for s in sentences:
        if len(out) >= budget:
            break
        out += s.split()[: budget - len(out)]
        kept.append(s)
    return " ".join(out), kept


def faithful(shown: Sequence[str], c: Cluster) -> float:
    """Share of shown sentences that are deletion-only copies of some source sentence."""
    if not shown:
        return 1.0
    sources = [s.text for s in c.sentences]
    ok = sum(any(is_deletion_of(t, src) for src in sources) for t in shown)
    return ok / len(shown)


def bootstrap(values: np.ndarray) -> tuple[float, float]:
    """95% percentile interval of the mean of ``values`` (clusters resampled with replacement).

    Given per-cluster differences of two systems, it is the paired interval of their margin."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    idx = rng.integers(0, len(values), size=(RESAMPLES, len(values)))
    means = values[idx].mean(axis=1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


Scores = dict[str, dict[str, list[float]]]


def evaluate(root: Path, budget: int, limit: int | None) -> tuple[list[str], Scores]:
    """Per system (and the oracle), per cluster: ROUGE F1 (percent) and faithfulness."""
    from rouge_score.rouge_scorer import RougeScorer

    scorer = RougeScorer(list(METRICS), use_stemmer=True)
    names: list[str] = []
    scores: Scores = {s: {m: [] for m in (*METRICS, "faithful")} for s in (*SYSTEMS, ORACLE)}
    for folder in cluster_dirs(root, limit):
        cluster = load_cluster(folder)
        names.append(cluster.name)
        outputs = {name: system(cluster, budget) for name, system in SYSTEMS.items()}
        reference = cluster.reference_path.read_text(encoding="utf-8")  # scorer and oracle only
        outputs[ORACLE] = oracle([s.text for s in cluster.sentences], reference, budget)
        for name, sentences in outputs.items():
            text, shown = cut(sentences, budget)
            result = scorer.score(reference, text)
            for m in METRICS:
                scores[name][m].append(100 * result[m].fmeasure)
            scores[name]["faithful"].append(faithful(shown, cluster))
    return names, scores


def best_classic(scores: Scores, rows: Sequence[int], metric: str) -> str:
    """The classic method (lead, LexRank, TextRank) with the highest mean ``metric`` on ``rows``."""
    return max(CLASSIC, key=lambda s: float(np.mean([scores[s][metric][i] for i in rows])))


def table(scores: Scores, rows: Sequence[int], title: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    """Means with 95% bootstrap intervals, briefgen's paired margin over the best classic method
    per metric, and the share of the lead-to-oracle gap briefgen closes; printed and as JSON."""
    lines = [title, f"{'system':<10} " + " ".join(f"{m:>22}" for m in METRICS) + "  faithful"]
    out: dict[str, dict] = {}  # type: ignore[type-arg]
    for name, per in scores.items():
        cells, entry = [], {}
        for m in METRICS:
            v = np.asarray([per[m][i] for i in rows])
            lo, hi = bootstrap(v)
            entry[m] = round(float(v.mean()), 2)
            entry[f"{m}_ci"] = [round(lo, 2), round(hi, 2)]
            cells.append(f"{v.mean():6.2f} [{lo:6.2f},{hi:6.2f}]")
        entry["faithful"] = round(float(np.mean([per["faithful"][i] for i in rows])), 4)
        out[name] = entry
        lines.append(
            f"{name:<10} " + " ".join(f"{c:>22}" for c in cells) + f"  {entry['faithful']:.3f}"
        )
    margin: dict[str, dict] = {}  # type: ignore[type-arg]
    cells = []
    for m in METRICS:
        rival = best_classic(scores, rows, m)
        diff = np.asarray([scores["briefgen"][m][i] - scores[rival][m][i] for i in rows])
        lo, hi = bootstrap(diff)
        margin[m] = {"over": rival, "mean": round(float(diff.mean()), 2), "ci": [lo, hi]}
        margin[m]["ci"] = [round(lo, 2), round(hi, 2)]
        cells.append(f"{diff.mean():+6.2f} [{lo:+6.2f},{hi:+6.2f}] {rival[:4]}")
    lines.append(f"{'margin':<10} " + " ".join(f"{c:>22}" for c in cells) + "  (paired)")
    gap = {
        m: round(
            (out["briefgen"][m] - out["lead"][m]) / max(1e-9, out[ORACLE][m] - out["lead"][m]), 3
        )
        for m in METRICS
    }
    lines.append(
        f"{'gap closed':<10} "
        + " ".join(f"{100 * gap[m]:>21.1f}%" for m in METRICS)
        + "  (of lead -> oracle)"
    )
    return "\n".join(lines), {"systems": out, "margin_over_best_classic": margin, "gap_closed": gap}


def halves(names: Sequence[str], split: str) -> list[tuple[str, list[int]]]:
    """The tuned and untuned halves: ``odd-even`` (odd cluster numbers tuned on, even ones held
    out; fixed before any tuning), or ``K`` (clusters 1..K tuned on, the rest held out)."""
    if split == "odd-even":
        odd = [i for i, n in enumerate(names) if int(n.rsplit("-", 1)[-1]) % 2 == 1]
        even = [i for i in range(len(names)) if i not in odd]
        return [("tuned (odd)", odd), ("untuned (even)", even)]
    k = int(split)
    return [("tuned", list(range(k))), ("untuned", list(range(k, len(names))))]


# --------------------------------------------------------------------------- CI gate baseline

# Tuned half only (odd cluster numbers): the untuned half stays unseen by every check.
GATE_CLUSTERS = ("cluster-001", "cluster-007", "cluster-017", "cluster-025")
GATE_MARGIN = 1.5
BASELINE = ROOT / "benchmarks" / "quality_baseline.json"


def files_hash(root: Path, names: Sequence[str]) -> str:
    """sha256 over the gate clusters' files (path and bytes), so a changed eval set is noticed."""
    import hashlib

    h = hashlib.sha256()
    for name in names:
        for path in sorted((root / name).rglob("*.txt")):
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def gate_scores(root: Path, names: Sequence[str], budget: int = 300) -> dict[str, float]:
    """briefgen's mean ROUGE-1/2 and faithfulness over the gate clusters."""
    from rouge_score.rouge_scorer import RougeScorer

    scorer = RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    r1, r2, ok = [], [], []
    for name in names:
        cluster = load_cluster(root / name)
        text, shown = cut(run_briefgen(cluster, budget), budget)
        result = scorer.score(cluster.reference_path.read_text(encoding="utf-8"), text)
        r1.append(100 * result["rouge1"].fmeasure)
        r2.append(100 * result["rouge2"].fmeasure)
        ok.append(faithful(shown, cluster))
    return {
        "rouge1": float(np.mean(r1)),
        "rouge2": float(np.mean(r2)),
        "faithful": float(np.min(ok)),
    }


def write_baseline(root: Path) -> dict[str, object]:
    measured = gate_scores(root, GATE_CLUSTERS)
    baseline: dict[str, object] = {
        "clusters": list(GATE_CLUSTERS),
        "files_sha256": files_hash(root, GATE_CLUSTERS),
        "budget": 300,
        "measured": {k: round(v, 2) for k, v in measured.items()},
        "margin": GATE_MARGIN,
        "floor": {m: round(measured[m] - GATE_MARGIN, 2) for m in ("rouge1", "rouge2")},
    }
    BASELINE.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    return baseline


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "dir", type=Path, nargs="?", default=eval_set(), help="eval set (default: %(default)s)"
    )
    parser.add_argument("--budget", type=int, default=300)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--clusters", type=int, default=None, help="only the first N clusters")
    parser.add_argument(
        "--split",
        nargs="?",
        const="odd-even",
        default=None,
        help="also report the tuned and untuned halves: odd-even (the default when given "
        "alone: tuned on odd cluster numbers) or K (1..K tuned, the rest untuned)",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"write the figures to {RESULTS.relative_to(ROOT)}/quality-BUDGET.json (tracked)",
    )
    parser.add_argument(
        "--write-baseline", action="store_true", help="re-measure the CI gate's floors and stop"
    )
    args = parser.parse_args(argv)
    if args.split is not None and args.split != "odd-even" and not args.split.isdigit():
        parser.error(f"--split takes odd-even or a number of clusters, not {args.split!r}")
    if args.write_baseline:
        print(json.dumps(write_baseline(args.dir), indent=2))
        return 0

    start = time.perf_counter()
    names, scores = evaluate(args.dir, args.budget, args.clusters)
    if not names:
        parser.error(f"no cluster-*/articles folders in {args.dir}")
    n = len(names)
    every = list(range(n))
    text, figures = table(scores, every, f"All {n} clusters, budget {args.budget} words")
    print(text)
    result: dict[str, object] = {"budget": args.budget, "clusters": n, **figures}
    if args.split:
        for label, rows in halves(names, args.split):
            if not rows:
                continue
            part = [names[i] for i in rows]
            text, figures = table(scores, rows, f"\n{label}: {len(part)} clusters")
            print(text)
            result[label.split()[0]] = {"clusters": part, **figures}
    wall = time.perf_counter() - start
    result["wall_seconds"] = round(wall, 1)
    print(f"\nwall time {wall:.1f} s")

    payload = json.dumps(result, indent=2) + "\n"
    if args.write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"quality-{args.budget}.json").write_text(payload, encoding="utf-8")
    if args.json:
        args.json.write_text(payload, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
