"""Stage 2: split each article into sentences that keep their exact character span.

syntok is rule-based (no downloaded data) and handles "U.S.", "Mr.", "Jan. 21" and decimals.  We
slice the sentence text out of the article by offset instead of re-joining syntok's tokens, so
``article.text[s.start:s.end] == s.text`` always holds: that identity is what citations and
``briefgen verify`` rely on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

import syntok.segmenter as syntok

from briefgen.base.text import UNSPACED
from briefgen.model import Article, Sentence

# syntok's cost grows with paragraph length; a "paragraph" with no break at all (a 2 MB line) is
# cut into windows at whitespace so that segmentation stays linear.
_T = TypeVar("_T")

_MAX_PARAGRAPH = 20_000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Titles before a name that syntok takes for a sentence end ("The Rev. | Al Sharpton", "Lt. |
# Gov. | Dan Patrick"): a span ending in one is joined to the next when the next starts with a
# capital in the same paragraph, so a sentence is never cut at a title.
_TITLE_END = re.compile(
    r"(?<![\w.])(?:Rev|Revs|Lt|Gov|Govs|Sen|Sens|Rep|Reps|Sgt|Capt|Col|Lt\.Col|Gen|Maj|Cpl|Pvt|"
    r"Adm|Cmdr|Cmdt|Det|Insp|Supt|Atty|Amb|Gens|Brig|Msgr|Fr|Pres|Prof|Dr|Hon|Rt|Ft|Mt|"
    r"Mr|Mrs|Ms|Messrs|Mmes)\.$"
)


def _windows(text: str) -> Iterator[tuple[int, str]]:
    """Yield (offset, chunk) pieces of ``text`` split at paragraph breaks and size limits."""
    pos = 0
    for m in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = m.start() if m else len(text)
        while end - pos > _MAX_PARAGRAPH:
            cut = text.rfind(" ", pos, pos + _MAX_PARAGRAPH)
            cut = cut if cut > pos else pos + _MAX_PARAGRAPH
            yield pos, text[pos:cut]
            pos = cut
        yield pos, text[pos:end]
        if m:
            pos = m.end()


def split_sentences(text: str, until: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, in order.

    With ``until``, only the sentences of the paragraphs (windows) up to the one holding that
    offset: exactly the first sentences a whole split gives.  One window more is split and its
    spans dropped, because a title abbreviation can join a sentence across a window cut.
    """
    spans: list[tuple[int, int]] = []
    last_start: int | None = None  # start of the extra window, once ``until`` is passed
    for offset, chunk in _windows(text):
        if last_start is not None:
            if offset > last_start:
                break
        elif until is not None and offset + len(chunk) >= until:
            last_start = offset + len(chunk)
        if not chunk.strip():
            continue
        for paragraph in syntok.analyze(chunk):
            for sentence in paragraph:
                tokens = list(sentence)
                if not tokens:
                    continue
                start = offset + tokens[0].offset
                end = offset + tokens[-1].offset + len(tokens[-1].value)
                if text[start:end].strip():
                    spans.append((start, end))
    found = split_unspaced(text, _join_titles(text, spans))
    if last_start is None:
        return found
    return [(a, b) for a, b in found if a < last_start]


def _join_titles(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans cut after a title abbreviation ("Rev.", "Lt.", "Gov.") joined to what follows."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            a, b = out[-1]
            gap = text[b:start]
            if (
                _TITLE_END.search(text[a:b])
                and text[start : start + 1].isupper()
                and not gap.strip()
                and "\n" not in gap
            ):
                out[-1] = (a, end)
                continue
        out.append((start, end))
    return out


# --------------------------------------------------------------------------- CJK and Thai

# syntok knows Western full stops only.  Chinese and Japanese end a sentence with "。", "！" or
# "？" (closing quotes may follow); Thai, Lao, Khmer and Myanmar write no full stop at all and
# end a sentence with a space.  These ends are cut after syntok, inside its sentences.
_IDEOGRAPHIC_END = re.compile(r"[。！？][」』”’\"')）]*")
_UNSPACED_END = re.compile(rf"(?<=[{UNSPACED}]) +(?=[{UNSPACED}])")


def split_unspaced(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each cut further at CJK sentence ends and at spaces between Thai (Lao,
    Khmer, Myanmar) letters; pieces keep their exact offsets in ``text``."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        if piece.isascii():
            out.append((start, end))
            continue
        cuts = [m.end() for m in _IDEOGRAPHIC_END.finditer(piece)]
        cuts += [m.start() for m in _UNSPACED_END.finditer(piece)]
        pos = 0
        for cut in [*sorted(set(cuts)), len(piece)]:
            sentence = piece[pos:cut]
            if sentence.strip():
                lead = len(sentence) - len(sentence.lstrip())
                out.append((start + pos + lead, start + pos + len(sentence.rstrip())))
            pos = cut
    return out


def as_sentences(article: Article, spans: Sequence[tuple[int, int]]) -> list[Sentence]:
    """The sentences of ``article`` at ``spans`` (from :func:`split_sentences`), indexed from 0."""
    return [
        Sentence(article_id=article.id, index=i, start=a, end=b, text=article.text[a:b])
        for i, (a, b) in enumerate(spans)
    ]


def segment(article: Article) -> list[Sentence]:
    """The sentences of one article, indexed from 0."""
    return as_sentences(article, split_sentences(article.text))


def segment_all(articles: Iterable[Article]) -> list[Sentence]:
    return [s for a in articles for s in segment(a)]


def cap_sentences(
    sentences: Sequence[_T], limit: int, index_of: Callable[[_T], int] | None = None
) -> list[_T]:
    """At most ``limit`` sentences, chosen by a cheap prior, in their original order.

    The prior is position in the article (news puts what matters first), taken round-robin across
    articles so every article keeps its lead; ``index_of(s)`` gives a sentence's position (default
    its ``index`` attribute).  Nothing is scored, so this costs one sort.
    """
    if len(sentences) <= limit:
        return list(sentences)
    position: Callable[[Any], int] = index_of or (lambda s: s.index)
    order = sorted(range(len(sentences)), key=lambda i: (position(sentences[i]), i))
    keep = sorted(order[:limit])
    return [sentences[i] for i in keep]
