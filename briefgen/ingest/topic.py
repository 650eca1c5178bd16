"""Topic focus: keep the articles a topic query matches, set the others aside with the reason.

A briefing fed by news feeds takes every article the feeds carry; a topic such as
``Kazakhstan OR "Board of Peace"`` keeps it on one story.  The query language is small:

    query  := or
    or     := and ("OR" and)*
    and    := unary (["AND"] unary)*        adjacent terms are ANDed; AND binds tighter than OR
    unary  := "NOT" unary | "(" or ")" | WORD | "QUOTED PHRASE"

Operators are written in capitals (``and``/``or``/``not`` in lower case are ordinary words).
Words and phrases are matched on stemmed words of the article's title and text (the Snowball
stemmer the summarizer uses), so ``sanction`` matches "sanctions" and "sanctioned", and a phrase
matches its words in order, adjacent.  With ``min_matches`` > 1 an article must also contain the
query's words and phrases that often in all, so a passing mention does not count.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from briefgen.base.text import WORD
from briefgen.errors import IngestError
from briefgen.ingest.read import IngestResult
from briefgen.model import Article, Dropped

__all__ = ["Query", "TopicError", "focus", "focus_result", "parse_topic"]

_TOKEN = re.compile(r'\s*(?:(")([^"]*)"|(\()|(\))|([^\s()"]+))')
_OPERATORS = ("AND", "OR", "NOT")


class TopicError(IngestError):
    """A topic query that cannot be read, or one no article matches."""


@lru_cache(maxsize=1)
def _stemmer() -> Callable[[str], str]:
    """Snowball English, as ``summarize.similarity.stem_word`` (ingest sits below summarize)."""
    import snowballstemmer

    return lru_cache(maxsize=100_000)(snowballstemmer.stemmer("english").stemWord)


def stems(text: str) -> list[str]:
    """Lower-cased, stemmed words of ``text``, possessive 's removed, in order."""
    stem = _stemmer()
    return [stem(w.lower().replace("’", "'").removesuffix("'s")) for w in WORD.findall(text)]


# --------------------------------------------------------------------------- the query


@dataclass(frozen=True)
class Term:
    """A word (one stem) or a phrase (several, adjacent and in order)."""

    text: str
    stems: tuple[str, ...]

    def count(self, words: Sequence[str], index: dict[str, list[int]]) -> int:
        first = index.get(self.stems[0], [])
        n = len(self.stems)
        if n == 1:
            return len(first)
        return sum(1 for i in first if tuple(words[i : i + n]) == self.stems)


@dataclass(frozen=True)
class Node:
    op: str  # "term", "and", "or", "not"
    children: tuple[Node, ...] = ()
    term: Term | None = None

    def matches(self, counts: dict[Term, int]) -> bool:
        if self.term is not None:
            return counts[self.term] > 0
        if self.op == "not":
            return not self.children[0].matches(counts)
        results = (c.matches(counts) for c in self.children)
        return all(results) if self.op == "and" else any(results)

    def terms(self, positive: bool = True) -> list[tuple[Term, bool]]:
        """Every term with whether it counts for the topic (not under an odd number of NOTs)."""
        if self.term is not None:
            return [(self.term, positive)]
        flip = self.op == "not"
        return [t for c in self.children for t in c.terms(positive != flip)]


@dataclass(frozen=True)
class Query:
    text: str
    root: Node
    positive: tuple[Term, ...] = field(default=())

    def match(self, article: Article) -> tuple[bool, int]:
        """Whether ``article`` matches, and how often the query's own words occur in it."""
        words = stems(f"{article.title}\n{article.text}")
        index: dict[str, list[int]] = {}
        for i, w in enumerate(words):
            index.setdefault(w, []).append(i)
        counts = {t: t.count(words, index) for t, _ in self.root.terms()}
        return self.root.matches(counts), sum(counts[t] for t in self.positive)


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, value) pairs: ("(", ""), (")", ""), ("op", "AND"), ("term", "word or phrase")."""
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise TopicError(f"topic {text!r}: unclosed quote")
        pos = m.end()
        if m.group(1):
            out.append(("term", m.group(2)))
        elif m.group(3) or m.group(4):
            out.append((m.group(3) or m.group(4), ""))
        elif m.group(5) in _OPERATORS:
            out.append(("op", m.group(5)))
        else:
            out.append(("term", m.group(5)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.pos = 0

    def fail(self, why: str) -> TopicError:
        return TopicError(f"topic {self.text!r}: {why}")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def parse(self) -> Node:
        if not self.tokens:
            raise self.fail("empty query")
        node = self.or_()
        if self.peek() is not None:
            raise self.fail("unmatched ')'")
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.peek() == ("op", "OR"):
            self.pos += 1
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Node("or", tuple(parts))

    def and_(self) -> Node:
        parts = [self.unary()]
        while (tok := self.peek()) is not None and tok not in (("op", "OR"), (")", "")):
            if tok == ("op", "AND"):
                self.pos += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else Node("and", tuple(parts))

    def unary(self) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.fail("a word or phrase is missing at the end")
        self.pos += 1
        kind, value = tok
        if tok == ("op", "NOT"):
            return Node("not", (self.unary(),))
        if kind == "(":
            node = self.or_()
            if self.peek() != (")", ""):
                raise self.fail("missing ')'")
            self.pos += 1
            return node
        if kind == "term":
            words = tuple(stems(value))
            if not words:
                raise self.fail(f"{value!r} holds no word")
            return Node("term", term=Term(value, words))
        raise self.fail(f"unexpected {value or kind!r}")


def parse_topic(text: str) -> Query:
    """Parse a topic query; raise :class:`TopicError` naming the problem."""
    root = _Parser(text).parse()
    positive = tuple(dict.fromkeys(t for t, pos in root.terms() if pos))
    if not positive:
        raise TopicError(f"topic {text!r}: needs a word or phrase not under NOT")
    return Query(text, root, positive)


# --------------------------------------------------------------------------- applying it


def focus(
    articles: Sequence[Article], topic: str | None, min_matches: int = 1
) -> tuple[list[Article], list[Dropped]]:
    """The articles matching ``topic`` and the others, set aside with the reason.

    Raises :class:`TopicError` when no article matches (a briefing of nothing is no briefing).
    Without a topic every article is kept.
    """
    if not topic:
        return list(articles), []
    query = parse_topic(topic)
    kept: list[Article] = []
    aside: list[Dropped] = []
    for a in articles:
        ok, n = query.match(a)
        if ok and n >= min_matches:
            kept.append(a)
            continue
        why = (
            f"off topic: does not match {topic}"
            if not ok
            else f"off topic: {n} mention{'s' * (n != 1)} of the topic, fewer than {min_matches}"
        )
        aside.append(Dropped(path=a.url or a.path or a.title, reason=why))
    if not kept:
        least = f" at least {min_matches} times" if min_matches > 1 else ""
        raise TopicError(
            f"no article matches the topic {topic}{least} ({len(aside)} set aside); "
            "check the topic's words or the sources"
        )
    return kept, aside


def focus_result(result: IngestResult, topic: str | None, min_matches: int = 1) -> IngestResult:
    """:func:`focus` on an ingest result: kept articles renumbered ``a1``, ``a2`` ... (so
    citations and source numbers stay consecutive), the set-aside ones added to ``dropped``."""
    if not topic:
        return result
    kept, aside = focus(result.articles, topic, min_matches)
    new_id = {a.id: f"a{i}" for i, a in enumerate(kept, 1)}
    dropped = [
        d.model_copy(update={"duplicate_of": new_id.get(d.duplicate_of)}) if d.duplicate_of else d
        for d in result.dropped
    ]
    return IngestResult(
        articles=[a.model_copy(update={"id": new_id[a.id]}) for a in kept],
        dropped=dropped + aside,
        warnings=[*result.warnings, *_aside_warning(aside, len(kept))],
    )


def _aside_warning(aside: Sequence[Dropped], kept: int) -> list[str]:
    if not aside:
        return []
    return [f"topic: {kept} articles kept, {len(aside)} set aside as off topic"]
