"""Who said what: direct speech only, with its speaker.

A quote is the words that stand between quotation marks in a source sentence, shown with those
marks and nothing else of the sentence (a contiguous span, so a deletion of the cited sentence;
a comma before the closing mark may go).  Reported speech ("X noted that ...", "..., according
to X") is never a quote: it is a statement like any other, attribution kept (see
:mod:`briefgen.summarize.compress`).  Renderers show the text as it is and add no marks.

The speaker is resolved, in this order, from

* the attribution next to the quote in the same sentence ("...," said Mark McDonald; Sullivan
  said: "..."; "...," the minister told reporters);
* a pronoun ("he said") or a back-reference ("Mr Volkov", "the minister", "a spokesman"): the
  person of the article's actors that the surname names, or that the nearest earlier sentence
  names with that role word, or (for a pronoun) the person named last in that sentence or the
  two before it;
* with no attribution in the sentence, the neighbouring one: the previous sentence ending in
  "X said:" or the next one saying "X said." alone.

A quote whose speaker cannot be resolved is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.extract.actors import strip_possessive
from briefgen.model import Actor, Quote, Sentence, Statement
from briefgen.spec import Extraction

__all__ = ["direct_quotes", "quotes"]

_SPEECH = (
    r"said|says|say|told|tells|added|adds|asked|asks|explained|explains|stated|states|noted|"
    r"notes|insisted|insists|warned|warns|wrote|writes|declared|declares|argued|argues|"
    r"recalled|continued|replied|responded|acknowledged|admitted|conceded|claimed|claims|"
    r"stressed|emphasi[sz]ed|announced|joked|quipped|recalls|remembers|tweeted"
)
_QUOTED = re.compile(r"(?P<q>“[^“”\"]+”|\"[^“”\"]+\")")
_MIN_WORDS = 5
# A speaker as written: a pronoun, a name (capitalised words, titles included), or a short
# noun phrase naming a role ("the minister", "a police spokesman", "McDonald's spokesman").
_NAME = r"[A-Z][\w’'.-]*(?:\s+(?:de|van|von|al|bin|of\s+the|of)?\s*[A-Z][\w’'.-]*){0,4}"
_ROLE = r"(?:the|a|an|his|her|their|[A-Z][\w’'.-]*['’]s)\s+(?:[\w-]+\s+){0,3}?[a-z][\w-]+"
_SPEAKER = rf"(?P<who>he|she|they|{_NAME}|{_ROLE})"
_TELLS = (
    rf"(?:{_SPEECH})"
    r"(?:\s+(?:reporters|journalists|the\s+\w+|[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)*))?"
)
_AFTER = (
    re.compile(rf"^\W{{0,3}}\s*(?:{_SPEECH})\s+{_SPEAKER}(?=[\s,.;:!?]|$)"),
    re.compile(rf"^\W{{0,3}}\s*{_SPEAKER}\s+(?:\w+ly\s+|also\s+|later\s+)?{_TELLS}\b"),
)
_BEFORE = (
    re.compile(rf"{_SPEAKER}\s+(?:\w+ly\s+|also\s+|later\s+)?{_TELLS}(?:\s+that)?\s*[,:]?\s*$"),
    re.compile(rf"[Aa]ccording\s+to\s+{_SPEAKER}\s*[,:]?\s*$"),
)
_INTRO = re.compile(rf"{_SPEAKER}\s+(?:\w+ly\s+|also\s+)?{_TELLS}\s*:\s*$")
_ALONE = (
    re.compile(rf"^\W*{_SPEAKER}\s+(?:{_SPEECH})\.\s*$"),
    re.compile(rf"^\W*(?:{_SPEECH})\s+{_SPEAKER}\.\s*$"),
)
_PRONOUNS = frozenset({"he", "she", "they"})
_NOT_NAMES = frozenset([
    "The", "A", "An", "His", "Her", "Their", "It", "This", "That", "We", "I", "Because", "But",
    "And", "If", "When", "While", "As", "So", "Then", "Now", "Here", "There", "You", "Our",
])  # fmt: skip
# Role words a back-reference may use ("the minister said"): each names a person's office.
_ROLES = frozenset([
    "minister", "president", "spokesman", "spokeswoman", "spokesperson", "senator", "governor",
    "mayor", "chief", "director", "secretary", "chancellor", "ambassador", "judge", "official",
    "officer", "sheriff", "commissioner", "lawyer", "attorney", "prosecutor", "leader", "premier",
    "chairman", "chairwoman", "ceo", "founder", "professor", "researcher", "author", "coach",
    "general", "inspector", "superintendent", "captain", "congressman", "congresswoman",
])  # fmt: skip


def quotes(
    sentences: Sequence[Sentence],
    actor_list: Sequence[Actor],
    scores: dict[tuple[str, int], float] | None = None,
    options: Extraction | None = None,
) -> list[Quote]:
    """The best-ranked direct quotes whose speaker is resolved, one per sentence."""
    options = options or Extraction()
    scores = scores or {}
    found = direct_quotes(sentences, actor_list)
    found.sort(key=lambda q: -scores.get((q.statement.citations[0].article_id, _index(q)), 0.0))
    out: list[Quote] = []
    per_speaker: dict[str | None, int] = {}
    for q in found:
        if per_speaker.get(q.speaker, 0) >= 2:  # room for more than one voice
            continue
        per_speaker[q.speaker] = per_speaker.get(q.speaker, 0) + 1
        out.append(q)
    return out[: options.max_quotes]


def _index(q: Quote) -> int:
    return q.statement.citations[0].sentence_index


def direct_quotes(sentences: Sequence[Sentence], actor_list: Sequence[Actor]) -> list[Quote]:
    """Every quoted span of at least five words whose speaker is resolved, in article order."""
    people = _people(actor_list)
    by_pos = {(s.article_id, s.index): s for s in sentences}
    out: list[Quote] = []
    for s in sentences:
        spans = [m for m in _QUOTED.finditer(s.text) if _words(m.group()) >= _MIN_WORDS]
        if not spans:
            continue
        m = max(spans, key=lambda x: len(x.group()))
        who = _resolve(s, m, by_pos, people)
        if who is None:
            continue
        text = m.group()
        # '"... leave,"': the comma before the closing mark belongs to the sentence around it
        text = re.sub(r"[,\s]+(?=.$)", "", text)
        out.append(
            Quote(
                speaker=who,
                statement=Statement(
                    text=text, source_text=s.text, citations=[s.citation()], shortened=True
                ),
            )
        )
    return out


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _people(actor_list: Sequence[Actor]) -> dict[str, tuple[str, str]]:
    """Every name and alias of a person or organisation, to its actor's name and kind."""
    names: dict[str, tuple[str, str]] = {}
    for a in actor_list:
        if a.kind in ("person", "organization"):
            for n in (a.name, *a.aliases):
                names[n] = (a.name, a.kind)
    return names


def _resolve(
    s: Sentence,
    m: re.Match[str],
    by_pos: dict[tuple[str, int], Sentence],
    people: dict[str, tuple[str, str]],
) -> str | None:
    """The speaker of quote ``m`` in sentence ``s``, or None."""
    before, after = s.text[: m.start()], s.text[m.end() :]
    written = _written_speaker(before, after)
    prev = by_pos.get((s.article_id, s.index - 1))
    if written is None:
        nxt = by_pos.get((s.article_id, s.index + 1))
        if prev is not None and (intro := _INTRO.search(prev.text)):
            written = intro.group("who")
        elif nxt is not None:
            alone = [hit.group("who") for pat in _ALONE if (hit := pat.match(nxt.text))]
            written = alone[0] if alone else None
    if written is None:
        return None
    context = [by_pos[k] for i in (5, 4, 3, 2, 1) if (k := (s.article_id, s.index - i)) in by_pos]
    return _name_of(written, before, context, people)


def _written_speaker(before: str, after: str) -> str | None:
    """The speaker as the sentence writes it next to the quote, or None."""
    for pat in _AFTER:
        if hit := pat.match(after):
            return hit.group("who")
    for pat in _BEFORE:
        if hit := pat.search(before):
            return hit.group("who")
    return None


def _name_of(
    written: str,
    before: str,
    context: Sequence[Sentence],
    people: dict[str, tuple[str, str]],
) -> str | None:
    """Resolve a written speaker to a name: an actor, a full name as written, or by reference."""
    written = strip_possessive(written.strip())
    low = written.lower()
    earlier = [before, *[c.text for c in reversed(context)]]
    if low in _PRONOUNS:
        kinds = ("person", "organization") if low == "they" else ("person",)
        # The quote's own sentence counts only when it opens with the name (its subject): in
        # "Asked about a report that she had offered Mursi ..., she replied:" Mursi is not "she".
        subject = _nearest([before], people, kinds, near=0)
        return subject or _nearest(earlier[1:], people, kinds, first=True)
    actor = _actor_in(written, people)
    if actor:
        return actor
    toks = written.split()
    if written[:1].isupper() and toks[0] not in _NOT_NAMES:
        surname = toks[-1]
        by_surname = {v[0] for k, v in people.items() if k.split()[-1] == surname}
        if len(by_surname) == 1:
            return by_surname.pop()
        return written if len(toks) >= 2 else None  # a full name the actor list does not hold
    if toks[0].lower() in ("a", "an"):  # "an officer said": someone not named
        return None
    if toks[-1].lower() not in _ROLES:  # "the study stated", "the reporter wrote"
        return None
    role = re.compile(rf"\b{re.escape(toks[-1])}\b", re.I)  # "the minister": who held that role
    for text in earlier:
        for hit in role.finditer(text):
            name = _nearest([text], people, ("person",), near=hit.start())
            if name:
                return name
    return None


def _actor_in(text: str, people: dict[str, tuple[str, str]]) -> str | None:
    for n in sorted(people, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text):
            return people[n][0]
    return None


def _nearest(
    texts: Sequence[str],
    people: dict[str, tuple[str, str]],
    kinds: tuple[str, ...],
    near: int | None = None,
    first: bool = False,
) -> str | None:
    """In the first of ``texts`` naming an actor of ``kinds``: the one named first (``first``,
    a sentence's subject), or the one named within 25 characters of ``near``; with ``near``,
    only the first text is read."""
    for text in texts:
        best: tuple[int, str] | None = None
        for n, (canon, kind) in people.items():
            if kind not in kinds:
                continue
            for hit in re.finditer(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text):
                rank = -hit.start() if near is None else -abs(hit.start() - near)
                if near is not None and -rank > 25:
                    continue
                if best is None or rank > best[0]:
                    best = (rank, canon)
        if best:
            return best[1]
        if near is not None:
            return None
    return None
