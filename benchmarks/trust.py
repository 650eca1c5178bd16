"""What a briefing says about its sentences, measured on labelled pairs from real news clusters.

``python benchmarks/trust.py [--labels FILE] [--show-errors]``

Item 1 of issue #14 (support that holds): every pair in ``benchmarks/labels/support.jsonl`` is a
sentence a briefing could show and a sentence of another article in the same development cluster
that plain topic similarity (the old test) would have cited as support, labelled by reading both
``same`` (it reports the same fact) or ``different`` (same topic, another fact).  The label file
holds only references (cluster, article file, character span); the text is read from the
evaluation data (``../shared/eval/news-mds-dev`` or ``$BRIEFGEN_EVAL``), never copied here.
Printed: precision and recall of :func:`briefgen.summarize.support.same_fact`, and of the old
cosine test for comparison; with ``--split`` also the figures on each half (thresholds set on
the first half hold on the second?).

When ``benchmarks/trust_extract.py`` exists (actor kinds and disagreements, items 5 and 6), its
``report()`` lines are printed after these.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.evaldata import eval_set  # noqa: E402
from briefgen.summarize.support import match  # noqa: E402

LABELS = ROOT / "benchmarks" / "labels" / "support.jsonl"


@dataclass(frozen=True)
class Pair:
    cluster: str
    shown: str
    cited: str
    same: bool


class LabelError(ValueError):
    """A label file line that does not resolve to text in the evaluation data."""


def _span(root: Path, cluster: str, ref: dict[str, object]) -> str:
    path = root / cluster / "articles" / str(ref["article"])
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LabelError(f"{path}: cannot read ({exc.strerror})") from exc
    start, end = ref["start"], ref["end"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise LabelError(f"{path}: no span {start}-{end}")
    return text[start:end]


def read_pairs(labels: Path = LABELS, root: Path | None = None) -> list[Pair]:
    """The labelled pairs, their text read from the evaluation data."""
    root = root or eval_set()
    pairs = []
    try:
        lines = labels.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LabelError(f"{labels}: cannot read ({exc.strerror})") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            label = row["label"]
            if label not in ("same", "different"):
                raise LabelError(f"label {label!r} is neither 'same' nor 'different'")
            pairs.append(
                Pair(
                    row["cluster"],
                    _span(root, row["cluster"], row["shown"]),
                    _span(root, row["cluster"], row["cited"]),
                    label == "same",
                )
            )
        except (KeyError, TypeError, json.JSONDecodeError, LabelError) as exc:
            raise LabelError(f"{labels}:{n}: {exc}") from exc
    return pairs


def scores(pairs: Sequence[Pair], test: Callable[[str, str], bool]) -> tuple[int, int, int]:
    """True positives, false positives and labelled-same pairs."""
    said = [test(p.shown, p.cited) for p in pairs]
    tp = sum(s and p.same for s, p in zip(said, pairs, strict=True))
    fp = sum(s and not p.same for s, p in zip(said, pairs, strict=True))
    return tp, fp, sum(p.same for p in pairs)


def line(name: str, pairs: Sequence[Pair], test: Callable[[str, str], bool]) -> str:
    tp, fp, pos = scores(pairs, test)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / pos if pos else 1.0
    return (
        f"| {name} | {len(pairs)} ({pos} same) | {precision:.1%} ({tp}/{tp + fp}) "
        f"| {recall:.1%} ({tp}/{pos}) |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--split", action="store_true", help="also report each half of the pairs")
    ap.add_argument("--show-errors", action="store_true", help="print the misjudged pairs")
    args = ap.parse_args(argv)
    try:
        pairs = read_pairs(args.labels)
    except LabelError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1

    def same(a: str, b: str) -> bool:
        return match(a, b).same

    print("Support that holds (#14 item 1): does the cited sentence report the shown fact?\n")
    print("| test | pairs | precision | recall |\n|---|---|---|---|")
    print(line("same-fact test (briefgen)", pairs, same))
    print(line("any pair the old cosine >= 0.18 test cited", pairs, lambda a, b: True))
    if args.split:
        half = len(pairs) // 2
        print(line(f"same-fact test, pairs 1-{half}", pairs[:half], same))
        print(line(f"same-fact test, pairs {half + 1}-{len(pairs)}", pairs[half:], same))
    if args.show_errors:
        for p in pairs:
            m = match(p.shown, p.cited)
            if m.same != p.same:
                kind = "false support" if m.same else "missed support"
                print(f"\n{kind} ({p.cluster}, {m.reason}):\n  {p.shown}\n  {p.cited}")
    try:
        extra = importlib.import_module("benchmarks.trust_extract")
    except ModuleNotFoundError as exc:
        if exc.name != "benchmarks.trust_extract":
            raise
    else:
        print()
        print(extra.report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
