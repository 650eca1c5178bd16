"""The default briefing title: what the briefing is about, named by its leading actors.

A title is built, never copied: a source headline may be a teaser, a photo caption or page
furniture, and a first sentence cut short needs an ellipsis.  The title names the actor mentioned
most and the next one that the most sources name ("Kazakhstan and the Board of Peace"); with one
actor, that actor and the best keyphrase; with none, the two best keyphrases.  ``--title`` and a
config ``title`` win over it (:mod:`briefgen.pipeline`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.extract.names import MONTHS
from briefgen.model import Actor, Keyphrase

__all__ = ["topic_title"]

FALLBACK = "News briefing"
_THE_HEADS = frozenset([
    "board", "council", "committee", "commission", "ministry", "department", "agency", "union",
    "court", "congress", "senate", "parliament", "assembly", "army", "police", "government",
    "office", "foundation", "alliance", "coalition", "federation", "house", "pentagon", "kremlin",
    "cabinet", "university", "institute", "bank", "fund", "party", "forum", "group", "supreme",
    "white", "united", "european", "national", "federal", "state", "royal", "republic",
    "democratic", "islamic", "middle", "gulf", "netherlands", "philippines", "bahamas",
])  # fmt: skip
_MAX_WORDS = 10


def _with_article(a: Actor) -> str:
    """The name as a title says it: "the Board of Peace", "the United States", "Kazakhstan"."""
    first = a.name.split()[0].lower()
    if a.kind != "person" and (first in _THE_HEADS or " of " in a.name):
        return f"the {a.name}"
    return a.name


def _overlaps(a: str, b: str) -> bool:
    """One name contains the other's words ("Tokayev" / "Kassym-Jomart Tokayev")."""
    wa, wb = set(re.findall(r"\w+", a.lower())), set(re.findall(r"\w+", b.lower()))
    return bool(wa & wb)


def _is_date(phrase: str) -> bool:
    """A phrase made only of calendar words and numbers."""
    words = re.findall(r"\w+", phrase)
    return bool(words) and all(w.capitalize() in MONTHS or w.isdigit() for w in words)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _full_name(a: Actor, actors: Sequence[Actor]) -> Actor:
    """A surname alone ("Trump") as the most mentioned person of that surname named in full."""
    if a.kind != "person" or " " in a.name:
        return a
    full = [b for b in actors if b.kind == "person" and b.name.split()[1:][-1:] == [a.name]]
    if not full:
        return a
    best = max(full, key=lambda b: (b.total_mentions, b.name))
    merged = {
        k: a.mentions.get(k, 0) + best.mentions.get(k, 0) for k in {*a.mentions, *best.mentions}
    }
    return best.model_copy(update={"mentions": merged})


def topic_title(actors: Sequence[Actor], keyphrases: Sequence[Keyphrase]) -> str:
    """A title naming the topic from the leading actors and keyphrases; never empty."""
    ranked = sorted(
        (_full_name(a, actors) for a in actors),
        key=lambda a: (-a.total_mentions, -len(a.mentions), a.name),
    )
    parts: list[str] = []
    if ranked:
        lead = ranked[0]
        parts.append(lead.name)
        others = [a for a in ranked[1:] if not _overlaps(a.name, lead.name)]
        # The second actor: the one most sources name, then the most mentioned.
        others.sort(key=lambda a: (-len(a.mentions), -a.total_mentions, a.name))
        if others and others[0].total_mentions >= 2:
            parts.append(_with_article(others[0]))
        parts[0] = _upper_first(_with_article(lead))
    for k in keyphrases:
        if len(parts) >= 2:
            break
        if _is_date(k.phrase):  # "Friday", "March 2013": when, not what
            continue
        if all(not _overlaps(k.phrase, p) for p in parts):
            parts.append(k.phrase if parts else _upper_first(k.phrase))
    title = " and ".join(parts[:2])
    if not title or len(title.split()) > _MAX_WORDS:
        return parts[0] if parts and len(parts[0].split()) <= _MAX_WORDS else FALLBACK
    return title
