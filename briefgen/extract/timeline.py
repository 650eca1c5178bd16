"""The timeline: dates written in the text, resolved, cited, ordered, and checked.

Relative dates ("on Monday", "last week") mean nothing without the day they were written, so
they are resolved against the article's publication date (dateparser's ``RELATIVE_BASE``); the
sentence's tense decides whether a bare weekday is the last one or the next one.  A date the text
describes in the past tense that falls *after* the publication date means the date of the
article, or of the event, is wrong: such entries are flagged rather than silently ordered.

A timeline lists dated events from news sentences (issue #14): a date that cannot be resolved (a
relative date with no known publication date, "Nov. 1" with no year) is left out, and so are
sentences that are not news: photo captions ("FILE - This June 2013 photo ...", "(AP Photo/...)",
"Hide Caption 2 of 13"), datelines, archive notices, embedded-post signatures and boilerplate
(see :func:`is_news`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from briefgen.model import Article, DateMention, Sentence

_MON = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE = re.compile(
    rf"\b(?:(?:{_DAY},?\s+)?{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|(?:{_DAY},?\s+)?\d{{1,2}}\s+{_MON}(?:\s+\d{{4}})?"
    r"|(?:January|February|March|April|June|July|August|September|October|November|December)"
    r"\s+\d{4}|\d{4}-\d{2}-\d{2}|(?:in|since|by|until|from|of)\s+(?:19|20)\d{2}"
    rf"|(?:on\s+|last\s+|next\s+|this\s+)?{_DAY}"
    r"|(?:yesterday|today|tomorrow|last\s+(?:week|month|year)|next\s+(?:week|month|year)))\b"
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = re.compile(
    rf"(?i)^(?:on\s+|last\s+|next\s+|this\s+)?{_DAY}$|yesterday|today|tomorrow|last\s|next\s"
)
_FUTURE = re.compile(
    r"(?i)\b(?:will|won't|shall|is to|are to|to be held|set to|expected|plans?|planned|"
    r"scheduled|upcoming|next|would)\b"
)
_PAST = re.compile(
    r"(?i)\b(?:was|were|had|did|said|met|held|took|began|opened|signed|announced|killed|"
    r"died|struck|agreed|voted|reported|[a-z]{3,}ed)\b"
)
MAX_DATES = 8
_FULL_DATE = rf"{_MON}\s+\d{{1,2}},\s+\d{{4}}"
# Sentences that are not news: captions, credits, datelines, archive notices, boilerplate.
_NOT_NEWS = re.compile(
    "|".join([
        r"\bFILE\s*[-–—]", r"(?i:\bfile (?:photo|image)\b)", r"(?i:\bhide caption\b)",
        r"(?i:^\W*(?:photos?|image|video)\s*(?:\d+\s+of\s+\d+\s*)?:)",
        r"(?i:\b(?:image|photo) (?:copyright|caption|credit)\b)",
        r"(?i:\(\s*(?:AP|AFP|Reuters|Getty|EPA)[^)]*(?:photo|images))",
        r"(?i:\bthis (?:\w+,?\s+){0,3}(?:photo|picture|image)\b)",
        r"(?i:\bphoto (?:shows|released|taken|provided)\b)",
        r"(?i:internet archive|crawl data|wayback machine|archived from)",
        r"\(@\w+\)", r"^SOURCE\b", r"(?i:copyright|all rights reserved)",
        r"(?i:\b(?:updated|published|posted|last modified))\s*(?:on|at|:)?\s*" + _FULL_DATE,
        r"(?i:\bthis (?:story|article) (?:was|appears|originally)\b)",
        r"(?i:\b(?:subscribe|sign up|newsletter|click here)\b)",
        rf"^\W*(?:[A-Z]{{3,}},?\s+)?{_FULL_DATE}\s*(?:\(|[-–—]|[A-Z])",  # dateline or caption
        rf"{_DAY},\s+{_FULL_DATE}",  # "Thursday, Nov. 14, 2013": the date line of a caption
    ])
)  # fmt: skip


def is_news(text: str) -> bool:
    """A sentence of news prose, not a caption, dateline, archive notice or boilerplate."""
    return not _NOT_NEWS.search(text) and bool(re.search(r"[.!?][\"”’')\]]*$", text.strip()))


def tense(text: str) -> str:
    """Tense, "future", "past" or "" (unknown): enough to resolve a bare weekday either way."""
    if _FUTURE.search(text):
        return "future"
    return "past" if _PAST.search(text) else ""


def resolve(text: str, base: date | None, when: str = "") -> str | None:
    """ISO date (YYYY, YYYY-MM or YYYY-MM-DD) of ``text`` as written on day ``base``."""
    import dateparser

    bare = re.sub(r"^(?:in|since|by|until|from|of|on|this)\s+", "", text.strip())
    if re.fullmatch(r"(?:19|20)\d{2}", bare):
        return bare
    settings: dict[str, object] = {"PREFER_DATES_FROM": when or "current_period"}
    if base:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    elif not re.search(r"\d{4}", bare):
        return None
    day = re.fullmatch(r"(?i)(last\s+|next\s+)?(\w+day)", bare)
    if day and day.group(2).lower() in WEEKDAYS:
        return _weekday(day.group(2).lower(), base, (day.group(1) or "").strip().lower(), when)
    parsed = dateparser.parse(bare, languages=["en"], settings=settings)
    if parsed is None:
        return None
    has_day = bool(re.search(r"\d{1,2}(?!\d)", re.sub(r"\d{4}", "", bare))) or not re.search(
        r"\d", bare
    )
    return parsed.date().isoformat() if has_day else parsed.strftime("%Y-%m")


def _weekday(name: str, base: date | None, which: str, when: str) -> str | None:
    """A weekday relative to ``base``: the latest on or before it, unless the sentence speaks
    of the future ("will open on Monday"), then the next on or after it."""
    if base is None:
        return None
    wd = WEEKDAYS.index(name)
    if which == "next" or (not which and when == "future"):
        ahead = (wd - base.weekday()) % 7 or (7 if which else 0)
        return (base + timedelta(days=ahead)).isoformat()
    back = (base.weekday() - wd) % 7 or (7 if which else 0)
    return (base - timedelta(days=back)).isoformat()


def conflict(iso: str | None, published: date | None, sentence: str) -> str | None:
    """A reason when the text calls a date past that is after the article's own date."""
    if not iso or not published or len(iso) != 10:
        return None
    when = date.fromisoformat(iso)
    if when > published and tense(sentence) == "past":
        return (
            f"described as past, but {when.isoformat()} is after the article's publication "
            f"date {published.isoformat()}"
        )
    return None


def timeline(
    articles: Sequence[Article], sentences: Sequence[Sentence], max_dates: int = MAX_DATES
) -> list[DateMention]:
    """Dates in the text, each with its cited sentence, resolved where possible, by date.

    A date repeated in one article is listed once; conflicts come first when there are more
    than ``max_dates``.  Unresolved dates and sentences that are not news are left out.
    """
    published = {a.id: a.published for a in articles}
    out: list[DateMention] = []
    seen: set[tuple[str, str]] = set()
    for s in sentences:
        base = published.get(s.article_id)
        if not is_news(s.text):
            continue
        for m in DATE.finditer(s.text):
            rel = bool(_RELATIVE.search(m.group()))
            iso = resolve(m.group(), base, tense(s.text) if rel else "")
            if iso is None:  # no known day to resolve it against: not a dated event
                continue
            key = (iso or m.group().lower(), s.article_id)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                DateMention(
                    text=m.group(),
                    iso=iso,
                    statement=s.verbatim(),
                    relative=rel,
                    conflict=conflict(iso, base, s.text),
                )
            )
    keep = sorted(out, key=lambda d: d.conflict is None)[:max_dates]
    keep.sort(key=lambda d: (d.iso is None, d.iso or "", d.statement.citations[0].article_id))
    return keep
