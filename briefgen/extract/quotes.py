"""Who said what: quoted or attributed sentences whose speaker is a known actor.

A sentence counts when it names a speaker ("according to X", "X said", "said X") that matches an
actor found by :func:`briefgen.extract.actors.actors`, and it quotes or reports speech.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.extract.actors import as_statement, strip_possessive
from briefgen.model import Actor, Quote, Sentence
from briefgen.spec import Extraction

__all__ = ["quotes"]

_SPEECH = (
    r"said|says|told|noted|notes|stated|states|argued|argues|emphasi[sz]ed|emphasi[sz]es|"
    r"stressed|stresses|warned|warns|added|adds|explained|explains|claimed|claims|insisted|"
    r"believes|announced|announces|wrote|writes|declared|declares"
)
_QUOTED = re.compile(r"[“\"]([^”\"]{15,})[”\"]")
_ACCORDING = re.compile(r"according to (?:the )?([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)*)")
_SPEAKER_VERB = re.compile(
    rf"([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)*)\s+(?:\w+ly\s+|also\s+)?(?:{_SPEECH})\b"
)
_VERB_SPEAKER = re.compile(rf"\b(?:{_SPEECH})\s+([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)*)")


def quotes(
    sentences: Sequence[Sentence],
    actor_list: Sequence[Actor],
    scores: dict[tuple[str, int], float] | None = None,
    options: Extraction | None = None,
) -> list[Quote]:
    """Quoted or attributed statements whose speaker is a known actor."""
    options = options or Extraction()
    names: dict[str, str] = {}
    for a in actor_list:
        if a.kind in ("person", "organization"):
            for n in (a.name, *a.aliases):
                names[n] = a.name
    scores = scores or {}
    found: list[tuple[float, Quote]] = []
    for s in sentences:
        speaker = _speaker(s.text, names)
        has_quote = bool(_QUOTED.search(s.text))
        if speaker is None or not (
            has_quote or re.search(rf"\b(?:{_SPEECH})\b|according to", s.text)
        ):
            continue
        found.append(
            (
                scores.get((s.article_id, s.index), 0.0),
                Quote(speaker=speaker, statement=as_statement(s)),
            )
        )
    found.sort(key=lambda x: -x[0])
    return [q for _, q in found[: options.max_quotes]]


def _speaker(text: str, names: dict[str, str]) -> str | None:
    """The first known actor named as a speaker, trying "according to", "X said", "said X"."""
    for pat in (_ACCORDING, _SPEAKER_VERB, _VERB_SPEAKER):
        for m in pat.finditer(text):
            speaker = _match_actor(m.group(1), names)
            if speaker:
                return speaker
    return None


def _match_actor(text: str, names: dict[str, str]) -> str | None:
    text = strip_possessive(text)
    for n in sorted(names, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text):
            return names[n]
    return None
