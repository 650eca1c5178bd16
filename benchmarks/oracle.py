"""The extractive oracle: the best a sentence picker could do against the reference, greedily.

It reads the reference (the systems never do): sentences are added one at a time, each time the
one that raises ROUGE-1 F1 + ROUGE-2 F1 of the summary *as cut* (same word budget, same
truncation of the last sentence as every system) the most, until no sentence raises it or the
budget is spent.  Tokens are ``rouge-score``'s own (lower case, alphanumeric, Porter stemming),
computed once per whitespace word, so the greedy sees exactly what the scorer will.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence


def _stem_tokenizer():  # type: ignore[no-untyped-def]
    from rouge_score.tokenizers import DefaultTokenizer

    return DefaultTokenizer(use_stemmer=True)


def _f1(overlap: int, produced: int, wanted: int) -> float:
    if not overlap or not produced or not wanted:
        return 0.0
    p, r = overlap / produced, overlap / wanted
    return 2 * p * r / (p + r)


def _ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


class _Scorer:
    """ROUGE-1 + ROUGE-2 F1 of a token list against one reference, by counts."""

    def __init__(self, reference_tokens: Sequence[str]) -> None:
        self.ref1 = _ngrams(reference_tokens, 1)
        self.ref2 = _ngrams(reference_tokens, 2)
        self.n1 = sum(self.ref1.values())
        self.n2 = sum(self.ref2.values())

    def score(self, tokens: Sequence[str]) -> float:
        got1, got2 = _ngrams(tokens, 1), _ngrams(tokens, 2)
        o1 = sum((got1 & self.ref1).values())
        o2 = sum((got2 & self.ref2).values())
        return _f1(o1, len(tokens), self.n1) + _f1(o2, max(0, len(tokens) - 1), self.n2)


def oracle(sentences: Sequence[str], reference: str, budget: int) -> list[str]:
    """Source sentences in the order the greedy oracle picks them (then cut at ``budget``)."""
    tokenizer = _stem_tokenizer()
    scorer = _Scorer(tokenizer.tokenize(reference))
    # Per sentence, per whitespace word: its rouge tokens (so the cut can be applied exactly).
    words = [[tokenizer.tokenize(w) for w in s.split()] for s in sentences]
    chosen: list[int] = []
    kept_tokens: list[str] = []
    used = 0
    best_total = 0.0
    while used < budget:
        best, best_value, best_tokens = -1, best_total, kept_tokens
        for i, per_word in enumerate(words):
            if i in chosen or not per_word:
                continue
            trial = kept_tokens + [t for w in per_word[: budget - used] for t in w]
            value = scorer.score(trial)
            if value > best_value:
                best, best_value, best_tokens = i, value, trial
        if best < 0:
            break
        chosen.append(best)
        kept_tokens, best_total = best_tokens, best_value
        used += len(words[best])
    return [sentences[i] for i in chosen]
