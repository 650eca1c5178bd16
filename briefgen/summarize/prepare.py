"""The per-article half of summarizing: split an article, mark its candidates, stem them.

Everything here depends on one article's text and the selection settings alone, so the build
maps :func:`prepare` over the articles in a process pool (or on a cluster) and may keep its
result by content hash; the rest of the summarizer then only reads these results.  On a large
input this is most of the summarizer's time: sentence splitting, the page-furniture tests and
stemming are per sentence, while ranking reads at most ``POOL_SIZE`` sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.base.text import plain_lower, word_count
from briefgen.model import Article, Sentence
from briefgen.spec import Selection
from briefgen.summarize.candidates import NOT_NEWS, is_candidate_text
from briefgen.summarize.fragments import STUB
from briefgen.summarize.segment import as_sentences, split_sentences
from briefgen.summarize.similarity import term_lists
from briefgen.summarize.sketch import quick_spans

__all__ = ["Prepared", "prepare", "prepare_part", "prepare_quick", "sentences_of"]


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
    # Words in the whole article, as the sources list shows them; not counted for a split up to
    # an offset (the sketch route, whose quick pass has counted every article already).
    words: int | None


def prepare(text: str, selection: Selection, until: int | None = None) -> Prepared:
    """Split ``text`` into sentences (with ``until``, only as far as the paragraph holding that
    offset) and mark and stem its candidates.  Pure."""
    return _marked(text, split_sentences(text, until), selection, count_words=until is None)


def prepare_quick(text: str, selection: Selection) -> Prepared:
    """:func:`prepare` with the sketch's quick splitter (:mod:`~briefgen.summarize.sketch`)."""
    return _marked(text, quick_spans(text), selection)


def prepare_part(item: tuple[str, int | None], selection: Selection) -> Prepared:
    """:func:`prepare` of a ``(text, until)`` pair: the form a process pool maps."""
    return prepare(item[0], selection, item[1])


def _marked(
    text: str, spans: Sequence[tuple[int, int]], selection: Selection, count_words: bool = True
) -> Prepared:
    low = plain_lower(text)
    not_news, stub = NOT_NEWS.within(low), STUB.within(low)
    candidate = tuple(is_candidate_text(text[a:b], selection, not_news, stub) for a, b in spans)
    terms = tuple(
        " ".join(term_lists(text[a:b])) if ok else ""
        for (a, b), ok in zip(spans, candidate, strict=True)
    )
    return Prepared(tuple(spans), candidate, terms, word_count(text) if count_words else None)


def sentences_of(article: Article, prepared: Prepared) -> list[Sentence]:
    """The :class:`Sentence` objects of ``article`` at its prepared spans."""
    return as_sentences(article, prepared.spans)
