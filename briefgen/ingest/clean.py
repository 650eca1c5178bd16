"""Pure text helpers for ingest: decode bytes, normalise Unicode, remove page furniture.

Nothing here touches the file system, so ``--jobs N`` can run it per file in parallel and tests
can feed it strings.  Helpers that find a problem raise :class:`TextProblem`; the caller at the
file edge prefixes the file name (every message a user sees names the file).
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from typing import Any

import ftfy
import yaml

from briefgen.base.text import IDEOGRAPHIC, UNSPACED, word_count
from briefgen.errors import IngestError

__all__ = [
    "FURNITURE",
    "TERMINAL",
    "TextProblem",
    "clean_text",
    "content_lines",
    "declared_charset",
    "decode_bytes",
    "continues",
    "glue",
    "is_heading",
    "join_lines",
    "normalise",
    "paragraphs",
    "split_front_matter",
    "strip_markdown",
]


class TextProblem(IngestError):
    """A problem with one input's content; the caller adds the file name to the message."""


# --------------------------------------------------------------------------- decoding

BINARY = "looks like a binary file, not text"
EMPTY = "empty file"
UNDECODABLE = "could not decode the text (not UTF-8, UTF-16 or a Western 8-bit encoding)"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32"),  # UTF-32 BOMs first: FF FE 00 00 starts like UTF-16-LE
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# C0 control bytes that never appear in text files (tab, LF, VT, FF, CR and ESC do).
_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x1B)) | {0x1C, 0x1D}
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
# A guess from charset-normalizer is trusted only for text mostly in a non-Latin script: among
# Latin code pages it guesses at random on short texts (cp1252 news came back as cp775).
_NON_LATIN_SHARE = 0.3


def _sniff_utf16(data: bytes) -> str | None:
    """BOM-less UTF-16: ASCII text has a NUL in every other byte, on one side only."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2 or len(data) % 2:
        return None
    even = sample[0::2].count(0) / half
    odd = sample[1::2].count(0) / half
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _bad_char_share(text: str) -> float:
    """Share of characters no real text holds (stray controls, U+FFFD, unassigned, private).

    Each distinct character is classified once, so a 1 MB page costs one pass in C.
    """
    if not text:
        return 0.0
    bad = sum(
        text.count(c)
        for c in set(text)
        if c == "\ufffd"
        or (unicodedata.category(c) in ("Cc", "Cn", "Co") and c not in "\t\n\r\x0b\x0c\x1b")
    )
    return bad / len(text)


# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">, and the
# XML declaration; looked for in the first 4 KB only, as browsers do (the "prescan").
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)|<\?xml[^>]*encoding\s*=\s*["']([a-z0-9_.:-]+)""",
    re.IGNORECASE,
)
_PRESCAN = 4096
_SUPERSETS = {
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "gb2312": "gbk",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
}
# Invalid UTF-8 tolerated as replaced bytes: at most this share of the valid non-ASCII characters
# (a UTF-8 page with one bad byte stays UTF-8; a latin-1 file has no valid multi-byte sequences).
_BAD_UTF8_SHARE = 0.1


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its markup (``<meta>`` or XML declaration), if Python
    knows it."""
    if not data.lstrip()[:1] == b"<" and b"<meta" not in data[:_PRESCAN].lower():
        return None
    match = _META_CHARSET.search(data[:_PRESCAN])
    if not match:
        return None
    return _codec(match.group(1) or match.group(2))


def _codec(name: bytes | str | None) -> str | None:
    """Python's codec for a charset label, or None; UTF-16/32 labels inside 8-bit markup lie."""
    if not name:
        return None
    label = name.decode("ascii", "replace") if isinstance(name, bytes) else name
    try:
        codec = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # WHATWG: labels decoded as their supersets (a page labelled latin-1 is windows-1252).
    return _SUPERSETS.get(codec, codec)


def _mostly_utf8(data: bytes) -> str | None:
    """``data`` as UTF-8 with a few bad bytes replaced, or None when it is not UTF-8 at all."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid = sum(text.count(c) for c in set(text) if ord(c) > 0x7F and c != "\ufffd")
    return text if valid and bad <= _BAD_UTF8_SHARE * valid else None


def _decode_8bit(data: bytes) -> tuple[str, str]:
    """Non-UTF-8 bytes: trust charset-normalizer for non-Latin scripts, else cp1252/latin-1."""
    from charset_normalizer import from_bytes  # slow import; only needed for rare files

    best = from_bytes(data).best()
    if best is not None and _non_latin_share(str(best)) >= _NON_LATIN_SHARE:
        return str(best), best.encoding
    if _C1_BYTES.search(data):
        # 0x80-0x9F are controls in latin-1 but quotes, dashes and the euro sign in cp1252.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass  # bytes cp1252 leaves undefined: latin-1 shows them as controls, checked later
    return data.decode("latin-1"), "latin-1"


def _non_latin_share(text: str) -> float:
    """Share of letters outside the Latin blocks (Cyrillic, Greek, Arabic, CJK...)."""
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if ord(c) > 0x24F) / len(letters) if letters else 0.0


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode a file's or page's bytes; return ``(text, encoding)``.

    The order is a browser's: a byte-order mark, then ``declared`` (the charset of an HTTP
    ``Content-Type`` header), then the page's own ``<meta charset>`` / ``http-equiv``.  Valid
    UTF-8 is taken as UTF-8 even when mislabelled; a few bad bytes in UTF-8 are replaced
    (U+FFFD) rather than the whole page re-read as latin-1.  Raises :class:`TextProblem` for
    empty, binary or undecodable input.
    """
    if not data.strip():
        raise TextProblem(EMPTY)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    encoding = encoding or _sniff_utf16(data)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            raise TextProblem(BINARY) from None
    else:
        # A stray NUL or two is noise in a text file; more means a binary format (PNG, PDF...).
        controls = len(data[:65536].translate(None, _NOT_CONTROL_BYTES))
        if data.count(0) > max(2, len(data) // 1000) or controls > 0.05 * min(len(data), 65536):
            raise TextProblem(BINARY)
        text, encoding = _decode_declared(data, _codec(declared) or declared_charset(data))
    if _bad_char_share(text) > 0.02:
        raise TextProblem(BINARY if encoding.startswith("utf-16") else UNDECODABLE)
    if not text.strip():
        raise TextProblem(EMPTY)
    return text, encoding


def _decode_declared(data: bytes, charset: str | None) -> tuple[str, str]:
    """8-bit or UTF-8 bytes, given the charset declared for them (if any)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if charset and not charset.startswith(("utf-16", "utf-32")):
        if charset == "utf-8":
            text = _mostly_utf8(data)
            if text is not None:
                return text, "utf-8"
        else:
            return data.decode(charset, errors="replace"), charset
    text = _mostly_utf8(data)
    if text is not None:
        return text, "utf-8"
    return _decode_8bit(data)


# --------------------------------------------------------------------------- normalising

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile(r"[\u00ad\u200b\u2060\ufeff]")  # soft hyphen, zero-width space, BOM
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")  # VT/FF: Word's manual breaks
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|[@-Z\\-_])")  # ANSI/VT100 escape sequences
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
# Bidi embeddings, overrides and isolates: an unclosed U+202E in an article reverses the rest of a
# briefing paragraph ("Trojan Source").  Renderers run the bidi algorithm themselves, so Arabic
# and Hebrew still display right-to-left without them.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# A run of 1,000+ printable ASCII characters without a space is a pasted blob (base64, a hex dump,
# a tracking URL), never prose; laying it out costs WeasyPrint ~10 s per 20,000 characters.  CJK
# text, which has no spaces, is not ASCII and is left alone.
GIANT_TOKEN = 1000
_GIANT_TOKEN = re.compile(rf"[!-~]{{{GIANT_TOKEN},}}")
_GIANT_KEEP = 60


def normalise(text: str) -> str:
    """Fix mojibake, NFC, plain spaces and ``\\n`` line ends; strip controls and line edges.

    Also removes bidi overrides and cuts space-less ASCII runs over ``GIANT_TOKEN`` characters.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = _ESCAPES.sub("", text)
    # Curly quotes are kept: briefings quote sources word for word.
    # Full-width punctuation is how Chinese and Japanese are written: keep its width.
    text = ftfy.fix_text(text, uncurl_quotes=False, fix_character_width=False, normalization="NFC")
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", _INVISIBLE.sub("", _CONTROLS.sub("", _ESCAPES.sub("", text))))
    text = _BIDI_CONTROLS.sub("", text)
    text = _GIANT_TOKEN.sub(lambda m: m.group()[:_GIANT_KEEP] + "…", text)
    return "\n".join(_RUNS_OF_SPACES.sub(" ", line).strip() for line in text.split("\n"))


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
        word_count(paragraph) <= HEADING_WORDS
        and not TERMINAL.search(paragraph)
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

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE = re.compile(r"^(```|~~~)")
_MD_URL = r"(?:[^()\n]|\([^()\n]*\))*"  # a link target, with one level of parentheses
_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"!\[[^\]]*\]\({_MD_URL}\)"), ""),  # images
    (re.compile(rf"\[([^\]]*)\]\({_MD_URL}\)"), r"\1"),  # links -> their text
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[a-zA-Z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]*)`"), r"\1"),  # inline code
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"~~(.+?)~~"), r"\1"),  # strikethrough
)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")
_LINE_PREFIX = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d{1,3}[.)]\s+)")
_RULE_OR_REFDEF = re.compile(r"^\s*(([-*_]\s*){3,}|\[[^\]]+\]:\s*\S+.*|\|?[\s:|-]+\|[\s:|-]*)$")


def split_front_matter(text: str) -> tuple[dict[str, Any], str, str | None]:
    """Split YAML front matter off Markdown: ``(metadata, body, warning or None)``.

    Bad YAML is not fatal: the block is kept as text and a warning returned.
    """
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text, None
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        problem = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {}, text, f"front matter is not valid YAML ({problem}); read as text"
    if not isinstance(meta, dict):
        return {}, text, "front matter is not a YAML mapping; read as text"
    return meta, text[match.end() :], None


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
