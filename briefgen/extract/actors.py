"""Stage 4, who: the actors (people, organisations, countries, places) of the articles.

Dates and keyphrases are in :mod:`briefgen.extract.phrases`, who said what in
:mod:`briefgen.extract.quotes`.

Actors come from a rule-based extractor, not a statistical NER model: no spaCy model ships on
PyPI officially (the unofficial re-uploads are ~450 MB in memory and tagged "Kassym-Jomart
Tokayev" as an organisation here), and a briefing must never download one.  The rules:

* a candidate is a run of capitalised words (hyphens and "of"/"for"/"the" inside allowed);
* a single word that also appears in lower case in the articles, or only ever at the start of
  a sentence, is a common word, not a name;
* titles ("President", "Minister", "political scientist") split a run and mark a person;
* countries come from ``pycountry`` (ISO 3166, shipped inside the package);
* organisation and place head-words ("Council", "Ministry", "Accords"; "East", "Asia") type
  the rest; runs of two or three plain names are people;
* a person's surname alone ("Tokayev's") counts as a mention of that person, and governance
  bodies that differ only in their head noun ("Board of Peace", "Council of Peace") are one
  actor with an alias.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache

from briefgen.model import Actor, Article, Citation, Sentence, Statement
from briefgen.spec import Extraction

__all__ = ["actors", "as_statement", "cite", "strip_possessive"]

_CAP = r"(?:[A-Z][\w’'.-]*[\w]|[A-Z])"
_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|for|the|and|de|al|bin|van|von)\s+)?{_CAP})*")

_TITLES = frozenset([
    "president", "minister", "prime", "secretary", "chancellor", "senator", "governor", "mayor",
    "king", "queen", "prince", "general", "ambassador", "spokesman", "spokeswoman", "spokesperson",
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "pope", "judge", "director", "chief", "ceo",
    "chairman", "chairwoman", "leader", "envoy", "commissioner", "professor", "foreign", "deputy",
    "vice", "former", "scientist", "expert", "analyst", "officer", "inspector", "sheriff",
    "detective", "sergeant", "captain", "lieutenant", "attorney", "lawyer", "rev", "father",
])  # fmt: skip
_ORG_WORDS = frozenset([
    "board", "council", "committee", "commission", "ministry", "department", "agency", "union",
    "nations", "party", "bank", "fund", "institute", "university", "court", "congress", "senate",
    "parliament", "assembly", "army", "police", "forces", "government", "reuters", "inc", "corp",
    "corporation", "company", "group", "forum", "organization", "organisation", "association",
    "news", "times", "post", "press", "accords", "accord", "treaty", "office", "foundation",
    "alliance", "coalition", "federation", "house", "pentagon", "nato", "un", "eu", "who", "imf",
    "opec", "kremlin", "cabinet", "club", "network",
])  # fmt: skip
_PLACE_WORDS = frozenset([
    "east", "west", "north", "south", "asia", "europe", "africa", "america", "americas", "strip",
    "bank", "sea", "ocean", "river", "city", "province", "region", "island", "islands", "valley",
    "gulf", "peninsula", "state", "county", "street", "square",
])  # fmt: skip
_BODY_SYNONYMS = frozenset({"board", "council", "committee", "commission", "assembly", "forum"})
_MONTHS = frozenset([
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
    "Sunday",
])  # fmt: skip
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


def cite(s: Sentence) -> Citation:
    """A citation of sentence ``s`` by its article, index and character span."""
    return Citation(article_id=s.article_id, sentence_index=s.index, start=s.start, end=s.end)


def as_statement(s: Sentence) -> Statement:
    """Sentence ``s`` shown verbatim, citing itself."""
    return Statement(text=s.text, source_text=s.text, citations=[cite(s)])


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


def _candidates(sentences: Sequence[Sentence]) -> list[tuple[str, bool, Sentence]]:
    """(name, titled-as-person, sentence) for every capitalised run, split at titles."""
    out: list[tuple[str, bool, Sentence]] = []
    for s in sentences:
        for m in _RUN.finditer(s.text):
            toks = m.group().split()
            at_start = (
                s.text[: m.start()].strip() == "" or s.text[: m.start()].rstrip()[-1:] in "“\"'‘(:"
            )
            titled = bool(
                re.search(r"(?:scientist|expert|analyst|leader|spokes\w+)\s*$", s.text[: m.start()])
            )
            buf: list[str] = []
            for k, tok in enumerate(toks):
                bare = strip_possessive(tok).lower().rstrip(".")
                if bare in _TITLES and k + 1 < len(toks) and bare not in _ORG_WORDS:
                    if buf:
                        out.append((" ".join(buf), False, s))
                    buf, titled = [], True
                    continue
                buf.append(tok)
            if buf:
                name = strip_possessive(" ".join(buf))
                if at_start and len(buf) == len(toks) and len(buf) == 1:
                    name = "\0" + name  # mark: seen only at a sentence start
                out.append((name, titled, s))
    return out


def _kind(name: str, titled: bool) -> str | None:
    if name in _countries():
        return "country"
    toks = [t.lower().strip(".") for t in name.split()]
    if any(t in _ORG_WORDS for t in toks) or re.search(r"\.[a-z]{2,3}$", name):
        return "organization"
    if name.isupper() and 2 <= len(name) <= 6:
        return "organization"
    if toks[-1] in _PLACE_WORDS:
        return "place"
    if titled or (2 <= len(toks) <= 3 and all(t not in ("of", "the", "for", "and") for t in toks)):
        return "person"
    return "place" if len(toks) == 1 else None


def _names(
    articles: Sequence[Article], sentences: Sequence[Sentence]
) -> dict[str, tuple[str, bool]]:
    """Every actor name found, with its kind and whether a title marked it as a person."""
    lower_words = {w for a in articles for w in re.findall(r"\b[a-z][a-z’'-]+\b", a.text)}
    found: dict[str, tuple[str, bool]] = {}
    mid_sentence: set[str] = set()
    for raw, titled, _s in _candidates(sentences):
        name = raw.lstrip("\0")
        if raw[0] != "\0":
            mid_sentence.add(name)
        toks = name.split()
        if name in _MONTHS or any(t in _MONTHS for t in toks[:1]):
            continue
        if len(toks) == 1 and (name.lower() in lower_words or len(name) < 2):
            continue
        kind = _kind(name, titled)
        if kind is None:
            continue
        prev = found.get(name)
        found[name] = (kind if prev is None or kind == "person" else prev[0], titled)
    surnames = {n.split()[-1] for n, (k, _) in found.items() if k == "person" and " " in n}
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
        for a in articles:
            n = len(pat.findall(a.text))
            if n:
                per_actor[canon][a.id] = n
        mention_sentences[canon] = [s for s in sentences if pat.search(s.text)]
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
                role=as_statement(role),
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
            owners = [p for p in people if p.split()[-1] == name]
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
