"""When and what about: dates written in the articles and their keyphrases."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.extract.timeline import timeline
from briefgen.model import Article, DateMention, Keyphrase, Sentence
from briefgen.spec import Extraction

__all__ = ["dates", "keyphrases"]


def dates(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    options: Extraction | None = None,
) -> list[DateMention]:
    """Dates written in the text, resolved where possible, ordered by date (see timeline)."""
    return timeline(articles, sentences, (options or Extraction()).max_dates)


def keyphrases(articles: Sequence[Article], options: Extraction | None = None) -> list[Keyphrase]:
    """YAKE keyphrases over all articles, overlapping phrases removed.

    ``score`` is 1 / (1 + YAKE score): higher is more relevant.
    """
    import yake

    options = options or Extraction()
    text = "\n\n".join(a.text for a in articles)
    extractor = yake.KeywordExtractor(lan="en", n=3, top=options.max_keyphrases * 4, dedupLim=0.7)
    chosen: list[Keyphrase] = []
    for phrase, score in extractor.extract_keywords(text):
        words = set(phrase.lower().split())
        if any(
            words <= set(c.phrase.lower().split()) or set(c.phrase.lower().split()) <= words
            for c in chosen
        ):
            continue
        chosen.append(Keyphrase(phrase=phrase, score=round(1.0 / (1.0 + float(score)), 4)))
        if len(chosen) >= options.max_keyphrases:
            break
    return chosen
