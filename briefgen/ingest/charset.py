"""Bytes to text: byte-order marks, declared charsets (HTTP header, ``<meta charset>``,
``http-equiv``), UTF-8 with a few bad bytes, then a guess for 8-bit text.

Pure functions (nothing touches the file system); :class:`TextProblem` is raised for input that
is empty, binary or undecodable, and the caller at the file edge prefixes the file name.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter

from briefgen.errors import IngestError

__all__ = ["BINARY", "EMPTY", "UNDECODABLE", "TextProblem", "declared_charset", "decode_bytes"]


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


# Characters no text holds: C0 controls but tab, line ends and ESC, and DEL (in ASCII); C1
# controls, unassigned and private-use characters and U+FFFD (beyond it).
_ASCII_BAD = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), 0x1C, 0x1D, 0x1E, 0x1F, 0x7F])
_ASCII = bytes(range(0x80))


def _bad_char_share(text: str) -> float:
    """Share of characters no real text holds (stray controls, U+FFFD, unassigned, private).

    Counted on the UTF-8 bytes, in C: ASCII controls by deleting them, and the characters
    beyond ASCII (a small part of most pages) by deleting the ASCII bytes, decoding the rest and
    classifying each distinct character once.  A set of a whole 1 MB page took 10 ms, and
    counting 800 icon-font characters one by one 0.2 s.
    """
    if not text:
        return 0.0
    raw = text.encode("utf-8", "surrogatepass")
    bad = len(raw) - len(raw.translate(None, _ASCII_BAD))
    if not text.isascii():
        beyond = raw.translate(None, _ASCII).decode("utf-8", "surrogatepass")
        odd = [
            c for c in set(beyond) if c == "\ufffd" or unicodedata.category(c) in ("Cc", "Cn", "Co")
        ]
        if odd:
            bad += len(re.findall("[" + "".join(map(re.escape, odd)) + "]", beyond))
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
    replaced = text.count("\ufffd")
    bad = replaced - data.count(b"\xef\xbf\xbd")
    # Characters beyond ASCII other than U+FFFD, counted in C (counting each distinct character
    # was one pass over the text per character).
    valid = len(text) - len(text.encode("ascii", "ignore")) - replaced
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
    counts = Counter(text)  # one pass in C, then each distinct character is looked at once
    letters = sum(n for c, n in counts.items() if c.isalpha())
    beyond = sum(n for c, n in counts.items() if c.isalpha() and ord(c) > 0x24F)
    return beyond / letters if letters else 0.0


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
