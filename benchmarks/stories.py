"""Does the unrelated-stories warning fire when it should, and only then?

``python benchmarks/stories.py [--link 0.10] [--scan]``

- *Split* (false alarm): each development cluster is one story (Multi-News: several outlets on
  one event); the share of clusters with two or more articles of ``MIN_WORDS`` words that
  :func:`briefgen.summarize.stories.stories` splits (shorter "articles" there are crawl notices).
- *Told apart* (detection): each cluster mixed with the next one (90 pairs); the share where the
  mix is found to hold at least two stories, and where the groups are exactly the two clusters.

``--scan`` prints both figures for a range of link thresholds.  Clusters are read from
``../shared/eval/news-mds-dev`` (or ``$BRIEFGEN_EVAL``) and never copied.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from benchmarks.evaldata import eval_set  # noqa: E402
from briefgen.base.text import word_count  # noqa: E402
from briefgen.ingest.read import ingest  # noqa: E402
from briefgen.model import Article  # noqa: E402
from briefgen.summarize.stories import LINK, MIN_WORDS, stories  # noqa: E402


def load() -> list[list[Article]]:
    clusters = sorted(p for p in eval_set().glob("cluster-*") if (p / "articles").is_dir())
    if not clusters:
        raise SystemExit(f"no clusters under {eval_set()} (set BRIEFGEN_EVAL)")
    out = []
    for c in clusters:
        arts = ingest([str(c / "articles")]).articles
        out.append([a.model_copy(update={"id": f"{c.name}/{a.id}"}) for a in arts])
    return out


def measure(clusters: list[list[Article]], link: float) -> tuple[float, float, float]:
    multi = [c for c in clusters if sum(word_count(a.text) >= MIN_WORDS for a in c) > 1]
    split = sum(len(stories(c, link)) > 1 for c in multi) / len(multi)
    found = exact = 0
    for i, a in enumerate(clusters):
        b = clusters[(i + 1) % len(clusters)]
        groups = stories(a + b, link)
        found += len(groups) >= 2
        ids = sorted(sorted(x.id for x in g.articles) for g in groups)
        want = [sorted(x.id for x in c if word_count(x.text) >= MIN_WORDS) for c in (a, b)]
        exact += ids == sorted(w for w in want if w)
    return split, found / len(clusters), exact / len(clusters)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--link", type=float, default=LINK)
    parser.add_argument("--scan", action="store_true")
    args = parser.parse_args()
    clusters = load()
    print(f"{len(clusters)} clusters, {sum(map(len, clusters))} articles")
    print("link   one-story clusters split   mixed pairs told apart   groups exactly right")
    for link in [0.04, 0.06, 0.08, 0.10, 0.12, 0.15, 0.2] if args.scan else [args.link]:
        split, found, exact = measure(clusters, link)
        print(f"{link:<6.2f} {split:>24.1%} {found:>24.1%} {exact:>22.1%}")


if __name__ == "__main__":
    main()
