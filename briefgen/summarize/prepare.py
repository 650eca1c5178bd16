"""The per-article half of summarizing: split an article, mark its candidates, stem them.

Everything here depends on one article's text and the selection settings alone, so the build
maps :func:`prepare` over the articles in a process pool (or on a cluster) and may keep its
result by content hash; the rest of the summarizer then only reads these results.  On a large
input this is most of the summarizer's time: sentence splitting, the page-furniture tests and
stemming are per sentence, while ranking reads at most ``POOL_SIZE`` sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.model import Article, Sentence
from briefgen.spec import Selection
from briefgen.summarize.candidates import is_candidate_text
from briefgen.summarize.segment import as_sentences, split_sentences
from briefgen.summarize.similarity import term_lists

__all__ = ["Prepared", "prepare", "sentences_of"]


@dataclass(frozen=True)
class Prepared:
    """One article's sentence spans, which of them may be shown, and their stemmed terms.

    ``terms[i]`` is sentence ``i``'s stems joined by spaces (one string per sentence keeps a
    quarter of a million sentences small in memory and cheap to pass between processes); it is
    empty for sentences that are not candidates, which the pre-ranking never vectorizes.
    """

    spans: tuple[tuple[int, int], ...]
    candidate: tuple[bool, ...]
    terms: tuple[str, ...]


def prepare(text: str, selection: Selection) -> Prepared:
    """Split ``text`` into sentences and mark and stem its candidates.  Pure."""
    spans = split_sentences(text)
    candidate = tuple(is_candidate_text(text[a:b], selection) for a, b in spans)
    terms = tuple(
        " ".join(term_lists(text[a:b])) if ok else ""
        for (a, b), ok in zip(spans, candidate, strict=True)
    )
    return Prepared(tuple(spans), candidate, terms)


def sentences_of(article: Article, prepared: Prepared) -> list[Sentence]:
    """The :class:`Sentence` objects of ``article`` at its prepared spans."""
    return as_sentences(article, prepared.spans)
