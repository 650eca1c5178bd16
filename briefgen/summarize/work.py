"""What the summarizer and extractors read, and the per-article work that finds it.

:func:`work` maps :mod:`~briefgen.summarize.prepare` over the articles in a process pool (the
only per-article, pure part of summarizing) and hands the rest of the pipeline a bounded
:class:`~briefgen.summarize.similarity.Plan`: everything on small inputs, and on large ones the
articles a quick sketch points at, split exactly (:mod:`~briefgen.summarize.sketch`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from briefgen.base.cache import Store
from briefgen.model import Article, Sentence
from briefgen.spec import BriefingSpec
from briefgen.summarize import prepare, segment, similarity, sketch
from briefgen.summarize.cached import map_prepared

__all__ = ["SKETCH_CHARACTERS", "Split", "prepare_all", "work"]

SKETCH_CHARACTERS = 400_000
"""Input text above which a quick sketch first counts the candidates (below it there cannot be
enough of them for the sketch route, :data:`briefgen.summarize.sketch.SKETCH_ABOVE`)."""


@dataclass(frozen=True)
class Split:
    """Every sentence of the input, whether each may be shown, and its stems (see
    :mod:`briefgen.summarize.prepare`), index-aligned; and each article's word count."""

    sentences: list[Sentence]
    candidate: list[bool]
    terms: list[str]
    words: dict[str, int] = field(default_factory=dict)


def _mapped(
    articles: Sequence[Article],
    spec: BriefingSpec,
    jobs: int,
    until: Sequence[int | None] | None,
    cache: Store | None = None,
) -> list[prepare.Prepared]:
    texts = [a.text for a in articles]
    items: Sequence[str] | Sequence[tuple[str, int | None]] = texts
    func: Callable[[Any], prepare.Prepared] = partial(prepare.prepare, selection=spec.selection)
    if until is not None:
        items = list(zip(texts, until, strict=True))
        func = partial(prepare.prepare_part, selection=spec.selection)
    return map_prepared(
        func, items, jobs, cache, kind="prepare", texts=texts, until=until,
        selection=spec.selection, executor=spec.executor,
    )  # fmt: skip


def prepare_all(
    articles: Sequence[Article],
    spec: BriefingSpec,
    jobs: int,
    until: Sequence[int | None] | None = None,
    cache: Store | None = None,
) -> Split:
    """Every article split exactly (or up to its ``until`` offset), spread over ``jobs``; with
    ``cache``, articles prepared before are not prepared again."""
    split = Split([], [], [])
    for article, one in zip(articles, _mapped(articles, spec, jobs, until, cache), strict=True):
        if one.words is not None:
            split.words[article.id] = one.words
        split.sentences.extend(prepare.sentences_of(article, one))
        split.candidate.extend(one.candidate)
        split.terms.extend(one.terms)
    return split


def _capped(split: Split, spec: BriefingSpec, notes: list[str]) -> Split:
    """At most ``max_sentences`` sentences, the ones nearest the top of their articles."""
    limit = spec.limits.max_sentences
    total = len(split.sentences)
    if total <= limit:
        return split
    keep = segment.cap_sentences(range(total), limit, index_of=lambda i: split.sentences[i].index)
    notes.append(_over_limit(total, limit))
    return Split(
        [split.sentences[i] for i in keep],
        [split.candidate[i] for i in keep],
        [split.terms[i] for i in keep],
        split.words,
    )


def _over_limit(total: int, limit: int) -> str:
    return (
        f"{total} sentences, over the {limit} limit: ranked the {limit} nearest "
        "the top of their articles (raise it with --max-sentences)"
    )


def work(
    articles: Sequence[Article],
    spec: BriefingSpec,
    jobs: int,
    notes: list[str],
    cache: Store | None = None,
) -> similarity.Plan:
    """The bounded plan of what the summarizer and extractors read; warnings go to ``notes``.
    ``cache`` (the article cache) keeps each article's prepared form; the plan is the same."""
    if sum(len(a.text) for a in articles) > SKETCH_CHARACTERS:
        plan = _sketched(articles, spec, jobs, notes, cache)
        if plan is not None:
            return plan
    whole = prepare_all(articles, spec, jobs, cache=cache)
    split = _capped(whole, spec, notes)
    plan = similarity.plan(articles, split.sentences, split.candidate, split.terms)
    return replace(plan, sentences_in=len(whole.sentences), words=whole.words)


def _sketched(
    articles: Sequence[Article],
    spec: BriefingSpec,
    jobs: int,
    notes: list[str],
    cache: Store | None = None,
) -> similarity.Plan | None:
    """The sketch route, or ``None`` when the sketch finds too few candidates for it."""
    texts = [a.text for a in articles]
    quick = partial(prepare.prepare_quick, selection=spec.selection)
    found = map_prepared(
        quick, texts, jobs, cache, kind="quick", texts=texts, until=None,
        selection=spec.selection, executor=spec.executor,
    )  # fmt: skip
    # Only the candidates, as typed arrays: no Sentence objects for a quarter of a million.
    owner, index, end, terms = array("l"), array("l"), array("q"), []
    total = 0
    words: dict[str, int] = {}
    for k, one in enumerate(found):
        total += len(one.spans)
        if one.words is not None:  # always: the quick pass splits whole articles
            words[articles[k].id] = one.words
        for i, ((_, b), ok) in enumerate(zip(one.spans, one.candidate, strict=True)):
            if ok:
                owner.append(k)
                index.append(i)
                end.append(b)
                terms.append(one.terms[i])
    del found
    if len(terms) <= sketch.SKETCH_ABOVE:
        return None
    limit = spec.limits.max_sentences
    if total > limit:  # the cap by position, over the candidates only (the rest are never read)
        keep = segment.cap_sentences(range(len(terms)), limit, index_of=index.__getitem__)
        notes.append(_over_limit(total, limit))
        owner, index, end = (array(x.typecode, (x[i] for i in keep)) for x in (owner, index, end))
        terms = [terms[i] for i in keep]
    choice = sketch.choose(articles, owner, index, end, terms)
    chosen = [a for a in articles if a.id in choice.until]
    exact = prepare_all(chosen, spec, jobs, [choice.until[a.id] for a in chosen], cache)
    pool = [i for i, ok in enumerate(exact.candidate) if ok]
    ranked = sketch.rescore(
        choice.sketch, [exact.sentences[i] for i in pool], [exact.terms[i] for i in pool]
    )
    focus = set(choice.focus)
    return similarity.Plan(
        ranked,
        [a for a in chosen if a.id in focus],
        [s for s in exact.sentences if s.article_id in focus],
        sentences_in=total,
        words=words,
    )
