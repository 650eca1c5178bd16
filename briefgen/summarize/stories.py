"""Several unrelated stories in one input: groups of articles with little shared vocabulary.

A briefing summarizes one story.  When a feed or folder mixes stories (a quake, a summit, an
election), the summarizer picks the biggest or most central one and the rest is silently lost,
so the build warns: it names the story it summarized and lists the others.

Articles are TF-IDF vectors of the names they use (capitalised words not opening a sentence:
people, places, organisations); two articles belong to the same story when their cosine is at
least :data:`LINK`, and stories are the connected groups.  Names tell stories apart far better
than all content words, which unrelated news shares a lot of ("said", "officials", "year"):
on the 90 development clusters (``benchmarks/stories.py``) names tell 93% of mixed pairs of
clusters apart and split 17% of one-story clusters (mostly where a cluster holds a crawl notice
or a caption over 40 words, which is indeed another "story").  A story is named by the title
of its article closest to the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import connected_components

from briefgen.base.text import WORD, word_count
from briefgen.model import Article
from briefgen.summarize.similarity import STOP_WORDS, neighbours, tfidf

__all__ = ["LINK", "Story", "names", "stories", "story_warning"]

LINK = 0.06
"""Cosine of two articles' TF-IDF vectors at or above which they tell the same story."""
MIN_WORDS = 40
"""Shorter articles are not counted as a story of their own: in real feeds and crawls they are
mostly page furniture (a reprint notice, a video caption), not news."""
MAX_ARTICLES = 2000
"""Above this many articles the check is skipped (a large corpus is many stories by design)."""


@dataclass(frozen=True)
class Story:
    title: str  # the title of its most central article
    articles: list[Article]


def names(text: str) -> list[str]:
    """Capitalised words of ``text`` that do not open a sentence or line, lower-cased, without
    stop words ("The", "But" at a sentence start are not names)."""
    out = []
    for m in WORD.finditer(text):
        word = m.group(0)
        if not word[0].isupper() or len(word) < 2 or word.lower() in STOP_WORDS:
            continue
        before = text[max(0, m.start() - 6) : m.start()].rstrip(" \t\"'“‘(")
        if not before or before[-1] in ".!?:\n":
            continue
        out.append(word.lower().replace("’", "'").removesuffix("'s"))
    return out


def stories(articles: Sequence[Article], link: float = LINK) -> list[Story]:
    """The stories in ``articles`` of :data:`MIN_WORDS` words or more, the largest first (ties:
    the one met first)."""
    articles = [a for a in articles if word_count(a.text) >= MIN_WORDS]
    if len(articles) < 2:
        return [Story(articles[0].title, list(articles))] if articles else []
    vectors = tfidf([names(f"{a.title}\n{a.text}") for a in articles])
    sim = neighbours(vectors, k=len(articles), threshold=link)
    count, labels = connected_components(sim, directed=False)
    groups: list[Story] = []
    for label in range(count):
        members = [i for i in range(len(articles)) if labels[i] == label]
        inner = sim[members][:, members].toarray()
        central = members[int(np.argmax(inner.sum(axis=1)))]
        groups.append(Story(articles[central].title, [articles[i] for i in members]))
    order = {a.id: i for i, a in enumerate(articles)}
    groups.sort(key=lambda s: (-len(s.articles), min(order[a.id] for a in s.articles)))
    return groups


def story_warning(articles: Sequence[Article], summarized: str | None) -> str | None:
    """One warning line when ``articles`` hold several stories, else None.

    ``summarized`` is the id of the article the bottom line comes from: its story is the one the
    briefing tells.
    """
    if len(articles) > MAX_ARTICLES:
        return None
    found = stories(articles)
    if len(found) < 2:
        return None
    main = next((s for s in found if any(a.id == summarized for a in s.articles)), found[0])
    others = [s for s in found if s is not main]

    def name(s: Story) -> str:
        n = len(s.articles)
        return f"{s.title!r} ({n} article{'s' * (n != 1)})"

    return (
        f"the input holds {len(found)} unrelated stories; summarized {name(main)}; not covered: "
        + "; ".join(name(s) for s in others)
        + " (choose one with --topic or a briefing's topic; the others are then set aside)"
    )
