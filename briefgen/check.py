"""Stage 6: measure and check a briefing — readability, faithfulness, citations.

Faithfulness is the product's promise: every sentence shown is its cited source sentence, or
that sentence with words deleted.  :func:`is_deletion_of` is the one test of it, used by the
summarizer, by ``briefgen check`` and by the test-suite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.model import Article, Briefing, Readability, Statement

_TOKEN = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
SECTIONS = ("bottom_line", "key_points", "background", "outlook")


def _tokens(text: str) -> list[str]:
    return [t.replace("’", "'") for t in _TOKEN.findall(text)]


def is_deletion_of(shown: str, source: str) -> bool:
    """Whether ``shown``'s tokens are an in-order subsequence of ``source``'s tokens.

    Tokens must match exactly (whitespace and curly/straight apostrophes aside), with one
    exception: ``shown``'s first word may have its first letter upper-cased, because a shortened
    sentence may begin with what was a mid-sentence word.  Any other change of case is a change.
    """
    want = _tokens(shown)
    it = iter(_tokens(source))
    if not want:
        return False
    first = want[0]
    if not any(t == first or t[:1].upper() + t[1:] == first for t in it):
        return False
    return all(any(w == t for t in it) for w in want[1:])


def statement_is_faithful(statement: Statement, articles: dict[str, Article]) -> str | None:
    """None when the statement matches its first citation's span; else the reason it does not."""
    cite = statement.citations[0]
    article = articles.get(cite.article_id)
    if article is None:
        return f"cites missing article {cite.article_id}"
    span = article.text[cite.start : cite.end]
    if span != statement.source_text:
        return f"source text differs from {cite.article_id} sentence {cite.sentence_index}"
    if not is_deletion_of(statement.text, statement.source_text):
        return "text is not a deletion-only copy of its source sentence"
    return None


def faithful_share(briefing: Briefing, articles: Sequence[Article]) -> float:
    by_id = {a.id: a for a in articles}
    shown = briefing.statements()
    if not shown:
        return 1.0
    ok = sum(statement_is_faithful(s, by_id) is None for _, s in shown)
    return ok / len(shown)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def readability(sentences: Sequence[str]) -> Readability:
    """textstat scores of a section, plus sentence-length figures a reader feels directly."""
    import textstat

    text = " ".join(s.strip() for s in sentences)
    counts = [word_count(s) for s in sentences]
    n_words = sum(counts)
    return Readability(
        flesch_reading_ease=round(float(textstat.flesch_reading_ease(text)), 2),
        flesch_kincaid_grade=round(float(textstat.flesch_kincaid_grade(text)), 2),
        gunning_fog=round(float(textstat.gunning_fog(text)), 2),
        words_per_sentence=round(n_words / len(sentences), 2) if sentences else 0.0,
        share_over_30_words=round(sum(c > 30 for c in counts) / len(counts), 3) if counts else 0.0,
        sentences=len(sentences),
        words=n_words,
    )


def section_readability(briefing: Briefing) -> dict[str, Readability]:
    out: dict[str, Readability] = {}
    for section in SECTIONS:
        texts = [s.text for s in getattr(briefing, section)]
        if texts:
            out[section] = readability(texts)
    return out
