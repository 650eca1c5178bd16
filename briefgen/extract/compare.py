"""Support and disagreement: how many outlets report a point, and where they differ.

Support counts *outlets*, not articles: two articles from one outlet are one voice, and a wire
copy dropped at ingest as a near-duplicate is not counted at all (the kept article notes how many
copies it had: "syndicated by N outlets").

Disagreements are found without a model: pairs of similar sentences from different outlets
(TF-IDF cosine over stemmed content words, :func:`briefgen.summarize.rank.vectorize`) are aligned
value by value — numbers, dates and names — by the content words around each value.  A value
whose surroundings match a different value in the other sentence ("40 people killed" /
"killed 52 people") is a disagreement; a value the other sentence also contains is not.

Only the same slot with different values disagrees (issue #14, measured in
``benchmarks/trust_extract.py``):

* **names**: both values are actors the briefing found, of the same kind, and not variants of one
  name ("Mr Volkov" / "Volkov", "J. Smith" / "John Smith", "Mursi" / "Morsi", "Board of Peace" /
  "Council of Peace");
* **numbers**: the same unit (the same content word right after each number: "40 people" /
  "52 people"), not a rounding of each other (within 2%), and neither sentence a list of several
  values of that unit (a comparison, "72 percent versus 63 percent");
* **dates**: both resolved to the same precision (a weekday with no publication date is no
  date), different, and neither contains the other ("2013" / "2013-11").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefgen.extract import timeline
from briefgen.model import (
    Actor,
    Article,
    Disagreement,
    Sentence,
    Statement,
)
from briefgen.spec import BriefingSpec
from briefgen.summarize.candidates import terms, words
from briefgen.summarize.rank import outlet_key, rank, vectorize
from briefgen.summarize.select import statement

SIMILARITY = 0.3  # cosine above which two sentences from different outlets are about one thing
MAX_DISAGREEMENTS = 4
WINDOW = 4  # words each side of a value that describe it

_SMALL = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
]  # fmt: skip
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
NUMBER_WORDS = {w: i for i, w in enumerate(_SMALL)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_WORDNUM = "|".join(sorted(set(NUMBER_WORDS) - {"zero", "one"}, key=len, reverse=True))
NUMBER = re.compile(
    rf"(?i)(?<![\w.])(?:\d[\d,]*(?:\.\d+)?|(?:{'|'.join(_TENS)})-(?:{'|'.join(_SMALL[1:10])})"
    rf"|{_WORDNUM})(?:\s+(?:hundred|thousand|million|billion))?(?![\w])"
)
NAME = re.compile(r"(?<![\w-])[A-Z][\w'’-]+(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]+)*")
_NOT_NAMES = {*timeline.WEEKDAYS, "the", "a", "an", "this", "that", "but", "and", "in", "on"}


@dataclass(frozen=True)
class Fact:
    """A value in a sentence and the content words that say what it is a value of."""

    kind: str  # "number" | "date" | "name"
    value: str  # normalised: 40.0 -> "40", ISO date, canonical actor name
    text: str  # as written
    context: frozenset[str]  # stems of the WINDOW words each side
    near: frozenset[str]  # stems of the nearest content word each side
    words: tuple[str, ...]  # the context words as written, for the topic
    after: tuple[str, ...] = ()  # stems of the content words right after the value
    resolved: bool = True  # a date resolved to a calendar date (always True for other kinds)
    actor_kind: str | None = None  # a name's actor kind, when it names a known actor


# --------------------------------------------------------------------------- support


def outlets(articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> outlet key (the unit support is counted in)."""
    return {a.id: outlet_key(a) for a in articles}


def support(statement: Statement, outlet_of: dict[str, str]) -> int:
    """Distinct outlets among a statement's citations."""
    return len({outlet_of.get(c.article_id, c.article_id) for c in statement.citations})


def support_of(
    sentence: Sentence,
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    spec: BriefingSpec | None = None,
) -> Statement:
    """The statement a briefing would show for ``sentence``, with its support and single-source
    mark, computed by the same ranking and :func:`~briefgen.summarize.select.statement` as the
    key points."""
    spec = spec or BriefingSpec()
    ranking = rank(articles, sentences, spec)
    key = (sentence.article_id, sentence.index)
    for i, s in enumerate(ranking.sentences):
        if (s.article_id, s.index) == key:
            st = statement(ranking, i, spec)
            st.support = support(st, outlets(articles))
            return st
    raise ValueError(f"sentence {key} is not a candidate for a briefing")


# --------------------------------------------------------------------------- values


def _number(text: str) -> str | None:
    words = text.lower().replace("-", " ").split()
    scale = _SCALE.get(words[-1], 1.0) if len(words) > 1 else 1.0
    head = words[:-1] if scale != 1.0 else words
    if head and head[0][0].isdigit():
        try:
            value = float(head[0].replace(",", ""))
        except ValueError:
            return None
    else:
        if not head or any(w not in NUMBER_WORDS for w in head):
            return None
        value = float(sum(NUMBER_WORDS[w] for w in head))
    value *= scale
    return f"{value:g}" if value < 1e15 else None


def _content(words: list[str]) -> list[tuple[str, str]]:
    """(word, stem) of the content words among ``words``: stop words do not describe a value."""
    return [(w, t[0]) for w in words if (t := terms(w))]


def _window(text: str, start: int, end: int) -> tuple[list[tuple[str, str]], ...]:
    before = _content(words(text[:start]))
    after = _content(words(text[end:]))
    return before[-WINDOW:], after[:WINDOW]


def facts(
    text: str,
    published: object = None,
    aliases: dict[str, str] | None = None,
    kinds: dict[str, str] | None = None,
) -> list[Fact]:
    """Numbers, dates and names in ``text`` with the words around each.

    ``aliases`` maps every actor name to its canonical name, ``kinds`` a canonical name to its
    actor kind."""
    aliases = aliases or {}
    kinds = kinds or {}
    taken: list[tuple[int, int]] = []
    found: list[tuple[str, str, int, int, str]] = []
    when = timeline.tense(text)
    for m in timeline.DATE.finditer(text):
        rel = timeline.tense(text) if re.search(r"(?i)day\b|week|month|year", m.group()) else ""
        iso = timeline.resolve(m.group(), published, rel or when)  # type: ignore[arg-type]
        found.append(("date", iso or m.group().lower(), m.start(), m.end(), m.group()))
        taken.append((m.start(), m.end()))
    for m in NUMBER.finditer(text):
        if any(s <= m.start() < e for s, e in taken) or re.fullmatch(r"(?:19|20)\d\d", m.group()):
            continue
        value = _number(m.group())
        if value is not None:
            found.append(("number", value, m.start(), m.end(), m.group()))
            taken.append((m.start(), m.end()))
    for m in NAME.finditer(text):
        if m.start() == 0 or any(s <= m.start() < e for s, e in taken):
            continue
        name = re.sub(r"['’]s$", "", m.group())
        if name.lower() in _NOT_NAMES or name in timeline.WEEKDAYS:
            continue
        found.append(("name", aliases.get(name, name), m.start(), m.end(), name))
    out = []
    for kind, value, start, end, written in found:
        before, after = _window(text, start, end)
        around = before + after
        near = before[-1:] + after[:1]
        unit: tuple[str, ...] = ("percent",) if re.match(r"\s*%", text[end:]) else ()
        unit += (text[start - 1],) if start and text[start - 1] in "$£€¥" else ()
        out.append(
            Fact(
                kind,
                value,
                written,
                frozenset(t for _, t in around),
                frozenset(t for _, t in near),
                tuple(w for w, _ in around),
                after=unit + tuple(t for _, t in after[:2]),
                resolved=kind != "date" or bool(re.match(r"\d{4}", value)),
                actor_kind=kinds.get(value) if kind == "name" else None,
            )
        )
    return out


def _score(a: Fact, b: Fact) -> int:
    return len(a.context & b.context) + len(a.near & b.near)


def _topic(a: Fact, b: Fact) -> str:
    shared = a.context & b.context
    picked = [w for w in a.words if terms(w) and terms(w)[0] in shared]
    return " ".join(dict.fromkeys(picked)) or a.kind


_NAME_TITLES = frozenset([
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "president", "minister",
    "prime", "secretary", "senator", "sen", "rep", "gov", "governor", "mayor", "judge", "general",
    "gen", "chief", "director", "spokesman", "spokeswoman", "the", "of", "st", "rev", "foreign",
    "former", "deputy", "vice", "king", "queen", "prince", "pope", "officer", "inspector",
])  # fmt: skip


def _name_tokens(name: str) -> list[str]:
    toks = re.findall(r"[^\W\d_]+", re.sub(r"['’]s\b", "", name).lower())
    return [t for t in toks if t not in _NAME_TITLES]


def _spelled_alike(a: str, b: str) -> bool:
    """Transliterations and typos of one word ("Mursi" / "Morsi"): one letter in five differs."""
    from difflib import SequenceMatcher

    return min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.8


def name_variants(a: str, b: str) -> bool:
    """Whether two names may be one entity: titles, initials, a surname or first name alone,
    another spelling, a hyphen or an apostrophe set aside."""
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return True  # a title alone ("Mr") names nobody new
    if "".join(ta) == "".join(tb) or set(ta) <= set(tb) or set(tb) <= set(ta):
        return True
    if _spelled_alike(ta[-1], tb[-1]):
        return True
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    # Initials: "J. Smith" / "John Smith"
    return short[-1] == long_[-1] and all(any(w.startswith(s) for w in long_) for s in short[:-1])


def _same_unit(a: Fact, b: Fact) -> bool:
    """Whether two numbers count the same thing: a content word among the two right after each
    ("32 new cases" / "50 cases"; "5%" / "5 percent")."""
    return bool(set(a.after) & set(b.after))


def _rounding(a: str, b: str) -> bool:
    x, y = float(a), float(b)
    return max(x, y) > 0 and abs(x - y) / max(abs(x), abs(y)) <= 0.02


def same_slot_differs(fa: Fact, fb: Fact, a: list[Fact], b: list[Fact]) -> bool:
    """Whether two aligned values are the same slot with different values (see module doc)."""
    if fa.kind == "name":
        return (
            fa.actor_kind is not None
            # "Delynn" / "Swonger": a first name and a surname may be one person
            and (fa.actor_kind != "person" or (" " in fa.text and " " in fb.text))
            and fa.actor_kind == fb.actor_kind
            and not name_variants(fa.text, fb.text)
            and not name_variants(fa.value, fb.value)
        )
    if fa.kind == "date":
        return (
            fa.resolved
            and fb.resolved
            and len(fa.value) == len(fb.value)
            and not (fa.value.startswith(fb.value) or fb.value.startswith(fa.value))
        )
    if not _same_unit(fa, fb) or _rounding(fa.value, fb.value):
        return False
    if not (fa.context & fb.context) - (set(fa.after) & set(fb.after)):
        return False  # "239 people on board" / "three people on board had heard": only the unit
    unit = set(fa.after) & set(fb.after)
    listed = [
        sum(f.kind == "number" and bool(unit & set(f.after)) for f in side) for side in (a, b)
    ]
    return max(listed) == 1


def differences(a: list[Fact], b: list[Fact]) -> list[tuple[Fact, Fact]]:
    """Aligned value pairs of two sentences that differ (the value not found on the other side)."""
    out: list[tuple[Fact, Fact]] = []
    for fa in a:
        same_kind = [fb for fb in b if fb.kind == fa.kind]
        if not same_kind or fa.value in {fb.value for fb in same_kind}:
            continue
        best = max(same_kind, key=lambda fb: _score(fa, fb))
        need = 3 if fa.kind == "name" else 2
        if _score(fa, best) < need or best.value in {f.value for f in a if f.kind == fa.kind}:
            continue
        if same_slot_differs(fa, best, a, b):
            out.append((fa, best))
    return out


# --------------------------------------------------------------------------- disagreements


def alias_map(actors: Sequence[Actor]) -> dict[str, str]:
    """Every name and alias of an actor -> its canonical name."""
    return {n: a.name for a in actors for n in (a.name, *a.aliases)}


def disagreements(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    actors: Sequence[Actor] = (),
    similarity: float = SIMILARITY,
    limit: int = MAX_DISAGREEMENTS,
) -> list[Disagreement]:
    """Different numbers, dates or names that different outlets give for the same thing."""
    outlet_of = outlets(articles)
    if len(set(outlet_of.values())) < 2:
        return []
    published = {a.id: a.published for a in articles}
    cands = [s for s in sentences if len(words(s.text)) >= 5]
    if len(cands) < 2:
        return []
    vectors = vectorize([s.text for s in cands])
    sim = (vectors @ vectors.T).toarray()
    aliases = alias_map(actors)
    kinds: dict[str, str] = {a.name: a.kind for a in actors}
    cache: dict[int, list[Fact]] = {}

    def facts_of(i: int) -> list[Fact]:
        if i not in cache:
            s = cands[i]
            cache[i] = facts(s.text, published.get(s.article_id), aliases, kinds)
        return cache[i]

    found: dict[tuple[str, frozenset[str]], tuple[float, Disagreement]] = {}
    rows, cols = np.nonzero(np.triu(sim, k=1) >= similarity)
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        si, sj = cands[i], cands[j]
        if outlet_of[si.article_id] == outlet_of[sj.article_id]:
            continue
        for fa, fb in differences(facts_of(i), facts_of(j)):
            key = (fa.kind, frozenset((fa.value, fb.value)))
            if key in found and found[key][0] >= sim[i, j]:
                continue
            found[key] = (
                float(sim[i, j]),
                Disagreement(
                    topic=_topic(fa, fb),
                    kind=fa.kind,
                    values=[fa.text, fb.text],
                    claims=[si.verbatim(support=1), sj.verbatim(support=1)],
                ),
            )
    ranked = sorted(found.values(), key=lambda x: (-x[0], x[1].kind, x[1].topic))
    return [d for _, d in ranked[:limit]]
