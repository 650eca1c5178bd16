"""Faithful shortening: deletion only, never a word added, changed or reordered.

:func:`shorten` makes the cuts a sub-editor makes without changing what a sentence claims.  The
result is always an in-order subsequence of the input's tokens
(:func:`briefgen.base.text.is_deletion_of` is the test); upper-casing the first letter of a new
first word is the one change allowed.

No parser model is available offline, so each cut is a documented rule over the surface text, and
every rule is guarded twice (:mod:`briefgen.summarize.guards`):

* **protected words** — a cut never removes a negation, a number, a modal verb, a hedge, an
  attribution ("police said", "according to officials", "X told reporters"), or a name (a
  capitalised word that is not the sentence's first; a dateline's place and a headline kicker
  repeated later in the sentence may go, rules 7, 11);
* **shape** — the result must still read as a sentence: it starts with a capital (or a quote or
  digit), ends in terminal punctuation, keeps its quotes balanced and at least five words.
  Any cut that fails either guard is not made; the other cuts still are.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from briefgen.base.text import WORD, is_deletion_of
from briefgen.summarize.guards import capitalise, protected, tidy, well_formed

__all__ = ["RULES", "shorten"]

# --------------------------------------------------------------------------- the rules
# Each rule takes a sentence and returns it with (at most one kind of) cut made, or unchanged.


def _cut_spans(text: str, pattern: re.Pattern[str], ok: Callable[[re.Match[str]], bool]) -> str:
    """Delete every match of ``pattern`` that ``ok`` accepts and that keeps the sentence whole."""
    out = text
    named = "cut" in pattern.groupindex
    for m in reversed(list(pattern.finditer(text))):
        if not ok(m):
            continue
        start, end = (m.start("cut"), m.end("cut")) if named else (m.start(), m.end())
        trial = tidy(out[:start] + " " + out[end:])
        if well_formed(capitalise(trial)):
            out = trial
    return out


# Rule 1 — parenthetical asides: "The plan (first floated last year) failed." -> "The plan
# failed."  Only when the brackets hold no protected word, so "(Reuters)", "(up 5%)" and
# "(R-Texas)" stay: they carry a name or a number.
# Brackets right after a function word are part of the clause, not an aside ("walked over to (my
# girlfriend)"), so they stay too.
_PAREN = re.compile(r"(?P<before>[\w'’]*)(?P<cut>\s*\([^()]{1,120}\))")
_FUNCTION_WORDS = frozenset([
    "to", "of", "the", "a", "an", "for", "with", "by", "from", "at", "in", "on", "and", "or", "but",
    "his", "her", "their", "my", "our", "your", "its", "said", "says", "told", "is", "are", "was",
    "were", "be", "been",
])  # fmt: skip


def drop_parentheticals(text: str) -> str:
    def ok(m: re.Match[str]) -> bool:
        before = m.group("before").lower()
        return bool(before) and before not in _FUNCTION_WORDS and not protected(m.group("cut"))

    return _cut_spans(text, _PAREN, ok)


# Rule 2 — dash asides between a pair of dashes: "The deal — years in the making — was signed."
# -> "The deal was signed."  A single dash is left alone: what follows it is often the point.
_DASH = re.compile(r"\s+(?:—|–|--)\s*[^—–\"“”]{1,120}?\s*(?:—|–|--)(?=\s)")


def drop_dash_asides(text: str) -> str:
    return _cut_spans(text, _DASH, lambda m: m.start() > 0 and not protected(m.group()))


# Rule 3 — non-restrictive appositives and relative clauses right after a name, closed by a comma
# and followed by a lower-case word that continues the main clause (usually its verb):
# "Kairat Sarybay, the foreign minister, said ..." -> "Kairat Sarybay said ...".
# Guards: the phrase opens with a determiner or who/which; an a/an/the phrase holds no finite
# verb (else the "appositive" may be a clause, "In Paris, the mayor said the law, which ...");
# the sentence does not open with a preposition or subordinator (whose comma ends an
# introductory phrase, not a name); the next word is not a conjunction (a list, not an aside).
_APPOSITIVE = re.compile(
    r"\b[A-Z][\w'’.-]*(?P<cut>,\s+(?P<body>(?P<head>a|an|the|who|which|whose)\s"
    r"[^,;:()\"“”—–]{2,90}?),)(?=\s+(?P<next>[a-z][\w'’-]*))"
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|said|says|did|does|do|told|went|made|got|that)\b"
)
_INTRO = re.compile(
    r"^(?:In|At|On|After|When|While|As|Since|If|Although|Though|Because|Before|During|For|From|"
    r"Under|With|By|Despite|Following|Unlike|Like|Once|Until|Whether|Amid|Among|Over|To)\b"
)
_LIST_NEXT = frozenset([
    "and", "or", "but", "nor", "as", "including", "such", "who", "which", "while", "where", "when",
    "then", "so", "yet", "plus", "with",
])  # fmt: skip


# The name must open the sentence (its subject, perhaps after a dateline): after a name deeper in
# the sentence the clause that follows the aside may attach elsewhere ("to Sony, which ...,
# known as Move").
_SUBJECT = re.compile(r"^(?:(?:The|[A-Z][\w'’.-]*|&|—|–|-|>>)\s+)*$")
# A capitalised first word before a comma is as often an adverb as a name ("Soon, the raft ...").
_NOT_A_NAME = frozenset([
    "soon", "then", "now", "later", "still", "yet", "instead", "meanwhile", "finally", "today",
    "yesterday", "here", "there", "also", "again", "so", "thus", "afterwards", "afterward",
    "nonetheless", "overall", "indeed", "similarly", "eventually", "earlier", "once", "initially",
    "previously", "recently", "currently", "separately", "elsewhere", "otherwise", "apparently",
    "besides", "anyway", "regardless", "nevertheless", "however", "moreover", "furthermore",
    "additionally", "therefore", "hence", "consequently", "ultimately", "notably", "importantly",
    "specifically", "first", "second",
])  # fmt: skip
_MAX_APPOSITIVE_WORDS = 8


def drop_appositives(text: str) -> str:
    if _INTRO.match(text):
        return text

    def ok(m: re.Match[str]) -> bool:
        name = m.group().split(",", 1)[0]
        if not _SUBJECT.match(text[: m.start()]) or name.lower() in _NOT_A_NAME:
            return False
        if name.lower().endswith("ly") and m.start() == 0:
            return False
        body = m.group("body")
        if m.group("next") in _LIST_NEXT or protected(body):
            return False
        if m.group("head") in ("who", "which", "whose"):
            return True
        short = len(WORD.findall(body)) <= _MAX_APPOSITIVE_WORDS
        return short and not _FINITE.search(body)

    return _cut_spans(text, _APPOSITIVE, ok)


# Rules 4 and 5 (trailing and leading attributions) are gone on purpose (issue #14): "…, police
# said." or "According to officials, …" tells the reader a claim is someone's, not established
# fact, so :func:`briefgen.summarize.guards.protected` now counts an attribution as protected
# and no cut removes one.


# Rule 6 — discourse openers that only link to the previous sentence, which a key point shown on
# its own does not have: "However, the plan failed." -> "The plan failed."
_OPENER = re.compile(
    r"^(?:However|Moreover|Meanwhile|Furthermore|Additionally|In addition|Thus|Therefore|Hence|"
    r"Indeed|Still|Nevertheless|Nonetheless|Also|Notably|Importantly|Overall|In fact|Of course|"
    r"Besides|In other words|As such|To be sure|That said|At the same time|For its part|"
    r"For their part|In turn|Consequently|As a result|Accordingly|Ultimately|Separately),\s+"
)


def drop_opener(text: str) -> str:
    m = _OPENER.match(text)
    if not m:
        return text
    rest = text[m.end() :]
    if re.match(r"^[\w'’]+\s+(?:said|says|added|noted),", rest):  # "Still, she said, X" keeps it
        return text
    trial = capitalise(rest)
    return trial if well_formed(trial) else text


# Rule 7 — datelines: "LOS ANGELES (AP) — Police said ..." -> "Police said ...".  The place and
# the agency are where the story was filed, which the citation keeps; an all-capitals place name
# followed by an optional bracketed agency and a dash, at the very start only.
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’-]*(?:[ ,]+[A-Z][A-Z.'’-]*){0,4}\s*(?:\([^()]{1,30}\))?"
    r"\s*(?:—|–|--|-)\s+(?=[A-Z\"“])"
)


def drop_dateline(text: str) -> str:
    m = _DATELINE.match(text)
    if not m or not any(c.isalpha() for c in m.group()):
        return text
    trial = text[m.end() :]
    return trial if well_formed(trial) else text


# Rule 8 — non-restrictive relative clauses after a name anywhere in the sentence, between commas
# and followed by a lower-case word that is not a conjunction: "The firm hired Smith, who had
# run the bank, to lead it." -> "The firm hired Smith to lead it."  Same guards as rule 3.
_RELATIVE = re.compile(
    r"\b[A-Z][\w'’.-]*(?P<cut>,\s+(?P<body>(?:who|whose)\s[^,;:()\"“”—–]{2,90}?),)"
    r"(?=\s+(?P<next>[a-z][\w'’-]*))"
)


def drop_relative_clauses(text: str) -> str:
    def ok(m: re.Match[str]) -> bool:
        if m.start() == 0 and _INTRO.match(text):
            return False
        return m.group("next") not in _LIST_NEXT and not protected(m.group("body"))

    return _cut_spans(text, _RELATIVE, ok)


# Rule 9 — a trailing focus adjunct: "X became a signal for its neighbours, especially in the
# context of prolonged crises." -> "X became a signal for its neighbours."  The adjunct only
# narrows where the claim matters most; the claim stands without it.  Only after a comma, at the
# very end, opened by a focus adverb and a preposition (or "given"/"as"): "especially if/when/
# unless ..." is a condition on the claim and stays.  No protected word in the adjunct, so
# "…, especially in Gaza." and "…, particularly for the 40% of renters." stay.
_FOCUS = re.compile(
    r"(?P<cut>,\s+(?:especially|particularly|notably|in\s+particular)\s+"
    r"(?:in|among|for|amid|given|as|with|at|on|during|across|within|regarding|over|after)\s"
    r"[^;:()\"“”—–]{2,160}?)(?=[.!?][\"”’')\]]*$)"
)
# What a trailing cut must leave: a main clause long enough to be a claim of its own.
_MIN_KEPT = 6


def _trailing_ok(text: str, m: re.Match[str]) -> bool:
    kept = text[: m.start("cut")]
    return len(WORD.findall(kept)) >= _MIN_KEPT and not protected(m.group("cut"))


def drop_focus_adjunct(text: str) -> str:
    return _cut_spans(text, _FOCUS, lambda m: _trailing_ok(text, m))


# Rule 10 — a non-restrictive relative clause that ends the sentence: "This step aligns with its
# long-standing posture, which emphasizes dialogue and mediation." -> "This step aligns with its
# long-standing posture."  After a comma, "which/who/whose" opens a description of something
# already named, not a restriction of it, so the main clause claims the same without it.  Only
# when the clause holds no protected word: "…, which is not binding." and "…, which Gaza
# rejected." keep theirs.
_TRAILING_RELATIVE = re.compile(
    r"(?P<cut>,\s+(?:which|who|whose)\s[^;:()\"“”—–]{2,160}?)(?=[.!?][\"”’')\]]*$)"
)


def drop_trailing_relative(text: str) -> str:
    return _cut_spans(text, _TRAILING_RELATIVE, lambda m: _trailing_ok(text, m))


# Rule 12 — a trailing comment in a participle clause: "Kazakhstan is joining new initiatives,
# demonstrating its growing role in regional politics." -> "Kazakhstan is joining new
# initiatives."  The participle ("demonstrating", "underscoring", "signaling" ...) opens the
# writer's reading of the fact, not the fact; the main clause claims the same without it.  Only
# at the end, after a comma, with no protected word in the clause (so "…, marking the first time
# in 40 years." stays) and a main clause of at least six words left.
_COMMENT = re.compile(
    r"(?P<cut>,\s+(?:demonstrating|highlighting|underscoring|underlining|reflecting|signaling|"
    r"signalling|illustrating|showcasing|reinforcing|emphasizing|emphasising)\s"
    r"[^;:()\"“”—–]{2,160}?)(?=[.!?][\"”’')\]]*$)"
)


def drop_trailing_comment(text: str) -> str:
    return _cut_spans(text, _COMMENT, lambda m: _trailing_ok(text, m))


# Rule 11 — a headline kicker: "Kazakhstan: The evolving landscape of diplomacy has turned, with
# Kazakhstan stepping forward." -> "The evolving landscape ... with Kazakhstan stepping forward."
# A label of one to three capitalised words and a colon before a capitalised sentence is a
# section tag copied in with the headline.  Names are never removed, and unlike a dateline (where
# the story was filed, which the citation keeps) a kicker names what the story is about, possibly
# nowhere else: so the label goes only when each of its words appears again in the rest of the
# sentence, or when it is a generic label that names nothing ("Analysis:", "Exclusive:").  A
# speaker's label ("Tokayev: We will join.") therefore stays, unless the name is repeated.
_KICKER = re.compile(r"^(?P<label>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}):\s+(?=[A-Z\"“])")
_GENERIC_KICKERS = frozenset([
    "analysis", "exclusive", "opinion", "explainer", "factbox", "editorial", "commentary", "update",
    "breaking", "breaking news",
])  # fmt: skip


def drop_kicker(text: str) -> str:
    m = _KICKER.match(text)
    if not m or protected(m.group("label"), allow_names=True):
        return text
    label = m.group("label")
    rest = text[m.end() :]
    repeated = all(re.search(rf"\b{re.escape(w)}\b", rest) for w in label.split())
    if not repeated and label.lower() not in _GENERIC_KICKERS:
        return text
    return rest if well_formed(rest) else text


RULES: tuple[Callable[[str], str], ...] = (
    drop_dateline,
    drop_kicker,
    drop_opener,
    drop_parentheticals,
    drop_dash_asides,
    drop_appositives,
    drop_relative_clauses,
    drop_focus_adjunct,
    drop_trailing_relative,
    drop_trailing_comment,
)


def shorten(text: str) -> str:
    """``text`` with the parts a sub-editor would cut removed, by deletion only.

    Returns ``text`` unchanged when it is not a well-formed sentence to begin with, or when no
    rule applies.  The result is checked with :func:`briefgen.base.text.is_deletion_of`; a
    result that fails (which would be a bug in a rule) is discarded rather than shown.
    """
    source = text.strip()
    if not well_formed(source):
        return text
    out = source
    for rule in RULES:
        out = rule(out)
    out = capitalise(out)
    if out == source or not well_formed(out) or not is_deletion_of(out, source):
        return text
    return out
