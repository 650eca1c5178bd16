"""Decode an HTTP body without ever holding more than a limit of decoded bytes.

httpx decodes each chunk whole: 3 kB of brotli can become 4 GB before any size check runs.
briefgen therefore reads the raw (still encoded) bytes, capped at the same limit, and decodes
them here with every decompressor told how much output it may produce.  A body that would
decode past the limit is refused; memory stays within about twice the limit.
"""

from __future__ import annotations

import io
import zlib

__all__ = ["ACCEPT_ENCODING", "BodyTooLarge", "UnknownEncoding", "decode_body"]

ACCEPT_ENCODING = "gzip, deflate, br, zstd"
_STEP = 1 << 16


class BodyTooLarge(ValueError):
    """The decoded body is over the limit."""


class UnknownEncoding(ValueError):
    """A Content-Encoding briefgen did not ask for and cannot decode."""


def _zlib(data: bytes, wbits: int, limit: int) -> bytes:
    d = zlib.decompressobj(wbits)
    out = bytearray()
    pending = data
    while pending:
        chunk = d.decompress(pending, limit + 1 - len(out))
        out += chunk
        if len(out) > limit:
            raise BodyTooLarge
        if not chunk and pending == d.unconsumed_tail:
            break  # no progress: truncated stream
        pending = d.unconsumed_tail
        if d.eof:
            break
    return bytes(out)


def _deflate(data: bytes, limit: int) -> bytes:
    try:
        return _zlib(data, zlib.MAX_WBITS, limit)
    except zlib.error:  # servers send raw deflate as "deflate" too
        return _zlib(data, -zlib.MAX_WBITS, limit)


def _brotli(data: bytes, limit: int) -> bytes:
    import brotli  # only when a server sends brotli

    d = brotli.Decompressor()
    out = bytearray(d.process(data, output_buffer_limit=_STEP))
    while not d.is_finished() and not d.can_accept_more_data():
        if len(out) > limit:
            raise BodyTooLarge
        out += d.process(b"", output_buffer_limit=_STEP)
    if len(out) > limit:
        raise BodyTooLarge
    return bytes(out)


def _zstd(data: bytes, limit: int) -> bytes:
    import zstandard  # only when a server sends zstd

    with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)) as reader:
        out = reader.read(limit + 1)
    if len(out) > limit:
        raise BodyTooLarge
    return bytes(out)


def decode_body(raw: bytes, encoding: str, limit: int) -> bytes:
    """``raw`` decoded per a Content-Encoding header (``"gzip"``, ``"br, gzip"`` ...).

    Raises BodyTooLarge past ``limit`` decoded bytes, UnknownEncoding for an encoding not
    listed in :data:`ACCEPT_ENCODING`, and ValueError for a corrupt body.
    """
    data = raw
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    for coding in reversed(codings):  # the last applied is listed last
        try:
            if coding in ("identity", ""):
                continue
            if coding in ("gzip", "x-gzip"):
                data = _zlib(data, 16 + zlib.MAX_WBITS, limit)
            elif coding == "deflate":
                data = _deflate(data, limit)
            elif coding == "br":
                data = _brotli(data, limit)
            elif coding == "zstd":
                data = _zstd(data, limit)
            else:
                raise UnknownEncoding(f"unsupported content encoding {coding!r}")
        except (BodyTooLarge, UnknownEncoding):
            raise
        except Exception as exc:  # zlib.error, brotli.error, zstandard.ZstdError
            raise ValueError(f"corrupt {coding} body ({type(exc).__name__})") from None
    if len(data) > limit:
        raise BodyTooLarge
    return data
