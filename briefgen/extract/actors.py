"""Stage 4, who: the actors (people, organisations, countries, places) of the articles.

Dates and keyphrases are in :mod:`briefgen.extract.phrases`, who said what in
:mod:`briefgen.extract.quotes`.

Actors come from a rule-based extractor, not a statistical NER model: no spaCy model ships on
PyPI officially (the unofficial re-uploads are ~450 MB in memory and tagged "Kassym-Jomart
Tokayev" as an organisation here), and a briefing must never download one.  The rules:

* a candidate is a run of capitalised words (hyphens, initials and "of"/"for"/"the" inside
  allowed), cut at a possessive ("CNN's Jim Acosta") and at an adjective compound
  ("Brotherhood-backed"); words that open a sentence ("But Ross", "When CNN") are not part of
  it, nor are page furniture ("AP Photo"), pronouns and contractions ("I'm");
* a single word that also appears in lower case in the articles, or only ever at the start of
  a sentence, is a common word, not a name; demonyms ("Russian", "Islamist") are not actors;
* titles ("President", "Minister", "political scientist") split a run and mark a person;
* countries come from ``pycountry`` (ISO 3166, shipped inside the package); states and
  provinces, organisation and place head-words ("Council", "Center", "Church"; "Plaza",
  "Beach", "New ..."), and names of events, laws and works ("World War II", "Second
  Amendment", left out) come from :mod:`briefgen.extract.names`;
* what is left is typed by the words around its mentions: "in X" / "from X" votes for a place,
  "X said" / "X, who" for a person, "newspaper X" / "the X" for an organisation; runs of two or
  three plain names are people unless their mentions say otherwise, and a single word with no
  such evidence is left out;
* a person's surname alone ("Tokayev's") counts as a mention of that person, and governance
  bodies that differ only in their head noun ("Board of Peace", "Council of Peace") are one
  actor with an alias.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence, Set
from dataclasses import dataclass
from functools import lru_cache

from briefgen.extract import names as lex
from briefgen.model import Actor, Article, Sentence
from briefgen.spec import Extraction

__all__ = ["actors", "strip_possessive"]

# A capitalised word, or an initial ("W.", "U.S.").
_CAP = r"(?:[A-Z]\.(?:[A-Z]\.)*|[A-Z][\w’'.-]*[\w]|[A-Z])"
_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|for|the|de|al|bin|van|von|la|le|du|da)\s+)?{_CAP})*")
_BODY_SYNONYMS = frozenset({"board", "council", "committee", "commission", "assembly", "forum"})
_COUNTRY_ALIASES = {
    "US": "United States",
    "U.S.": "United States",
    "USA": "United States",
    "America": "United States",
    "UK": "United Kingdom",
    "Britain": "United Kingdom",
    "Russia": "Russia",
    "Iran": "Iran",
    "Syria": "Syria",
    "South Korea": "South Korea",
    "North Korea": "North Korea",
    "Vietnam": "Vietnam",
    "Turkey": "Turkey",
    "Taiwan": "Taiwan",
    "Palestine": "Palestine",
    "Bolivia": "Bolivia",
    "Venezuela": "Venezuela",
    "Tanzania": "Tanzania",
    "Moldova": "Moldova",
    "Laos": "Laos",
}


# --------------------------------------------------------------------------- helpers


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for c in pycountry.countries:
        common = getattr(c, "common_name", None) or c.name
        for n in {c.name, common, getattr(c, "official_name", None)} - {None}:
            if "," not in str(n):
                names[str(n)] = common
    names.update(_COUNTRY_ALIASES)
    return names


def strip_possessive(name: str) -> str:
    """A name without its possessive ending ("Tokayev's" -> "Tokayev") or trailing dot."""
    return re.sub(r"['’]s?$", "", name).rstrip(".-")


# --------------------------------------------------------------------------- actors


_TITLE_BEFORE = re.compile(r"(?:scientist|expert|analyst|leader|spokes\w+|officials?)\s*$")


@dataclass(frozen=True)
class _Mention:
    """One capitalised run as a candidate name, and the words around it."""

    name: str
    titled: bool  # a title marked it as a person
    at_start: bool  # a single word at a sentence start: maybe only a capitalised common word
    prev: str  # the word before it, lower-cased
    next: str  # the word after it, lower-cased


def _split(toks: list[str]) -> list[tuple[list[str], bool]]:
    """A run cut into names: at titles (marking a person), possessives, adjective compounds and
    furniture; openers and pronouns dropped."""
    parts: list[tuple[list[str], bool]] = []
    buf: list[str] = []
    titled = False
    for k, tok in enumerate(toks):
        bare = strip_possessive(tok).lower().rstrip(".")
        if not buf and (bare in lex.OPENERS or bare.replace("’", "'") in lex.NOT_NAMES):
            continue
        if re.search(r"-[a-z]", tok) or bare in ("photo", "photos", "reprints", "caption"):
            if buf:
                parts.append((buf, titled))
            buf, titled = [], False
            continue
        if bare in lex.TITLES and k + 1 < len(toks) and bare not in lex.ORG_WORDS:
            if buf:
                parts.append((buf, titled))
            buf, titled = [], True
            continue
        buf.append(strip_possessive(tok) if re.search(r"['’]s?$", tok) else tok)
        if re.search(r"['’]s?$", tok):  # "CNN's Jim Acosta": the possessor ends here
            parts.append((buf, titled))
            buf, titled = [], False
    if buf:
        parts.append((buf, titled))
    out = []
    for words, was_titled in parts:
        while words and re.fullmatch(r"[A-Z]\.?", words[-1]):  # "George W" cut off: initial
            words = words[:-1]
        if words:
            out.append((words, was_titled))
    return out


def _candidates(sentences: Sequence[Sentence]) -> list[_Mention]:
    """Every capitalised run of every sentence, split into candidate names."""
    out: list[_Mention] = []
    for s in sentences:
        for m in _RUN.finditer(s.text):
            toks = m.group().split()
            if len(toks) > 1 and all(t.isupper() and len(t) > 2 for t in toks):
                continue  # "LOS ANGELES", "MARA LIASSON": a dateline or transcript label
            before = s.text[: m.start()]
            at_start = before.strip() == "" or before.rstrip()[-1:] in "“\"'‘(:—-"
            prev = (re.findall(r"[\w’'-]+", before[-40:]) or [""])[-1].lower()
            nxt = (re.findall(r"[\w’'-]+", s.text[m.end() : m.end() + 40]) or [""])[0].lower()
            titled = bool(_TITLE_BEFORE.search(before))
            for words, was_titled in _split(toks):
                name = strip_possessive(" ".join(words)).rstrip(",")
                first = words == toks[: len(words)]
                out.append(
                    _Mention(
                        name=name,
                        titled=titled or was_titled,
                        at_start=at_start and first and len(words) == 1,
                        prev=prev if first else "",
                        next=nxt if words[-1] == toks[-1] else "",
                    )
                )
                titled = False
    return out


def _is_group(name: str) -> bool:
    """A demonym or group adjective ("Russian", "Egyptians", "Islamist"), not an actor."""
    low = name.lower().rstrip("s")
    if low in lex.GROUPS or name.lower() in lex.GROUPS:
        return True
    if not re.search(r"(?:an|ian|ese|ish|i|ic|ist)$", low):
        return False
    return any(c[:4].lower() == low[:4] and c != name for c in _countries() if len(c.split()) == 1)


def _kind(
    name: str,
    titled: bool,
    votes: Counter[str],
    lower_words: Set[str] = frozenset(),
) -> str | None:
    """The kind of a candidate name, or None when it is not an actor."""
    toks = [t.lower().strip(".") for t in name.split()]
    while len(toks) > 1 and re.fullmatch(r"[ivx]+|jr|sr|one|two|three|four|five", toks[-1]):
        toks = toks[:-1]  # "World War II", "Wilbur Ross Jr", "World War Two"
    if len(toks) == 1 and " " in name and toks[0] in lower_words:
        return None  # "Type III": a common word and a number
    if len(toks) > 1 and _is_group(toks[-1].capitalize()):
        return None  # "Japanese Americans": a group of people
    if name in lex.US_STATES:
        return "place"
    if name in _countries():
        return "country"
    if toks[-1] in lex.OTHER_WORDS or (len(toks) == 1 and toks[0] in lex.NOT_NAMES):
        return None
    if len(toks) == 1 and (toks[0] in lex.ORG_HEADS or toks[0] in lex.PLACE_PREFIXES):
        return None  # "the Union", "San": a fragment of a longer name
    if len(toks) > 1 and toks[-1] in lex.TITLES:
        return None  # "CNN President", "Labor Secretary": a title, the name is elsewhere
    if any(t in lex.ORG_WORDS for t in toks) or re.search(r"\.[a-z]{2,3}$", name):
        return "organization"
    if name.isupper() and 2 <= len(name) <= 6:
        return "organization"
    if toks[-1] in lex.PLACE_WORDS or (len(toks) > 1 and toks[0] in lex.PLACE_PREFIXES):
        return "place"
    if len(toks) == 1 and _is_group(name):
        return None
    if titled:
        return "person"
    person, place, org = votes["person"], votes["place"], votes["organization"]
    if 2 <= len(toks) <= 3 and all(t not in ("of", "the", "for") for t in toks):
        if place > person and place >= 1:
            return "place"
        if org > person + 1:
            return "organization"
        common = sum(t in lower_words for t in toks)
        # "Open Doors", "Day One": words of the text capitalised, not a person's name
        return "person" if person or common < len(toks) else None
    if len(toks) == 1:
        best = max(("person", person), ("place", place), ("organization", org), key=lambda x: x[1])
        return best[0] if best[1] >= 1 else None
    return None


def _vote(m: _Mention) -> str | None:
    if m.prev in lex.PLACE_CUES:
        return "place"
    if m.next in lex.PERSON_CUES:
        return "person"
    if m.prev in lex.ORG_CUES and not (m.prev == "the" and " " not in m.name):
        return "organization"  # "the Fatherland", "the Depression": not by "the" alone
    return None


def _names(
    articles: Sequence[Article], sentences: Sequence[Sentence]
) -> dict[str, tuple[str, bool]]:
    """Every actor name found, with its kind and whether a title marked it as a person."""
    lower_words = {w for a in articles for w in re.findall(r"\b[a-z][a-z’'-]+\b", a.text)}
    titled: dict[str, bool] = {}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    mid_sentence: set[str] = set()
    for m in _candidates(sentences):
        toks = m.name.split()
        if not toks or m.name in lex.MONTHS or toks[0] in lex.MONTHS:
            continue
        if len(toks) == 1 and (m.name.lower() in lower_words or len(m.name) < 2):
            continue
        if not m.at_start:
            mid_sentence.add(m.name)
        titled[m.name] = titled.get(m.name, False) or m.titled
        if (v := _vote(m)) is not None:
            votes[m.name][v] += 1
    kinds = {name: _kind(name, t, votes[name], lower_words) for name, t in titled.items()}
    surnames = {n.split()[-1] for n, k in kinds.items() if k == "person" and " " in n}
    found: dict[str, tuple[str, bool]] = {}
    for name, kind in kinds.items():
        if name in surnames and kind != "country":
            kind = "person"  # "Tokayev's", "Clinton": the surname of a person named in full
        if kind is not None:
            found[name] = (kind, titled[name])
    found = {n: v for n, v in found.items() if n in mid_sentence or " " in n or n in surnames}
    # A single word that begins a longer name ("Kazakh" / "Kazakhstan") is a demonym or part
    # of that name, not an actor of its own.
    known = [*found, *_countries()]
    return {
        n: v
        for n, v in found.items()
        if " " in n or not any(k != n and k.startswith(n) and k[len(n)].isalpha() for k in known)
    }


def _mentions(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    canonical: dict[str, str],
    aliases: dict[str, set[str]],
) -> tuple[dict[str, Counter[str]], dict[str, list[Sentence]]]:
    """Per canonical actor: mentions per article id, and the sentences that mention it."""
    per_actor: dict[str, Counter[str]] = defaultdict(Counter)
    mention_sentences: dict[str, list[Sentence]] = defaultdict(list)
    for canon in set(canonical.values()):
        names = sorted({canon, *aliases[canon]}, key=len, reverse=True)
        pat = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, names)) + r")(?![\w-])")
        # A sentence is a piece of its article's text: an article that does not hold a name as
        # a plain substring (a fast ``in``) has no mention of it, and no sentence that has one.
        holding = set()
        for a in articles:
            if any(name in a.text for name in names):
                holding.add(a.id)
                n = len(pat.findall(a.text))
                if n:
                    per_actor[canon][a.id] = n
        mention_sentences[canon] = [
            s for s in sentences if s.article_id in holding and pat.search(s.text)
        ]
    return per_actor, mention_sentences


def actors(
    articles: Sequence[Article],
    sentences: Sequence[Sentence],
    scores: dict[tuple[str, int], float] | None = None,
    options: Extraction | None = None,
) -> list[Actor]:
    """People, organisations, countries and places, by mentions, each with a role sentence."""
    options = options or Extraction()
    found = _names(articles, sentences)
    canonical = _merge_aliases(found)
    aliases: dict[str, set[str]] = defaultdict(set)
    for alias, canon in canonical.items():
        if alias != canon:
            aliases[canon].add(alias)
    per_actor, mention_sentences = _mentions(articles, sentences, canonical, aliases)

    scores = scores or {}
    result: list[Actor] = []
    used_roles: set[tuple[str, int]] = set()
    by_weight = sorted(per_actor.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for canon, counts in by_weight:
        sents = mention_sentences[canon]
        if not sents:
            continue
        role = _role_sentence(canon, sents, scores, used_roles)
        used_roles.add((role.article_id, role.index))
        result.append(
            Actor(
                name=canon,
                kind=found[canon][0],
                aliases=sorted(aliases[canon]),
                mentions=dict(sorted(counts.items())),
                role=role.verbatim(),
            )
        )
    result.sort(key=lambda a: (-a.total_mentions, -len(a.mentions), a.name))
    return result[: options.max_actors]


def _role_sentence(
    name: str,
    sents: Sequence[Sentence],
    scores: dict[tuple[str, int], float],
    used: set[tuple[str, int]],
) -> Sentence:
    """The sentence that best shows what an actor does.

    Prefer a sentence naming the actor in full, near its start (where the subject usually is),
    that is well ranked and not already shown as another actor's role.
    """

    def value(s: Sentence) -> tuple[float, int]:
        pos = s.text.find(name)
        early = 1.0 if 0 <= pos <= max(40, len(s.text) // 3) else 0.0
        fresh = 0.0 if (s.article_id, s.index) in used else 1.0
        return (
            fresh + early + (0.5 if pos >= 0 else 0.0) + scores.get((s.article_id, s.index), 0.0),
            -s.index,
        )

    return max(sents, key=value)


def _merge_aliases(found: dict[str, tuple[str, bool]]) -> dict[str, str]:
    """Map every name to its canonical actor name."""
    canonical = {n: n for n in found}
    people = [n for n, (k, _) in found.items() if k == "person" and len(n.split()) > 1]
    for name, (kind, _) in found.items():
        toks = name.split()
        if len(toks) == 1:
            owners = [p for p in people if p.split()[-1] == name] or [
                p
                for p in people
                if p.split()[0] == name  # a first name alone: "Mitt"
            ]
            if len(owners) == 1:
                canonical[name] = owners[0]
        if kind == "country" and _countries().get(name, name) in found:
            canonical[name] = _countries()[name]
    bodies: dict[str, list[str]] = defaultdict(list)
    for name, (kind, _) in found.items():
        m = re.match(r"^(?:the\s+)?(\w+)\s+of\s+(.+)$", name, re.I)
        if kind == "organization" and m and m.group(1).lower() in _BODY_SYNONYMS:
            bodies[m.group(2).lower()].append(name)
    for names in bodies.values():
        first = sorted(names)[0]
        for n in names:
            canonical[n] = first
    return canonical
