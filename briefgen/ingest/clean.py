"""Pure text helpers for ingest: normalise Unicode, remove page furniture, find paragraphs.

Nothing here touches the file system, so ``--jobs N`` can run it per file in parallel and tests
can feed it strings.  Decoding lives in :mod:`~briefgen.ingest.charset` (re-exported here).
Helpers that find a problem raise :class:`TextProblem`; the caller at the file edge prefixes the
file name (every message a user sees names the file).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from itertools import islice

import ftfy
from ftfy.badness import BADNESS_RE

from briefgen.base.text import IDEOGRAPHIC, UNSPACED, WORD
from briefgen.ingest.charset import (
    TextProblem,
    declared_charset,
    decode_bytes,
)
from briefgen.ingest.frontmatter import split_front_matter

__all__ = [
    "FURNITURE",
    "TERMINAL",
    "TextProblem",
    "clean_text",
    "content_lines",
    "continues",
    "declared_charset",
    "decode_bytes",
    "for_people",
    "glue",
    "is_heading",
    "join_lines",
    "looks_like_mojibake",
    "normalise",
    "paragraphs",
    "split_front_matter",
    "strip_markdown",
]


# --------------------------------------------------------------------------- normalising

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]")  # soft hyphen, zero-width space, BOM
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")  # VT/FF: Word's manual breaks
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")  # ANSI/VT100 escape sequences
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_LINE_EDGES = re.compile(r" ?\n ?")  # after runs of spaces became one space
# Bidi embeddings, overrides and isolates: an unclosed U+202E in an article reverses the rest of a
# briefing paragraph ("Trojan Source").  Renderers run the bidi algorithm themselves, so Arabic
# and Hebrew still display right-to-left without them.
# Marks (U+200E LRM, U+200F RLM, U+061C ALM) go too: they reorder neighbouring text invisibly.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A run of 1,000+ printable ASCII characters without a space is a pasted blob (base64, a hex dump,
# a tracking URL), never prose; laying it out costs WeasyPrint ~10 s per 20,000 characters.  CJK
# text, which has no spaces, is not ASCII and is left alone.
GIANT_TOKEN = 1000
_GIANT_TOKEN = re.compile(rf"[!-~]{{{GIANT_TOKEN},}}")
_GIANT_KEEP = 60


# What ftfy fixes besides mojibake (which ``is_bad`` finds): entities, C1 controls, ligatures,
# surrogates, and the control and format characters it removes.
_FTFY_WORK = re.compile("[&\x80-\x9f\ufb00-\ufb06\ud800-\udfff\u206a-\u206f\ufff9-\ufffb]")
# ftfy's mojibake pattern (``ftfy.badness.BADNESS_RE``) matches at most 7 characters, at least one
# of them beyond ASCII (``tests/test_clean.py`` checks both on the pattern itself): so it is
# searched only this far around each run of non-ASCII characters, not at every position of an
# article (0.8 ms an article, the largest cost of reading plain text).
MOJIBAKE_REACH = 8
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def looks_like_mojibake(text: str) -> bool:
    """``ftfy.badness.is_bad(text)``, searching only near the characters beyond ASCII.

    ``pattern.search(text, pos, endpos)`` keeps ``^`` at the real start of the text, and the
    pattern has no look-arounds, so a match is found in a window exactly when it is in the text.
    """
    if text.isascii():
        return False
    end = len(text)
    windows: list[list[int]] = []
    for run in _NON_ASCII.finditer(text):
        lo, hi = max(0, run.start() - MOJIBAKE_REACH), min(end, run.end() + MOJIBAKE_REACH)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    return any(BADNESS_RE.search(text, lo, hi) for lo, hi in windows)


def normalise(text: str) -> str:
    """Fix mojibake, NFC, plain spaces and ``\\n`` line ends; strip controls and line edges.

    Also removes bidi overrides and cuts space-less ASCII runs over ``GIANT_TOKEN`` characters.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPES.sub("", text)
    if _FTFY_WORK.search(text) or looks_like_mojibake(text):  # call ftfy only if needed
        # Curly quotes are kept: briefings quote sources word for word.
        # Full-width punctuation is how Chinese and Japanese are written: keep its width.
        text = ftfy.fix_text(
            text, uncurl_quotes=False, fix_character_width=False, normalization="NFC"
        )
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", _INVISIBLE.sub("", _CONTROLS.sub("", _ESCAPES.sub("", text))))
    text = _BIDI_CONTROLS.sub("", text)
    text = _GIANT_TOKEN.sub(lambda m: m.group()[:_GIANT_KEEP] + "…", text)
    # Only spaces and line ends are left of whitespace: strip every line at once.
    return _LINE_EDGES.sub("\n", _RUNS_OF_SPACES.sub(" ", text)).strip(" ")


def for_people(text: object) -> str:
    """Any string about to be shown (a feed title, an outlet, a line of the index) on one
    line, without control or bidi formatting characters: :func:`normalise` on one line."""
    return " ".join(normalise(str(text)).split())


# --------------------------------------------------------------------------- furniture

_SOCIAL = (
    r"(facebook|twitter|x|whatsapp|linkedin|telegram|reddit|pinterest|email|e-mail|print"
    r"|copy link|messenger)"
)

#: Page furniture, one row per kind: (kind, regex matched against a whole stripped line,
#: ignoring case, and the longest line in words it may match; ``None`` = any length).  Word
#: limits keep prose that happens to start like furniture ("Share prices fell ...").
_FURNITURE_ROWS: tuple[tuple[str, str, int | None], ...] = (
    ("back-to-top link", r"(back|scroll|return|go) to (the )?top( of (the )?page)?( button)?", 8),
    ("photo credit", r"[(\[]?(photo|photograph|image|picture|pic|video)s?\b.*", 8),
    ("photo credit", r"[(\[]?(ap|afp|epa|getty|reuters|anadolu)( images)?\s*/\s*.*", 8),
    ("share buttons", r"share( (this|the|on|via|article|story|post|page)\b.*)?", 8),
    ("share buttons", rf"{_SOCIAL}([\s,|/·•]+{_SOCIAL})*", 8),
    (
        "advertisement",
        r"[(\[]?(advertisement|advertising|sponsored|promoted|ad)( content)?[)\]]?",
        3,
    ),
    (
        "read-more link",
        r"((read|see|view|load|show) (more|also|full (story|article))"
        r"|continue reading|more (stories|news))\b.*",
        14,
    ),
    ("subscribe prompt", r"(subscribe|sign up|sign in|log in)\b.*", 14),
    ("click-here link", r".*\bclick here\b.*", 25),
    ("tweet box", r"tweet with a location\b.*", None),
    (
        "related link",
        r"(related|also read|read also|recommended|more on this|see also|more)"
        r"( (stories|articles|coverage|news|content))?\s*:.*",
        25,
    ),
    (
        "cookie notice",
        r"((we|this (web)?site|our (web)?site|this page)( and our partners)? uses? cookies"
        r"|.*\b(accept|reject|manage|allow) (all )?cookies"
        r"|cookie (policy|settings|preferences|notice|consent))\b.*",
        None,
    ),
    (
        "related heading",
        r"(related|recommended|more (stories|articles|news)|you (may|might) also like"
        r"|weitere (themen|artikel|beiträge)|empfohlene (beiträge|artikel)|ähnliche (artikel"
        r"|beiträge)|(das )?könnte (sie|dich) auch interessieren|mehr zum thema|lesen sie (auch"
        r"|mehr)|contenido relacionado|noticias relacionadas|(le|te) puede interesar"
        r"|lea (también|más)|(à )?lire aussi|sur le même sujet|leggi anche"
        r"|czytaj (też|także|więcej)|dowiedz się więcej|zobacz (też|także))\s*(:.*)?",
        16,
    ),
    ("credit line", r"[(\[]?(fot|foto|fotos|bild|bilder|quelle|credits?|sources?)\s*[.:].*", 8),
    ("copyright line", r"(©|\(c\)|copyright\b).*|all rights reserved\.?", 15),
    ("follow prompt", r"follow us\b.*", 10),
    ("comments link", r"(\d+ )?comments?|leave a (comment|reply)|(view|show|hide) comments", 4),
    ("tag list", r"tags?\s*:.*", 20),
)
FURNITURE: tuple[tuple[str, re.Pattern[str], int | None], ...] = tuple(
    (kind, re.compile(rx, re.IGNORECASE), words) for kind, rx, words in _FURNITURE_ROWS
)

TERMINAL = re.compile(r"[.!?…:;。！？：；][\"'”’»)\]」』）]*$")
_UPPER_BANNER_WORDS = 6
_REPEAT_WORDS = 8  # "Kazakhstan\nKazakhstan": a caption or tag, not prose
HEADING_WORDS = 14
_WRAP_WIDTH = 100  # blocks whose lines are all this short are hard-wrapped paragraphs


def furniture_kind(line: str) -> str | None:
    """The kind of page furniture ``line`` is, or None for prose."""
    words = len(line.split())
    for kind, pattern, max_words in FURNITURE:
        if (max_words is None or words <= max_words) and pattern.fullmatch(line):
            return kind
    return None


def _is_banner(line: str) -> bool:
    """A site banner: a short all-capitals line ("US TRENDING NEWS")."""
    if len(line.split()) > _UPPER_BANNER_WORDS or not line.isupper():
        return False
    letters = [c for c in line if c.isalpha()]
    return (
        len(letters) >= 2
        and all(c.isupper() for c in letters)
        and len(line.split()) <= _UPPER_BANNER_WORDS
        and not TERMINAL.search(line)
    )


def content_lines(text: str) -> list[str]:
    """Lines of normalised ``text`` with furniture lines blanked (blank = paragraph break)."""
    lines = text.split("\n")
    keep = [bool(line) and furniture_kind(line) is None for line in lines]
    # A short line repeated on consecutive lines: drop the whole run.
    for i in range(1, len(lines)):
        line = lines[i]
        if (
            line
            and len(line.split()) <= _REPEAT_WORDS
            and line.casefold() == lines[i - 1].casefold()
        ):
            keep[i] = keep[i - 1] = False
    # The very first line in capitals is a site banner when more text follows.
    first = next((i for i, k in enumerate(keep) if k), None)
    if first is not None and _is_banner(lines[first]) and any(keep[first + 1 :]):
        keep[first] = False
    return [line if k else "" for line, k in zip(lines, keep, strict=True)]


# A list item in plain text: "- ", "* ", "• ", "1. ", "a) " before the text.
_LIST_ITEM = re.compile(r"^\s*(?:[-*•·–]\s+|(?:\d{1,3}|[a-z])[.)]\s+)")
# Scripts written without spaces: their lines join without one.
_UNSPACED_CHAR = re.compile(f"[{IDEOGRAPHIC}{UNSPACED}\u3000-\u303f\uff00-\uffef]")
WRAPPED_LINE = 45  # a line this long that ends mid-sentence was wrapped, not ended


def is_heading(paragraph: str) -> bool:
    """A heading or caption standing alone: short (as :func:`word_count` counts words, so a CJK
    paragraph is not one word), unpunctuated, and not a list item."""
    return (
        not TERMINAL.search(paragraph)
        and next(islice(WORD.finditer(paragraph), HEADING_WORDS, None), None) is None  # words
        and not _LIST_ITEM.match(paragraph)
    )


def continues(before: str, after: str, wrapped: int | None = WRAPPED_LINE) -> bool:
    """Whether line ``after`` continues the sentence line ``before`` left unfinished.

    A line opening in lower case always does (no sentence starts so); after an unfinished line
    (a comma, a dash) or, with ``wrapped``, a line that long without a sentence end, so does any.
    """
    if after[:1].islower() and not _LIST_ITEM.match(after):
        return True
    if TERMINAL.search(before) or _LIST_ITEM.match(after):
        return False
    if before.endswith((",", "-", "–", "—", "(")):
        return True
    unspaced = bool(_UNSPACED_CHAR.search(before[-1:]) and _UNSPACED_CHAR.match(after[:1]))
    return unspaced or (wrapped is not None and len(before) >= wrapped)


def glue(before: str, after: str) -> str:
    """Two lines of one sentence; CJK and Thai lines meet without a space."""
    if _UNSPACED_CHAR.search(before[-1:]) and _UNSPACED_CHAR.match(after[:1]):
        return before + after
    return f"{before} {after}"


def join_lines(lines: list[str], wrapped: int | None = WRAPPED_LINE) -> list[str]:
    """Lines as paragraphs: a line broken inside a sentence is joined back to its start."""
    out: list[str] = []
    for line in lines:
        if out and continues(out[-1], line, wrapped):
            out[-1] = glue(out[-1], line)
        else:
            out.append(line)
    return out


def paragraphs(lines: list[str]) -> list[str]:
    """Group lines into prose paragraphs; headings are dropped.

    Blank lines separate blocks.  A block whose lines all fit in ``_WRAP_WIDTH`` characters is
    one hard-wrapped paragraph (lines joined with a space), unless its lines are list items;
    otherwise every line is a paragraph of its own (text saved with one paragraph per line),
    except a line opening in lower case, which continues the one before.
    """
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out: list[str] = []
    for block in blocks:
        if not block:
            continue
        items = sum(1 for line in block if _LIST_ITEM.match(line))
        wrapped = len(block) > 1 and max(len(line) for line in block) <= _WRAP_WIDTH
        if wrapped and items < 2:
            out.append(functools.reduce(glue, block))
        else:
            out += join_lines(block, wrapped=None)
    return [p for p in out if not is_heading(p)]


def clean_text(text: str) -> str:
    """Normalise ``text`` and remove page furniture; paragraphs joined with a blank line."""
    return "\n\n".join(paragraphs(content_lines(normalise(text))))


# --------------------------------------------------------------------------- markdown

_FENCE = re.compile(r"^(```|~~~)")
# Every pattern here is linear-time on any line: a bracket or tag body may not contain its own
# opening character, so a run of 100,000 "[" or "<" fails each attempt at the next opener
# instead of scanning to the end of the line (which made a 100 kB line of "[" take 103 s).
_MD_URL = r"(?:[^()\[\]\n]|\([^()\[\]\n]*\))*"  # a link target: one level of (), no []
_MD_TEXT = r"[^\[\]\n]*"  # link text: no brackets inside
_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"!\[{_MD_TEXT}\]\({_MD_URL}\)"), ""),  # images
    (re.compile(rf"\[({_MD_TEXT})\]\({_MD_URL}\)"), r"\1"),  # links -> their text
    (re.compile(rf"\[({_MD_TEXT})\]\[{_MD_TEXT}\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^<>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[a-zA-Z][^<>]*>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    # Strong, emphasis, strikethrough: the content may not hold the delimiter, so an opener
    # without a closer ("**a **a **a ...") fails at the next delimiter, not the line end.
    (re.compile(r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w*])_(?=[^\s_])([^_\n]+?)(?<=\S)_(?![\w*])"), r"\1"),
    (re.compile(r"~~([^~\n]+?)~~"), r"\1"),
)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_LINE_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)")
_RULE_OR_REFDEF = re.compile(r"^\s*(([-*_]\s*){3,}|\[[^\]]+\]:\s*\S+.*|\|?[\s:|-]+\|[\s:|-]*)$")


def strip_markdown(text: str) -> str:
    """Markdown to plain prose: drop code, images, rules; keep link text; unmark the rest.

    Headings and list items become blocks of their own so they are not glued to prose.
    """
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE.match(line.lstrip()):
            in_fence = not in_fence
            out.append("")
            continue
        if in_fence:
            continue
        if _RULE_OR_REFDEF.match(line):
            out.append("")
            continue
        prefix = _LINE_PREFIX.match(line)
        if prefix:
            line = line[prefix.end() :]
            if not prefix.group(1).startswith(">"):
                line = line.rstrip("# ") if prefix.group(1).startswith("#") else line
                out += ["", line, ""]
                continue
        out.append(line)
    return "\n".join(_unmark(line) for line in out)


def _unmark(line: str) -> str:
    for pattern, repl in _MD_RULES:
        line = pattern.sub(repl, line)
    return _ESCAPED.sub(r"\1", line)
