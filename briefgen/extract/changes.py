"""What changed since the previous edition of a briefing: new points, dropped points, new actors.

Points are matched by what they say, never by position: the same source sentence (hash of its
normalised text) is the same point, and so is a sentence close enough to an earlier one by
TF-IDF cosine (another outlet's wording of the same fact, or the same sentence re-cleaned).
Only the previous edition's JSON is needed, so the scheduler can pass the last published one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from briefgen.errors import BriefgenError
from briefgen.model import Briefing, Changes, Statement
from briefgen.summarize.rank import vectorize

SIMILARITY = 0.6  # cosine above which two points say the same thing


def sentence_hash(text: str) -> str:
    """Hash of a sentence with case and whitespace normalised."""
    return hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def points(briefing: Briefing) -> list[Statement]:
    """The points an edition makes: bottom line and key points."""
    return [*briefing.bottom_line, *briefing.key_points]


def _unmatched(
    mine: Sequence[Statement], theirs: Sequence[Statement], similarity: float
) -> list[Statement]:
    """Statements of ``mine`` that no statement of ``theirs`` matches."""
    if not mine:
        return []
    hashes = {sentence_hash(s.source_text) for s in theirs}
    left = [s for s in mine if sentence_hash(s.source_text) not in hashes]
    if not left or not theirs:
        return left
    texts = [s.source_text for s in left] + [s.source_text for s in theirs]
    try:
        vectors = vectorize(texts)
    except BriefgenError:
        return left
    sim = (vectors[: len(left)] @ vectors[len(left) :].T).toarray()
    return [s for s, row in zip(left, sim, strict=True) if float(row.max()) < similarity]


def _names(briefing: Briefing) -> set[str]:
    return {n.casefold() for a in briefing.actors for n in (a.name, *a.aliases)}


def changes(current: Briefing, previous: Briefing, similarity: float = SIMILARITY) -> Changes:
    """New and dropped points of ``current`` against ``previous``, and actors only articles new
    since ``previous`` mention."""
    old_names = _names(previous)
    # An actor is new when only articles the previous edition did not have mention it: one
    # that merely climbed into the list from old articles is not news.
    old_hashes = {s.sha256 for s in previous.sources}
    new_sources = {s.id for s in current.sources if s.sha256 not in old_hashes}
    return Changes(
        previous_generated_at=previous.generated_at,
        new_points=[
            s.model_copy(deep=True)
            for s in _unmatched(points(current), points(previous), similarity)
        ],
        dropped_points=[
            s.model_copy(deep=True)
            for s in _unmatched(points(previous), points(current), similarity)
        ],
        new_actors=[
            a.name
            for a in current.actors
            if not {n.casefold() for n in (a.name, *a.aliases)} & old_names
            and a.mentions
            and all(article in new_sources for article in a.mentions)
        ],
    )


def load_previous(path: Path | str) -> Briefing:
    """The previous edition's briefing JSON, or a one-line error naming the file."""
    p = Path(path)
    try:
        return Briefing.from_json(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BriefgenError(f"{p}: cannot read previous briefing ({exc.strerror})") from exc
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise BriefgenError(f"{p}: not a briefing JSON ({first})") from exc
