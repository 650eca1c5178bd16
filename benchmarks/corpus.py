"""Deterministic benchmark corpora of 10 to 10,000 articles made from real news text.

``python benchmarks/corpus.py SIZE [--out DIR] [--source DIR]`` writes ``SIZE`` ``.txt`` files.

The articles are the evaluation set's real articles (``cluster-*/articles/*.txt``), read from
``../shared/eval/news-mds-dev`` beside the repository (or ``$BRIEFGEN_EVAL/news-mds-dev``; see
``benchmarks/evaldata.py``) at benchmark time and written to a temporary folder, never into the
repository (evaluation-only licence).  The first pass over the source uses the articles as they
are; every later pass writes a variant of each, so near-duplicate detection keeps most of them, as
it would for follow-up stories: paragraphs and sentences in a shuffled order (the lead paragraph
stays first), some sentences left out, and numbers changed.  Same size and source, same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.evaldata import eval_set  # noqa: E402

SOURCE = eval_set()
SEED = 20261125
_NUMBER = re.compile(r"\b\d+\b")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def source_articles(source: Path = SOURCE) -> list[str]:
    """The real article texts, in a fixed (sorted) order."""
    paths = sorted(source.glob("cluster-*/articles/*.txt"))
    if not paths:
        raise SystemExit(f"no articles under {source}/cluster-*/articles/")
    return [p.read_text(encoding="utf-8") for p in paths]


def variant(text: str, copy: int, rng: random.Random) -> str:
    """Copy ``copy`` of ``text``: the original for 0, a light reshuffle otherwise."""
    if copy == 0:
        return text
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    head, rest = paragraphs[:1], paragraphs[1:]
    rng.shuffle(rest)
    out = []
    for paragraph in head + rest:
        sentences = _SENTENCE.split(paragraph.strip())
        if len(sentences) > 2:
            rng.shuffle(sentences)
            keep = [s for s in sentences if rng.random() > 0.15] or sentences[:1]
            sentences = keep
        out.append(" ".join(sentences))
    body = "\n\n".join(out)
    return _NUMBER.sub(lambda m: str(int(m.group()) + copy + rng.randrange(3)), body) + "\n"


def build_corpus(size: int, out: Path, source: Path = SOURCE) -> Path:
    """Write ``size`` articles into ``out`` (created; existing .txt files there are removed)."""
    texts = source_articles(source)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    rng = random.Random(SEED)
    for i in range(size):
        copy, j = divmod(i, len(texts))
        (out / f"{i:05d}.txt").write_text(variant(texts[j], copy, rng), encoding="utf-8")
    return out


def corpus_dir(size: int, root: Path | None = None) -> Path:
    """Where the corpus of ``size`` articles lives (outside the repository)."""
    base = root or Path(tempfile.gettempdir()) / "briefgen-bench"
    return base / f"corpus-{size}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--out", type=Path, help="folder (default: a temp folder)")
    parser.add_argument(
        "--source", type=Path, default=SOURCE, help=f"evaluation set (default: {SOURCE})"
    )
    args = parser.parse_args(argv)
    out = build_corpus(args.size, args.out or corpus_dir(args.size), args.source)
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
