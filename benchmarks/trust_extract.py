"""Issue #14, items 2-8: what a briefing says about its sources, measured on labelled fixtures.

``python benchmarks/trust_extract.py`` prints the report; ``benchmarks/trust.py`` imports
:func:`report`.  The fixtures in ``benchmarks/labels/`` hold references only (cluster, article
file, character offsets into that file, and a label); the text is read from the development set
(``../shared/eval/news-mds-dev`` or ``$BRIEFGEN_EVAL``, see ``benchmarks/evaldata.py``), which
may not be copied into the repository.

* ``actors.jsonl`` (item 5): 233 capitalised names from six development clusters, each labelled
  person, organization, place, country, other (a name that is not an actor: an event, a law, a
  demonym, a product) or none (not a name: a common word, a fragment, furniture).  The names are
  the union of what the rules of 2026-11-30 (before issue #14) and the current rules listed, so
  recall counts only names one of them found.
* ``disagreements.jsonl`` (item 6): 118 candidate disagreements (two value spans in two articles
  of one cluster), labelled real (the same slot with conflicting values) or not: every candidate
  the detector reported before issue #14, every one the current rules report at a looser
  similarity (0.2), and one real pair found by reading.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.evaldata import eval_set  # noqa: E402
from briefgen.extract import compare  # noqa: E402
from briefgen.extract.actors import actors  # noqa: E402
from briefgen.extract.quotes import direct_quotes  # noqa: E402
from briefgen.ingest import language  # noqa: E402
from briefgen.ingest.read import IngestResult, ingest  # noqa: E402
from briefgen.model import Sentence  # noqa: E402
from briefgen.spec import Extraction  # noqa: E402
from briefgen.summarize.segment import segment_all  # noqa: E402

LABELS = ROOT / "benchmarks" / "labels"
KINDS = ("person", "organization", "place", "country")


def _raw(cluster: str, article: str) -> str:
    return (eval_set() / cluster / "articles" / article).read_text(encoding="utf-8")


@cache
def _cluster(cluster: str) -> tuple[IngestResult, tuple[Sentence, ...]]:
    result = ingest([str(eval_set() / cluster / "articles")])
    return result, tuple(segment_all(result.articles))


def _rows(name: str) -> list[dict[str, object]]:
    lines = (LABELS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# --------------------------------------------------------------------------- item 5: actors


def actor_scores() -> dict[str, object]:
    """Per-kind precision and recall, kind accuracy, and non-names listed, on the fixture."""
    rows = _rows("actors.jsonl")
    predicted: dict[str, dict[str, str]] = {}
    for cluster in sorted({str(r["cluster"]) for r in rows}):
        result, sentences = _cluster(cluster)
        found = actors(result.articles, sentences, options=Extraction(max_actors=10_000))
        predicted[cluster] = {n: a.kind for a in found for n in (a.name, *a.aliases)}
    gold_n: Counter[str] = Counter()
    pred_n: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    listed_right = listed_actor = non_names_listed = 0
    for r in rows:
        mention = _raw(str(r["cluster"]), str(r["article"]))[int(r["start"]) : int(r["end"])]
        gold, pred = str(r["kind"]), predicted[str(r["cluster"])].get(mention)
        gold_n[gold] += 1
        if pred is not None:
            pred_n[pred] += 1
            hit[pred] += pred == gold
            if gold in KINDS:
                listed_actor += 1
                listed_right += pred == gold
            else:
                non_names_listed += 1
    per_kind = {
        k: (hit[k] / pred_n[k] if pred_n[k] else 0.0, hit[k] / gold_n[k] if gold_n[k] else 0.0)
        for k in KINDS
    }
    return {
        "mentions": len(rows),
        "gold": dict(gold_n),
        "per_kind": per_kind,
        "kind_accuracy": listed_right / listed_actor if listed_actor else 0.0,
        "actors_listed": listed_actor,
        "actors_total": sum(gold_n[k] for k in KINDS),
        "non_names_listed": non_names_listed,
        "non_names": gold_n["other"] + gold_n["none"],
    }


# --------------------------------------------------------------------------- item 6


def _span_key(cluster: str, article: str, sentence: str, value: str) -> tuple[str, int] | None:
    text = _raw(cluster, article)
    at, inner = text.find(sentence), sentence.find(value)
    return None if at < 0 or inner < 0 else (article, at + inner)


def disagreement_scores() -> dict[str, object]:
    """Precision and recall of the disagreements reported on the fixture's clusters."""
    rows = _rows("disagreements.jsonl")
    labels: dict[tuple[str, frozenset[tuple[str, int]]], bool] = {}
    for r in rows:
        a, b = r["a"], r["b"]
        assert isinstance(a, list) and isinstance(b, list)
        pair = frozenset({(str(a[0]), int(a[1])), (str(b[0]), int(b[1]))})
        labels[(str(r["cluster"]), pair)] = bool(r["real"])
    reported = real = unlabelled = 0
    for cluster in sorted({c for c, _ in labels}):
        result, sentences = _cluster(cluster)
        files = {a.id: Path(a.path or "").name for a in result.articles}
        found = actors(result.articles, sentences, options=Extraction(max_actors=10_000))
        for d in compare.disagreements(result.articles, sentences, found, limit=10_000):
            keys = [
                _span_key(cluster, files[c.citations[0].article_id], c.source_text, v)
                for c, v in zip(d.claims, d.values, strict=True)
            ]
            label = labels.get((cluster, frozenset(k for k in keys if k)))
            if label is None:
                unlabelled += 1
                continue
            reported += 1
            real += label
    total_real = sum(labels.values())
    return {
        "candidates": len(labels),
        "real": total_real,
        "reported": reported,
        "reported_real": real,
        "unlabelled_reports": unlabelled,
        "precision": real / reported if reported else None,
        "recall": real / total_real if total_real else None,
    }


# --------------------------------------------------------------------------- items 2, 7, 8


def corpus_counts(limit: int | None = None) -> dict[str, object]:
    """Over the development clusters: languages detected, quotes found and their speakers."""
    clusters = sorted(p.name for p in eval_set().glob("cluster-*"))[:limit]
    langs: Counter[str] = Counter()
    fast = 0
    quotes = resolved = 0
    for cluster in clusters:
        for path in sorted((eval_set() / cluster / "articles").glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            langs[language.detect(text)] += 1
            share, n = language.english_share(text[: language.SAMPLE_CHARS])
            fast += n >= language.MIN_WORDS and share >= language.ENGLISH_SHARE
        result, sentences = _cluster(cluster)
        found = actors(result.articles, sentences, options=Extraction(max_actors=10_000))
        for q in direct_quotes(sentences, found):
            quotes += 1
            resolved += q.speaker is not None
    return {
        "clusters": len(clusters),
        "languages": dict(langs),
        "fast_path": fast,
        "quotes": quotes,
        "quotes_with_speaker": resolved,
    }


def report() -> str:
    """The figures of items 5, 6 and 8 (and quote counts), as printable text."""
    a = actor_scores()
    d = disagreement_scores()
    c = corpus_counts()
    per_kind = a["per_kind"]
    assert isinstance(per_kind, dict)
    lines = [
        f"Actors (item 5): {a['mentions']} labelled mentions in 6 development clusters "
        f"(gold: {a['gold']})",
        "  kind          precision  recall",
        *(f"  {k:<13} {p:>9.1%}  {r:>6.1%}" for k, (p, r) in per_kind.items()),
        f"  kind accuracy of listed actors: {a['kind_accuracy']:.1%} "
        f"({a['actors_listed']} of {a['actors_total']} labelled actors listed)",
        f"  non-names (other/none) listed as actors: {a['non_names_listed']} of {a['non_names']}",
        f"Disagreements (item 6): {d['candidates']} labelled candidates, {d['real']} real",
        f"  reported {d['reported']} (real {d['reported_real']}), precision "
        + (f"{d['precision']:.1%}" if d["precision"] is not None else "n/a (none reported)")
        + ", recall "
        + (f"{d['recall']:.1%}" if d["recall"] is not None else "n/a")
        + f"; reports outside the fixture: {d['unlabelled_reports']}",
        f"Language (item 8): {c['languages']} over the articles of {c['clusters']} clusters; "
        f"{c['fast_path']} decided by the English function-word test, the rest by py3langid",
        f"Quotes (item 2): {c['quotes']} direct quotes with a resolved speaker "
        f"({c['quotes_with_speaker']} named), each the words between quotation marks",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
