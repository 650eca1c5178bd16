"""Stage 3b: choose what the briefing says, aimed at the targets the final check enforces.

This is where a sentence is chosen.  Selection is greedy MMR with a hard redundancy cut, so two
articles reporting the same fact give one point, and that point cites both
(:func:`supporting_citations`).  Key points and the bottom line never exceed
``Targets.max_key_point_words`` (counted as the check counts them); easier sentences are preferred
through the ranking's readability factor.  The same :func:`select` call makes the quality
benchmark's summaries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from briefgen.errors import SummarizeError
from briefgen.model import Article, Citation, Sentence, Statement
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import BACKGROUND, FORWARD, may_lead
from briefgen.summarize.ilp import ilp_select
from briefgen.summarize.rank import Ranking, joined_grade, rank, scale
from briefgen.summarize.support import same_fact


@dataclass(frozen=True)
class Summary:
    bottom_line: list[Statement]
    key_points: list[Statement]
    background: list[Statement]
    outlook: list[Statement]

    def sections(self) -> tuple[list[Statement], ...]:
        return (self.bottom_line, self.key_points, self.background, self.outlook)


# --------------------------------------------------------------------------- selection


def select(
    ranking: Ranking,
    *,
    max_items: int | None = None,
    word_budget: int | None = None,
    exclude: Sequence[int] = (),
    only: Sequence[int] | None = None,
    spec: BriefingSpec | None = None,
    cap: int | None = None,
    mean_grade: float | None = None,
) -> list[int]:
    """Greedy MMR: indices into ``ranking.sentences`` in the order they were chosen.

    Stops at ``max_items`` sentences or when nothing left fits ``word_budget`` (counted on the
    text as shown, after shortening); a sentence too long for what is left of the budget is
    passed over for a shorter one.  A candidate too similar to anything already chosen (or
    excluded) is skipped, never shown twice.  A sentence longer than ``max_key_point_words`` is
    chosen only when no shorter candidate is left, and never when ``cap`` (a hard word limit,
    counted as the final check counts) is given and it is over it.  With ``mean_grade``, the
    chosen sentences' mean Flesch-Kincaid grade is held at or under it while the sources allow
    (:func:`_grade_tiers`).
    """
    spec = spec or BriefingSpec()
    pool = set(range(len(ranking.sentences)) if only is None else only) - set(exclude)
    if cap is not None:
        pool = {i for i in pool if ranking.length(i) <= cap}
    if spec.selection.selector == "ilp":
        picked = ilp_select(
            ranking,
            sorted(pool, key=lambda i: (-ranking.score[i], i)),
            max_items,
            word_budget,
            spec,
        )
        if picked is not None:
            left = None if word_budget is None else word_budget - sum(map(ranking.length, picked))
            more = None if max_items is None else max_items - len(picked)
            if (left is None or left > 0) and (more is None or more > 0):
                rest = replace(spec, selection=replace(spec.selection, selector="mmr"))
                picked += select(
                    ranking,
                    max_items=more,
                    word_budget=left,
                    exclude=[*exclude, *picked],
                    only=only,
                    spec=rest,
                    cap=cap,
                )
            return picked
    chosen: list[int] = []
    taken = list(exclude)
    used = 0
    order = sorted(pool, key=lambda i: (-ranking.score[i], i))
    while order and (max_items is None or len(chosen) < max_items):
        left = None if word_budget is None else word_budget - used
        best = None
        for tier in _grade_tiers(ranking, order, chosen, mean_grade, max_items):
            best = _best(ranking, tier, taken, left, spec)
            if best is not None:
                break
        if best is None:
            break
        order.remove(best)
        chosen.append(best)
        taken.append(best)
        used += ranking.length(best)
        # The same fact in another article becomes a citation of this point, never a point.
        echoes = {int(j) for j in _support_matches(ranking, best, spec).values()}
        order = [i for i in order if i not in echoes]
    return chosen


def _best(
    ranking: Ranking,
    order: Sequence[int],
    taken: Sequence[int],
    left: int | None,
    spec: BriefingSpec,
) -> int | None:
    """The next MMR pick among candidates that fit ``left`` words; shorter key points first."""
    fallback, fallback_value = None, -np.inf
    best, best_value = None, -np.inf
    sims = _similarities(ranking, order, taken)
    gain = _coverage_gain(ranking, order, taken, spec)
    for k, i in enumerate(order):
        n = ranking.length(i)
        if left is not None and n > left:
            continue
        overlap = float(sims[k])
        if overlap > spec.selection.redundancy:
            continue
        value = (
            spec.selection.mmr_lambda * ranking.score[i] - (1 - spec.selection.mmr_lambda) * overlap
        )
        value += spec.selection.w_coverage * gain[k]
        if n > spec.targets.max_key_point_words:
            if value > fallback_value:
                fallback, fallback_value = i, value
        elif value > best_value:
            best, best_value = i, value
    return best if best is not None else fallback


# Of candidates that would all lift the grade over its target, those this close to the easiest
# stay in play, so the grade is kept as low as the sources allow without taking the easiest
# sentence whatever it says.
_GRADE_SLACK = 2.0


def _grade_tiers(
    ranking: Ranking,
    order: Sequence[int],
    chosen: Sequence[int],
    target: float | None,
    total_items: int | None,
) -> list[Sequence[int]]:
    """Candidate pools to try in turn so that what is chosen, read as one text (as the final
    check reads the bottom line and key points), ends at or under grade ``target``: first those
    after which it can still get there, the picks still to come counted as the easiest
    candidates left (so a hard but central bottom line is paid for by easier key points); else
    the easiest ones (within ``_GRADE_SLACK`` of the easiest); else all.  Without a target, all
    of ``order`` at once."""
    if target is None or not len(ranking.counts) or not order:
        return [order]
    later = max(0, (total_items or len(chosen) + 1) - len(chosen) - 1)
    by_ease = sorted(order, key=lambda i: (ranking.grade[i], i))
    base = ranking.counts[list(chosen)] if chosen else np.zeros((0, 2))

    def feasible(i: int) -> bool:
        rest = [j for j in by_ease[: later + 1] if j != i][:later]
        rows = np.vstack([base, ranking.counts[[i, *rest]]])
        return joined_grade(rows) <= target

    within = [i for i in order if feasible(i)]
    easy = [i for i in order if ranking.grade[i] <= ranking.grade[by_ease[0]] + _GRADE_SLACK]
    return [within, easy, order]


def _coverage_gain(
    ranking: Ranking, order: Sequence[int], taken: Sequence[int], spec: BriefingSpec
) -> np.ndarray:
    """Weight of new concepts per shown word each candidate adds, scaled so the best gets 1.

    Nothing before the first pick: the bottom line is the best-scored sentence, not the densest.
    """
    if spec.selection.w_coverage <= 0 or not ranking.concepts or not taken:
        return np.zeros(len(order))
    covered: set[str] = set().union(*(ranking.concepts[j] for j in taken))
    w = ranking.concept_weight
    gain = np.array(
        [
            sum(w[c] for c in ranking.concepts[i] - covered) / max(1, ranking.length(i))
            for i in order
        ],
        float,
    )
    return scale(gain)


def _similarities(ranking: Ranking, order: Sequence[int], taken: Sequence[int]) -> np.ndarray:
    """Highest similarity of each candidate in ``order`` to anything already taken."""
    if not taken or not order:
        return np.zeros(len(order))
    sims = (ranking.vectors[list(order)] @ ranking.vectors[list(taken)].T).toarray()
    return np.asarray(sims.max(axis=1)).ravel()


def _support_matches(ranking: Ranking, i: int, spec: BriefingSpec) -> dict[str, int]:
    """The most similar sentence of every other article on what sentence ``i`` is about: an echo
    of a chosen point, never a point of its own (support is :func:`_same_fact_matches`)."""
    me = ranking.sentences[i].article_id
    sims = (ranking.vectors @ ranking.vectors[i].T).toarray().ravel()
    best: dict[str, int] = {}
    for j in np.argsort(-sims, kind="stable"):
        if sims[j] < spec.selection.support_similarity:
            break
        other = ranking.sentences[j].article_id
        if other != me and other not in best:
            best[other] = int(j)
    return best


def _same_fact_matches(ranking: Ranking, i: int, spec: BriefingSpec) -> dict[str, int]:
    """The most similar sentence of every other article that reports the same fact as ``i``
    (:func:`~briefgen.summarize.support.same_fact`), not merely the same topic."""
    me = ranking.sentences[i]
    sims = (ranking.vectors @ ranking.vectors[i].T).toarray().ravel()
    best: dict[str, int] = {}
    for j in np.argsort(-sims, kind="stable"):
        if sims[j] < spec.selection.support_similarity:
            break
        other = ranking.sentences[j]
        fresh = other.article_id != me.article_id and other.article_id not in best
        if fresh and same_fact(me.text, other.text):
            best[other.article_id] = int(j)
    return best


def supporting_citations(ranking: Ranking, i: int, spec: BriefingSpec) -> list[Citation]:
    """Citations for sentence ``i``: itself first, then, in each other article, the most similar
    sentence that reports the same fact (carrying its text, so ``check`` can re-test it)."""
    matches = _same_fact_matches(ranking, i, spec)
    first = ranking.sentences[i].citation()
    return [first, *(ranking.sentences[j].citation(with_text=True) for j in matches.values())]


def statement(ranking: Ranking, i: int, spec: BriefingSpec) -> Statement:
    s = ranking.sentences[i]
    cites = supporting_citations(ranking, i, spec)
    outlets = {ranking.outlets.get(c.article_id, c.article_id) for c in cites}
    text = ranking.text(i)
    return Statement(
        text=text,
        source_text=s.text,
        citations=cites,
        score=round(float(ranking.score[i]), 4),
        shortened=text != s.text,
        single_source=len(outlets) == 1 and len(set(ranking.outlets.values())) > 1,
    )


def grade_goal(ranking: Ranking, spec: BriefingSpec) -> float:
    """Mean grade the bottom line and key points aim at: ``max_grade``, or ``grade_below_sources``
    grades under the median candidate sentence when that is easier."""
    if not len(ranking.grade):
        return spec.targets.max_grade
    median = float(np.median(ranking.grade))
    return min(spec.targets.max_grade, median - spec.selection.grade_below_sources)


def key_point_count(ranking: Ranking, spec: BriefingSpec) -> int:
    """3-7 key points: more when there is more to say, never past the page budget."""
    n = len(ranking.sentences)
    return max(spec.selection.min_key_points, min(spec.selection.max_key_points, 3 + n // 25))


def summarize(ranking: Ranking, spec: BriefingSpec | None = None) -> Summary:
    """Bottom line, key points, background and outlook, each a list of cited statements."""
    spec = spec or BriefingSpec()
    k = key_point_count(ranking, spec)
    # The bottom line and key points are held to the word target the check enforces.
    cap = spec.targets.max_key_point_words
    # A point stands alone: never one that opens with a reference to what it does not show.
    alone = [i for i in range(len(ranking.sentences)) if may_lead(ranking.text(i))]
    main = select(
        ranking,
        max_items=k + 1,
        only=alone,
        spec=spec,
        cap=cap,
        mean_grade=grade_goal(ranking, spec),
    )
    if not main:
        raise SummarizeError(
            f"no sentence of at most {cap} words (--max-key-point-words) that does not open "
            "with an unresolved reference (he, this, ...) could be selected"
        )
    bottom, points = main[:1], main[1:]
    texts = [ranking.sentences[i].text for i in range(len(ranking.sentences))]
    forward = [i for i, t in enumerate(texts) if FORWARD.search(t)]
    outlook = select(
        ranking, max_items=spec.selection.max_outlook, exclude=main, only=forward, spec=spec
    )
    past = [i for i, t in enumerate(texts) if BACKGROUND.search(t) and i not in forward]
    background = select(
        ranking,
        max_items=spec.selection.max_background,
        exclude=main + outlook,
        only=past,
        spec=spec,
    )
    return Summary(
        bottom_line=[statement(ranking, i, spec) for i in bottom],
        key_points=[statement(ranking, i, spec) for i in points],
        background=[statement(ranking, i, spec) for i in background],
        outlook=[statement(ranking, i, spec) for i in outlook],
    )


def summary_text(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    word_budget: int,
    spec: BriefingSpec | None = None,
) -> list[str]:
    """The sentences briefgen would show, in selection order, up to a word budget.

    The quality benchmark scores this; it is the same ranking and selection that make a
    briefing's bottom line and key points, continued until the budget is spent.
    """
    spec = spec or BriefingSpec()
    ranking = rank(articles, sentences, spec)
    # The bottom line and key points stand alone (as in summarize); the rest of the budget is
    # spent as the background and outlook are, where a sentence may lean on the one before.
    alone = [i for i in range(len(ranking.sentences)) if may_lead(ranking.text(i))]
    k = key_point_count(ranking, spec) + 1
    chosen = select(ranking, max_items=k, word_budget=word_budget, only=alone, spec=spec)
    left = word_budget - sum(map(ranking.length, chosen))
    if left > 0:
        chosen += select(ranking, word_budget=left, exclude=chosen, spec=spec)
    return [ranking.text(i) for i in chosen]
